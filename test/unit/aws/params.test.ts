import { describe, expect, it } from 'vitest';
import { session } from './helpers';
import { parseAwsInvocation } from '../../../src/cli/aws/parse';
import { HOME } from '../../../src/engine';

function parse(line: string, files: Record<string, string> = {}) {
  const sess = session();
  sess.sandbox.mutate((sb) => {
    for (const [p, t] of Object.entries(files)) sb.vfs.writeText(`${HOME}/${p}`, t, { createParents: true });
  });
  const argv = line.split(/\s+/).filter(Boolean);
  return parseAwsInvocation(sess.sandbox, { cwd: HOME, env: {} }, argv);
}

function params(line: string, files: Record<string, string> = {}): Record<string, unknown> {
  const r = parse(line, files);
  if (!r.ok) throw new Error(`parse failed (${r.exitCode}): ${r.stderr}`);
  return r.params;
}

describe('option values by shape', () => {
  it('maps options to members in the model order and converts scalars', () => {
    const r = parse('testsvc put-thing --size 3 --name a --ratio 0.25 --enabled --kind large');
    expect(r).toEqual({ ok: true, service: 'testsvc', operation: 'PutThing', params: { Name: 'a', Size: 3, Ratio: 0.25, Enabled: true, Kind: 'large' } });
    expect(params('testsvc put-thing --name a --no-enabled')).toEqual({ Name: 'a', Enabled: false });
    expect(params('testsvc put-thing --name=a --size=7')).toEqual({ Name: 'a', Size: 7 });
  });

  it('does not validate enum values client-side', () => {
    expect(params('testsvc put-thing --name a --kind huge')).toEqual({ Name: 'a', Kind: 'huge' });
  });

  it('takes space-separated list values, shorthand and JSON', () => {
    expect(params('testsvc put-thing --name a --labels x y z')).toEqual({ Name: 'a', Labels: ['x', 'y', 'z'] });
    expect(params('testsvc put-thing --name a --tags Key=a,Value=b Key=c,Value=d')).toEqual({
      Name: 'a',
      Tags: [
        { Key: 'a', Value: 'b' },
        { Key: 'c', Value: 'd' },
      ],
    });
    expect(params('testsvc put-thing --name a --tags [{"Key":"k","Value":"v"}]')).toEqual({ Name: 'a', Tags: [{ Key: 'k', Value: 'v' }] });
    expect(params('testsvc put-thing --name a --attributes x=1,y=2')).toEqual({ Name: 'a', Attributes: { x: '1', y: '2' } });
    expect(params('testsvc put-thing --name a --config Mode=fast,Limits=[1,2],Nested={Deep=true}')).toEqual({
      Name: 'a',
      Config: { Mode: 'fast', Limits: [1, 2], Nested: { Deep: true } },
    });
    expect(params('testsvc put-thing --name a --config Mode=m,Limits=5')).toEqual({ Name: 'a', Config: { Mode: 'm', Limits: [5] } });
    expect(params('testsvc put-thing --name a --config {"Mode":"j"}')).toEqual({ Name: 'a', Config: { Mode: 'j' } });
  });

  it('reads file:// as text and fileb:// as bytes, relative to the current folder', () => {
    const files = { 'cfg.json': '{"Mode":"from-file"}', 'data.txt': 'hello' };
    expect(params('testsvc put-thing --name a --config file://cfg.json', files)).toEqual({ Name: 'a', Config: { Mode: 'from-file' } });
    expect(params('testsvc put-thing --name file://data.txt', files)).toEqual({ Name: 'hello' });
    expect(params('testsvc put-thing --name a --data fileb://data.txt', files)).toEqual({ Name: 'a', Data: 'hello' });
    expect(params('testsvc put-thing --name a --body data.txt', files)).toEqual({ Name: 'a', Body: 'hello' });
  });

  it('reports a missing paramfile with the CLI message and exit 252', () => {
    const r = parse('testsvc put-thing --name a --config file://a.json');
    expect(r).toEqual({
      ok: false,
      exitCode: 252,
      stderr: "\nError parsing parameter '--config': Unable to load paramfile file://a.json: [Errno 2] No such file or directory: 'a.json'\n",
    });
  });

  it('takes non-streaming blobs as base64, or raw text with --cli-binary-format raw-in-base64-out', () => {
    expect(params('testsvc put-thing --name a --data aGVsbG8=')).toEqual({ Name: 'a', Data: 'hello' });
    expect(params('testsvc put-thing --name a --data hi! --cli-binary-format raw-in-base64-out')).toEqual({ Name: 'a', Data: 'hi!' });
    const bad = parse('testsvc put-thing --name a --data hi!');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.stderr).toContain('Invalid base64');
  });

  it('streaming blobs must name a file', () => {
    const r = parse('testsvc put-thing --name a --body nope.txt');
    expect(r).toEqual({ ok: false, exitCode: 252, stderr: "\nError parsing parameter '--body': Blob values must be a path to a file.\n" });
  });

  it('accepts ISO 8601 and epoch seconds for timestamps (sent as epoch seconds by the json protocol)', () => {
    expect(params('testsvc put-thing --name a --when 2026-01-05T09:00:00Z')).toEqual({ Name: 'a', When: 1767603600 });
    expect(params('testsvc put-thing --name a --when 1767603600')).toEqual({ Name: 'a', When: 1767603600 });
  });

  it('reports bad numbers, bad JSON and bad shorthand like the CLI', () => {
    expect(parse('testsvc put-thing --name a --size abc')).toEqual({ ok: false, exitCode: 255, stderr: "\ninvalid literal for int() with base 10: 'abc'\n" });
    const j = parse('testsvc put-thing --name a --config {"Mode":}');
    expect(j.ok).toBe(false);
    if (!j.ok) {
      expect(j.exitCode).toBe(252);
      expect(j.stderr).toContain("Error parsing parameter '--config': Invalid JSON: Expecting value: line 1 column 9 (char 8)\nJSON received: {\"Mode\":}");
    }
    const sh = parse('testsvc put-thing --name a --tags Key');
    expect(sh).toEqual({ ok: false, exitCode: 252, stderr: "\nError parsing parameter '--tags': Expected: '=', received: 'EOF' for input:\nKey\n   ^\n" });
  });

  it('validates like botocore: unknown keys, missing nested members, types, min length', () => {
    const r = parse('testsvc put-thing --name a --config Mode=x,Bogus=1');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.exitCode).toBe(252);
      expect(r.stderr).toBe('\nParameter validation failed:\nUnknown parameter in Config: "Bogus", must be one of: Mode, Limits, Nested\n');
    }
    const m = parse('testsvc put-thing --name a --config Limits=1');
    expect(!m.ok && m.stderr).toContain('Missing required parameter in Config: "Mode"');
    const l = parse('testsvc put-thing --name a --labels [1]');
    expect(!l.ok && l.stderr).toContain("Invalid type for parameter Labels[0], value: 1, type: <class 'int'>, valid types: <class 'str'>");
    const e = parse('testsvc list-things --max-results 0');
    expect(!e.ok && e.stderr).toContain('Invalid value for parameter MaxResults, value: 0, valid min value: 1');
  });

  it('merges --cli-input-json under explicit options and checks it', () => {
    expect(params(`testsvc put-thing --cli-input-json {"Name":"j","Size":1} --size 2`)).toEqual({ Size: 2, Name: 'j' });
    expect(params('testsvc put-thing --cli-input-json file://in.json', { 'in.json': '{"Name":"f","Labels":["a"]}' })).toEqual({ Name: 'f', Labels: ['a'] });
    const r = parse('testsvc put-thing --cli-input-json {"Size":1}');
    expect(!r.ok && r.stderr).toBe('\nParameter validation failed:\nMissing required parameter in input: "Name"\n');
    const u = parse('testsvc put-thing --cli-input-json {"Name":"a","Nope":1}');
    expect(!u.ok && u.stderr).toContain('Unknown parameter in input: "Nope", must be one of: Name, Size');
  });
});

describe('usage errors', () => {
  it('reports missing required options after the usage lines (exit 252)', () => {
    const r = parse('testsvc put-thing');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.exitCode).toBe(252);
      expect(r.stderr).toBe(
        '\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\naws: error: the following arguments are required: --name\n\n',
      );
    }
  });
  it('reports unknown options and stray words', () => {
    const r = parse('testsvc put-thing --name a --foo bar');
    expect(!r.ok && r.stderr.endsWith('  aws <command> <subcommand> help\n\nUnknown options: --foo, bar\n\n')).toBe(true);
    expect(!r.ok && r.exitCode).toBe(252);
  });
  it('accepts a unique prefix of an option, as argparse does', () => {
    expect(params('testsvc put-thing --nam a --rat 1.5')).toEqual({ Name: 'a', Ratio: 1.5 });
  });
  it('needs a value for value options', () => {
    const r = parse('testsvc put-thing --name');
    expect(!r.ok && r.stderr).toContain('aws: error: argument --name: expected one argument');
  });
});
