import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/cli/session';
import { Sandbox, HOME } from '../../../src/engine';
import { parseAwsLine, parseAwsInvocation } from '../../../src/cli/aws/parse';
import { session } from './helpers';
import { getCommand } from '../../../src/cli/commands/registry';

describe('aws configure', () => {
  it('sets and gets values; the region becomes the default for later commands', () => {
    const sess = new Session(new Sandbox());
    expect(sess.run('aws configure get region')).toMatchObject({ exitCode: 1, stdout: '' });
    expect(sess.run('aws configure set region eu-west-1').exitCode).toBe(0);
    expect(sess.run('aws configure get region').stdout).toBe('eu-west-1\n');
    expect(sess.run('aws sts get-caller-identity --debug').stderr).toContain("'region': 'eu-west-1'");
    expect(sess.run('aws sts get-caller-identity --debug --region us-west-2').stderr).toContain("'region': 'us-west-2'");
  });
  it('keeps settings per profile, and a configured profile can be used', () => {
    const sess = new Session(new Sandbox());
    expect(sess.run('aws sts get-caller-identity --profile dev').exitCode).toBe(255);
    sess.run('aws configure set output text --profile dev');
    expect(sess.run('aws configure list-profiles').stdout).toBe('default\ndev\n');
    const r = sess.run('aws sts get-caller-identity --profile dev');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\t')).toHaveLength(3);
    expect(sess.run('aws configure get profile.dev.output').stdout).toBe('text\n');
    const complete = getCommand('aws')!.complete!;
    expect(complete({ session: sess, sandbox: sess.sandbox, cwd: '/home/learner' }, ['sts', 'get-caller-identity', '--profile'], 'd')).toEqual(['default', 'dev']);
  });
  it('lists where the region comes from', () => {
    const sess = new Session(new Sandbox());
    sess.run('aws configure set region ap-southeast-2');
    const out = sess.run('aws configure list').stdout;
    expect(out).toMatch(/region\s+ap-southeast-2\s+config-file\s+~\/\.aws\/config/);
  });
});

describe('--cli-input-yaml and parse helpers', () => {
  it('reads YAML input', () => {
    const sess = session();
    const r = parseAwsInvocation(sess.sandbox, { cwd: HOME, env: {} }, ['testsvc', 'put-thing', '--cli-input-yaml', 'Name: y\nLabels:\n- a\n- b\n']);
    expect(r).toEqual({ ok: true, service: 'testsvc', operation: 'PutThing', params: { Name: 'y', Labels: ['a', 'b'] } });
  });
  it('parseAwsLine uses the shell (quotes, variables) and does not run the command', () => {
    const sess = session();
    const before = sess.sandbox.callLog().length;
    expect(parseAwsLine(sess, `N="my thing"; aws testsvc put-thing --name "$N" --size 2`)).toEqual({
      exitCode: 0,
      operation: 'PutThing',
      params: { Name: 'my thing', Size: 2 },
    });
    expect(sess.sandbox.callLog().length).toBe(before);
    const bad = parseAwsLine(sess, 'aws testsvc put-thing');
    expect(bad?.exitCode).toBe(252);
    expect(bad?.stderr).toContain('the following arguments are required: --name');
    expect(parseAwsLine(sess, 'echo hi')).toBeNull();
  });
});

describe('--parse wire format', () => {
  it('sends rest-xml timestamps as ISO 8601 and keeps ECS cpu a string', () => {
    const sess = new Session(new Sandbox());
    expect(parseAwsLine(sess, 'aws s3api head-object --bucket b --key k --if-modified-since 1767603600')).toEqual({
      exitCode: 0,
      operation: 'HeadObject',
      params: { Bucket: 'b', Key: 'k', IfModifiedSince: '2026-01-05T09:00:00Z' },
    });
    const td = parseAwsLine(sess, 'aws ecs register-task-definition --family web --cpu 256 --memory 512 --container-definitions name=web,image=nginx');
    expect(td?.exitCode).toBe(0);
    expect(td?.params).toMatchObject({ family: 'web', cpu: '256', memory: '512', containerDefinitions: [{ name: 'web', image: 'nginx' }] });
  });
});
