import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { parseJsonStream, compare } from '../../../src/cli/commands/jq';

let s: Session;
beforeEach(() => {
  s = new Session(new Sandbox());
  s.run(`cat > tasks.json <<'EOF'
{"tasks": [
  {"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/demo/a1", "lastStatus": "RUNNING", "cpu": "256", "tags": [{"key": "env", "value": "dev"}]},
  {"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/demo/b2", "lastStatus": "STOPPED", "cpu": "512", "tags": []}
]}
EOF`);
});
const jq = (args: string) => s.run(`jq ${args} tasks.json`);

describe('jq', () => {
  it('pretty-prints like jq (2 spaces) and compacts with -c', () => {
    expect(s.run(`echo '{"a":[1,{"b":null}],"c":{}}' | jq .`).stdout).toBe('{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": {}\n}\n');
    expect(s.run(`echo '{"a": [1, 2]}' | jq -c .`).stdout).toBe('{"a":[1,2]}\n');
  });
  it('paths, iteration, raw output', () => {
    expect(jq(`-r '.tasks[].lastStatus'`).stdout).toBe('RUNNING\nSTOPPED\n');
    expect(jq(`'.tasks[0].cpu'`).stdout).toBe('"256"\n');
    expect(jq(`-r '.tasks[-1].taskArn | split("/") | last'`).stdout).toBe('b2\n');
    expect(jq(`'.tasks | length'`).stdout).toBe('2\n');
    expect(jq(`-c '.tasks[1:] | map(.lastStatus)'`).stdout).toBe('["STOPPED"]\n');
    expect(jq(`'.nope.deeper'`).stdout).toBe('null\n');
  });
  it('select, construction, interpolation, alternatives', () => {
    expect(jq(`-r '.tasks[] | select(.lastStatus == "RUNNING") | .taskArn'`).stdout).toBe('arn:aws:ecs:us-east-1:123456789012:task/demo/a1\n');
    expect(jq(`-c '[.tasks[] | {status: .lastStatus, cpu: (.cpu | tonumber)}]'`).stdout).toBe('[{"status":"RUNNING","cpu":256},{"status":"STOPPED","cpu":512}]\n');
    expect(jq(`-r '.tasks[] | "\\(.lastStatus): \\(.tags | length) tag(s)"'`).stdout).toBe('RUNNING: 1 tag(s)\nSTOPPED: 0 tag(s)\n');
    expect(jq(`-r '.tasks[0].stoppedReason // "still running"'`).stdout).toBe('still running\n');
    expect(jq(`-c '.tasks[0].tags | from_entries'`).stdout).toBe('{"env":"dev"}\n');
    expect(jq(`-r 'if (.tasks | length) > 1 then "many" else "few" end'`).stdout).toBe('many\n');
  });
  it('builtins: sort_by, group_by, unique, add, keys, to_entries, reduce, as', () => {
    expect(jq(`-c '.tasks | sort_by(.cpu) | reverse | map(.cpu)'`).stdout).toBe('["512","256"]\n');
    expect(s.run(`echo '[3,1,3,2]' | jq -c 'unique, add, (sort | first), max, (group_by(. > 2) | length)'`).stdout).toBe('[1,2,3]\n9\n1\n3\n2\n');
    expect(s.run(`echo '{"b":1,"a":2}' | jq -c 'keys, to_entries[0], (reduce .[] as $v (0; . + $v)), (.a as $x | $x * 10)'`).stdout).toBe(
      '["a","b"]\n{"key":"b","value":1}\n3\n20\n',
    );
    expect(s.run(`echo '"My-Bucket"' | jq -r 'ascii_downcase, test("bucket"; "i"), startswith("My")'`).stdout).toBe('my-bucket\ntrue\ntrue\n');
  });
  it('options: -s -n --arg --argjson -e -j', () => {
    expect(s.run(`echo '1 2 3' | jq -s -c '.'`).stdout).toBe('[1,2,3]\n');
    expect(s.run(`jq -n -c --arg name web --argjson n 2 '{name: $name, count: $n}'`).stdout).toBe('{"name":"web","count":2}\n');
    expect(s.run(`echo '{"a":false}' | jq -e .a`).exitCode).toBe(1);
    expect(s.run(`echo '{"a":1}' | jq -e .a`).exitCode).toBe(0);
    expect(s.run(`echo '["a","b"]' | jq -j '.[]'`).stdout).toBe('ab');
  });
  it('errors and exit codes like jq', () => {
    expect(s.run(`jq '.tasks[' tasks.json`)).toMatchObject({ exitCode: 3 });
    expect(s.run(`echo '[1]' | jq .a`)).toMatchObject({ exitCode: 5, stderr: 'jq: error (at <stdin>:0): Cannot index array with "a"\n' });
    expect(s.run(`echo '{' | jq .`).exitCode).toBe(2);
    expect(s.run(`echo '1' | jq '.[]'`).stderr).toBe('jq: error (at <stdin>:0): Cannot iterate over number (1)\n');
    expect(s.run(`echo '[1]' | jq '.a?'`)).toMatchObject({ exitCode: 0, stdout: '' });
    expect(s.run(`jq . nope.json`).exitCode).toBe(2);
  });
  it('works on real AWS CLI output from the sandbox', () => {
    expect(s.run('aws sts get-caller-identity | jq -r .Account').stdout).toBe('123456789012\n');
  });
  it('reads a stream of JSON values and orders values like jq', () => {
    expect(parseJsonStream('{"a":"}"} [1] "x" 2 true null')).toEqual([{ a: '}' }, [1], 'x', 2, true, null]);
    expect([{}, [], 'a', 1, true, false, null].sort(compare)).toEqual([null, false, true, 1, 'a', [], {}]);
  });
});
