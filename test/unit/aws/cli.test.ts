import { describe, expect, it } from 'vitest';
import { session, testService } from './helpers';
import { registerWaiter } from '../../../src/cli/aws/waiters';
import { registerCompleter } from '../../../src/cli/aws/completers';
import { registerProfileResolver } from '../../../src/cli/aws/profiles';
import { decodeToken } from '../../../src/cli/aws/paginate';
import { Session } from '../../../src/cli/session';
import { Sandbox, ACCOUNT_ID } from '../../../src/engine';
import { getCommand } from '../../../src/cli/commands/registry';

function run(sess: Session, line: string) {
  return sess.run(line);
}

describe('aws sts get-caller-identity', () => {
  it('prints exactly what the real CLI prints', () => {
    const r = new Session(new Sandbox()).run('aws sts get-caller-identity');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `{\n    "UserId": "AIDAEXAMPLEADMIN0001",\n    "Account": "${ACCOUNT_ID}",\n    "Arn": "arn:aws:iam::${ACCOUNT_ID}:user/admin"\n}\n`,
    );
  });
  it('prints text, table and yaml', () => {
    const sess = new Session(new Sandbox());
    expect(run(sess, 'aws sts get-caller-identity --output text').stdout).toBe(`${ACCOUNT_ID}\tarn:aws:iam::${ACCOUNT_ID}:user/admin\tAIDAEXAMPLEADMIN0001\n`);
    expect(run(sess, 'aws sts get-caller-identity --output yaml').stdout).toBe(
      `Account: '${ACCOUNT_ID}'\nArn: arn:aws:iam::${ACCOUNT_ID}:user/admin\nUserId: AIDAEXAMPLEADMIN0001\n`,
    );
    const table = run(sess, 'aws sts get-caller-identity --output table').stdout.split('\n');
    expect(table[0]).toMatch(/^-+$/);
    expect(table[1]).toMatch(/^\|\s+GetCallerIdentity\s+\|$/);
    expect(table[3]).toMatch(/^\|  Account\|  123456789012\s+\|$/);
    // every line of the box has the same width
    const widths = new Set(table.filter(Boolean).map((l) => l.length));
    expect(widths.size).toBe(1);
  });
  it('applies --query and prints the result as JSON or text', () => {
    const sess = new Session(new Sandbox());
    expect(run(sess, 'aws sts get-caller-identity --query Account').stdout).toBe(`"${ACCOUNT_ID}"\n`);
    expect(run(sess, 'aws sts get-caller-identity --query Account --output text').stdout).toBe(`${ACCOUNT_ID}\n`);
    expect(run(sess, 'aws sts get-caller-identity --query [Account,UserId] --output text').stdout).toBe(`${ACCOUNT_ID}\tAIDAEXAMPLEADMIN0001\n`);
    const bad = run(sess, 'aws sts get-caller-identity --query Account[');
    expect(bad.exitCode).toBe(252);
    expect(bad.stderr).toContain('Bad value for --query Account[');
  });
});

describe('global options', () => {
  it('prints the version', () => {
    const r = new Session(new Sandbox()).run('aws --version');
    expect(r.stdout).toMatch(/^aws-cli\/2\.\d+\.\d+ Python\/3\.\d+\.\d+ Linux\/\S+ exe\/x86_64\.\S+ prompt\/off\n$/);
    expect(r.exitCode).toBe(0);
  });
  it('rejects an unknown output format with the choices', () => {
    const r = new Session(new Sandbox()).run('aws sts get-caller-identity --output xml');
    expect(r.exitCode).toBe(252);
    expect(r.stderr).toContain('aws: error: argument --output: Invalid choice, valid choices are:');
    expect(r.stderr).toContain('yaml-stream');
  });
  it('fails to connect to an unknown region (exit 255) and rejects malformed names', () => {
    const r = new Session(new Sandbox()).run('aws ecs list-clusters --region xx-yy-1');
    expect(r).toMatchObject({ exitCode: 255, stderr: '\nCould not connect to the endpoint URL: "https://ecs.xx-yy-1.amazonaws.com/"\n' });
    const m = new Session(new Sandbox()).run('aws sts get-caller-identity --region us_east_1');
    expect(m.exitCode).toBe(255);
    expect(m.stderr).toContain("Provided region_name 'us_east_1' doesn't match a supported format.");
  });
  it('takes the region from AWS_REGION / AWS_DEFAULT_REGION', () => {
    const sb = new Sandbox();
    const cmd = getCommand('aws')!;
    let out = '';
    let err = '';
    const ctx = { session: new Session(sb), sandbox: sb, stdin: '', cwd: '/home/learner', env: { AWS_DEFAULT_REGION: 'zz-top-9' }, out: (t: string) => (out += t), err: (t: string) => (err += t), effect: () => {} };
    expect(cmd.run(ctx, ['sts', 'get-caller-identity'])).toBe(255);
    expect(err).toContain('https://sts.zz-top-9.amazonaws.com/');
    expect(cmd.run({ ...ctx, env: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'zz-top-9' } }, ['sts', 'get-caller-identity'])).toBe(0);
    expect(out).toContain('"Account"');
  });
  it('resolves profiles through the registry; unknown ones fail with 255', () => {
    registerProfileResolver((_sb, name) =>
      name === 'dev' ? { type: 'user', accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/dev`, userId: 'AIDADEV', name: 'dev' } : undefined,
    );
    const sess = new Session(new Sandbox());
    expect(run(sess, 'aws sts get-caller-identity --profile dev --query Arn --output text').stdout).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/dev\n`);
    const r = run(sess, 'aws sts get-caller-identity --profile nobody');
    expect(r).toMatchObject({ exitCode: 255, stderr: '\nThe config profile (nobody) could not be found\n' });
  });
  it('--no-sign-request calls as anonymous', () => {
    const r = new Session(new Sandbox()).run('aws sts get-caller-identity --no-sign-request');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toBe('\nAn error occurred (MissingAuthenticationToken) when calling the GetCallerIdentity operation: Request is missing Authentication Token\n');
  });
  it('--debug logs the request on stderr', () => {
    const r = new Session(new Sandbox()).run('aws sts get-caller-identity --debug --region eu-west-1');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('OperationModel(name=GetCallerIdentity)');
    expect(r.stderr).toContain("'region': 'eu-west-1'");
    expect(r.stderr).toContain(`arn:aws:iam::${ACCOUNT_ID}:user/admin`);
  });
});

describe('unknown services and commands', () => {
  it('lists the valid choices and suggests the closest', () => {
    const r = new Session(new Sandbox()).run('aws stss get-caller-identity');
    expect(r.exitCode).toBe(252);
    expect(r.stderr).toContain('aws: error: argument command: Invalid choice, valid choices are:');
    expect(r.stderr).toContain("Invalid choice: 'stss', maybe you meant:\n\n  * sts");
    const c = new Session(new Sandbox()).run('aws sts get-caller-identiy');
    expect(c.exitCode).toBe(252);
    expect(c.stderr).toContain('aws: error: argument operation: Invalid choice, valid choices are:');
    expect(c.stderr).toContain('  * get-caller-identity');
  });
  it('needs a command, and refuses --help like the real CLI', () => {
    expect(new Session(new Sandbox()).run('aws').stderr).toContain('aws: error: the following arguments are required: command');
    expect(new Session(new Sandbox()).run('aws sts').stderr).toContain('aws: error: the following arguments are required: operation');
    const h = new Session(new Sandbox()).run('aws sts get-caller-identity --help');
    expect(h.exitCode).toBe(252);
    expect(h.stderr).toContain('Unknown options: --help');
  });
});

describe('service calls through a test service', () => {
  it('prints service errors with exit 254 and empty outputs as nothing', () => {
    const sess = session();
    const e = run(sess, 'aws testsvc put-thing --name bad');
    expect(e).toMatchObject({ exitCode: 254, stdout: '', stderr: '\nAn error occurred (InvalidThing) when calling the PutThing operation: The thing is bad.\n' });
    const n = run(sess, 'aws testsvc do-nothing');
    expect(n).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });
  it('keeps non-ASCII text as is in JSON', () => {
    const r = run(session(), 'aws testsvc put-thing --name café --query Echo.Name');
    expect(r.stdout).toBe('"café"\n');
  });
  it('formats lists of structures as text rows with the upper-cased key', () => {
    const sess = session();
    for (const n of ['a', 'b']) run(sess, `aws testsvc put-thing --name ${n} --size 1`);
    const r = run(sess, 'aws testsvc list-things --output text');
    // top-level scalars first (sorted keys), then one row per list element
    expect(r.stdout).toBe('me\nTHINGS\ta\t1\nTHINGS\tb\t1\n');
  });
});

describe('pagination', () => {
  function withThings(n: number): Session {
    const sess = session();
    for (let i = 0; i < n; i++) run(sess, `aws testsvc put-thing --name t${i} --size ${i}`);
    return sess;
  }
  it('merges every page by the result key and keeps the non-aggregate keys', () => {
    const out = JSON.parse(run(withThings(5), 'aws testsvc list-things').stdout);
    expect(out.Things.map((t: { Name: string }) => t.Name)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(out.Owner).toBe('me');
    expect(out.NextToken).toBeUndefined();
    expect(Object.keys(out)).toEqual(['Things', 'Owner']);
  });
  it('--no-paginate shows the first page as the service returned it', () => {
    const out = JSON.parse(run(withThings(5), 'aws testsvc list-things --no-paginate').stdout);
    expect(out.Things).toHaveLength(2);
    expect(out.NextToken).toBe('2');
  });
  it('--max-items stops early with a NextToken that --starting-token resumes', () => {
    const sess = withThings(5);
    const first = JSON.parse(run(sess, 'aws testsvc list-things --max-items 3').stdout);
    expect(first.Things.map((t: { Name: string }) => t.Name)).toEqual(['t0', 't1', 't2']);
    expect(decodeToken(first.NextToken, ['NextToken'])).toEqual({ tokens: { NextToken: '2' }, truncate: 1 });
    const second = JSON.parse(run(sess, `aws testsvc list-things --max-items 3 --starting-token ${first.NextToken}`).stdout);
    expect(second.Things.map((t: { Name: string }) => t.Name)).toEqual(['t3', 't4']);
    expect(second.NextToken).toBeUndefined();
    const text = run(sess, 'aws testsvc list-things --max-items 2 --output text').stdout;
    expect(text.trimEnd().split('\n').pop()).toMatch(/^NEXTTOKEN\t\S+$/);
  });
  it('--page-size changes the calls, not the result; a manual limit turns auto-paging off', () => {
    const sess = withThings(5);
    const before = sess.sandbox.callLog().length;
    const out = JSON.parse(run(sess, 'aws testsvc list-things --page-size 1').stdout);
    expect(out.Things).toHaveLength(5);
    expect(sess.sandbox.callLog().length - before).toBe(5);
    const manual = JSON.parse(run(sess, 'aws testsvc list-things --max-results 3').stdout);
    expect(manual.Things).toHaveLength(3);
    expect(manual.NextToken).toBe('3');
  });
  it('applies --query to the merged result (json) or to each page (text), as the CLI does', () => {
    const sess = withThings(3);
    expect(JSON.parse(run(sess, 'aws testsvc list-things --query Things[].Name').stdout)).toEqual(['t0', 't1', 't2']);
    expect(run(sess, 'aws testsvc list-things --query Things[].Name --output text').stdout).toBe('t0\tt1\nt2\n');
    expect(run(sess, 'aws testsvc list-things --query Things[].Name --output text --page-size 5').stdout).toBe('t0\tt1\tt2\n');
    // the resume token is printed through the query too (None when it does not match)
    expect(run(sess, 'aws testsvc list-things --query Things[].Name --output text --max-items 1').stdout).toBe('t0\nNone\n');
  });
});

describe('skeletons', () => {
  it('prints a JSON input skeleton with placeholder values', () => {
    const r = run(session(), 'aws testsvc put-thing --generate-cli-skeleton');
    expect(r.exitCode).toBe(0);
    const sk = JSON.parse(r.stdout);
    expect(sk).toMatchObject({
      Name: '',
      Size: 0,
      Enabled: true,
      Kind: 'small',
      Tags: [{ Key: '', Value: '' }],
      Labels: [''],
      Attributes: { KeyName: '' },
      Config: { Mode: '', Limits: [0], Nested: { Deep: true } },
    });
    expect(r.stdout.startsWith('{\n    "Name": ""')).toBe(true);
    const y = run(session(), 'aws testsvc put-thing --generate-cli-skeleton yaml-input');
    expect(y.stdout).toContain("Name: ''");
    const o = run(session(), 'aws testsvc put-thing --generate-cli-skeleton output');
    expect(o.exitCode).toBe(252);
  });
});

describe('help', () => {
  it('has help at every level', () => {
    const sess = session();
    const top = run(sess, 'aws help');
    expect(top.exitCode).toBe(0);
    expect(top.stdout).toContain('AVAILABLE SERVICES');
    expect(top.stdout).toContain('o testsvc');
    expect(top.stdout).toContain('--output (string)');
    const svc = run(sess, 'aws testsvc help').stdout;
    expect(svc).toContain('Test Service');
    expect(svc).toContain('o put-thing');
    const cmd = run(sess, 'aws testsvc put-thing help').stdout;
    expect(cmd).toContain('SYNOPSIS');
    expect(cmd).toContain('--name <value>');
    expect(cmd).toContain('[--kind <value>]');
    expect(cmd).toContain('[--enabled | --no-enabled]');
    expect(cmd).toContain('--name (string) [required]');
    expect(cmd).toContain('The name of the thing.');
    expect(cmd).toMatch(/Possible values:\s+o small\s+o large/);
    expect(cmd).toContain('aws testsvc put-thing --name a --size 3');
    expect(cmd).toContain('Mode=string,Limits=integer,integer,Nested={Deep=boolean}');
    expect(cmd).toContain('Key=string,Value=string ...');
    expect(cmd).toContain('"Deep": true|false');
    expect(run(sess, 'aws testsvc list-things help').stdout).toContain('[--max-items <value>]');
    expect(run(sess, 'aws help return-codes').stdout).toContain('o 254 - the request reached the service');
    expect(run(sess, 'aws help nonsense').exitCode).toBe(252);
  });
});

describe('waiters', () => {
  registerWaiter({
    service: 'testsvc',
    name: 'thing-ready',
    operation: 'GetStatus',
    delaySeconds: 10,
    maxAttempts: 5,
    acceptors: [
      { state: 'success', matcher: 'path', argument: 'Status', expected: 'READY' },
      { state: 'failure', matcher: 'path', argument: 'Status', expected: 'FAILED' },
      { state: 'retry', matcher: 'pathAny', argument: 'Items[].State', expected: 'x' },
    ],
  });
  registerWaiter({
    service: 'testsvc',
    name: 'thing-slow',
    operation: 'GetStatus',
    delaySeconds: 5,
    maxAttempts: 3,
    acceptors: [{ state: 'success', matcher: 'path', argument: 'Status', expected: 'READY' }],
  });
  it('polls, advancing the simulated clock, until success', () => {
    const sess = session();
    run(sess, 'aws testsvc make-thing --name w');
    const t0 = sess.sandbox.now();
    const r = run(sess, 'aws testsvc wait thing-ready --name w');
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(sess.sandbox.now() - t0).toBe(30_000);
  });
  it('fails on a failure state, on an unexpected error, and after max attempts (exit 255)', () => {
    const sess = session();
    run(sess, 'aws testsvc make-thing --name broken');
    const f = run(sess, 'aws testsvc wait thing-ready --name broken');
    expect(f.exitCode).toBe(255);
    expect(f.stderr).toBe('\nWaiter ThingReady failed: Waiter encountered a terminal failure state: For expression "Status" we matched expected path: "FAILED"\n');
    const e = run(sess, 'aws testsvc wait thing-ready --name missing');
    expect(e.stderr).toBe('\nWaiter ThingReady failed: An error occurred (NotFound): No thing missing.\n');
    run(sess, 'aws testsvc make-thing --name slow');
    const m = run(sess, 'aws testsvc wait thing-slow --name slow');
    expect(m.exitCode).toBe(255);
    expect(m.stderr).toBe('\nWaiter ThingSlow failed: Max attempts exceeded\n');
  });
  it('lists waiters and checks the operation options', () => {
    const sess = session();
    expect(run(sess, 'aws testsvc wait').stderr).toContain('the following arguments are required');
    const bad = run(sess, 'aws testsvc wait thing-redy --name a');
    expect(bad.stderr).toContain("maybe you meant:\n\n  * thing-ready");
    expect(run(sess, 'aws testsvc wait thing-ready').stderr).toContain('the following arguments are required: --name');
    expect(run(sess, 'aws testsvc help').stdout).toContain('o wait');
  });
});

describe('completion', () => {
  registerCompleter('bucket', () => ['photos', 'logs']);
  const complete = (sess: Session, words: string[], partial: string) =>
    getCommand('aws')!.complete!({ session: sess, sandbox: sess.sandbox, cwd: '/home/learner' }, words, partial);
  it('completes services, commands, options, enums, regions and resources', () => {
    const sess = session();
    expect(complete(sess, [], 'tes')).toEqual(['testsvc']);
    expect(complete(sess, ['testsvc'], 'put')).toEqual(['put-thing']);
    expect(complete(sess, ['testsvc'], 'w')).toEqual(['wait']);
    expect(complete(sess, ['testsvc'], 'h')).toEqual(['help']);
    const opts = complete(sess, ['testsvc', 'put-thing', '--name', 'a'], '--');
    expect(opts).toContain('--size');
    expect(opts).not.toContain('--name');
    expect(complete(sess, ['testsvc', 'put-thing', '--kind'], '')).toEqual(['small', 'large']);
    expect(complete(sess, ['testsvc', 'put-thing', '--bucket'], 'ph')).toEqual(['photos']);
    expect(complete(sess, ['--region'], 'eu-w')).toEqual(['eu-west-1', 'eu-west-2']);
    expect(complete(sess, ['sts', 'get-caller-identity', '--output'], 't')).toEqual(['text', 'table']);
    expect(complete(sess, ['testsvc', 'wait'], 'thing-r')).toEqual(['thing-ready']);
    sess.sandbox.mutate((sb) => {
      sb.vfs.writeText('/home/learner/conf/td.json', '{}', { createParents: true });
      sb.vfs.writeText('/home/learner/body.txt', 'x');
    });
    expect(complete(sess, ['testsvc', 'put-thing', '--config'], 'file://co')).toEqual(['file://conf/']);
    expect(complete(sess, ['testsvc', 'put-thing', '--config'], 'file://conf/')).toEqual(['file://conf/td.json']);
    expect(complete(sess, ['testsvc', 'put-thing', '--cli-input-json'], 'fileb://b')).toEqual(['fileb://body.txt']);
    expect(complete(sess, ['testsvc', 'put-thing', '--body'], 'bo')).toEqual(['body.txt']);
  });
});

void testService;
