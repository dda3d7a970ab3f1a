import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

export interface Term {
  sb: Sandbox;
  se: Session;
  /** Run a line; returns exit code and streams. */
  run(line: string): { code: number; out: string; err: string };
  /** Run a line that must succeed; returns stdout. */
  ok(line: string): string;
  /** Run an aws line that must succeed with JSON output; returns it parsed. */
  json<T = any>(line: string): T;
  write(path: string, text: string): void;
  writeBytes(path: string, bytes: Uint8Array): void;
  call(operation: string, input: Record<string, unknown>, region?: string): any;
}

export function term(): Term {
  const sb = new Sandbox();
  const se = new Session(sb);
  const run = (line: string) => {
    const r = se.run(line);
    return { code: r.exitCode, out: r.stdout, err: r.stderr };
  };
  return {
    sb,
    se,
    run,
    ok(line) {
      const r = run(line);
      if (r.code !== 0) throw new Error(`${line} -> ${r.code}\n${r.out}${r.err}`);
      return r.out;
    },
    json(line) {
      const r = run(line);
      if (r.code !== 0) throw new Error(`${line} -> ${r.code}\n${r.out}${r.err}`);
      return JSON.parse(r.out);
    },
    write(path, text) {
      sb.mutate((s) => s.vfs.writeText(s.vfs.stat(path) ? path : path.startsWith('/') ? path : `/home/learner/${path}`, text, { createParents: true }));
    },
    writeBytes(path, bytes) {
      sb.mutate((s) => s.vfs.writeBytes(path.startsWith('/') ? path : `/home/learner/${path}`, bytes, { createParents: true }));
    },
    call(operation, input, region) {
      return sb.call({ service: 's3', operation, input, region });
    },
  };
}

export const enc = (s: string) => new TextEncoder().encode(s);
