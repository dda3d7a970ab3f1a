import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

describe('globbing with a bracket expression that is not a valid range', () => {
  it('keeps the word as typed instead of crashing', () => {
    const session = new Session(new Sandbox());
    const r = session.run('echo awsvpcConfiguration={subnets=[subnet-1]}');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('[subnet-1]');
  });
});

describe('/tmp', () => {
  it('exists in a fresh sandbox so tutorials can write scratch files there', () => {
    const session = new Session(new Sandbox());
    expect(session.run('echo hi > /tmp/x && cat /tmp/x').stdout).toBe('hi\n');
  });
});
