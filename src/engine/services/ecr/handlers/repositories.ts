/** ECR repositories and images. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { AwsError } from '../../../errors';
import { ecrErrors } from '../errors';
import {
  REPO_NAME_RE,
  type EcrImageRow,
  type RepositoryRow,
  ecrImages,
  findRepository,
  imageKey,
  imagesOf,
  repoKey,
  repositories,
  repositoryArn,
  repositoryUri,
} from '../model';
import { issueEcrPassword } from '../../../images/local';

const registryId = () => s.str({ doc: 'The registry (account id); your own by default.' });
const repoName = () => s.str({ min: 2, max: 256, complete: 'repository', doc: 'The repository name, e.g. web or team/web.' });

function checkRegistry(ctx: Ctx, id: string | undefined): string {
  if (id !== undefined && !/^\d{12}$/.test(id)) throw ecrErrors.invalidParameter("Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{12}''");
  return id ?? ctx.accountId;
}

function requireRepo(ctx: Ctx, name: string, registry: string): RepositoryRow {
  const repo = registry === ctx.accountId ? findRepository(ctx, ctx.region, name) : undefined;
  if (!repo) throw ecrErrors.repositoryNotFound(name, registry);
  return repo;
}

export function renderRepository(ctx: Ctx, r: RepositoryRow) {
  return {
    repositoryArn: repositoryArn(ctx.accountId, r.region, r.name),
    registryId: ctx.accountId,
    repositoryName: r.name,
    repositoryUri: repositoryUri(ctx.accountId, r.region, r.name),
    createdAt: isoTime(r.createdAt),
    imageTagMutability: r.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: r.encryptionType, ...(r.kmsKey ? { kmsKey: r.kmsKey } : {}) },
  };
}

function renderImageDetail(ctx: Ctx, i: EcrImageRow) {
  return {
    registryId: ctx.accountId,
    repositoryName: i.repositoryName,
    imageDigest: i.imageDigest,
    ...(i.imageTags.length ? { imageTags: [...i.imageTags] } : {}),
    imageSizeInBytes: i.imageSizeInBytes,
    imagePushedAt: isoTime(i.imagePushedAt),
    imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    ...(i.lastRecordedPullTime !== undefined ? { lastRecordedPullTime: isoTime(i.lastRecordedPullTime) } : {}),
  };
}

function page<T>(items: T[], nextToken: string | undefined, maxResults: number | undefined): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const m = /^ecr([0-9]+)$/.exec(nextToken);
    if (!m) throw ecrErrors.invalidParameter('Invalid parameter at \'nextToken\': the token is not valid');
    start = Number(m[1]);
  }
  const size = maxResults ?? 1000;
  const end = start + size;
  return end < items.length ? { page: items.slice(start, end), nextToken: `ecr${end}` } : { page: items.slice(start) };
}

const Tags = () => s.list(s.struct({ Key: s.str({ min: 1, max: 128 }), Value: s.str({ max: 256 }) }, ['Key', 'Value']), { doc: 'Tags as Key=k,Value=v.' });

export const CreateRepository = op({
  name: 'CreateRepository',
  doc: 'Creates a private image repository in the region. Its URI (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME) is where docker push sends images.',
  input: s.struct(
    {
      registryId: registryId(),
      repositoryName: repoName(),
      tags: Tags(),
      imageTagMutability: s.enum(['MUTABLE', 'IMMUTABLE'] as const, { doc: 'IMMUTABLE refuses to move an existing tag to a new image.' }),
      imageScanningConfiguration: s.struct({ scanOnPush: s.bool() }),
      encryptionConfiguration: s.struct({ encryptionType: s.enum(['AES256', 'KMS'] as const), kmsKey: s.str() }, ['encryptionType']),
    },
    ['repositoryName'],
  ),
  errors: ['RepositoryAlreadyExistsException', 'InvalidParameterException', 'LimitExceededException', 'InvalidTagParameterException'],
  example: 'aws ecr create-repository --repository-name web --image-scanning-configuration scanOnPush=true',
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    if (registry !== ctx.accountId) throw ecrErrors.invalidParameter(`Invalid parameter: the registry id '${registry}' is not your registry`);
    const name = input.repositoryName;
    if (name.length < 2 || name.length > 256 || !REPO_NAME_RE.test(name)) throw ecrErrors.invalidRepositoryName();
    if (findRepository(ctx, ctx.region, name)) throw ecrErrors.repositoryAlreadyExists(name, ctx.accountId);
    const count = repositories(ctx).filter((r) => r.region === ctx.region).length;
    const limit = ctx.config().quotas['ecr-repositories'] ?? 100000;
    if (count >= limit) throw ecrErrors.limitExceeded(`The maximum number of repositories (${limit}) has been reached.`);
    if ((input.tags ?? []).length > 50) throw ecrErrors.invalidTagParameter('A repository can have at most 50 tags.');
    const row: RepositoryRow = {
      region: ctx.region,
      name,
      createdAt: ctx.now(),
      imageTagMutability: input.imageTagMutability ?? 'MUTABLE',
      scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
      encryptionType: input.encryptionConfiguration?.encryptionType ?? 'AES256',
      ...(input.encryptionConfiguration?.encryptionType === 'KMS'
        ? { kmsKey: input.encryptionConfiguration.kmsKey ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:alias/aws/ecr` }
        : {}),
      tags: (input.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
    };
    repositories(ctx).set(repoKey(ctx.region, name), row);
    return { repository: renderRepository(ctx, row) };
  },
});

export const DescribeRepositories = op({
  name: 'DescribeRepositories',
  doc: 'Describes the repositories of the region (or the ones named).',
  input: s.struct({
    registryId: registryId(),
    repositoryNames: s.list(repoName(), { min: 1, max: 100 }),
    nextToken: s.str(),
    maxResults: s.int({ min: 1, max: 1000 }),
  }),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['repositories'] },
  example: 'aws ecr describe-repositories --query "repositories[].repositoryUri"',
  readOnly: true,
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    if (input.repositoryNames?.length && input.maxResults !== undefined) {
      throw ecrErrors.invalidParameter('Invalid parameter: maxResults cannot be used together with repositoryNames');
    }
    let rows: RepositoryRow[];
    if (input.repositoryNames?.length) rows = input.repositoryNames.map((n) => requireRepo(ctx, n, registry));
    else rows = registry === ctx.accountId ? repositories(ctx).filter((r) => r.region === ctx.region).sort((a, b) => a.createdAt - b.createdAt) : [];
    const p = page(rows, input.nextToken, input.maxResults);
    return { repositories: p.page.map((r) => renderRepository(ctx, r)), ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
  },
});

export const DeleteRepository = op({
  name: 'DeleteRepository',
  doc: 'Deletes a repository. One that still holds images is refused unless --force, which deletes its images too.',
  input: s.struct({ registryId: registryId(), repositoryName: repoName(), force: s.bool() }, ['repositoryName']),
  errors: ['RepositoryNotFoundException', 'RepositoryNotEmptyException', 'InvalidParameterException'],
  example: 'aws ecr delete-repository --repository-name web --force',
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    const repo = requireRepo(ctx, input.repositoryName, registry);
    const imgs = imagesOf(ctx, repo.region, repo.name);
    if (imgs.length && !input.force) throw ecrErrors.repositoryNotEmpty(repo.name, registry);
    for (const i of imgs) ecrImages(ctx).delete(imageKey(i.region, i.repositoryName, i.imageDigest));
    repositories(ctx).delete(repoKey(repo.region, repo.name));
    return { repository: renderRepository(ctx, repo) };
  },
});

const ImageIds = () =>
  s.list(s.struct({ imageDigest: s.str(), imageTag: s.str({ min: 1, max: 300 }) }), { min: 1, max: 100, doc: 'imageTag=TAG or imageDigest=sha256:...' });

function matchImage(imgs: EcrImageRow[], id: { imageDigest?: string; imageTag?: string }): EcrImageRow | undefined {
  return imgs.find((i) => (id.imageDigest === undefined || i.imageDigest === id.imageDigest) && (id.imageTag === undefined || i.imageTags.includes(id.imageTag)));
}

export const DescribeImages = op({
  name: 'DescribeImages',
  doc: 'Describes the images of a repository: digest, tags, size, push time.',
  input: s.struct(
    {
      registryId: registryId(),
      repositoryName: repoName(),
      imageIds: ImageIds(),
      nextToken: s.str(),
      maxResults: s.int({ min: 1, max: 1000 }),
      filter: s.struct({ tagStatus: s.enum(['TAGGED', 'UNTAGGED', 'ANY'] as const) }),
    },
    ['repositoryName'],
  ),
  errors: ['RepositoryNotFoundException', 'ImageNotFoundException', 'InvalidParameterException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['imageDetails'] },
  example: 'aws ecr describe-images --repository-name web',
  readOnly: true,
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    const repo = requireRepo(ctx, input.repositoryName, registry);
    let imgs = imagesOf(ctx, repo.region, repo.name);
    if (input.imageIds?.length) {
      const found: EcrImageRow[] = [];
      for (const id of input.imageIds) {
        const m = matchImage(imgs, id);
        if (!m) throw ecrErrors.imageNotFound(id, repo.name, registry);
        if (!found.includes(m)) found.push(m);
      }
      imgs = found;
    }
    const ts = input.filter?.tagStatus ?? 'ANY';
    if (ts === 'TAGGED') imgs = imgs.filter((i) => i.imageTags.length > 0);
    if (ts === 'UNTAGGED') imgs = imgs.filter((i) => i.imageTags.length === 0);
    const p = page(imgs, input.nextToken, input.maxResults);
    return { imageDetails: p.page.map((i) => renderImageDetail(ctx, i)), ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
  },
});

export const ListImages = op({
  name: 'ListImages',
  doc: 'Lists the image ids (digest and tag) of a repository; --filter tagStatus=UNTAGGED finds images without tags.',
  input: s.struct(
    {
      registryId: registryId(),
      repositoryName: repoName(),
      nextToken: s.str(),
      maxResults: s.int({ min: 1, max: 1000 }),
      filter: s.struct({ tagStatus: s.enum(['TAGGED', 'UNTAGGED', 'ANY'] as const) }),
    },
    ['repositoryName'],
  ),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['imageIds'] },
  example: 'aws ecr list-images --repository-name web',
  readOnly: true,
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    const repo = requireRepo(ctx, input.repositoryName, registry);
    const ts = input.filter?.tagStatus ?? 'ANY';
    const ids: { imageDigest: string; imageTag?: string }[] = [];
    for (const i of imagesOf(ctx, repo.region, repo.name)) {
      if (i.imageTags.length === 0) {
        if (ts !== 'TAGGED') ids.push({ imageDigest: i.imageDigest });
      } else if (ts !== 'UNTAGGED') {
        for (const t of i.imageTags) ids.push({ imageDigest: i.imageDigest, imageTag: t });
      }
    }
    const p = page(ids, input.nextToken, input.maxResults);
    return { imageIds: p.page, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
  },
});

export const BatchDeleteImage = op({
  name: 'BatchDeleteImage',
  doc: 'Deletes images by digest, or removes tags (an image whose last tag goes is deleted). Ids that match nothing come back in failures.',
  input: s.struct({ registryId: registryId(), repositoryName: repoName(), imageIds: ImageIds() }, ['repositoryName', 'imageIds']),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  example: 'aws ecr batch-delete-image --repository-name web --image-ids imageTag=v1',
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    const repo = requireRepo(ctx, input.repositoryName, registry);
    const deleted: { imageDigest: string; imageTag?: string }[] = [];
    const failures: unknown[] = [];
    const table = ecrImages(ctx);
    for (const id of input.imageIds) {
      if (id.imageDigest === undefined && id.imageTag === undefined) {
        failures.push({ imageId: {}, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' });
        continue;
      }
      if (id.imageDigest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(id.imageDigest)) {
        failures.push({ imageId: { ...id }, failureCode: 'InvalidImageDigest', failureReason: 'Invalid request parameters: image digest should satisfy the regex \'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\'' });
        continue;
      }
      const imgs = imagesOf(ctx, repo.region, repo.name);
      const m = matchImage(imgs, id);
      if (!m) {
        const tagOnOther = id.imageTag !== undefined && id.imageDigest !== undefined && imgs.some((i) => i.imageTags.includes(id.imageTag!));
        failures.push(
          tagOnOther
            ? { imageId: { ...id }, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid request parameters: given tag does not map to the given digest' }
            : { imageId: { ...id }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
        );
        continue;
      }
      const key = imageKey(m.region, m.repositoryName, m.imageDigest);
      if (id.imageTag !== undefined && id.imageDigest === undefined && m.imageTags.length > 1) {
        table.set(key, { ...m, imageTags: m.imageTags.filter((t) => t !== id.imageTag) });
        deleted.push({ imageDigest: m.imageDigest, imageTag: id.imageTag });
      } else {
        table.delete(key);
        if (m.imageTags.length) for (const t of m.imageTags) deleted.push({ imageDigest: m.imageDigest, imageTag: t });
        else deleted.push({ imageDigest: m.imageDigest });
      }
    }
    return { imageIds: deleted, failures };
  },
});

export const GetAuthorizationToken = op({
  name: 'GetAuthorizationToken',
  doc: 'Issues a 12-hour token for docker: base64 of "AWS:PASSWORD". `aws ecr get-login-password` prints just the password for `docker login --password-stdin`.',
  input: s.struct({ registryIds: s.list(s.str(), { min: 1, max: 10, doc: 'Deprecated: the token works for your registry.' }) }),
  errors: ['InvalidParameterException'],
  example: 'aws ecr get-authorization-token',
  handler: (ctx) => {
    const { password, expiresAt } = issueEcrPassword(ctx);
    return {
      authorizationData: [
        {
          authorizationToken: btoa(`AWS:${password}`),
          expiresAt: isoTime(expiresAt),
          proxyEndpoint: `https://${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com`,
        },
      ],
    };
  },
});

function repoFromArn(ctx: Ctx, arn: string): RepositoryRow {
  const m = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
  if (!m) throw ecrErrors.invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN: ${arn}'`);
  const repo = m[2] === ctx.accountId && m[1] === ctx.region ? findRepository(ctx, m[1]!, m[3]!) : undefined;
  if (!repo) throw ecrErrors.repositoryNotFound(m[3]!, m[2]!);
  return repo;
}

export const TagResource = op({
  name: 'TagResource',
  doc: 'Adds or replaces tags on a repository (up to 50).',
  input: s.struct({ resourceArn: s.str(), tags: Tags() }, ['resourceArn', 'tags']),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException', 'InvalidTagParameterException', 'TooManyTagsException'],
  example: 'aws ecr tag-resource --resource-arn arn:aws:ecr:us-east-1:123456789012:repository/web --tags Key=team,Value=blue',
  handler: (ctx, input) => {
    const repo = repoFromArn(ctx, input.resourceArn);
    const merged = new Map(repo.tags.map((t) => [t.Key, t.Value]));
    for (const t of input.tags) merged.set(t.Key, t.Value);
    if (merged.size > 50) throw new AwsError('TooManyTagsException', 'The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.', 400);
    repositories(ctx).set(repoKey(repo.region, repo.name), { ...repo, tags: [...merged].map(([Key, Value]) => ({ Key, Value })) });
    return {};
  },
});

export const UntagResource = op({
  name: 'UntagResource',
  doc: 'Removes tags from a repository by key.',
  input: s.struct({ resourceArn: s.str(), tagKeys: s.list(s.str()) }, ['resourceArn', 'tagKeys']),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  handler: (ctx, input) => {
    const repo = repoFromArn(ctx, input.resourceArn);
    repositories(ctx).set(repoKey(repo.region, repo.name), { ...repo, tags: repo.tags.filter((t) => !input.tagKeys.includes(t.Key)) });
    return {};
  },
});

export const ListTagsForResource = op({
  name: 'ListTagsForResource',
  doc: 'Lists the tags of a repository.',
  input: s.struct({ resourceArn: s.str() }, ['resourceArn']),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  readOnly: true,
  handler: (ctx, input) => ({ tags: repoFromArn(ctx, input.resourceArn).tags.map((t) => ({ Key: t.Key, Value: t.Value })) }),
});

export const PutImageTagMutability = op({
  name: 'PutImageTagMutability',
  doc: 'Switches a repository between MUTABLE tags and IMMUTABLE tags (a pushed tag can never move).',
  input: s.struct({ registryId: registryId(), repositoryName: repoName(), imageTagMutability: s.enum(['MUTABLE', 'IMMUTABLE'] as const) }, ['repositoryName', 'imageTagMutability']),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  example: 'aws ecr put-image-tag-mutability --repository-name web --image-tag-mutability IMMUTABLE',
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    const repo = requireRepo(ctx, input.repositoryName, registry);
    repositories(ctx).set(repoKey(repo.region, repo.name), { ...repo, imageTagMutability: input.imageTagMutability });
    return { registryId: registry, repositoryName: repo.name, imageTagMutability: input.imageTagMutability };
  },
});

export const PutImageScanningConfiguration = op({
  name: 'PutImageScanningConfiguration',
  doc: 'Turns scan-on-push on or off for a repository.',
  input: s.struct({ registryId: registryId(), repositoryName: repoName(), imageScanningConfiguration: s.struct({ scanOnPush: s.bool() }) }, ['repositoryName', 'imageScanningConfiguration']),
  errors: ['RepositoryNotFoundException', 'InvalidParameterException'],
  handler: (ctx, input) => {
    const registry = checkRegistry(ctx, input.registryId);
    const repo = requireRepo(ctx, input.repositoryName, registry);
    const scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
    repositories(ctx).set(repoKey(repo.region, repo.name), { ...repo, scanOnPush });
    return { registryId: registry, repositoryName: repo.name, imageScanningConfiguration: { scanOnPush } };
  },
});

export const repositoryOperations = [TagResource, UntagResource, ListTagsForResource, PutImageTagMutability, PutImageScanningConfiguration, CreateRepository, DescribeRepositories, DeleteRepository, DescribeImages, ListImages, BatchDeleteImage, GetAuthorizationToken];
