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
