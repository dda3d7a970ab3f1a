import { describe, it, expect } from 'vitest';
import { world } from '../ec2/world';
import { putImage, findRepository, digestOf } from '../../../src/engine/services/ecr/model';

function pushFake(w: ReturnType<typeof world>, repo: string, tag: string | undefined, seed: string, region = 'us-east-1') {
  w.sb.mutate(() => {
    const ctx = w.ctx(region);
    putImage(ctx, findRepository(ctx, region, repo)!, tag, {
      imageDigest: digestOf(seed),
      imageSizeInBytes: 1000,
      behaviour: { kind: 'server', port: 80 },
      cmd: [],
      exposedPorts: [80],
      binaries: [],
    });
  });
  return digestOf(seed);
}

describe('ECR repositories', () => {
  it('creates, describes and refuses duplicates and bad names', () => {
    const w = world();
    const r = w.json('aws ecr create-repository --repository-name team/web --image-tag-mutability IMMUTABLE').repository;
    expect(r).toMatchObject({
      repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/web',
      registryId: '123456789012',
      repositoryName: 'team/web',
      repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web',
      imageTagMutability: 'IMMUTABLE',
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    const dup = w.run('aws ecr create-repository --repository-name team/web');
    expect(dup.exitCode).toBe(254);
    expect(dup.stderr).toContain("RepositoryAlreadyExistsException");
    expect(dup.stderr).toContain("The repository with name 'team/web' already exists in the registry with id '123456789012'");
    expect(w.run('aws ecr create-repository --repository-name Web').stderr).toContain('InvalidParameterException');
    expect(w.run('aws ecr create-repository --repository-name web-').stderr).toContain('InvalidParameterException');
    expect(w.json('aws ecr describe-repositories').repositories).toHaveLength(1);
    expect(w.json('aws ecr describe-repositories --region eu-west-1').repositories).toHaveLength(0);
    const nf = w.run('aws ecr describe-repositories --repository-names nope');
    expect(nf.stderr).toContain("The repository with name 'nope' does not exist in the registry with id '123456789012'");
  });

  it('refuses to delete a repository with images unless --force', () => {
    const w = world();
    w.json('aws ecr create-repository --repository-name web');
    pushFake(w, 'web', 'v1', 'a');
    const r = w.run('aws ecr delete-repository --repository-name web');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('RepositoryNotEmptyException');
    expect(w.json('aws ecr delete-repository --repository-name web --force').repository.repositoryName).toBe('web');
    expect(w.json('aws ecr describe-repositories').repositories).toHaveLength(0);
    expect(w.run('aws ecr delete-repository --repository-name web').stderr).toContain('RepositoryNotFoundException');
  });

  it('lists and describes images, moves tags, and batch-deletes by tag and digest', () => {
    const w = world();
    w.json('aws ecr create-repository --repository-name web');
    const d1 = pushFake(w, 'web', 'v1', 'one');
    pushFake(w, 'web', 'latest', 'one');
    const d2 = pushFake(w, 'web', 'latest', 'two');
    const ids = w.json('aws ecr list-images --repository-name web').imageIds;
    expect(ids).toEqual(expect.arrayContaining([{ imageDigest: d1, imageTag: 'v1' }, { imageDigest: d2, imageTag: 'latest' }]));
    expect(ids).toHaveLength(2);
    const details = w.json('aws ecr describe-images --repository-name web --image-ids imageTag=latest').imageDetails;
    expect(details[0]).toMatchObject({ imageDigest: d2, imageTags: ['latest'], imageSizeInBytes: 1000, repositoryName: 'web' });
    const nf = w.run('aws ecr describe-images --repository-name web --image-ids imageTag=v9');
    expect(nf.stderr).toContain("ImageNotFoundException");
    expect(nf.stderr).toContain("imageTag:'v9'");
    const del = w.json(`aws ecr batch-delete-image --repository-name web --image-ids imageTag=v1 imageTag=nope imageDigest=${d2}`);
    expect(del.imageIds).toEqual(expect.arrayContaining([{ imageDigest: d1, imageTag: 'v1' }, { imageDigest: d2, imageTag: 'latest' }]));
    expect(del.failures).toEqual([{ imageId: { imageTag: 'nope' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    expect(w.json('aws ecr list-images --repository-name web').imageIds).toEqual([]);
  });

  it('removing one of two tags keeps the image; untagged images show with --filter', () => {
    const w = world();
    w.json('aws ecr create-repository --repository-name web');
    const d = pushFake(w, 'web', 'a', 'x');
    pushFake(w, 'web', 'b', 'x');
    w.json('aws ecr batch-delete-image --repository-name web --image-ids imageTag=a');
    expect(w.json('aws ecr list-images --repository-name web').imageIds).toEqual([{ imageDigest: d, imageTag: 'b' }]);
    pushFake(w, 'web', 'b', 'y');
    expect(w.json('aws ecr list-images --repository-name web --filter tagStatus=UNTAGGED').imageIds).toEqual([{ imageDigest: d }]);
  });

  it('issues a login password for docker', () => {
    const w = world();
    const tok = w.json('aws ecr get-authorization-token').authorizationData[0];
    expect(tok.proxyEndpoint).toBe('https://123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(atob(tok.authorizationToken).startsWith('AWS:')).toBe(true);
    expect(tok.expiresAt).toBe('2026-01-05T21:00:00+00:00');
    const pw = w.run('aws ecr get-login-password');
    expect(pw.exitCode).toBe(0);
    expect(pw.stdout.trim().length).toBeGreaterThan(100);
    expect(pw.stdout.endsWith('\n')).toBe(true);
  });
});

describe('ECR repository settings and tags', () => {
  it('tags repositories and switches tag mutability', () => {
    const w = world();
    const arn = w.json('aws ecr create-repository --repository-name web --tags Key=team,Value=blue').repository.repositoryArn;
    expect(w.json(`aws ecr list-tags-for-resource --resource-arn ${arn}`).tags).toEqual([{ Key: 'team', Value: 'blue' }]);
    w.json(`aws ecr tag-resource --resource-arn ${arn} --tags Key=env,Value=prod Key=team,Value=red`);
    expect(w.json(`aws ecr list-tags-for-resource --resource-arn ${arn}`).tags).toEqual([{ Key: 'team', Value: 'red' }, { Key: 'env', Value: 'prod' }]);
    w.json(`aws ecr untag-resource --resource-arn ${arn} --tag-keys team`);
    expect(w.json(`aws ecr list-tags-for-resource --resource-arn ${arn}`).tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(w.run('aws ecr list-tags-for-resource --resource-arn arn:aws:ecr:us-east-1:123456789012:repository/nope').stderr).toContain('RepositoryNotFoundException');
    const m = w.json('aws ecr put-image-tag-mutability --repository-name web --image-tag-mutability IMMUTABLE');
    expect(m).toEqual({ registryId: '123456789012', repositoryName: 'web', imageTagMutability: 'IMMUTABLE' });
    expect(w.json('aws ecr describe-repositories').repositories[0].imageTagMutability).toBe('IMMUTABLE');
    w.json('aws ecr put-image-scanning-configuration --repository-name web --image-scanning-configuration scanOnPush=true');
    expect(w.json('aws ecr describe-repositories').repositories[0].imageScanningConfiguration).toEqual({ scanOnPush: true });
  });
});
