import { describe, it, expect } from 'vitest';
import { world } from '../ec2/world';
import { resolveImage, containerBehaviour, parseImageRef } from '../../../src/engine/images';
import { interpretCommand } from '../../../src/engine/images/commands';
import { dockerSize, dockerAgo } from '../../../src/cli/docker';

const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

function site() {
  const w = world();
  w.writeFile('Dockerfile', 'FROM nginx:alpine\n# the page\nCOPY index.html /usr/share/nginx/html/\nEXPOSE 80\n');
  w.writeFile('index.html', '<h1>hello</h1>\n');
  return w;
}

function login(w: ReturnType<typeof world>) {
  const r = w.run(`aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${URI}`);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('Login Succeeded');
}

describe('docker build, tag, images', () => {
  it('builds from the Dockerfile in the home folder and lists the image', () => {
    const w = site();
    const b = w.run('docker build -t web .');
    expect(b.exitCode).toBe(0);
    expect(b.stderr).toContain('FROM docker.io/library/nginx:alpine');
    expect(b.stderr).toContain('naming to docker.io/library/web:latest');
    const imgs = w.run('docker images').stdout.split('\n');
    expect(imgs[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(imgs[1]).toMatch(/^web\s+latest\s+[0-9a-f]{12}\s+Less than a second ago\s+\d/);
    // rebuilding the same files gives the same image id
    const id1 = w.run('docker images -q').stdout;
    w.run('docker build -t web .');
    expect(w.run('docker images -q').stdout).toBe(id1);
    expect(w.run('docker tag web:latest web:v1').exitCode).toBe(0);
    expect(w.run('docker images web').stdout.split('\n').filter(Boolean)).toHaveLength(3);
    const nt = w.run('docker tag nothing web:v2');
    expect(nt.exitCode).toBe(1);
    expect(nt.stderr).toBe('Error response from daemon: No such image: nothing:latest\n');
  });

  it('fails like BuildKit: no Dockerfile, unknown base image, missing COPY source, bad instruction', () => {
    const w = world();
    let r = w.run('docker build -t web .');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('failed to read dockerfile: open Dockerfile: no such file or directory');
    w.writeFile('Dockerfile', 'FROM nginxx\n');
    r = w.run('docker build -t web .');
    expect(r.stderr).toContain('docker.io/library/nginxx:latest: failed to resolve source metadata');
    w.writeFile('Dockerfile', 'FROM nginx\nCOPY site/ /usr/share/nginx/html/\n');
    r = w.run('docker build -t web .');
    expect(r.stderr).toContain('"/site/": not found');
    w.writeFile('Dockerfile', 'FROM nginx\nRUNN echo\n');
    expect(w.run('docker build -t web .').stderr).toContain('unknown instruction: RUNN');
    expect(w.run('docker build -t web').stderr).toContain('requires exactly 1 argument');
    expect(w.run('docker images -q').stdout).toBe('');
  });

  it('gives built images the behaviour of their CMD, ENTRYPOINT, EXPOSE and ENV', () => {
    const w = world();
    const build = (name: string, df: string) => {
      w.writeFile(`${name}/Dockerfile`, df);
      const r = w.run(`docker build -t ${name} ${name}`);
      expect(r.exitCode, r.stderr).toBe(0);
    };
    build('sleeper', 'FROM busybox\nCMD ["sleep", "30"]\n');
    build('failer', 'FROM alpine\nCMD echo starting && exit 3\n');
    build('pyweb', 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["python", "-m", "http.server", "8000"]\n');
    build('db', 'FROM postgres:16\nENV POSTGRES_PASSWORD=secret\n');
    build('tailer', 'FROM alpine\nENTRYPOINT ["tail", "-f", "/dev/null"]\n');
    const ls = w.run('docker images').stdout;
    for (const n of ['sleeper', 'failer', 'pyweb', 'db', 'tailer']) expect(ls).toContain(n);
    // push them all and resolve through ECR, as a task would
    w.json('aws ecr create-repository --repository-name apps');
    login(w);
    const beh: Record<string, unknown> = {};
    for (const n of ['sleeper', 'failer', 'pyweb', 'db', 'tailer']) {
      w.run(`docker tag ${n} ${URI}/apps:${n}`);
      expect(w.run(`docker push ${URI}/apps:${n}`).exitCode).toBe(0);
      beh[n] = containerBehaviour(w.ctx(), `${URI}/apps:${n}`)!.behaviour;
    }
    expect(beh['sleeper']).toEqual({ kind: 'command', exitCode: 0, durationMs: 30_000 });
    expect(beh['failer']).toMatchObject({ kind: 'command', exitCode: 3 });
    expect(beh['pyweb']).toEqual({ kind: 'server', port: 8000 });
    expect(beh['db']).toEqual({ kind: 'server', port: 5432 });
    expect(beh['tailer']).toEqual({ kind: 'server' });
    // a container command overrides the image's CMD
    expect(containerBehaviour(w.ctx(), `${URI}/apps:sleeper`, { command: ['sh', '-c', 'exit 7'] })!.behaviour).toMatchObject({ exitCode: 7 });
  });
});

describe('docker login and push to ECR', () => {
  it('needs a login, an existing repository, and then lands in ECR', () => {
    const w = site();
    w.run('docker build -t web .');
    w.run(`docker tag web ${URI}/web:v1`);
    let r = w.run(`docker push ${URI}/web:v1`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('no basic auth credentials\n');
    login(w);
    r = w.run(`docker push ${URI}/web:v1`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("name unknown: The repository with name 'web' does not exist in the registry with id '123456789012'\n");
    w.json('aws ecr create-repository --repository-name web');
    r = w.run(`docker push ${URI}/web:v1`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`The push refers to repository [${URI}/web]`);
    expect(r.stdout).toMatch(/v1: digest: sha256:[0-9a-f]{64} size: \d+/);
    const img = w.json('aws ecr describe-images --repository-name web').imageDetails[0];
    expect(img.imageTags).toEqual(['v1']);
    expect(img.imageSizeInBytes).toBeGreaterThan(20_000_000);
    expect(r.stdout).toContain(img.imageDigest);
    // pushing again: layers already exist, same digest
    const again = w.run(`docker push ${URI}/web:v1`);
    expect(again.stdout).toContain('Layer already exists');
    const res = resolveImage(w.ctx(), `${URI}/web:v1`);
    expect(res.found && res.private && res.registry === 'ecr').toBe(true);
    expect(w.sb.vfs.readText('/home/learner/.docker/config.json')).toContain(URI);
  });

  it('refuses bad passwords and expired tokens', () => {
    const w = site();
    let r = w.run(`echo notatoken | docker login --username AWS --password-stdin ${URI}`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`Error response from daemon: login attempt to https://${URI}/v2/ failed with status: 400 Bad Request\n`);
    const pw = w.run('aws ecr get-login-password').stdout.trim();
    r = w.run(`docker login -u admin -p ${pw} ${URI}`);
    expect(r.exitCode).toBe(1);
    r = w.run(`docker login -u AWS -p ${pw} ${URI}`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('Use --password-stdin');
    w.json('aws ecr create-repository --repository-name web');
    w.run('docker build -t web .');
    w.run(`docker tag web ${URI}/web`);
    w.advance(13 * 3600_000);
    r = w.run(`docker push ${URI}/web`);
    expect(r.stderr).toContain('Your authorization token has expired');
    r = w.run(`docker login -u AWS -p ${pw} ${URI}`);
    expect(r.exitCode).toBe(1);
  });

  it('refuses to move a tag in an immutable repository', () => {
    const w = site();
    w.json('aws ecr create-repository --repository-name web --image-tag-mutability IMMUTABLE');
    login(w);
    w.run('docker build -t web .');
    w.run(`docker tag web ${URI}/web:v1`);
    expect(w.run(`docker push ${URI}/web:v1`).exitCode).toBe(0);
    w.writeFile('index.html', '<h1>changed</h1>\n');
    w.run('docker build -t web .');
    w.run(`docker tag web ${URI}/web:v1`);
    const r = w.run(`docker push ${URI}/web:v1`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("tag invalid: The image tag 'v1' already exists in the 'web' repository and cannot be overwritten because the repository is immutable.");
  });

  it('without a login the layers are prepared (top first) before "no basic auth credentials"', () => {
    const w = site();
    w.json('aws ecr create-repository --repository-name web');
    w.run('docker build -t web .');
    w.run(`docker tag web ${URI}/web`);
    const r = w.run(`docker push ${URI}/web`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('no basic auth credentials\n');
    const prepared = r.stdout.split('\n').filter((l: string) => l.endsWith(': Preparing')).map((l: string) => l.split(':')[0]);
    expect(prepared.length).toBeGreaterThan(1);
    login(w);
    const ok = w.run(`docker push ${URI}/web`);
    const pushed = ok.stdout.split('\n').filter((l: string) => l.endsWith(': Pushed')).map((l: string) => l.split(':')[0]);
    expect(pushed).toEqual(prepared);
  });

  it('an immutable repository refuses even the same image again under its tag (ECR does)', () => {
    const w = site();
    w.json('aws ecr create-repository --repository-name web --image-tag-mutability IMMUTABLE');
    login(w);
    w.run('docker build -t web .');
    w.run(`docker tag web ${URI}/web:v1`);
    expect(w.run(`docker push ${URI}/web:v1`).exitCode).toBe(0);
    const r = w.run(`docker push ${URI}/web:v1`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(': Layer already exists');
    expect(r.stderr).toBe("tag invalid: The image tag 'v1' already exists in the 'web' repository and cannot be overwritten because the repository is immutable.\n");
    // a new tag for the same image is fine
    w.run(`docker tag web ${URI}/web:v2`);
    expect(w.run(`docker push ${URI}/web:v2`).exitCode).toBe(0);
    expect(w.json('aws ecr describe-images --repository-name web').imageDetails[0].imageTags.sort()).toEqual(['v1', 'v2']);
  });

  it('cannot push to Docker Hub or push what is not there', () => {
    const w = site();
    w.run('docker build -t web .');
    expect(w.run('docker push web').stderr).toContain('denied: requested access to the resource is denied');
    expect(w.run(`docker push ${URI}/other`).stderr).toBe(`An image does not exist locally with the tag: ${URI}/other\n`);
  });
});

describe('docker pull and the image catalogue', () => {
  it('pulls catalogue images and refuses unknown ones', () => {
    const w = world();
    const r = w.run('docker pull nginx');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Using default tag: latest');
    expect(r.stdout).toContain('Status: Downloaded newer image for nginx:latest');
    expect(w.run('docker pull nginx').stdout).toContain('Status: Image is up to date for nginx:latest');
    expect(w.run('docker pull nginx:nope').exitCode).toBe(1);
    expect(w.run('docker pull notarealimage').stderr).toContain("pull access denied for notarealimage");
    expect(w.run('docker images').stdout).toMatch(/nginx\s+latest/);
    expect(w.run(`docker pull ${URI}/web`).stderr).toContain('no basic auth credentials');
  });

  it('resolves references to catalogue facts', () => {
    const w = world();
    const nginx = resolveImage(w.ctx(), 'nginx:1.27');
    expect(nginx.found && nginx.registry === 'dockerhub' && !nginx.private).toBe(true);
    if (nginx.found) expect(nginx.behaviour).toEqual({ kind: 'server', port: 80 });
    const alpine = resolveImage(w.ctx(), 'nginx:alpine');
    if (nginx.found && alpine.found) expect(alpine.sizeBytes).toBeLessThan(nginx.sizeBytes);
    const mirror = resolveImage(w.ctx(), 'public.ecr.aws/docker/library/redis:7');
    expect(mirror.found && mirror.registry === 'ecr-public').toBe(true);
    expect(resolveImage(w.ctx(), 'docker.io/library/hello-world').found).toBe(true);
    expect(resolveImage(w.ctx(), 'ghcr.io/acme/app:1').found).toBe(false);
    expect(resolveImage(w.ctx(), `${URI}/missing:latest`).found).toBe(false);
    expect(resolveImage(w.ctx(), `210987654321.dkr.ecr.us-east-1.amazonaws.com/web:latest`)).toMatchObject({ found: false, reason: 'access-denied' });
    expect(containerBehaviour(w.ctx(), 'hello-world')!.behaviour).toMatchObject({ kind: 'command', exitCode: 0 });
    expect(containerBehaviour(w.ctx(), 'busybox')!.behaviour).toMatchObject({ kind: 'command', exitCode: 0 });
    expect(containerBehaviour(w.ctx(), 'busybox', { command: ['sleep', '3600'] })!.behaviour).toEqual({ kind: 'command', exitCode: 0, durationMs: 3_600_000 });
    const pg = containerBehaviour(w.ctx(), 'postgres')!;
    expect(pg.behaviour).toMatchObject({ kind: 'command', exitCode: 1 });
    expect(pg.reason).toContain('POSTGRES_PASSWORD');
    expect(containerBehaviour(w.ctx(), 'postgres', { environment: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] })!.behaviour).toEqual({ kind: 'server', port: 5432 });
    expect(containerBehaviour(w.ctx(), 'redis', { command: ['redis-server', '--appendonly', 'yes'] })!.behaviour).toEqual({ kind: 'server', port: 6379 });
    expect(parseImageRef('nginx')).toMatchObject({ registry: 'dockerhub', repo: 'nginx', tag: 'latest' });
    expect(parseImageRef(`${URI}/team/web:v2`)).toMatchObject({ registry: 'ecr', repo: 'team/web', tag: 'v2', account: '123456789012', region: 'us-east-1' });
    expect(parseImageRef('Bad/Name')).toBeNull();
  });

  it('reads shell commands as behaviours', () => {
    expect(interpretCommand(['sleep', 'infinity'])).toEqual({ kind: 'server' });
    expect(interpretCommand(['sh', '-c', 'echo a; sleep 2; false'])).toEqual({ kind: 'command', exitCode: 1, durationMs: 2030 });
    expect(interpretCommand(['sh', '-c', 'false && sleep 100'])).toMatchObject({ exitCode: 1 });
    expect(interpretCommand(['sh', '-c', 'false || exit 4'])).toMatchObject({ exitCode: 4 });
    expect(interpretCommand(['/bin/sh', '-c', 'while true; do echo hi; sleep 5; done'])).toEqual({ kind: 'server' });
    expect(interpretCommand(['sleep', '1m'])).toEqual({ kind: 'command', exitCode: 0, durationMs: 60_000 });
    expect(interpretCommand(['nginx', '-g', 'daemon off;'], ['nginx'])).toBeUndefined();
  });

  it('prints sizes and ages the way docker does', () => {
    expect(dockerSize(187_654_321)).toBe('188MB');
    expect(dockerSize(7_800_000)).toBe('7.8MB');
    expect(dockerSize(13_300)).toBe('13.3kB');
    expect(dockerAgo(90_000)).toBe('About a minute ago');
    expect(dockerAgo(5 * 60_000)).toBe('5 minutes ago');
    expect(dockerAgo(3 * 86_400_000)).toBe('3 days ago');
    expect(dockerAgo(23 * 86_400_000)).toBe('3 weeks ago');
  });
});

describe('docker build details', () => {
  it('supports multi-stage builds, ARG in FROM, --build-arg and -f', () => {
    const w = world();
    w.writeFile('app/package.json', '{"name":"app"}\n');
    w.writeFile('app/server.js', 'require("http").createServer((q,s)=>s.end("hi")).listen(3000)\n');
    w.writeFile(
      'app/Dockerfile.prod',
      'ARG NODE=20\nFROM --platform=linux/amd64 node:${NODE}-alpine AS build\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nCOPY . .\n\nFROM node:${NODE}-alpine\nCOPY --from=build /app /app\nEXPOSE 3000\nCMD ["node", "/app/server.js"]\n',
    );
    const r = w.run('docker build -f app/Dockerfile.prod -t api:1 app');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('docker.io/library/node:20-alpine');
    const r2 = w.run('docker build --build-arg NODE=22 -f app/Dockerfile.prod -t api:2 app');
    expect(r2.stderr).toContain('docker.io/library/node:22-alpine');
    expect(w.run('docker build --build-arg NODE=99 -f app/Dockerfile.prod -t api:3 app').exitCode).toBe(1);
    expect(w.run('docker images api').stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });
});
