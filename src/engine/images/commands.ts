/**
 * What a container's main process does, from its command line: enough shell to
 * read `sleep 3600`, `echo hi`, `exit 3`, `sh -c "echo start; sleep 5; exit 1"`,
 * `tail -f /dev/null`, `while true; do ...; done`, `python -m http.server 8000`.
 * Commands the sandbox does not know are taken to keep running (like a server
 * without a known port).
 */
import type { Behaviour } from './catalogue';

const QUICK = new Set(['echo', 'printf', 'cat', 'ls', 'date', 'env', 'printenv', 'hostname', 'pwd', 'true', ':', 'whoami', 'id', 'uname', 'touch', 'mkdir', 'cp', 'mv', 'rm', 'export', 'set', 'cd', 'wget', 'curl', 'nslookup', 'ping', 'df', 'free', 'ps', 'apk', 'apt-get', 'yum', 'dnf', 'pip', 'npm', 'test', '[']);

const SHELLS = new Set(['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash', 'zsh']);

/** Split a shell word list (handles '...' and "..." quoting). */
export function shellWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

function parseSleep(arg: string | undefined): number | 'forever' | undefined {
  if (!arg) return undefined;
  if (arg === 'infinity' || arg === 'inf') return 'forever';
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(parseFloat(m[1]!) * unit);
}

/** Split a script into simple commands with the operator that follows each. */
function splitScript(script: string): { cmd: string; op: ';' | '&&' | '||' }[] {
  const out: { cmd: string; op: ';' | '&&' | '||' }[] = [];
  let cur = '';
  let q: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (q) {
      if (c === q) q = null;
      cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      cur += c;
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      out.push({ cmd: cur.trim(), op: two });
      cur = '';
      i++;
      continue;
    }
    if (c === ';' || c === '\n') {
      out.push({ cmd: cur.trim(), op: ';' });
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push({ cmd: cur.trim(), op: ';' });
  return out.filter((x) => x.cmd.length);
}

type Step = { kind: 'done'; durationMs: number; exitCode: number } | { kind: 'exit'; exitCode: number } | { kind: 'forever'; port?: number } | { kind: 'default' };

function simple(words: string[], defaultBinaries: readonly string[]): Step {
  const [cmd, ...args] = words;
  if (!cmd) return { kind: 'done', durationMs: 0, exitCode: 0 };
  const base = cmd.slice(cmd.lastIndexOf('/') + 1);
  if (base === 'exec') return simple(args, defaultBinaries);
  if (base === 'sleep') {
    const d = parseSleep(args[0]);
    if (d === 'forever') return { kind: 'forever' };
    if (d === undefined) return { kind: 'done', durationMs: 10, exitCode: 1 };
    return { kind: 'done', durationMs: d, exitCode: 0 };
  }
  if (base === 'exit') {
    const n = args[0] === undefined ? 0 : parseInt(args[0], 10);
    return { kind: 'exit', exitCode: Number.isNaN(n) ? 2 : ((n % 256) + 256) % 256 };
  }
  if (base === 'false') return { kind: 'done', durationMs: 10, exitCode: 1 };
  if (base === 'tail' && (args.includes('-f') || args.includes('-F'))) return { kind: 'forever' };
  if ((base === 'python' || base === 'python3') && args[0] === '-m' && args[1] === 'http.server') {
    const port = parseInt(args.find((a, i) => i >= 2 && /^\d+$/.test(a)) ?? '8000', 10);
    return { kind: 'forever', port };
  }
  if (base === 'nc' && args.includes('-l')) return { kind: 'forever' };
  if (base === 'httpd' && args.includes('-f')) {
    const p = args.indexOf('-p');
    return { kind: 'forever', port: p >= 0 ? parseInt(args[p + 1] ?? '80', 10) || 80 : 80 };
  }
  if (SHELLS.has(cmd) && args[0] === '-c' && args[1] !== undefined) return runScript(args[1], defaultBinaries);
  if (defaultBinaries.includes(cmd) || defaultBinaries.includes(base)) return { kind: 'default' };
  if (SHELLS.has(cmd)) return { kind: 'done', durationMs: 30, exitCode: 0 };
  if (QUICK.has(base)) return { kind: 'done', durationMs: 20, exitCode: 0 };
  return { kind: 'forever' };
}

function runScript(script: string, defaultBinaries: readonly string[]): Step {
  if (/\bwhile\s+(true|:)\s*;?\s*do\b/.test(script) || /\buntil\s+false\b/.test(script)) return { kind: 'forever' };
  let duration = 0;
  let code = 0;
  let skip = false;
  for (const { cmd, op } of splitScript(script)) {
    if (!skip) {
      const step = simple(shellWords(cmd), defaultBinaries);
      if (step.kind === 'forever' || step.kind === 'default') return step;
      if (step.kind === 'exit') return { kind: 'done', durationMs: duration, exitCode: step.exitCode };
      duration += step.durationMs;
      code = step.exitCode;
    }
    skip = (op === '&&' && code !== 0) || (op === '||' && code === 0);
  }
  return { kind: 'done', durationMs: duration, exitCode: code };
}

/**
 * The behaviour of a command line (ENTRYPOINT + CMD as one argv), or
 * `undefined` when it runs the image's own main program (keep the image's
 * behaviour).
 */
export function interpretCommand(argv: readonly string[], defaultBinaries: readonly string[] = []): Behaviour | undefined {
  if (!argv.length) return undefined;
  const step = simple([...argv], defaultBinaries);
  switch (step.kind) {
    case 'default':
      return undefined;
    case 'forever':
      return step.port !== undefined ? { kind: 'server', port: step.port } : { kind: 'server' };
    case 'exit':
      return { kind: 'command', exitCode: step.exitCode, durationMs: 20 };
    case 'done':
      return { kind: 'command', exitCode: step.exitCode, durationMs: Math.max(step.durationMs, 20) };
  }
}

/** Shell form (`CMD echo hi`) becomes ["/bin/sh", "-c", "echo hi"]; exec form is JSON. */
export function parseInstructionArgs(text: string): string[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      /* fall through to shell form, as Docker does */
    }
  }
  return ['/bin/sh', '-c', t];
}
