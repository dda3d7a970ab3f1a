import { describe, expect, it } from 'vitest';
import { session } from './helpers';
import { registerAwsCustomCommand } from '../../../src/cli/aws/custom';
import { registerWaiter } from '../../../src/cli/aws/waiters';
import { getCommand } from '../../../src/cli/commands/registry';
import { Session } from '../../../src/cli/session';
import { Sandbox } from '../../../src/engine';

registerAwsCustomCommand({
  service: 'testsvc',
  name: 'shout',
  summary: 'Stores a thing and prints its name in capitals.',
  usage: 'aws testsvc shout NAME\n',
  options: ['--loud'],
  run(ctx, args) {
    const r = ctx.call('testsvc', 'PutThing', { Name: args[0] ?? '' });
    if (!r.ok) return ctx.printError(r.error, 'PutThing');
    ctx.print({ Shouted: (args[0] ?? '').toUpperCase(), Region: ctx.globals.region });
    return 0;
  },
});

function ctxFor(sess: Session, env: Record<string, string>) {
  let out = '';
  let err = '';
  return {
    ctx: { session: sess, sandbox: sess.sandbox, stdin: '', cwd: '/home/learner', env, out: (t: string) => (out += t), err: (t: string) => (err += t), effect: () => {} },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe('custom commands', () => {
  it('run with the globals, print with --output/--query and report service errors', () => {
    const sess = session();
    expect(sess.run('aws testsvc shout hey --region eu-west-2 --output text').stdout).toBe('eu-west-2\tHEY\n');
    expect(sess.run('aws testsvc shout hey --query Shouted').stdout).toBe('"HEY"\n');
    const bad = sess.run('aws testsvc shout bad');
    expect(bad.exitCode).toBe(254);
    expect(bad.stderr).toContain('An error occurred (InvalidThing) when calling the PutThing operation');
    expect(sess.run('aws testsvc shout hey --region xx-yy-1').exitCode).toBe(255);
    expect(sess.run('aws testsvc shout help').stdout).toContain('aws testsvc shout NAME');
    expect(sess.run('aws testsvc help').stdout).toContain('Stores a thing and prints its name in capitals.');
  });
});

describe('argument details', () => {
  it('accepts unique abbreviations of global options, rejects ambiguous ones', () => {
    const sess = new Session(new Sandbox());
    expect(sess.run('aws sts get-caller-identity --out text --reg eu-west-1').stdout.split('\t')).toHaveLength(3);
    const r = sess.run('aws sts get-caller-identity --no');
    expect(r.exitCode).toBe(252);
    expect(r.stderr).toContain('ambiguous option: --no could match');
  });
  it('uses COLUMNS for the table width', () => {
    const sess = new Session(new Sandbox());
    const t = ctxFor(sess, { COLUMNS: '200' });
    expect(getCommand('aws')!.run(t.ctx, ['sts', 'get-caller-identity', '--output', 'table'])).toBe(0);
    // wide enough: one header row and one value row instead of key/value pairs
    expect(t.out).toMatch(/\|\s+Account\s+\|\s+Arn\s+\|\s+UserId\s+\|/);
  });
  it('writes a streaming output body to the outfile', () => {
    const sess = new Session(new Sandbox());
    sess.run('aws s3api create-bucket --bucket outfile-test');
    sess.sandbox.mutate((sb) => sb.vfs.writeText('/home/learner/in.txt', 'payload'));
    expect(sess.run('aws s3api put-object --bucket outfile-test --key k --body in.txt').exitCode).toBe(0);
    const missing = sess.run('aws s3api get-object --bucket outfile-test --key k');
    expect(missing.stderr).toContain('the following arguments are required: outfile');
    const r = sess.run('aws s3api get-object --bucket outfile-test --key k copy.txt');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('payload');
    expect(JSON.parse(r.stdout).ContentLength).toBe(7);
    expect(sess.sandbox.vfs.readText('/home/learner/copy.txt')).toBe('payload');
  });
  it('later options replace earlier ones; --x then --no-x gives false', () => {
    const sess = session();
    const r = sess.run('aws testsvc put-thing --name a --enabled --no-enabled --size 1 --size 2 --query Echo');
    expect(JSON.parse(r.stdout)).toEqual({ Name: 'a', Size: 2, Enabled: false });
  });
  it('documents waiters in help', () => {
    registerWaiter({
      service: 'testsvc',
      name: 'thing-made',
      operation: 'GetStatus',
      delaySeconds: 7,
      maxAttempts: 9,
      doc: 'Waits until the thing exists.',
      acceptors: [{ state: 'success', matcher: 'error', expected: false }],
    });
    const sess = session();
    const list = sess.run('aws testsvc wait help');
    expect(list.stdout).toContain('AVAILABLE WAITERS');
    expect(list.stdout).toContain('o thing-made');
    const one = sess.run('aws testsvc wait thing-made help').stdout;
    expect(one).toContain('Waits until the thing exists.');
    expect(one).toContain('every 7 seconds');
    expect(one).toContain('at most 9 times');
  });
});

describe('every simulated command', () => {
  it('has a help page and a JSON input skeleton', async () => {
    const { cliServices } = await import('../../../src/cli/aws/model');
    const sess = new Session(new Sandbox());
    let count = 0;
    for (const [word, svc] of cliServices(sess.sandbox)) {
      for (const name of svc.names) {
        const h = sess.run(`aws ${word} ${name} help`);
        expect(h.exitCode, `${word} ${name} help`).toBe(0);
        expect(h.stdout).toContain('SYNOPSIS');
        const k = sess.run(`aws ${word} ${name} --generate-cli-skeleton`);
        expect(k.exitCode, `${word} ${name} skeleton`).toBe(0);
        expect(typeof JSON.parse(k.stdout)).toBe('object');
        count++;
      }
    }
    expect(count).toBeGreaterThan(10);
  });
});

describe('real AWS commands that Nimbus does not simulate', () => {
  it('answer NotYetSimulated (254) instead of an invalid choice, and are suggested', () => {
    const sess = new Session(new Sandbox());
    const r = sess.run('aws ecs discover-poll-endpoint --container-instance x');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('An error occurred (NotYetSimulated) when calling the DiscoverPollEndpoint operation');
    expect(sess.run('aws ecs discover-poll-endpoint help').stdout).toContain('Nimbus does not simulate it yet');
    const typo = sess.run('aws ecs discover-pol-endpoint');
    expect(typo.exitCode).toBe(252);
    expect(typo.stderr).toContain('  * discover-poll-endpoint');
    expect(sess.run('aws ecs definitely-not-a-command').stderr).toContain('Invalid choice, valid choices are:');
    const lambda = sess.run('aws lambda list-functions');
    expect(lambda.exitCode).toBe(252);
    expect(lambda.stderr).toContain('Nimbus does not simulate the lambda service');
    expect(sess.run('aws lambdax list-functions').stderr).not.toContain('Nimbus does not simulate');
  });
});

describe('custom command helpers', () => {
  it('callAll walks every page of a paginated operation', () => {
    registerAwsCustomCommand({
      service: 'testsvc',
      name: 'count-things',
      summary: 'Counts the things.',
      usage: 'aws testsvc count-things\n',
      run(ctx) {
        const r = ctx.callAll!('testsvc', 'ListThings', {});
        if (!r.ok) return ctx.printError(r.error, 'ListThings');
        ctx.out(String((r.output as { Things: unknown[] }).Things.length) + '\n');
        return 0;
      },
    });
    const sess = session();
    for (let i = 0; i < 5; i++) sess.run(`aws testsvc put-thing --name n${i}`);
    expect(sess.run('aws testsvc count-things').stdout).toBe('5\n');
  });
});
