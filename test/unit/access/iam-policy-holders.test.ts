import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

function setup() {
  const sandbox = new Sandbox();
  const session = new Session(sandbox);
  const run = (line: string) => session.run(line);
  const json = (line: string) => {
    const r = run(line);
    if (r.exitCode !== 0) throw new Error(`${line}: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : {};
  };
  json('aws iam create-user --user-name alice');
  json(`aws iam create-role --role-name app --assume-role-policy-document '${TRUST}'`);
  json('aws iam create-group --group-name readers');
  return { sandbox, run, json };
}

const HOLDERS = [
  { kind: 'user', cmd: 'user', arg: '--user-name alice', name: 'alice', key: 'UserName', quota: 'PoliciesPerUser' },
  { kind: 'role', cmd: 'role', arg: '--role-name app', name: 'app', key: 'RoleName', quota: 'PoliciesPerRole' },
  { kind: 'group', cmd: 'group', arg: '--group-name readers', name: 'readers', key: 'GroupName', quota: 'PoliciesPerGroup' },
];

describe('users, roles and groups keep inline and managed policies by the same rules', () => {
  for (const h of HOLDERS) {
    it(`${h.kind}: inline policies put, get, list, page and delete`, () => {
      const { sandbox, run, json } = setup();
      json(`aws iam put-${h.cmd}-policy ${h.arg} --policy-name b --policy-document '${DOC}'`);
      json(`aws iam put-${h.cmd}-policy ${h.arg} --policy-name a --policy-document '${DOC}'`);
      const got = json(`aws iam get-${h.cmd}-policy ${h.arg} --policy-name a`);
      expect(got[h.key]).toBe(h.name);
      expect(got.PolicyDocument).toEqual(JSON.parse(DOC));
      expect(json(`aws iam list-${h.cmd}-policies ${h.arg}`).PolicyNames).toEqual(['a', 'b']);
      const op = `List${h.kind[0]!.toUpperCase()}${h.kind.slice(1)}Policies`;
      const first = sandbox.call({ service: 'iam', operation: op, input: { [h.key]: h.name, MaxItems: 1 } });
      expect(first).toEqual({ ok: true, output: { PolicyNames: ['a'], IsTruncated: true, Marker: '1' } });
      const second = sandbox.call({ service: 'iam', operation: op, input: { [h.key]: h.name, MaxItems: 1, Marker: '1' } });
      expect(second).toEqual({ ok: true, output: { PolicyNames: ['b'], IsTruncated: false } });
      json(`aws iam delete-${h.cmd}-policy ${h.arg} --policy-name a`);
      for (const verb of ['get', 'delete']) {
        const r = run(`aws iam ${verb}-${h.cmd}-policy ${h.arg} --policy-name a`);
        expect(r.exitCode).toBe(254);
        expect(r.stderr).toContain(`(NoSuchEntity)`);
        expect(r.stderr).toContain(`The ${h.kind} policy with name a cannot be found.`);
      }
      const bad = run(`aws iam put-${h.cmd}-policy ${h.arg} --policy-name c --policy-document '{"nope":1}'`);
      expect(bad.stderr).toContain('MalformedPolicyDocument');
      expect(json(`aws iam list-${h.cmd}-policies ${h.arg}`).PolicyNames).toEqual(['b']);
    });

    it(`${h.kind}: managed policies attach once, at most 10, and detach`, () => {
      const { run, json } = setup();
      const arns: string[] = [];
      for (let i = 0; i < 11; i++) arns.push(json(`aws iam create-policy --policy-name p${i} --policy-document '${DOC}'`).Policy.Arn);
      json(`aws iam attach-${h.cmd}-policy ${h.arg} --policy-arn ${arns[0]}`);
      json(`aws iam attach-${h.cmd}-policy ${h.arg} --policy-arn ${arns[0]}`);
      expect(json(`aws iam list-attached-${h.cmd}-policies ${h.arg}`).AttachedPolicies).toEqual([{ PolicyName: 'p0', PolicyArn: arns[0] }]);
      for (let i = 1; i < 10; i++) json(`aws iam attach-${h.cmd}-policy ${h.arg} --policy-arn ${arns[i]}`);
      const over = run(`aws iam attach-${h.cmd}-policy ${h.arg} --policy-arn ${arns[10]}`);
      expect(over.exitCode).toBe(254);
      expect(over.stderr).toContain(`Cannot exceed quota for ${h.quota}: 10`);
      const missing = run(`aws iam attach-${h.cmd}-policy ${h.arg} --policy-arn arn:aws:iam::123456789012:policy/none`);
      expect(missing.stderr).toContain('Policy arn:aws:iam::123456789012:policy/none does not exist or is not attachable.');
      json(`aws iam detach-${h.cmd}-policy ${h.arg} --policy-arn ${arns[0]}`);
      const again = run(`aws iam detach-${h.cmd}-policy ${h.arg} --policy-arn ${arns[0]}`);
      expect(again.stderr).toContain(`Policy ${arns[0]} was not found.`);
      expect(json(`aws iam list-attached-${h.cmd}-policies ${h.arg}`).AttachedPolicies).toHaveLength(9);
    });
  }
});
