/**
 * Core `sandbox` subcommands: clock, status, quota, export, import, reset,
 * seed, undo, redo. Usage errors exit 2; failures exit 1.
 */
import { registerSandboxCommand } from './registry';
import type { CommandContext } from '../types';
import { isoTime, parseDuration, formatDuration, ADMIN_IDENTITY, ACCOUNT_ID, REGIONS, HOME, resolvePath, displayPath, type Sandbox } from '../../engine';
import { resolveProfile } from '../aws/profiles';
import { DEFAULT_QUOTAS, updateConfig } from '../../engine/config';
import { exportStateJson, importState, SnapshotError } from '../../engine/snapshot';
import { getUndoStack, type UndoOutcome } from '../undo';
import { humanSize } from '../aws/s3/util';

const USAGE = 2;

function fail(ctx: CommandContext, cmd: string, message: string, code = 1): number {
  ctx.err(`sandbox ${cmd}: ${message}\n`);
  return code;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** "Monday 5 January 2026, 09:00:00 UTC" */
export function humanTime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

function seedOf(sandbox: Sandbox): number {
  return (sandbox.db.table<unknown>('meta').get('seed') as number | undefined) ?? 1;
}

function timersLine(sandbox: Sandbox): string {
  const pending = sandbox.scheduler.pending();
  if (!pending.length) return 'No scheduled events.';
  const next = pending[0]!;
  const wait = Math.max(0, next.at - sandbox.now());
  return `${pending.length} scheduled event${pending.length === 1 ? '' : 's'}; the next (${next.kind}) is due at ${isoTime(next.at)} (in ${formatDuration(wait)}).`;
}

// ---------------------------------------------------------------- clock

function printClock(ctx: CommandContext): void {
  const now = ctx.sandbox.now();
  ctx.out(`${isoTime(now)}\n${humanTime(now)}\n${timersLine(ctx.sandbox)}\n`);
}

registerSandboxCommand({
  path: ['clock'],
  summary: 'show the simulated time (the model never reads your computer clock)',
  usage: [
    'Usage: sandbox clock',
    '       sandbox clock advance DURATION',
    '',
    'Shows the simulated time, in the format the AWS CLI prints and in words, and the',
    'next scheduled event (a task starting, a restore finishing, a lifecycle rule ...).',
    'Time only moves when you advance it.',
  ].join('\n'),
  run(ctx, args) {
    if (args.length) {
      return fail(ctx, 'clock', `unknown argument "${args[0]}". Did you mean: sandbox clock advance ${args[0]}?`, USAGE);
    }
    printClock(ctx);
    return 0;
  },
});

registerSandboxCommand({
  path: ['clock', 'advance'],
  summary: 'move the simulated time forward and run everything that falls due',
  usage: [
    'Usage: sandbox clock advance DURATION',
    '',
    'Moves the simulated clock forward. Every event due in between runs in time order',
    '(tasks change state, restores complete, lifecycle rules apply).',
    'DURATION: a number with a unit, combined freely: 90s, 5m, 2h, 3d, 1h30m, 1w; a bare number is seconds.',
    '',
    'Example:',
    '  sandbox clock advance 5m',
  ].join('\n'),
  run(ctx, args) {
    if (args.length !== 1) return fail(ctx, 'clock advance', 'expected one DURATION, e.g. `sandbox clock advance 5m`', USAGE);
    const text = args[0]!.replace(/^\+/, '');
    const ms = parseDuration(text);
    if (ms === null || !Number.isFinite(ms)) {
      return fail(ctx, 'clock advance', `"${args[0]}" is not a duration; use a number with a unit such as 90s, 5m, 2h, 3d or 1h30m`, USAGE);
    }
    if (ms > 3650 * 86_400_000) return fail(ctx, 'clock advance', 'at most 10 years at a time', USAGE);
    const before = ctx.sandbox.now();
    const ran = ctx.sandbox.advance(ms);
    const now = ctx.sandbox.now();
    ctx.out(`Advanced ${formatDuration(now - before)}. The time is now ${isoTime(now)} (${humanTime(now)}).\n`);
    ctx.out(`${ran} scheduled event${ran === 1 ? '' : 's'} ran.\n`);
    return 0;
  },
  complete(_ctx, args, partial) {
    return args.length === 0 ? ['30s', '5m', '1h', '1d'].filter((w) => w.startsWith(partial)) : [];
  },
});

// ---------------------------------------------------------------- status

/** Rows per table, grouped by service prefix (s3.buckets -> s3: buckets). */
function resourceGroups(sandbox: Sandbox): Map<string, [string, number][]> {
  const groups = new Map<string, [string, number][]>();
  for (const name of sandbox.db.tableNames().sort()) {
    const dot = name.indexOf('.');
    if (dot < 0) continue;
    const n = sandbox.db.table(name).size;
    if (!n) continue;
    const g = name.slice(0, dot);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push([name.slice(dot + 1), n]);
  }
  return groups;
}

registerSandboxCommand({
  path: ['status'],
  summary: 'clock, region, identity, seed, resource counts, modes and changed quotas',
  usage: [
    'Usage: sandbox status [--json]',
    '',
    'Summarises the sandbox: simulated time, region and identity the CLI uses, the seed',
    'of its ids, how many resources of each kind exist, the S3 consistency mode of each',
    'region, and any quota that differs from its default. --json prints the same as JSON.',
  ].join('\n'),
  run(ctx, args) {
    const bad = args.find((a) => a !== '--json');
    if (bad) return fail(ctx, 'status', `unknown option "${bad}"`, USAGE);
    const sb = ctx.sandbox;
    const cfg = sb.config();
    const now = sb.now();
    const files = sb.vfs.walk(HOME);
    let fileBytes = 0;
    for (const f of files) fileBytes += sb.vfs.stat(f)?.size ?? 0;
    const groups = resourceGroups(sb);
    const eventual = Object.entries(cfg.s3Consistency).filter(([, m]) => m === 'eventual').map(([r]) => r).sort();
    const quotas = Object.entries(cfg.quotas).filter(([k, v]) => DEFAULT_QUOTAS[k] !== v).sort();
    const region = ctx.session.region;
    if (args.includes('--json')) {
      ctx.out(
        JSON.stringify(
          {
            clock: isoTime(now),
            region,
            profile: cfg.currentProfile,
            identity: (resolveProfile(sb, 'default') ?? ADMIN_IDENTITY).arn,
            account: ACCOUNT_ID,
            seed: seedOf(sb),
            scheduledEvents: sb.scheduler.pending().length,
            resources: Object.fromEntries([...groups].map(([g, list]) => [g, Object.fromEntries(list)])),
            homeFolder: { files: files.length, bytes: fileBytes },
            blobs: { count: sb.blobs.count, bytes: sb.blobs.totalBytes() },
            s3Consistency: Object.fromEntries(REGIONS.map((r) => [r.name, cfg.s3Consistency[r.name] ?? 'strong'])),
            quotas: Object.fromEntries(quotas.map(([k, v]) => [k, { value: v, default: DEFAULT_QUOTAS[k] ?? null }])),
            apiCalls: sb.db.table('calls').size,
          },
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    const out: string[] = [];
    out.push(`Clock:      ${isoTime(now)} (${humanTime(now)})`);
    out.push(`            ${timersLine(sb)}`);
    out.push(`Region:     ${region}`);
    out.push(`Identity:   ${(resolveProfile(sb, 'default') ?? ADMIN_IDENTITY).arn} (profile ${cfg.currentProfile})`);
    out.push(`Account:    ${ACCOUNT_ID}`);
    out.push(`Seed:       ${seedOf(sb)}`);
    out.push('Resources:');
    if (groups.size === 0) out.push('  none yet');
    for (const [g, list] of groups) out.push(`  ${g}: ${list.map(([t, n]) => `${t} ${n}`).join(', ')}`);
    out.push(`  home folder: ${files.length} file${files.length === 1 ? '' : 's'}, ${humanSize(fileBytes)}`);
    out.push(`  stored bodies: ${sb.blobs.count}, ${humanSize(sb.blobs.totalBytes())}`);
    out.push(`  API calls logged: ${sb.db.table('calls').size}`);
    out.push('Modes:');
    out.push(
      eventual.length
        ? `  S3 consistency: eventual in ${eventual.join(', ')} (the pre-December-2020 behaviour); strong elsewhere`
        : '  S3 consistency: strong read-after-write in every region (today\'s AWS)',
    );
    out.push('Quotas:');
    if (!quotas.length) out.push('  all at their defaults (`sandbox quota list`)');
    for (const [k, v] of quotas) out.push(`  ${k}: ${v} (default ${DEFAULT_QUOTAS[k] ?? 'none'})`);
    ctx.out(out.join('\n') + '\n');
    return 0;
  },
});

// ---------------------------------------------------------------- quota

const QUOTA_HELP: Record<string, string> = {
  's3-buckets': 'general purpose buckets per account',
  'ecs-clusters': 'ECS clusters per account and region',
  'ecs-tasks-per-run': 'tasks one RunTask call may start',
};

function quotaNames(sandbox: Sandbox): string[] {
  return [...new Set([...Object.keys(DEFAULT_QUOTAS), ...Object.keys(sandbox.config().quotas)])].sort();
}

function listQuotas(ctx: CommandContext): number {
  const cfg = ctx.sandbox.config();
  const names = quotaNames(ctx.sandbox);
  const w = Math.max(...names.map((n) => n.length), 4);
  ctx.out(`${'NAME'.padEnd(w)}  ${'VALUE'.padStart(7)}  ${'DEFAULT'.padStart(7)}  DESCRIPTION\n`);
  for (const n of names) {
    const v = cfg.quotas[n] ?? DEFAULT_QUOTAS[n];
    const d = DEFAULT_QUOTAS[n];
    ctx.out(`${n.padEnd(w)}  ${String(v ?? '-').padStart(7)}  ${String(d ?? '-').padStart(7)}  ${QUOTA_HELP[n] ?? ''}${v !== d ? ' (changed)' : ''}\n`);
  }
  return 0;
}

const QUOTA_USAGE = [
  'Usage: sandbox quota list',
  '       sandbox quota set NAME N',
  '',
  'Soft limits of the simulated account (AWS Service Quotas). Raising one simulates an',
  'approved quota increase request; lowering one (e.g. s3-buckets 100, the old default)',
  'lets you see the error AWS returns when the limit is reached.',
].join('\n');

registerSandboxCommand({
  path: ['quota'],
  summary: 'soft limits of the account (list, set)',
  usage: QUOTA_USAGE,
  run(ctx, args) {
    if (!args.length) return listQuotas(ctx);
    return fail(ctx, 'quota', `unknown subcommand "${args[0]}"; use \`sandbox quota list\` or \`sandbox quota set NAME N\``, USAGE);
  },
});

registerSandboxCommand({
  path: ['quota', 'list'],
  summary: 'list the soft limits, their values and defaults',
  usage: QUOTA_USAGE,
  run(ctx, args) {
    if (args.length) return fail(ctx, 'quota list', `unexpected argument "${args[0]}"`, USAGE);
    return listQuotas(ctx);
  },
});

registerSandboxCommand({
  path: ['quota', 'set'],
  summary: 'change a soft limit (simulates an approved quota increase)',
  usage: QUOTA_USAGE + '\n\nExample:\n  sandbox quota set s3-buckets 100',
  run(ctx, args) {
    if (args.length !== 2) return fail(ctx, 'quota set', 'expected NAME and N, e.g. `sandbox quota set s3-buckets 100`', USAGE);
    const [name, value] = args as [string, string];
    const names = quotaNames(ctx.sandbox);
    if (!names.includes(name)) return fail(ctx, 'quota set', `unknown quota "${name}"; known quotas: ${names.join(', ')}`, USAGE);
    if (!/^\d{1,9}$/.test(value)) return fail(ctx, 'quota set', `"${value}" is not a whole number >= 0`, USAGE);
    const n = Number(value);
    const before = ctx.sandbox.config().quotas[name] ?? DEFAULT_QUOTAS[name];
    ctx.sandbox.mutate((sb) => updateConfig(sb.db, (c) => ({ ...c, quotas: { ...c.quotas, [name]: n } })));
    const d = DEFAULT_QUOTAS[name];
    const how =
      before !== undefined && n > before
        ? 'This simulates an approved quota increase request.'
        : before !== undefined && n < before
          ? 'Requests that would go over it now fail as they do on AWS.'
          : 'Unchanged.';
    ctx.out(`${name}: ${before ?? '-'} -> ${n}${d !== undefined && d !== n ? ` (default ${d})` : ''}. ${how}\n`);
    return 0;
  },
  complete(ctx, args, partial) {
    return args.length === 0 ? quotaNames(ctx.sandbox).filter((n) => n.startsWith(partial)) : [];
  },
});

// ---------------------------------------------------------------- export / import

function fileArgComplete(ctx: CommandContext, args: string[], partial: string): string[] {
  if (args.length) return [];
  const dir = partial.includes('/') ? partial.slice(0, partial.lastIndexOf('/') + 1) : '';
  const abs = resolvePath(dir || '.', ctx.cwd);
  try {
    return ctx.sandbox.vfs
      .list(abs)
      .map((n) => dir + n + (ctx.sandbox.vfs.isDir(resolvePath(n, abs)) ? '/' : ''))
      .filter((n) => n.startsWith(partial));
  } catch {
    return [];
  }
}

registerSandboxCommand({
  path: ['export'],
  summary: 'write the whole state to a JSON file in the home folder (and download it)',
  usage: [
    'Usage: sandbox export [FILE]',
    '',
    'Writes everything (resources, object data, home-folder files, clock, seed, quotas,',
    'history, lesson progress) to one JSON file in the home folder; the app offers it as a',
    'download. FILE defaults to nimbus-state.json. Load it again with `sandbox import FILE`',
    '(here or in another browser) or with the headless runner: `npm run sandbox -- --state FILE`.',
  ].join('\n'),
  run(ctx, args) {
    if (args.length > 1) return fail(ctx, 'export', 'expected at most one FILE', USAGE);
    const path = resolvePath(args[0] ?? 'nimbus-state.json', ctx.cwd);
    if (!path.startsWith(HOME + '/')) return fail(ctx, 'export', `${displayPath(path)}: files can only be written inside the home folder (~)`);
    if (ctx.sandbox.vfs.isDir(path)) return fail(ctx, 'export', `${displayPath(path)}: Is a directory`);
    const json = exportStateJson(ctx.sandbox);
    try {
      ctx.sandbox.mutate((sb) => sb.vfs.writeText(path, json));
    } catch (e) {
      return fail(ctx, 'export', e instanceof Error ? e.message : String(e));
    }
    ctx.out(`Exported the sandbox state to ${displayPath(path)} (${humanSize(json.length)}).\n`);
    ctx.effect({ type: 'download', path });
    return 0;
  },
  complete: fileArgComplete,
});

registerSandboxCommand({
  path: ['import'],
  summary: 'replace the whole state with one exported earlier (after checking it)',
  usage: [
    'Usage: sandbox import FILE',
    '',
    'Checks FILE (a file written by `sandbox export`) and, when it is valid, replaces the',
    'whole sandbox with it: resources, object data, home folder, clock and progress.',
    'A file that fails the check changes nothing. Undo history is cleared.',
  ].join('\n'),
  run(ctx, args) {
    if (args.length !== 1) return fail(ctx, 'import', 'expected one FILE, e.g. `sandbox import nimbus-state.json`', USAGE);
    const path = resolvePath(args[0]!, ctx.cwd);
    let text: string;
    try {
      text = ctx.sandbox.vfs.readText(path);
    } catch (e) {
      return fail(ctx, 'import', e instanceof Error ? e.message : String(e));
    }
    try {
      const state = importState(ctx.sandbox, text);
      getUndoStack(ctx.sandbox)?.clear();
      const tables = Object.keys(state.tables).length;
      ctx.out(`Imported ${displayPath(path)}: state of ${state.exportedAt}, ${tables} tables, ${Object.keys(state.blobs ?? {}).length} stored bodies.\n`);
      ctx.effect({ type: 'state-replaced' });
      return 0;
    } catch (e) {
      if (e instanceof SnapshotError) return fail(ctx, 'import', `${displayPath(path)} is not a valid Nimbus state: ${e.message}. Nothing was changed.`);
      throw e;
    }
  },
  complete: fileArgComplete,
});

// ---------------------------------------------------------------- reset / seed

/** Tables that belong to the learner rather than to the simulated world (as src/lessons/world.ts): kept by reset. */
const LEARNER_TABLE_PREFIXES = ['lessons.', 'history', 'ui.'];

/** Start over with a fresh world, keeping terminal history and lesson progress. */
export function resetSandbox(sandbox: Sandbox, seed: number = seedOf(sandbox)): void {
  const keep: [string, [string, unknown][]][] = [];
  for (const name of sandbox.db.tableNames()) {
    if (LEARNER_TABLE_PREFIXES.some((p) => name.startsWith(p))) keep.push([name, [...sandbox.db.table(name).entries()]]);
  }
  const meta = sandbox.db.table<unknown>('meta');
  const metaKeep = [...meta.entries()].filter(([k]) => k.startsWith('history') || k === 'counter:history');
  sandbox.initFresh(seed);
  for (const [name, rows] of keep) sandbox.db.load(name, rows);
  if (metaKeep.length) sandbox.db.load('meta', metaKeep);
  sandbox.takeChanges();
  getUndoStack(sandbox)?.clear();
}

registerSandboxCommand({
  path: ['reset'],
  summary: 'start over: delete every resource, object and file (asks first; lesson progress stays)',
  usage: [
    'Usage: sandbox reset [--yes] [--seed N]',
    '',
    'Deletes every resource, object, home-folder file and quota change and starts a fresh',
    'sandbox at the start time. Terminal history and lesson progress are kept. In the app',
    'you are asked to confirm; --yes skips the question. --seed N picks another seed for the ids.',
    'Export first (`sandbox export`) if you may want this state back.',
  ].join('\n'),
  run(ctx, args) {
    let yes = false;
    let seed: number | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--yes' || a === '-y') yes = true;
      else if (a === '--seed') {
        const v = args[++i];
        if (!v || !/^\d{1,9}$/.test(v)) return fail(ctx, 'reset', '--seed needs a whole number', USAGE);
        seed = Number(v);
      } else return fail(ctx, 'reset', `unknown option "${a}"`, USAGE);
    }
    const s = seed ?? seedOf(ctx.sandbox);
    if (!yes) {
      ctx.out(
        `This deletes every resource, object and home-folder file, and starts a fresh sandbox (seed ${s}). History and lesson progress are kept.\n` +
          'Confirm in the dialog, or run `sandbox reset --yes`.\n',
      );
      ctx.effect({ type: 'confirm-reset' });
      return 0;
    }
    resetSandbox(ctx.sandbox, s);
    ctx.out(`The sandbox was reset (seed ${s}); the clock is at ${isoTime(ctx.sandbox.now())}.\n`);
    ctx.effect({ type: 'state-replaced' });
    return 0;
  },
  complete(_ctx, _args, partial) {
    return ['--yes', '--seed'].filter((w) => w.startsWith(partial));
  },
});

registerSandboxCommand({
  path: ['seed'],
  summary: 'show the seed the ids and random choices come from',
  usage: [
    'Usage: sandbox seed',
    '',
    'Shows the seed. The same seed and the same commands always give the same ids, ARNs',
    'and placements. Start over with another one: `sandbox reset --yes --seed N`.',
  ].join('\n'),
  run(ctx, args) {
    if (args.length) return fail(ctx, 'seed', 'to change the seed, run `sandbox reset --yes --seed N`', USAGE);
    ctx.out(`${seedOf(ctx.sandbox)}\n`);
    return 0;
  },
});

// ---------------------------------------------------------------- undo / redo

function printOutcome(ctx: CommandContext, verb: string, o: UndoOutcome): void {
  ctx.out(`${verb}: ${o.entry.label || '(a change)'}\n`);
  for (const line of o.summary) ctx.out(`  ${line}\n`);
}

function undoRedo(which: 'undo' | 'redo') {
  return (ctx: CommandContext, args: string[]): number => {
    if (args.length) return fail(ctx, which, `unexpected argument "${args[0]}"`, USAGE);
    const stack = getUndoStack(ctx.sandbox);
    if (!stack) return fail(ctx, which, `${which} is not available in this session`);
    const o = which === 'undo' ? stack.undo(ctx.sandbox) : stack.redo(ctx.sandbox);
    if (!o) {
      ctx.err(`Nothing to ${which}.\n`);
      return 1;
    }
    printOutcome(ctx, which === 'undo' ? 'Undone' : 'Redone', o);
    return 0;
  };
}

registerSandboxCommand({
  path: ['undo'],
  summary: 'undo the changes of the last command line',
  usage: [
    'Usage: sandbox undo',
    '',
    'Reverts every change the last command line made (resources, objects, files, the',
    'clock), as one step. Repeat to go further back (up to 50 lines). Terminal history and',
    'the shell\'s folder and variables are not undone. `sandbox redo` brings it back.',
  ].join('\n'),
  run: undoRedo('undo'),
});

registerSandboxCommand({
  path: ['redo'],
  summary: 'redo the line the last `sandbox undo` reverted',
  usage: ['Usage: sandbox redo', '', 'Re-applies the changes the last `sandbox undo` reverted. Any new change clears the redo list.'].join('\n'),
  run: undoRedo('redo'),
});
