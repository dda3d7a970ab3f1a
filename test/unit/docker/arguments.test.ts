import { describe, it, expect } from 'vitest';
import { world } from '../ec2/world';

describe('docker push and pull check their one image argument as docker does', () => {
  it('names the command and its usage when the argument count is wrong', () => {
    const w = world();
    const push = w.run('docker push');
    expect(push.exitCode).toBe(1);
    expect(push.stderr).toBe('"docker push" requires exactly 1 argument.\nSee \'docker push --help\'.\n\nUsage:  docker push [OPTIONS] NAME[:TAG]\n');
    const pull = w.run('docker pull a b');
    expect(pull.exitCode).toBe(1);
    expect(pull.stderr).toBe('"docker pull" requires exactly 1 argument.\nSee \'docker pull --help\'.\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n');
  });

  it('rejects an upper-case repository name before doing anything', () => {
    const w = world();
    for (const cmd of ['push', 'pull']) {
      const r = w.run(`docker ${cmd} Web:1`);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('invalid reference format: repository name (Web:1) must be lowercase\n');
    }
  });

  it('prepares the layers before Docker Hub refuses a push', () => {
    const w = world();
    w.writeFile('Dockerfile', 'FROM nginx:alpine\n');
    expect(w.run('docker build -t me/site .').exitCode).toBe(0);
    const r = w.run('docker push me/site');
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.endsWith(': Preparing')).length).toBeGreaterThan(0);
    expect(r.stderr).toBe('denied: requested access to the resource is denied\n');
  });
});
