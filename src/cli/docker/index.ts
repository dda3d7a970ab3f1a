/**
 * A small pseudo `docker`: enough to build an image from a Dockerfile in the
 * home folder, tag it, log in to ECR and push it, pull public images and list
 * local images. Containers run as ECS tasks, not here (`docker run` says so).
 */
import { registerCommand } from '../commands/registry';
import type { CommandContext } from '../types';
import { ADMIN_IDENTITY, AwsError, isRegion, resolvePath } from '../../engine';
import type { Ctx } from '../../engine';
import {
  type ImageConfig,
  type ImageRef,
  behaviourOf,
  catalogueImage,
  familiarName,
  parseImageRef,
  resolveImage,
  uncompressedSize,
} from '../../engine/images';
import { checkEcrPassword, findLocalImage, localImages, logins, normaliseTag, tagLocalImage, type LocalImageRow } from '../../engine/images/local';
import { digestOf, findRepository, imagesOf, putImage } from '../../engine/services/ecr/model';
import { DockerfileError, copySources, envPairs, exposedPorts, parseDockerfile } from './dockerfile';
import { parseInstructionArgs } from '../../engine/images';

const DOCKER_VERSION = '27.4.1';
const MB = 1024 * 1024;

function regionOf(ctx: CommandContext): string {
  return ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'] ?? ctx.session.region ?? 'us-east-1';
}

function engineCtx(ctx: CommandContext, region = regionOf(ctx)): Ctx {
  return ctx.sandbox.context(isRegion(region) ? region : 'us-east-1', ADMIN_IDENTITY);
}

/** Docker's sizes: decimal units, three significant digits (192MB, 7.8MB, 13.3kB). */
export function dockerSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** Docker's "2 minutes ago". */
export function dockerAgo(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const min = Math.floor(s / 60);
  const h = Math.floor(s / 3600);
  const d = Math.floor(s / 86400);
  let text: string;
  if (s < 1) text = 'Less than a second';
  else if (s < 60) text = `${s} seconds`;
  else if (min < 2) text = 'About a minute';
  else if (min < 60) text = `${min} minutes`;
  else if (h < 2) text = 'About an hour';
  else if (h < 48) text = `${h} hours`;
  else if (d < 14) text = `${d} days`;
  else if (d < 90) text = `${Math.floor(d / 7)} weeks`;
  else if (d < 730) text = `${Math.floor(d / 30)} months`;
  else text = `${Math.floor(d / 365)} years`;
  return `${text} ago`;
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

function layerIds(seed: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => digestOf(`${seed}#layer${i}`).slice(7, 19));
}

// ---------------------------------------------------------------- registry access

type Access = { ok: true } | { ok: false; message: string };

/** Can the local docker talk to this registry (ECR needs a valid login)? */
function registryAccess(ctx: CommandContext, ref: ImageRef, action: 'pull' | 'push'): Access {
  if (ref.registry !== 'ecr') return { ok: true };
  const login = logins(ctx.sandbox.db).get(ref.host);
  if (!login) return { ok: false, message: 'no basic auth credentials' };
  if (login.expiresAt !== undefined && login.expiresAt <= ctx.sandbox.now()) {
    return { ok: false, message: 'denied: Your authorization token has expired. Reauthenticate and try again.' };
  }
  if (ref.account !== engineCtx(ctx).accountId) {
    return { ok: false, message: `denied: User: arn:aws:iam::${engineCtx(ctx).accountId}:user/admin is not authorized to perform: ecr:${action === 'push' ? 'InitiateLayerUpload' : 'BatchGetImage'} on resource: arn:aws:ecr:${ref.region}:${ref.account}:repository/${ref.repo}` };
  }
  return { ok: true };
}

interface Pulled {
  config: ImageConfig;
  sizeBytes: number;
  digest: string;
  ref: ImageRef;
}

function pullable(ctx: CommandContext, text: string): { ok: true; image: Pulled } | { ok: false; message: string } {
  const ref = parseImageRef(text);
  if (!ref) return { ok: false, message: `invalid reference format: repository name (${text}) must be lowercase` };
  const access = registryAccess(ctx, ref, 'pull');
  if (!access.ok) return access;
  const region = ref.registry === 'ecr' ? ref.region! : regionOf(ctx);
  if (!isRegion(region)) return { ok: false, message: `Get "https://${ref.host}/v2/": dial tcp: lookup ${ref.host}: no such host` };
  const r = resolveImage(engineCtx(ctx, region), text);
  if (!r.found) return { ok: false, message: r.message };
  const { found: _f, ref: _r, registry: _g, private: _p, sizeBytes, digest, ...config } = r;
  return { ok: true, image: { config, sizeBytes, digest, ref } };
}

/** Store a pulled image locally (or find it) and tag it. */
function storePulled(ctx: CommandContext, p: Pulled, tagRef: string): { row: LocalImageRow; fresh: boolean; tagged: boolean } {
  const repoDigest = `${familiarName(p.ref)}@${p.digest}`;
  // An image pushed from here is the same image when pulled back (same image ID, its layers already exist).
  const pushed = [...localImages(ctx.sandbox.db).values()].find((i) => i.repoDigests.includes(repoDigest));
  const id = pushed?.id ?? digestOf(`config:${p.digest}`);
  return ctx.sandbox.mutate(() => {
    const table = localImages(ctx.sandbox.db);
    const existing = table.get(id);
    const hadTag = !!existing?.repoTags.includes(tagRef);
    if (!existing) {
      const entry = p.ref.registry === 'dockerhub' || p.ref.registry === 'ecr-public' ? catalogueImage(p.ref.repo) : undefined;
      table.set(id, {
        id,
        repoTags: [],
        repoDigests: [repoDigest],
        // Public images were built some weeks before the sandbox's clock starts.
        createdAt: entry ? ctx.sandbox.now() - 23 * 86_400_000 : ctx.sandbox.now(),
        sizeBytes: p.sizeBytes,
        config: p.config,
        layers: layerIds(p.digest, 3 + (parseInt(p.digest.slice(7, 9), 16) % 5)),
      });
    }
    tagLocalImage(ctx.sandbox.db, id, tagRef);
    return { row: table.get(id)!, fresh: !existing, tagged: !hadTag };
  });
}

// ---------------------------------------------------------------- build

interface Stage {
  name?: string;
  config: ImageConfig;
  env: Record<string, string>;
  sizeBytes: number;
  baseRef: string;
  baseDigest: string;
  layers: string[];
}

function build(ctx: CommandContext, args: string[]): number {
  const tags: string[] = [];
  let file: string | undefined;
  let quiet = false;
  const buildArgs: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      return args[++i];
    };
    if (a === '-t' || a === '--tag' || a.startsWith('--tag=')) {
      const v = val();
      if (v === undefined) return usageError(ctx, 'flag needs an argument: \'t\' in -t');
      tags.push(v);
    } else if (a === '-f' || a === '--file' || a.startsWith('--file=')) file = val();
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '--build-arg' || a.startsWith('--build-arg=')) {
      const v = val() ?? '';
      const eq = v.indexOf('=');
      if (eq > 0) buildArgs[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (['--platform', '--progress', '--target', '--label'].some((o) => a === o || a.startsWith(o + '='))) val();
    else if (a === '--no-cache' || a === '--pull' || a === '--load') continue;
    else if (a.startsWith('-') && a !== '-') return usageError(ctx, `unknown flag: ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) {
    ctx.err('ERROR: "docker buildx build" requires exactly 1 argument.\nSee \'docker buildx build --help\'.\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nStart a build\n');
    return 1;
  }
  const vfs = ctx.sandbox.vfs;
  const contextDir = resolvePath(positional[0]!, ctx.cwd);
  if (!vfs.isDir(contextDir)) {
    ctx.err(`ERROR: unable to prepare context: path "${positional[0]}" not found\n`);
    return 1;
  }
  const dockerfilePath = file ? resolvePath(file, ctx.cwd) : `${contextDir}/Dockerfile`;
  for (const t of tags) {
    if (!parseImageRef(t)) {
      ctx.err(`ERROR: invalid tag "${t}": repository name must be lowercase\n`);
      return 1;
    }
  }
  const lines: string[] = [];
  const fail = (msg: string) => {
    if (!quiet) for (const l of lines) ctx.err(l + '\n');
    ctx.err(`ERROR: failed to solve: ${msg}\n`);
    return 1;
  };
  if (!vfs.isFile(dockerfilePath)) return fail(`failed to read dockerfile: open ${file ?? 'Dockerfile'}: no such file or directory`);
  const text = vfs.readText(dockerfilePath);
  lines.push(' => [internal] load build definition from ' + (file ? file.split('/').pop() : 'Dockerfile'));
  lines.push(` => => transferring dockerfile: ${text.length}B`);
  let instructions;
  try {
    instructions = parseDockerfile(text);
  } catch (e) {
    if (e instanceof DockerfileError) return fail(e.message);
    throw e;
  }
  if (!instructions.some((i) => i.keyword === 'FROM')) return fail('dockerfile parse error: no build stage in current context');
  const firstNonArg = instructions.find((i) => i.keyword !== 'ARG');
  if (firstNonArg && firstNonArg.keyword !== 'FROM') return fail(`dockerfile parse error on line ${firstNonArg.line}: no build stage in current context`);

  const stages: Stage[] = [];
  let cur: Stage | undefined;
  const buildSteps = instructions.filter((i) => ['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR'].includes(i.keyword)).length;
  let step = 0;
  let contentSeed = text;
  const argValues: Record<string, string> = { ...buildArgs };
  const subst = (t: string) =>
    t.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a: string | undefined, dflt: string | undefined, b: string | undefined) => argValues[(a ?? b)!] ?? dflt ?? '');
  for (const ins of instructions) {
    if (ins.keyword === 'ARG') {
      const [k, v] = ins.args.split('=', 2) as [string, string | undefined];
      if (!(k.trim() in buildArgs) && v !== undefined) argValues[k.trim()] = v.replace(/^["']|["']$/g, '');
      if (!cur) continue;
    }
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+[Aa][Ss]\s+(\S+))?$/.exec(subst(ins.args));
      if (!m) return fail(`dockerfile parse error on line ${ins.line}: FROM requires either one or three arguments`);
      const baseText = m[1]!;
      const named = stages.find((s) => s.name === baseText);
      step++;
      if (named) {
        cur = { ...named, name: m[2], layers: [...named.layers] };
      } else if (baseText === 'scratch') {
        cur = { name: m[2], config: { cmd: [], exposedPorts: [], binaries: [], behaviour: { kind: 'command', exitCode: 0, durationMs: 0 } }, env: {}, sizeBytes: 0, baseRef: 'scratch', baseDigest: 'scratch', layers: [] };
      } else {
        const local = findLocalImage(ctx.sandbox.db, baseText);
        if (local) {
          cur = { name: m[2], config: local.config, env: {}, sizeBytes: local.sizeBytes, baseRef: normaliseTag(baseText), baseDigest: local.id, layers: [...local.layers] };
        } else {
          lines.push(` => [internal] load metadata for ${canonical(baseText)}`);
          const p = pullable(ctx, baseText);
          if (!p.ok) {
            const why = p.message.startsWith('pull access denied') || p.message.includes('not found')
              ? 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'
              : p.message;
            return fail(`${canonical(baseText)}: failed to resolve source metadata for ${canonical(baseText)}: ${why}`);
          }
          cur = {
            name: m[2],
            config: p.image.config,
            env: {},
            sizeBytes: p.image.sizeBytes,
            baseRef: canonical(baseText),
            baseDigest: p.image.digest,
            layers: layerIds(p.image.digest, 3 + (parseInt(p.image.digest.slice(7, 9), 16) % 5)),
          };
        }
      }
      lines.push(` => [${stages.length + 1 > 1 ? `stage-${stages.length} ` : ''}${step}/${buildSteps}] FROM ${cur.baseRef}${cur.baseDigest.startsWith('sha256:') ? '@' + cur.baseDigest : ''}`);
      contentSeed += '|' + cur.baseDigest;
      stages.push(cur);
      continue;
    }
    if (!cur) return fail(`dockerfile parse error on line ${ins.line}: no build stage in current context`);
    switch (ins.keyword) {
      case 'CMD':
        cur.config = { ...cur.config, cmd: parseInstructionArgs(ins.args) };
        break;
      case 'ENTRYPOINT':
        // Setting ENTRYPOINT drops the CMD inherited from the base image.
        cur.config = { ...cur.config, entrypoint: parseInstructionArgs(ins.args), cmd: [] };
        break;
      case 'EXPOSE':
        cur.config = { ...cur.config, exposedPorts: [...new Set([...cur.config.exposedPorts, ...exposedPorts(ins.args)])] };
        break;
      case 'ENV':
        for (const [k, v] of envPairs(ins.args)) cur.env[k] = v;
        break;
      case 'COPY':
      case 'ADD': {
        step++;
        const { from, sources } = copySources(ins.args);
        let bytes = 0;
        if (from !== undefined) {
          const src = stages.find((s) => s.name === from) ?? stages[Number(from)];
          if (!src) return fail(`failed to resolve source metadata for ${canonical(from)}: the stage or image ${from} is not available in this sandbox`);
          bytes = Math.round(src.sizeBytes * 0.1);
        } else {
          for (const s of sources) {
            if (/^https?:\/\//.test(s)) {
              bytes += 1 * MB;
              continue;
            }
            const p = resolvePath(s, contextDir);
            if (!p.startsWith(contextDir)) return fail(`failed to compute cache key: failed to calculate checksum of ref: "${s}": not found`);
            if (vfs.isFile(p)) {
              bytes += vfs.stat(p)?.size ?? 0;
              contentSeed += '|' + (vfs.blobId(p) ?? p);
            } else if (vfs.isDir(p)) {
              for (const f of vfs.walk(p)) {
                if (vfs.isFile(f)) {
                  bytes += vfs.stat(f)?.size ?? 0;
                  contentSeed += '|' + (vfs.blobId(f) ?? f);
                }
              }
            } else return fail(`failed to compute cache key: failed to calculate checksum of ref: "/${s.replace(/^\.?\//, '')}": not found`);
          }
        }
        cur.sizeBytes += bytes;
        cur.layers.push(digestOf(`${contentSeed}#${step}`).slice(7, 19));
        lines.push(` => [${step}/${buildSteps}] ${ins.keyword} ${ins.args}`);
        break;
      }
      case 'RUN': {
        step++;
        const big = /\b(apt-get|apk|yum|dnf|pip3?|npm|yarn)\b.*\b(install|add|ci)\b/.test(ins.args);
        cur.sizeBytes += big ? 28 * MB : 0.4 * MB;
        cur.layers.push(digestOf(`${contentSeed}#run${step}`).slice(7, 19));
        lines.push(` => [${step}/${buildSteps}] RUN ${ins.args}`);
        break;
      }
      case 'WORKDIR':
        step++;
        lines.push(` => [${step}/${buildSteps}] WORKDIR ${ins.args}`);
        break;
      default:
        break;
    }
  }
  const final = cur!;
  // Behaviour of the built image: its own CMD/ENTRYPOINT, its ENV, its EXPOSE.
  const envList = Object.entries(final.env).map(([name, value]) => ({ name, value }));
  const argv = [...(final.config.entrypoint ?? []), ...final.config.cmd];
  const binaries = [...new Set([...final.config.binaries, ...(argv.length ? [argv[0]!] : [])])];
  const eff = behaviourOf(final.config, { environment: envList });
  let behaviour = eff.behaviour;
  if (behaviour.kind === 'server' && behaviour.port === undefined && final.config.exposedPorts.length) behaviour = { kind: 'server', port: final.config.exposedPorts[0] };
  const requiredEnv = final.config.requiredEnv && !final.config.requiredEnv.anyOf.some((n) => final.env[n]) ? final.config.requiredEnv : undefined;
  const config: ImageConfig = {
    ...(final.config.entrypoint ? { entrypoint: final.config.entrypoint } : {}),
    cmd: final.config.cmd,
    exposedPorts: final.config.exposedPorts,
    binaries,
    ...(requiredEnv ? { requiredEnv } : {}),
    behaviour: eff.reason ? final.config.behaviour : behaviour,
  };
  const id = digestOf(`build:${contentSeed}`);
  ctx.sandbox.mutate(() => {
    const table = localImages(ctx.sandbox.db);
    const existing = table.get(id);
    table.set(id, {
      id,
      repoTags: existing?.repoTags ?? [],
      repoDigests: existing?.repoDigests ?? [],
      createdAt: existing?.createdAt ?? ctx.sandbox.now(),
      sizeBytes: Math.round(final.sizeBytes),
      config,
      layers: final.layers,
    });
    for (const t of tags) tagLocalImage(ctx.sandbox.db, id, t);
  });
  if (quiet) {
    ctx.out(id + '\n');
    return 0;
  }
  const total = lines.length + 3;
  ctx.err(`[+] Building 2.1s (${total}/${total}) FINISHED                                                docker:default\n`);
  for (const l of lines) ctx.err(l + '\n');
  ctx.err(' => exporting to image\n => => exporting layers\n');
  ctx.err(` => => writing image ${id}\n`);
  for (const t of tags) ctx.err(` => => naming to ${canonical(t)}\n`);
  return 0;
}

/** docker.io/library/nginx:latest style names. */
function canonical(text: string): string {
  const ref = parseImageRef(text);
  if (!ref) return text;
  if (ref.registry === 'dockerhub') return `docker.io/${ref.repo.includes('/') ? '' : 'library/'}${ref.repo}:${ref.tag}`;
  return `${ref.host}/${ref.repo}:${ref.tag}`;
}

// ---------------------------------------------------------------- other subcommands

function usageError(ctx: CommandContext, msg: string): number {
  ctx.err(`${msg}\nSee 'docker --help'.\n`);
  return 125;
}

function images(ctx: CommandContext, args: string[]): number {
  const quiet = args.includes('-q') || args.includes('--quiet');
  // --filter/-f KEY=VALUE (reference=GLOB, dangling=true|false) takes a value; the one positional is [REPOSITORY[:TAG]].
  const filters: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--filter' || a === '-f') {
      const v = args[++i];
      if (v === undefined) return usageError(ctx, `flag needs an argument: '${a === '-f' ? 'f' : 'filter'}' in ${a}`);
      filters.push(v);
    } else if (a.startsWith('--filter=')) filters.push(a.slice('--filter='.length));
    else if (!a.startsWith('-')) positional.push(a);
  }
  const filter = positional[0];
  const glob = (pattern: string) => new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  const checks: ((repo: string, rt: string) => boolean)[] = [];
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    const value = eq < 0 ? '' : f.slice(eq + 1);
    if (key === 'reference') {
      const re = glob(value);
      checks.push((repo, rt) => re.test(repo) || re.test(rt));
    } else if (key === 'dangling') {
      if (value !== 'true' && value !== 'false') return usageError(ctx, `Error response from daemon: invalid filter 'dangling=${value}'`);
      checks.push((repo) => (repo === '<none>') === (value === 'true'));
    } else if (key !== 'before' && key !== 'since' && key !== 'label') {
      ctx.err(`Error response from daemon: invalid filter '${key}'\n`);
      return 1;
    }
  }
  const rows: string[][] = [];
  const list = [...localImages(ctx.sandbox.db).values()].sort((a, b) => b.createdAt - a.createdAt);
  for (const img of list) {
    const names = img.repoTags.length ? img.repoTags : ['<none>:<none>'];
    for (const rt of names) {
      const colon = rt.lastIndexOf(':');
      const repo = rt.slice(0, colon);
      if (filter && repo !== filter && rt !== normaliseTag(filter)) continue;
      if (!checks.every((c) => c(repo, rt))) continue;
      rows.push([repo, rt.slice(colon + 1), shortId(img.id), dockerAgo(ctx.sandbox.now() - img.createdAt), dockerSize(uncompressedSize(img.sizeBytes))]);
    }
  }
  if (quiet) {
    for (const id of new Set(rows.map((r) => r[2]!))) ctx.out(id + '\n');
    return 0;
  }
  const head = ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];
  // docker's tabwriter: columns at least 10 wide, 3 spaces of padding
  const w = head.map((h, i) => Math.max(10, Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 3));
  const fmt = (r: string[]) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(w[i]!) : c)).join('').trimEnd() + '\n';
  ctx.out(fmt(head));
  for (const r of rows) ctx.out(fmt(r));
  return 0;
}

function tag(ctx: CommandContext, args: string[]): number {
  const pos = args.filter((a) => !a.startsWith('-'));
  if (pos.length !== 2) {
    ctx.err('"docker tag" requires exactly 2 arguments.\nSee \'docker tag --help\'.\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nCreate a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n');
    return 1;
  }
  const [src, dst] = pos as [string, string];
  const img = findLocalImage(ctx.sandbox.db, src);
  if (!img) {
    ctx.err(`Error response from daemon: No such image: ${normaliseTag(src)}\n`);
    return 1;
  }
  if (!parseImageRef(dst)) {
    ctx.err(`Error parsing reference: "${dst}" is not a valid repository/tag: invalid reference format\n`);
    return 1;
  }
  ctx.sandbox.mutate(() => tagLocalImage(ctx.sandbox.db, img.id, dst));
  return 0;
}

function login(ctx: CommandContext, args: string[]): number {
  let username: string | undefined;
  let password: string | undefined;
  let stdin = false;
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-u' || a === '--username') username = args[++i];
    else if (a.startsWith('--username=')) username = a.slice(11);
    else if (a === '-p' || a === '--password') password = args[++i];
    else if (a.startsWith('--password=')) password = a.slice(11);
    else if (a === '--password-stdin') stdin = true;
    else if (a.startsWith('-')) return usageError(ctx, `unknown flag: ${a}`);
    else pos.push(a);
  }
  if (pos.length > 1) {
    ctx.err('"docker login" requires at most 1 argument.\nSee \'docker login --help\'.\n');
    return 1;
  }
  if (password !== undefined && stdin) {
    ctx.err('--password and --password-stdin are mutually exclusive\n');
    return 1;
  }
  if (stdin) {
    if (username === undefined) {
      ctx.err('Must provide --username with --password-stdin\n');
      return 1;
    }
    password = ctx.stdin.replace(/\r?\n$/, '');
  }
  if (password !== undefined && !stdin) ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  if (username === undefined || password === undefined) {
    ctx.err('Error: Cannot perform an interactive login from a non TTY device\n');
    return 1;
  }
  if (password === '') {
    ctx.err('Error: Password Required\n');
    return 1;
  }
  const server = (pos[0] ?? 'https://index.docker.io/v1/').replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let expiresAt: number | undefined;
  if (/\.dkr\.ecr\./.test(server)) {
    const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(server);
    if (!m || !isRegion(m[2]!)) {
      ctx.err(`Error response from daemon: Get "https://${server}/v2/": dial tcp: lookup ${server}: no such host\n`);
      return 1;
    }
    const check = checkEcrPassword(engineCtx(ctx, m[2]!), server, password);
    if (username !== 'AWS' || !check.ok) {
      ctx.err(`Error response from daemon: login attempt to https://${server}/v2/ failed with status: 400 Bad Request\n`);
      return 1;
    }
    expiresAt = check.expiresAt;
  }
  ctx.sandbox.mutate(() => {
    logins(ctx.sandbox.db).set(server, { server, username: username!, ...(expiresAt !== undefined ? { expiresAt } : {}) });
    const path = resolvePath('~/.docker/config.json');
    let cfg: { auths?: Record<string, { auth: string }> } = {};
    try {
      if (ctx.sandbox.vfs.isFile(path)) cfg = JSON.parse(ctx.sandbox.vfs.readText(path)) as typeof cfg;
    } catch {
      cfg = {};
    }
    const auths = { ...(cfg.auths ?? {}), [server]: { auth: btoa(`${username}:${password}`) } };
    ctx.sandbox.vfs.writeText(path, JSON.stringify({ ...cfg, auths }, null, '\t') + '\n', { createParents: true });
  });
  ctx.out(
    '\nWARNING! Your password will be stored unencrypted in /home/learner/.docker/config.json.\n' +
      'Configure a credential helper to remove this warning. See\n' +
      'https://docs.docker.com/engine/reference/commandline/login/#credentials-store\n\nLogin Succeeded\n',
  );
  return 0;
}

function logout(ctx: CommandContext, args: string[]): number {
  const server = (args[0] ?? 'https://index.docker.io/v1/').replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const had = logins(ctx.sandbox.db).has(server);
  ctx.sandbox.mutate(() => logins(ctx.sandbox.db).delete(server));
  ctx.out(had ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
  return 0;
}

/** The one image argument of `docker push` / `docker pull`, or undefined once docker's complaint is printed. */
function oneImageArg(ctx: CommandContext, args: string[], cmd: 'push' | 'pull', usage: string): { text: string; ref: ImageRef } | undefined {
  const pos = args.filter((a) => !a.startsWith('-'));
  if (pos.length !== 1) {
    ctx.err(`"docker ${cmd}" requires exactly 1 argument.\nSee 'docker ${cmd} --help'.\n\nUsage:  docker ${cmd} [OPTIONS] ${usage}\n`);
    return undefined;
  }
  const text = pos[0]!;
  const ref = parseImageRef(text);
  if (!ref) {
    ctx.err(`invalid reference format: repository name (${text}) must be lowercase\n`);
    return undefined;
  }
  return { text, ref };
}

function push(ctx: CommandContext, args: string[]): number {
  const arg = oneImageArg(ctx, args, 'push', 'NAME[:TAG]');
  if (!arg) return 1;
  const { text, ref } = arg;
  const img = findLocalImage(ctx.sandbox.db, text);
  if (!img || !img.repoTags.includes(normaliseTag(text))) {
    ctx.err(`An image does not exist locally with the tag: ${familiarName(ref)}\n`);
    return 1;
  }
  const shown = ref.registry === 'dockerhub' ? `docker.io/${ref.repo.includes('/') ? '' : 'library/'}${ref.repo}` : `${ref.host}/${ref.repo}`;
  ctx.out(`The push refers to repository [${shown}]\n`);
  // docker lists the layers top (newest) first
  const topFirst = [...img.layers].reverse();
  // the layers are prepared before the registry refuses the first upload
  const refuse = (message: string): number => {
    for (const l of topFirst) ctx.out(`${l}: Preparing\n`);
    ctx.err(message + '\n');
    return 1;
  };
  if (ref.registry !== 'ecr') return refuse('denied: requested access to the resource is denied');
  const access = registryAccess(ctx, ref, 'push');
  if (!access.ok) return refuse(access.message);
  if (!isRegion(ref.region!)) {
    ctx.err(`Get "https://${ref.host}/v2/": dial tcp: lookup ${ref.host}: no such host\n`);
    return 1;
  }
  const ectx = engineCtx(ctx, ref.region!);
  const repo = findRepository(ectx, ref.region!, ref.repo);
  if (!repo) return refuse(`name unknown: The repository with name '${ref.repo}' does not exist in the registry with id '${ref.account}'`);
  const digest = digestOf(`manifest:${img.id}`);
  const already = imagesOf(ectx, repo.region, repo.name).some((i) => i.imageDigest === digest);
  try {
    ctx.sandbox.mutate(() => {
      const c = engineCtx(ctx, ref.region!);
      putImage(c, repo, ref.tag, {
        imageDigest: digest,
        imageSizeInBytes: img.sizeBytes,
        behaviour: img.config.behaviour,
        ...(img.config.entrypoint ? { entrypoint: img.config.entrypoint } : {}),
        cmd: img.config.cmd,
        exposedPorts: img.config.exposedPorts,
        binaries: img.config.binaries,
        ...(img.config.requiredEnv ? { requiredEnv: img.config.requiredEnv } : {}),
      });
      const rd = `${ref.host}/${ref.repo}@${digest}`;
      const t = localImages(ctx.sandbox.db);
      const cur = t.get(img.id)!;
      if (!cur.repoDigests.includes(rd)) t.set(img.id, { ...cur, repoDigests: [...cur.repoDigests, rd] });
    });
  } catch (e) {
    if (e instanceof AwsError) {
      for (const l of topFirst) ctx.out(`${l}: Layer already exists\n`);
      ctx.err(`tag invalid: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  for (const l of topFirst) ctx.out(`${l}: ${already ? 'Layer already exists' : 'Pushed'}\n`);
  ctx.out(`${ref.tag}: digest: ${digest} size: ${1200 + img.layers.length * 95}\n`);
  return 0;
}

function pull(ctx: CommandContext, args: string[]): number {
  const arg = oneImageArg(ctx, args, 'pull', 'NAME[:TAG|@DIGEST]');
  if (!arg) return 1;
  const { text, ref } = arg;
  if (!/:[\w][\w.-]*$/.test(text.slice(text.lastIndexOf('/') + 1)) && !ref.digest) ctx.out('Using default tag: latest\n');
  const p = pullable(ctx, text);
  if (!p.ok) {
    ctx.err(`Error response from daemon: ${p.message}\n`);
    return 1;
  }
  const path = ref.registry === 'dockerhub' ? `${ref.repo.includes('/') ? '' : 'library/'}${ref.repo}` : ref.repo;
  const tagRef = ref.digest ? `${familiarName(ref)}@${ref.digest}` : `${familiarName(ref)}:${ref.tag}`;
  const { row, fresh, tagged } = storePulled(ctx, p.image, tagRef);
  ctx.out(`${ref.digest ?? ref.tag}: Pulling from ${path}\n`);
  if (fresh) for (const l of row.layers) ctx.out(`${l}: Pull complete\n`);
  ctx.out(`Digest: ${p.image.digest}\n`);
  ctx.out(fresh || tagged ? `Status: Downloaded newer image for ${tagRef}\n` : `Status: Image is up to date for ${tagRef}\n`);
  ctx.out(`${ref.registry === 'dockerhub' ? 'docker.io/' + path : ref.host + '/' + ref.repo}:${ref.tag}\n`);
  return 0;
}

function rmi(ctx: CommandContext, args: string[]): number {
  const pos = args.filter((a) => !a.startsWith('-'));
  if (!pos.length) {
    ctx.err('"docker rmi" requires at least 1 argument.\nSee \'docker rmi --help\'.\n');
    return 1;
  }
  let code = 0;
  for (const text of pos) {
    const img = findLocalImage(ctx.sandbox.db, text);
    if (!img) {
      ctx.err(`Error response from daemon: No such image: ${normaliseTag(text)}\n`);
      code = 1;
      continue;
    }
    const byTag = img.repoTags.includes(normaliseTag(text));
    ctx.sandbox.mutate(() => {
      const t = localImages(ctx.sandbox.db);
      if (byTag && img.repoTags.length > 1) {
        t.set(img.id, { ...img, repoTags: img.repoTags.filter((x) => x !== normaliseTag(text)) });
        ctx.out(`Untagged: ${normaliseTag(text)}\n`);
      } else {
        for (const rt of img.repoTags) ctx.out(`Untagged: ${rt}\n`);
        for (const rd of img.repoDigests) ctx.out(`Untagged: ${rd}\n`);
        t.delete(img.id);
        ctx.out(`Deleted: ${img.id}\n`);
      }
    });
  }
  return code;
}

const USAGE = `Usage:  docker COMMAND

A small simulated Docker client: build images from a Dockerfile, tag them, log in to
Amazon ECR and push them. Containers run as ECS tasks here (aws ecs run-task).

Commands:
  build       Build an image from a Dockerfile (FROM, CMD, ENTRYPOINT, EXPOSE, ENV, COPY, RUN ...)
  images      List local images
  login       Log in to a registry (aws ecr get-login-password | docker login --username AWS --password-stdin URI)
  logout      Log out from a registry
  pull        Download an image from Docker Hub, ECR Public or your ECR registry
  push        Upload an image to an ECR repository
  rmi         Remove local images
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
  version     Show the Docker version
`;

registerCommand({
  name: 'docker',
  summary: 'build, tag, push and pull container images (simulated Docker client)',
  usage: USAGE,
  run(ctx, argv) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case undefined:
      case '--help':
      case 'help':
        ctx.out(USAGE);
        return 0;
      case '--version':
      case '-v':
        ctx.out(`Docker version ${DOCKER_VERSION}, build 4c9b3b0\n`);
        return 0;
      case 'version':
        ctx.out(`Client:\n Version:           ${DOCKER_VERSION}\n API version:       1.47\n OS/Arch:           linux/amd64\n\nServer: Docker Engine (simulated by Nimbus)\n Engine:\n  Version:          ${DOCKER_VERSION}\n`);
        return 0;
      case 'build':
        return build(ctx, rest);
      case 'buildx':
        if (rest[0] === 'build') return build(ctx, rest.slice(1));
        return usageError(ctx, `docker buildx: '${rest[0] ?? ''}' is not simulated`);
      case 'image':
        if (rest[0] === 'ls' || rest[0] === 'list') return images(ctx, rest.slice(1));
        if (rest[0] === 'build') return build(ctx, rest.slice(1));
        if (rest[0] === 'push') return push(ctx, rest.slice(1));
        if (rest[0] === 'pull') return pull(ctx, rest.slice(1));
        if (rest[0] === 'tag') return tag(ctx, rest.slice(1));
        if (rest[0] === 'rm') return rmi(ctx, rest.slice(1));
        return usageError(ctx, `docker image: '${rest[0] ?? ''}' is not simulated`);
      case 'images':
        return images(ctx, rest);
      case 'tag':
        return tag(ctx, rest);
      case 'login':
        return login(ctx, rest);
      case 'logout':
        return logout(ctx, rest);
      case 'push':
        return push(ctx, rest);
      case 'pull':
        return pull(ctx, rest);
      case 'rmi':
        return rmi(ctx, rest);
      case 'run':
      case 'start':
      case 'exec':
      case 'ps':
        ctx.err(`docker: '${sub}' is not simulated in Nimbus: containers run as ECS tasks here (aws ecs run-task, aws ecs describe-tasks).\n`);
        return 1;
      default:
        ctx.err(`docker: '${sub}' is not a docker command.\nSee 'docker --help'\n`);
        return 1;
    }
  },
  complete(cctx, argv, partial) {
    if (argv.length <= 1) return ['build', 'images', 'login', 'logout', 'pull', 'push', 'rmi', 'tag', 'version'].filter((c) => c.startsWith(partial));
    const sub = argv[1];
    if (sub === 'push' || sub === 'tag' || sub === 'rmi') {
      const names = [...localImages(cctx.sandbox.db).values()].flatMap((i) => i.repoTags);
      return names.filter((n) => n.startsWith(partial)).sort();
    }
    if (sub === 'pull') return ['nginx', 'httpd', 'redis', 'postgres', 'busybox', 'alpine', 'node', 'python', 'amazon/amazon-ecs-sample', 'hello-world'].filter((n) => n.startsWith(partial));
    return [];
  },
});
