/**
 * Image references and what they resolve to: the public catalogue (Docker Hub
 * and its ECR Public mirror), private ECR repositories of the sandbox, and the
 * learner's local images (`docker build`, `docker pull`, `docker tag`).
 *
 * `resolveImage(ctx, ref)` answers for a registry pull (task start, docker pull):
 * found or not, registry kind, private or public, compressed size, behaviour.
 * `containerBehaviour(ctx, ref, overrides)` applies a container's command,
 * entryPoint and environment to the image's behaviour.
 */
import type { Ctx } from '../context';
import { type Behaviour, type RequiredEnv, catalogueImage, catalogueSize } from './catalogue';
import { interpretCommand } from './commands';
import { digestOf, findRepository, imagesOf } from '../services/ecr/model';

export * from './catalogue';
export { interpretCommand, parseInstructionArgs, shellWords } from './commands';

export type RegistryKind = 'dockerhub' | 'ecr' | 'ecr-public' | 'other';

export interface ImageRef {
  registry: RegistryKind;
  /** docker.io, public.ecr.aws, 123456789012.dkr.ecr.us-east-1.amazonaws.com ... */
  host: string;
  /** Repository path without the host ('nginx', 'amazon/amazon-ecs-sample', 'web'). */
  repo: string;
  tag: string;
  digest?: string;
  /** For ECR: the registry's account and region. */
  account?: string;
  region?: string;
}

const REF_RE = /^()([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Parse an image reference as Docker does; null when it is not a valid reference. */
export function parseImageRef(text: string): ImageRef | null {
  const t = text.trim();
  // A first component is a host when it has a dot or a port, or is localhost.
  let host: string | undefined;
  let rest = t;
  const slash = t.indexOf('/');
  if (slash > 0) {
    const first = t.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      host = first;
      rest = t.slice(slash + 1);
    }
  }
  const m = REF_RE.exec(rest);
  if (!m) return null;
  const repoRaw = m[2]!;
  const tag = m[3] ?? 'latest';
  const digest = m[4];
  if (!host || host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') {
    const repo = repoRaw.startsWith('library/') ? repoRaw.slice('library/'.length) : repoRaw;
    return { registry: 'dockerhub', host: 'docker.io', repo, tag, ...(digest ? { digest } : {}) };
  }
  const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  if (ecr) return { registry: 'ecr', host, repo: repoRaw, tag, account: ecr[1], region: ecr[2], ...(digest ? { digest } : {}) };
  if (host === 'public.ecr.aws') return { registry: 'ecr-public', host, repo: repoRaw, tag, ...(digest ? { digest } : {}) };
  return { registry: 'other', host, repo: repoRaw, tag, ...(digest ? { digest } : {}) };
}

/** Canonical name as `docker images` shows it: nginx, 1234.dkr.ecr.../web, ghcr.io/x/y. */
export function familiarName(ref: ImageRef): string {
  return ref.registry === 'dockerhub' ? ref.repo : `${ref.host}/${ref.repo}`;
}

export interface ImageConfig {
  entrypoint?: string[];
  cmd: string[];
  exposedPorts: number[];
  binaries: string[];
  requiredEnv?: RequiredEnv;
  /** The behaviour of the image's own main program. */
  behaviour: Behaviour;
}

export type ResolvedImage =
  | ({
      found: true;
      ref: ImageRef;
      registry: RegistryKind;
      private: boolean;
      sizeBytes: number;
      digest: string;
    } & ImageConfig)
  | { found: false; ref?: ImageRef; registry: RegistryKind; private: boolean; reason: 'invalid-reference' | 'not-found' | 'access-denied'; message: string };

/** The catalogue entry a public reference names (Docker Hub, or the ECR Public mirror of it). */
function publicEntry(ref: ImageRef) {
  if (ref.registry === 'dockerhub') return catalogueImage(ref.repo);
  if (ref.registry === 'ecr-public') {
    const m = /^(?:docker\/library\/)?(.+)$/.exec(ref.repo)!;
    const path = m[1]!;
    // public.ecr.aws/nginx/nginx, public.ecr.aws/docker/library/redis, public.ecr.aws/amazonlinux/amazonlinux
    return catalogueImage(`public.ecr.aws/${ref.repo}`) ?? catalogueImage(path) ?? catalogueImage(path.split('/').slice(-1)[0]!);
  }
  return undefined;
}

export function resolveImage(ctx: Ctx, text: string): ResolvedImage {
  const ref = parseImageRef(text);
  if (!ref) {
    return { found: false, registry: 'other', private: false, reason: 'invalid-reference', message: `invalid reference format: repository name (${text}) must be lowercase` };
  }
  if (ref.registry === 'dockerhub' || ref.registry === 'ecr-public') {
    const entry = publicEntry(ref);
    const tagOk = entry && (ref.digest || entry.tags.includes(ref.tag));
    if (!entry || !tagOk) {
      return {
        found: false,
        ref,
        registry: ref.registry,
        private: false,
        reason: 'not-found',
        message: entry ? `manifest for ${familiarName(ref)}:${ref.tag} not found: manifest unknown: manifest unknown` : `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login'`,
      };
    }
    return {
      found: true,
      ref,
      registry: ref.registry,
      private: false,
      sizeBytes: catalogueSize(entry, ref.tag),
      digest: ref.digest ?? digestOf(`${entry.repo}:${ref.tag}`),
      ...(entry.entrypoint ? { entrypoint: entry.entrypoint } : {}),
      cmd: entry.cmd,
      exposedPorts: entry.exposedPorts,
      binaries: entry.binaries ?? [...(entry.entrypoint ?? []), ...entry.cmd.slice(0, 1)],
      ...(entry.requiredEnv ? { requiredEnv: entry.requiredEnv } : {}),
      behaviour: entry.behaviour,
    };
  }
  if (ref.registry === 'ecr') {
    const base = { ref, registry: 'ecr' as const, private: true };
    if (ref.account !== ctx.accountId) {
      return { found: false, ...base, reason: 'access-denied', message: `denied: User is not authorized to pull from ${ref.host}/${ref.repo}` };
    }
    const repo = findRepository(ctx, ref.region!, ref.repo);
    if (!repo) {
      return { found: false, ...base, reason: 'not-found', message: `name unknown: The repository with name '${ref.repo}' does not exist in the registry with id '${ref.account}'` };
    }
    const img = imagesOf(ctx, ref.region!, ref.repo).find((i) => (ref.digest ? i.imageDigest === ref.digest : i.imageTags.includes(ref.tag)));
    if (!img) {
      return { found: false, ...base, reason: 'not-found', message: `${ref.host}/${ref.repo}:${ref.tag}: not found` };
    }
    return {
      found: true,
      ...base,
      sizeBytes: img.imageSizeInBytes,
      digest: img.imageDigest,
      ...(img.entrypoint ? { entrypoint: img.entrypoint } : {}),
      cmd: img.cmd,
      exposedPorts: img.exposedPorts,
      binaries: img.binaries,
      ...(img.requiredEnv ? { requiredEnv: img.requiredEnv } : {}),
      behaviour: img.behaviour,
    };
  }
  return {
    found: false,
    ref,
    registry: 'other',
    private: false,
    reason: 'not-found',
    message: `failed to resolve reference "${ref.host}/${ref.repo}:${ref.tag}": the sandbox is offline and only knows Docker Hub, ECR Public and your ECR registries`,
  };
}

export interface ContainerOverrides {
  command?: readonly string[];
  entryPoint?: readonly string[];
  environment?: readonly { name?: string; value?: string }[];
}

export interface EffectiveBehaviour {
  behaviour: Behaviour;
  /** Why it exits, when it exits because of a missing setting (postgres without a password). */
  reason?: string;
}

/** The behaviour of an image's config run with a container's command, entry point and environment. */
export function behaviourOf(config: ImageConfig, o: ContainerOverrides = {}): EffectiveBehaviour {
  const entry = o.entryPoint ?? config.entrypoint ?? [];
  const cmd = o.command ?? (o.entryPoint ? [] : config.cmd);
  // A wrapper entrypoint (docker-entrypoint.sh) execs its arguments: judge by them.
  const wrapper = entry.length > 0 && !o.entryPoint && config.binaries.includes(entry[0]!) && cmd.length > 0;
  const argv = wrapper ? [...cmd] : [...entry, ...cmd];
  const interpreted = interpretCommand(argv, config.binaries);
  if (interpreted) return { behaviour: interpreted };
  if (config.requiredEnv) {
    const env = new Set((o.environment ?? []).filter((e) => e.value !== undefined && e.value !== '').map((e) => e.name));
    if (!config.requiredEnv.anyOf.some((n) => env.has(n))) {
      return {
        behaviour: { kind: 'command', exitCode: config.requiredEnv.exitCode, durationMs: config.requiredEnv.durationMs },
        reason: config.requiredEnv.message,
      };
    }
  }
  return { behaviour: config.behaviour };
}

/** Resolve an image and apply a container's overrides; undefined when the image cannot be pulled. */
export function containerBehaviour(ctx: Ctx, image: string, o: ContainerOverrides = {}): EffectiveBehaviour | undefined {
  const r = resolveImage(ctx, image);
  return r.found ? behaviourOf(r, o) : undefined;
}
