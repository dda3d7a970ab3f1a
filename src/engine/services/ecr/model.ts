/**
 * ECR state: private repositories and the images pushed to them (by the pseudo
 * `docker push`). Repositories are regional: rows are keyed `REGION/NAME`.
 */
import type { Ctx } from '../../context';
import type { Behaviour } from '../../images/catalogue';
import { fnv32 } from '../ec2/amis';
import { ecrErrors } from './errors';

export interface RepositoryRow {
  region: string;
  name: string;
  createdAt: number;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryptionType: 'AES256' | 'KMS';
  kmsKey?: string;
  tags: { Key: string; Value: string }[];
}

export interface EcrImageRow {
  region: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  /** Compressed size as pushed. */
  imageSizeInBytes: number;
  imagePushedAt: number;
  lastRecordedPullTime?: number;
  /** What a container of this image does (from the pushed image's config). */
  behaviour: Behaviour;
  entrypoint?: string[];
  cmd: string[];
  exposedPorts: number[];
  /** Executables that run the image's own main program (see images/commands.ts). */
  binaries: string[];
  requiredEnv?: { anyOf: string[]; exitCode: number; durationMs: number; message: string };
}

export const T_REPOS = 'ecr.repositories';
export const T_IMAGES = 'ecr.images';

export const repositories = (ctx: Pick<Ctx, 'table'>) => ctx.table<RepositoryRow>(T_REPOS);
export const ecrImages = (ctx: Pick<Ctx, 'table'>) => ctx.table<EcrImageRow>(T_IMAGES);

export const repoKey = (region: string, name: string) => `${region}/${name}`;
export const imageKey = (region: string, repo: string, digest: string) => `${region}/${repo}@${digest}`;

export function registryHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

export function repositoryUri(accountId: string, region: string, name: string): string {
  return `${registryHost(accountId, region)}/${name}`;
}

export function repositoryArn(accountId: string, region: string, name: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
}

export const REPO_NAME_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function findRepository(ctx: Pick<Ctx, 'table'>, region: string, name: string): RepositoryRow | undefined {
  return repositories(ctx).get(repoKey(region, name));
}

export function imagesOf(ctx: Pick<Ctx, 'table'>, region: string, repo: string): EcrImageRow[] {
  return ecrImages(ctx)
    .filter((i) => i.region === region && i.repositoryName === repo)
    .sort((a, b) => a.imagePushedAt - b.imagePushedAt);
}

/** A sha256 digest string derived from text (stable). */
export function digestOf(text: string): string {
  let hex = '';
  for (let i = 0; i < 8; i++) hex += fmix32(fnv32(`${i}:${text}`) ^ Math.imul(i + 1, 0x9e3779b1)).toString(16).padStart(8, '0');
  return `sha256:${hex}`;
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
function fmix32(h0: number): number {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Store a pushed image: a new digest, or new tags on an existing digest. A tag
 * moves from any other image of the repository (which may become untagged).
 * Immutable repositories refuse any push under an existing tag, even of the same image
 * (containers-roadmap#2179).
 */
export function putImage(
  ctx: Ctx,
  repo: RepositoryRow,
  tag: string | undefined,
  image: Omit<EcrImageRow, 'region' | 'repositoryName' | 'imageTags' | 'imagePushedAt'>,
): { row: EcrImageRow; changed: boolean } {
  const table = ecrImages(ctx);
  const key = imageKey(repo.region, repo.name, image.imageDigest);
  const existing = table.get(key);
  if (tag) {
    for (const other of imagesOf(ctx, repo.region, repo.name)) {
      if (!other.imageTags.includes(tag)) continue;
      // immutable: even the same image cannot be pushed again under an existing tag
      if (repo.imageTagMutability === 'IMMUTABLE') throw ecrErrors.imageTagAlreadyExists(tag, repo.name, ctx.accountId);
      if (other.imageDigest !== image.imageDigest) {
        table.set(imageKey(repo.region, repo.name, other.imageDigest), { ...other, imageTags: other.imageTags.filter((t) => t !== tag) });
      }
    }
  }
  if (existing) {
    if (!tag || existing.imageTags.includes(tag)) return { row: existing, changed: false };
    return { row: table.set(key, { ...existing, imageTags: [...existing.imageTags, tag] }), changed: true };
  }
  const row: EcrImageRow = {
    ...image,
    region: repo.region,
    repositoryName: repo.name,
    imageTags: tag ? [tag] : [],
    imagePushedAt: ctx.now(),
  };
  return { row: table.set(key, row), changed: true };
}
