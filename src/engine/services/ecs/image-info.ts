/**
 * What the task lifecycle needs to know about an image: does it exist, is it
 * private, how big is it (pull time), and how does a container of it behave
 * (keeps running, or exits after some time with a code). Backed by the image
 * catalogue (src/engine/images) when present; a small built-in list keeps the
 * lifecycle working before that.
 */
import type { Ctx } from '../../context';

export interface ImageFacts {
  found: boolean;
  /** 'dockerhub' | 'ecr' | 'ecr-public' | other registry host */
  registry: string;
  private: boolean;
  sizeBytes: number;
  /** ms after start when the main process exits by itself; undefined = keeps running. */
  exitAfterMs?: number;
  exitCode?: number;
  /** Why the pull fails, in the agent's words, when found is false. */
  pullError?: string;
  /** The manifest digest the pull resolved to (sha256:...), shown as the container's imageDigest. */
  digest?: string;
}

type Resolver = (ctx: Ctx, image: string) => ImageFacts | undefined;
let external: Resolver | undefined;

/** The image catalogue plugs itself in here. */
export function setImageResolver(fn: Resolver): void {
  external = fn;
}

const MB = 1024 * 1024;
const BUILTIN: Record<string, { size: number; exitAfterMs?: number; exitCode?: number }> = {
  nginx: { size: 67 * MB },
  httpd: { size: 58 * MB },
  redis: { size: 45 * MB },
  postgres: { size: 150 * MB, exitAfterMs: 3000, exitCode: 1 },
  node: { size: 380 * MB, exitAfterMs: 500, exitCode: 0 },
  python: { size: 370 * MB, exitAfterMs: 500, exitCode: 0 },
  busybox: { size: 2 * MB, exitAfterMs: 100, exitCode: 0 },
  alpine: { size: 3 * MB, exitAfterMs: 100, exitCode: 0 },
  ubuntu: { size: 29 * MB, exitAfterMs: 100, exitCode: 0 },
  'amazon/amazon-ecs-sample': { size: 120 * MB },
  'amazonlinux': { size: 60 * MB, exitAfterMs: 100, exitCode: 0 },
};

export function splitImage(image: string): { registry: string; repo: string; tag: string } {
  let rest = image;
  let registry = 'dockerhub';
  const first = rest.split('/')[0]!;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(first.length + 1);
  }
  let tag = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    tag = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (registry === 'dockerhub' && rest.startsWith('library/')) rest = rest.slice(8);
  return { registry, repo: rest, tag };
}

function builtin(image: string): ImageFacts {
  const { registry, repo } = splitImage(image);
  if (registry === 'public.ecr.aws') {
    const short = repo.split('/').slice(-1)[0]!;
    const b = BUILTIN[short] ?? BUILTIN['nginx']!;
    return { found: true, registry: 'ecr-public', private: false, sizeBytes: b.size, exitAfterMs: b.exitAfterMs, exitCode: b.exitCode };
  }
  if (/\.dkr\.ecr\./.test(registry)) {
    return { found: true, registry: 'ecr', private: true, sizeBytes: 100 * MB };
  }
  const b = registry === 'dockerhub' ? BUILTIN[repo] : undefined;
  if (!b) return { found: false, registry, private: false, sizeBytes: 0 };
  return { found: true, registry, private: false, sizeBytes: b.size, exitAfterMs: b.exitAfterMs, exitCode: b.exitCode };
}

export function imageFacts(ctx: Ctx, image: string): ImageFacts {
  return external?.(ctx, image) ?? builtin(image);
}

/**
 * The CannotPullContainerError text for an image that cannot be pulled: the
 * Docker daemon's words on EC2, containerd's on Fargate.
 */
export function cannotPullMessage(image: string, why: 'not-found' | 'no-credentials', launchType: string): string {
  const { registry, repo, tag } = splitImage(image);
  const host = registry === 'dockerhub' ? 'docker.io' : registry;
  const ref = `${host}/${registry === 'dockerhub' && !repo.includes('/') ? 'library/' : ''}${repo}:${tag}`;
  if (launchType !== 'FARGATE' && (registry === 'dockerhub' || why === 'no-credentials')) {
    return `CannotPullContainerError: Error response from daemon: pull access denied for ${registry === 'dockerhub' ? repo : `${registry}/${repo}`}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
  }
  if (registry === 'dockerhub' || why === 'no-credentials') {
    return `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${ref}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${ref}: ${ref}: not found`;
}
