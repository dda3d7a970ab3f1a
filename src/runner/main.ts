/**
 * Headless runner: `npm run -s sandbox -- [options] [SCRIPT]` (see RUNNER_USAGE
 * in run.ts). Runs terminal lines in Node against the same engine and CLI as
 * the browser app.
 */
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunnerArgs, runScript, RUNNER_USAGE, UsageError, type RunnerDeps, type RunnerIO, type LessonChecker } from './run';

function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...walk(full, rel));
    else out.push(rel);
  }
  return out;
}

const io: RunnerIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  readFile: (p) => readFileSync(p, 'utf8'),
  readBytes: (p) => new Uint8Array(readFileSync(p)),
  writeFile: (p, t) => writeFileSync(p, t),
  walk: (d) => walk(d),
};

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Reading lines from the terminal; end with Ctrl-D (or give a SCRIPT file).\n');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Layers loaded only when needed, to keep the runner's start quick. */
async function loadDeps(needParse: boolean, needLessons: boolean): Promise<RunnerDeps> {
  const deps: RunnerDeps = {};
  if (needParse) deps.parseAwsLine = (await import('./aws-parse')).parseAwsLine;
  if (needLessons) deps.checkLesson = (await import('../lessons/index')).checkLessonReport as LessonChecker;
  // the lesson checker's after-exec hooks, as in the Worker (live progress of a started lesson)
  await import('../lessons/worker');
  return deps;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseRunnerArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`sandbox runner: ${(e as Error).message}\n\n${RUNNER_USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(RUNNER_USAGE);
    return 0;
  }
  let script: string;
  try {
    script = opts.script === undefined || opts.script === '-' ? await readStdin() : readFileSync(opts.script, 'utf8');
  } catch (e) {
    process.stderr.write(`sandbox runner: cannot read ${opts.script}: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const deps = await loadDeps(opts.mode === 'parse', opts.checkLesson !== undefined);
    return await runScript(opts, script, io, deps);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sandbox runner: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`sandbox runner: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 255;
  },
);
