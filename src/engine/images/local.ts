/**
 * The learner's local Docker images (what `docker images` lists) and registry
 * logins, kept in the engine's database so they persist with everything else.
 * Written by the pseudo `docker` command inside `sandbox.mutate`.
 */
import type { Ctx } from '../context';
import type { ImageConfig } from './index';
import { fnv32 } from '../services/ec2/amis';
import { registryHost } from '../services/ecr/model';

export interface LocalImageRow {
  /** sha256:<64 hex> */
  id: string;
  /** name:tag references (docker.io names without the host). */
  repoTags: string[];
  /** registry/name@digest for images pulled or pushed. */
  repoDigests: string[];
  createdAt: number;
  /** Compressed size (what a push uploads). */
  sizeBytes: number;
  config: ImageConfig;
  /** Layer ids as `docker push` prints them (12 hex each). */
  layers: string[];
}

export interface LoginRow {
  server: string;
  username: string;
  /** When the credentials stop working (ECR tokens last 12 hours); absent: never. */
  expiresAt?: number;
}

export const T_LOCAL_IMAGES = 'docker.images';
export const T_LOGINS = 'docker.logins';

export const localImages = (ctx: Pick<Ctx, 'table'>) => ctx.table<LocalImageRow>(T_LOCAL_IMAGES);
export const logins = (ctx: Pick<Ctx, 'table'>) => ctx.table<LoginRow>(T_LOGINS);

/** Normalise a reference to the name:tag form docker stores (nginx -> nginx:latest, docker.io/library/x -> x). */
export function normaliseTag(ref: string): string {
  let r = ref.trim();
  r = r.replace(/^(?:docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
  const lastSlash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (r.includes('@')) return r;
  return colon > lastSlash ? r : `${r}:latest`;
}

export function findLocalImage(ctx: Pick<Ctx, 'table'>, ref: string): LocalImageRow | undefined {
  const want = normaliseTag(ref);
  for (const img of localImages(ctx).values()) if (img.repoTags.includes(want)) return img;
  // image id or a prefix of it (at least 4 hex digits)
  const id = ref.replace(/^sha256:/, '');
  if (/^[0-9a-f]{4,64}$/.test(id)) {
    for (const img of localImages(ctx).values()) if (img.id.slice(7).startsWith(id)) return img;
  }
  return undefined;
}

/** Move a tag onto an image (removing it from any other local image). */
export function tagLocalImage(ctx: Pick<Ctx, 'table'>, imageId: string, ref: string): void {
  const tag = normaliseTag(ref);
  const table = localImages(ctx);
  for (const img of [...table.values()]) {
    if (img.id !== imageId && img.repoTags.includes(tag)) table.set(img.id, { ...img, repoTags: img.repoTags.filter((t) => t !== tag) });
  }
  const img = table.get(imageId);
  if (img && !img.repoTags.includes(tag)) table.set(imageId, { ...img, repoTags: [...img.repoTags, tag] });
}

// ---------------------------------------------------------------- ECR login tokens

/** How long an ECR authorization token lasts. */
export const ECR_TOKEN_MS = 12 * 60 * 60 * 1000;

function tokenCheck(payload: string, expiration: number, account: string, region: string): string {
  return fnv32(`${payload}|${expiration}|${account}|${region}`, 0x5bd1e995).toString(16).padStart(8, '0');
}

/** A registry password as GetAuthorizationToken returns it (base64 of a JSON envelope). */
export function issueEcrPassword(ctx: Ctx): { password: string; expiresAt: number } {
  const expiresAt = ctx.now() + ECR_TOKEN_MS;
  const expiration = Math.floor(expiresAt / 1000);
  const payload = ctx.rng.upperAlnum(64) + ctx.rng.hex(64);
  const datakey = tokenCheck(payload, expiration, ctx.accountId, ctx.region) + ctx.rng.hex(56);
  const json = JSON.stringify({ payload, datakey, version: '2', type: 'DATA_KEY', expiration });
  return { password: btoa(json), expiresAt };
}

export type PasswordCheck = { ok: true; expiresAt: number } | { ok: false; why: 'invalid' | 'expired' };

/** Check a password given to `docker login` for an ECR registry host. */
export function checkEcrPassword(ctx: Ctx, host: string, password: string): PasswordCheck {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  if (!m) return { ok: false, why: 'invalid' };
  let env: { payload?: string; datakey?: string; expiration?: number; type?: string };
  try {
    env = JSON.parse(atob(password.trim())) as typeof env;
  } catch {
    return { ok: false, why: 'invalid' };
  }
  if (env.type !== 'DATA_KEY' || typeof env.payload !== 'string' || typeof env.expiration !== 'number' || typeof env.datakey !== 'string') {
    return { ok: false, why: 'invalid' };
  }
  if (!env.datakey.startsWith(tokenCheck(env.payload, env.expiration, m[1]!, m[2]!))) return { ok: false, why: 'invalid' };
  if (env.expiration * 1000 <= ctx.now()) return { ok: false, why: 'expired' };
  return { ok: true, expiresAt: env.expiration * 1000 };
}

export { registryHost };
