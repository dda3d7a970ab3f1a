/**
 * Core benchmarks (rates are the best of 5 trials): a whole terminal line (parse + execute + format) through
 * Session.run in Node, against baselines measured in the same run.
 * Target (issue 2): at least 20,000 commands/s.
 */
import { Sandbox } from '../src/engine/sandbox';
import { Session } from '../src/cli/session';
import { getCommand } from '../src/cli/commands/registry';
import { UndoStack, attachUndoStack } from '../src/cli/undo';
import { rate, type Benchmark } from './harness';

const TARGET = 20_000;

/** A session run the way its owner runs it: line, then take the changes and record undo. */
function lineRate(line: string): number {
  const sandbox = new Sandbox();
  const session = new Session(sandbox);
  const undo = attachUndoStack(sandbox, new UndoStack());
  sandbox.takeChanges();
  const first = session.run(line);
  if (first.exitCode !== 0) throw new Error(`\`${line}\` exits ${first.exitCode}: ${first.stderr.trim()}`);
  return rate(() => {
    session.run(line);
    undo.record(sandbox.takeChanges(), line);
  });
}

/** Baseline: a JSON round trip of a small API-shaped output (what formatting a result costs at least). */
function jsonRate(): number {
  const out = { UserId: 'AIDAEXAMPLEADMIN0001', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/admin' };
  let sink = 0;
  const r = rate(() => {
    sink += JSON.stringify(JSON.parse(JSON.stringify(out)), null, 4).length;
  });
  if (sink < 0) throw new Error('unreachable');
  return r;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'line: echo hi',
    async run() {
      const figure = lineRate('echo hi');
      return { figure, unit: 'commands/s', baseline: jsonRate(), baselineLabel: 'JSON round trip', target: TARGET };
    },
  },
  {
    name: 'line: aws sts get-caller-identity',
    async run() {
      if (!getCommand('aws')) return { figure: NaN, unit: 'commands/s', note: 'the aws command is not registered yet' };
      const figure = lineRate('aws sts get-caller-identity');
      return { figure, unit: 'commands/s', baseline: jsonRate(), baselineLabel: 'JSON round trip', target: TARGET };
    },
  },
  {
    name: 'engine: sts GetCallerIdentity call',
    async run() {
      const sandbox = new Sandbox();
      const figure = rate(() => {
        sandbox.call({ service: 'sts', operation: 'GetCallerIdentity' });
        sandbox.takeChanges();
      });
      return { figure, unit: 'calls/s', baseline: jsonRate(), baselineLabel: 'JSON round trip' };
    },
  },
  {
    name: 'snapshot: export+import (1 MiB of files)',
    async run() {
      const { exportStateJson, importState } = await import('../src/engine/snapshot');
      const sandbox = new Sandbox();
      const bytes = new Uint8Array(64 * 1024).map((_, i) => i % 251);
      sandbox.mutate((sb) => {
        for (let i = 0; i < 16; i++) sb.vfs.writeBytes(`/home/learner/f${i}.bin`, bytes.slice().map((b) => (b + i) % 256));
      });
      const other = new Sandbox();
      const perS = rate(() => importState(other, exportStateJson(sandbox)), { minMs: 300, warmup: 2, batch: 1 });
      return { figure: 1000 / perS, unit: 'ms', higherIsBetter: false };
    },
  },
];
