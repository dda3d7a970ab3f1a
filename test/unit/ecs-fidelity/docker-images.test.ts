/** docker images as the ECR tutorial uses it: --filter reference=NAME. */
import { describe, expect, it } from 'vitest';
import { world } from '../ecs/helpers';

describe('docker images --filter', () => {
  it('reference= matches the repository (globs allowed); dangling and unknown filters', () => {
    const w = world();
    w.writeFile('Dockerfile', 'FROM public.ecr.aws/amazonlinux/amazonlinux:latest\nRUN echo hi > /index.html\nCMD ["sleep", "60"]\n');
    expect(w.run('docker build -t hello-world .').exitCode).toBe(0);
    const r = w.run('docker images --filter reference=hello-world');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^hello-world\s+latest\s+[0-9a-f]{12}\s/);
    expect(w.run('docker images -f reference=hello-*').stdout.trim().split('\n')).toHaveLength(2);
    expect(w.run('docker images --filter=reference=hello-world:latest').stdout.trim().split('\n')).toHaveLength(2);
    expect(w.run('docker images --filter reference=nginx').stdout.trim().split('\n')).toHaveLength(1);
    expect(w.run('docker images --filter dangling=true').stdout.trim().split('\n')).toHaveLength(1);
    expect(w.run('docker images -q --filter reference=hello-world').stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
    const bad = w.run('docker images --filter colour=blue');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("invalid filter 'colour'");
  });
});

describe('docker pull of an image pushed from here', () => {
  it('is the same image (same IMAGE ID, no layers downloaded again)', () => {
    const w = world();
    w.writeFile('Dockerfile', 'FROM public.ecr.aws/amazonlinux/amazonlinux:latest\nRUN echo hi > /index.html\nCMD ["sleep", "60"]\n');
    expect(w.run('docker build -t hello-world .').exitCode).toBe(0);
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hello-repository';
    w.json('aws ecr create-repository --repository-name hello-repository');
    w.run(`docker tag hello-world ${uri}`);
    w.run('aws ecr get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(w.run(`docker push ${uri}`).exitCode).toBe(0);
    const id = w.run('docker images -q hello-world').stdout.trim();
    expect(w.run(`docker rmi ${uri}`).stdout).toContain(`Untagged: ${uri}:latest`);
    const pull = w.run(`docker pull ${uri}:latest`);
    expect(pull.exitCode).toBe(0);
    expect(pull.stdout).not.toContain('Pull complete');
    expect(pull.stdout).toContain(`Status: Downloaded newer image for ${uri}:latest`);
    expect(w.run(`docker images -q ${uri}`).stdout.trim()).toBe(id);
    const again = w.run(`docker pull ${uri}:latest`);
    expect(again.stdout).toContain(`Status: Image is up to date for ${uri}:latest`);
  });
});
