/**
 * `sandbox lessons ...`, `sandbox lesson ...` and `sandbox progress export`:
 * guided lessons from the terminal (the same in the app and the headless
 * runner). Usage errors exit 2; "not met" and failures exit 1.
 */
import { registerSandboxCommand } from './registry';
import type { CommandContext } from '../types';
import { HOME, resolvePath, displayPath } from '../../engine';
import {
  allLessons,
  findLesson,
  getProgress,
  startLesson,
  resetLesson,
  exitLesson,
  checkCurrent,
  nextHint,
  solutionText,
  replaySolution,
  backToAttempt,
  markSolutionSeen,
  currentLesson,
  importPack,
  recordStart,
  recordStop,
  recording,
  progressExport,
  type RunLine,
} from '../../lessons';

const USAGE = 2;

function fail(ctx: CommandContext, cmd: string, message: string, code = 1): number {
  ctx.err(`sandbox ${cmd}: ${message}\n`);
  return code;
}

function runner(ctx: CommandContext): RunLine {
  return (line: string) => ctx.session.run(line);
}

function lessonIds(ctx: CommandContext, partial: string): string[] {
  return allLessons(ctx.sandbox)
    .map((l) => l.id)
    .filter((id) => id.startsWith(partial));
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

registerSandboxCommand({
  path: ['lessons'],
  summary: 'guided lessons: list, import a pack, record a new lesson',
  usage: 'Usage: sandbox lessons list [--output json]\n       sandbox lessons import FILE\n       sandbox lessons record start|stop [--id TRACK/NN-NAME] [--title TEXT]',
  run(ctx, args) {
    return fail(ctx, 'lessons', args.length ? `unknown subcommand "${args[0]}"; use list, import or record` : 'needs a subcommand: list, import, record', USAGE);
  },
});

registerSandboxCommand({
  path: ['lessons', 'list'],
  summary: 'list the lessons, by track, with what you completed',
  usage: [
    'Usage: sandbox lessons list [--output json]',
    '',
    'Lists every lesson (bundled and imported) by track. [solved] marks a lesson you',
    'finished yourself, [with solution] one finished after showing a solution.',
    'With --output json: an array of {id, title, track, order, minutes, solved}.',
  ].join('\n'),
  run(ctx, args) {
    let json = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--output' || a === '-o') {
        const v = args[++i];
        if (v === 'json') json = true;
        else if (v === 'text' || v === 'table') json = false;
        else return fail(ctx, 'lessons list', `--output must be json or text${v ? `, not ${v}` : ''}`, USAGE);
      } else if (a === '--output=json') json = true;
      else return fail(ctx, 'lessons list', `unknown option ${a}`, USAGE);
    }
    const lessons = allLessons(ctx.sandbox);
    if (json) {
      const rows = lessons.map((l) => {
        const p = getProgress(ctx.sandbox, l.id);
        return { id: l.id, title: l.title, track: l.track, order: l.order, minutes: l.minutes, solved: p.solved, solvedWithSolution: p.solvedWithSolution };
      });
      ctx.out(JSON.stringify(rows, null, 4) + '\n');
      return 0;
    }
    if (!lessons.length) {
      ctx.out('No lessons yet.\n');
      return 0;
    }
    const cur = currentLesson(ctx.sandbox);
    let track = '';
    for (const l of lessons) {
      if (l.track !== track) {
        track = l.track;
        ctx.out(`${track.toUpperCase()}\n`);
      }
      const p = getProgress(ctx.sandbox, l.id);
      const mark = cur?.lessonId === l.id ? ' [current]' : p.solved ? ' [solved]' : p.solvedWithSolution ? ' [with solution]' : p.attempts ? ' [started]' : '';
      ctx.out(`  ${pad(l.id, 26)}${pad(l.title, 46)}${String(l.minutes).padStart(2)} min${mark}\n`);
    }
    ctx.out('\nStart one with: sandbox lesson start ID\n');
    return 0;
  },
});

registerSandboxCommand({
  path: ['lessons', 'import'],
  summary: 'load a lesson pack (JSON) from a file in the home folder',
  usage: [
    'Usage: sandbox lessons import FILE',
    '',
    'Loads a lesson pack: {"format": "nimbus-lesson-pack", "version": 1, "id", "title",',
    '"assessment"?, "lessons": [lesson.json members + "text": the markdown]}. The pack is',
    'checked against lessons/schema.json and kept with the sandbox state. With',
    '"assessment": true, hints and solutions are hidden.',
  ].join('\n'),
  run(ctx, args) {
    if (args.length !== 1) return fail(ctx, 'lessons import', 'expected one FILE', USAGE);
    const path = resolvePath(args[0]!, ctx.cwd);
    if (!ctx.sandbox.vfs.isFile(path)) return fail(ctx, 'lessons import', `${displayPath(path)}: No such file`);
    const r = importPack(ctx.sandbox, ctx.sandbox.vfs.readText(path));
    if (!r.ok) return fail(ctx, 'lessons import', `the pack is not valid:\n  ${r.errors.slice(0, 20).join('\n  ')}`);
    ctx.out(`Imported the pack ${r.pack.id} (${r.pack.title}): ${r.pack.lessons.map((l) => l.id).join(', ')}${r.pack.assessment ? ' (assessment: hints and solutions hidden)' : ''}.\n`);
    return 0;
  },
});

registerSandboxCommand({
  path: ['lessons', 'record'],
  summary: 'author aid: turn the commands you type into a draft lesson',
  usage: [
    'Usage: sandbox lessons record start',
    '       sandbox lessons record stop [--id TRACK/NN-NAME] [--title TEXT] [--region REGION]',
    '',
    'start notes the commands you type from now on; stop writes a draft lesson folder',
    '(~/lesson-drafts/ID/lesson.json and lesson.md) whose solution is those commands and',
    'whose goals are proposed from the resources they created, and offers it as a download.',
  ].join('\n'),
  run(ctx, args) {
    const sub = args[0];
    if (sub === 'start') {
      if (args.length > 1) return fail(ctx, 'lessons record start', 'takes no arguments', USAGE);
      recordStart(ctx.sandbox);
      ctx.out('Recording: the commands you type from now on become the draft solution. Stop with: sandbox lessons record stop\n');
      return 0;
    }
    if (sub === 'stop') {
      const opts: { id?: string; title?: string; region?: string } = {};
      for (let i = 1; i < args.length; i++) {
        const a = args[i]!;
        const v = args[i + 1];
        if ((a === '--id' || a === '--title' || a === '--region') && v !== undefined) {
          opts[a.slice(2) as 'id' | 'title' | 'region'] = v;
          i++;
        } else return fail(ctx, 'lessons record stop', `unknown option ${a}`, USAGE);
      }
      if (opts.id && !/^[a-z0-9-]+\/[0-9]{2}-[a-z0-9-]+$/.test(opts.id)) return fail(ctx, 'lessons record stop', '--id must look like track/01-name', USAGE);
      if (!opts.region) opts.region = ctx.session.region;
      const r = recordStop(ctx.sandbox, opts);
      if (!r.ok) return fail(ctx, 'lessons record stop', r.text);
      ctx.out(r.text + '\n');
      for (const f of r.files) ctx.effect({ type: 'download', path: f });
      return 0;
    }
    if (sub === 'status' || sub === undefined) {
      const r = recording(ctx.sandbox);
      ctx.out(r ? `Recording (${r.lines.length} line(s) so far).\n` : 'Not recording.\n');
      return 0;
    }
    return fail(ctx, 'lessons record', `expected start or stop, not ${sub}`, USAGE);
  },
});

registerSandboxCommand({
  path: ['lesson'],
  summary: 'the running lesson: start, check, hint, solution, reset, exit',
  usage: [
    'Usage: sandbox lesson start ID      start a lesson (its own fresh world; your free sandbox is kept)',
    '       sandbox lesson               show the current step',
    '       sandbox lesson check [--all] check the current step (or every step); exit 0 only when met',
    '       sandbox lesson hint          the next hint for what is still missing',
    '       sandbox lesson solution [ID] print the solution lines (marks them as seen)',
    '       sandbox lesson solution --replay   replay the solution (your attempt is kept)',
    '       sandbox lesson attempt       back to your own attempt after a replay',
    '       sandbox lesson reset         back to the start of the lesson',
    '       sandbox lesson exit [--restore]  leave the lesson (--restore: get your free sandbox back)',
  ].join('\n'),
  run(ctx, args) {
    if (args.length) return fail(ctx, 'lesson', `unknown subcommand "${args[0]}"; use start, check, hint, solution, attempt, reset or exit`, USAGE);
    const cur = currentLesson(ctx.sandbox);
    const lesson = cur && findLesson(ctx.sandbox, cur.lessonId);
    if (!cur || !lesson) {
      ctx.out('No lesson is running (free sandbox mode). See the lessons with: sandbox lessons list\n');
      return 0;
    }
    const step = lesson.steps[cur.stepIndex]!;
    ctx.out(`Lesson ${lesson.id}: ${lesson.title}\n`);
    if (cur.completed) {
      ctx.out('The lesson is complete.\n');
      return 0;
    }
    ctx.out(`Step ${cur.stepIndex + 1} of ${lesson.steps.length}: ${step.title}\n\n${(lesson.stepText[step.id] ?? '').trim()}\n\nGoals:\n${step.goals.map((g) => `  - ${g.label}`).join('\n')}\n`);
    return 0;
  },
});

registerSandboxCommand({
  path: ['lesson', 'start'],
  summary: 'start a lesson (or resume the running one)',
  usage: [
    'Usage: sandbox lesson start ID [--restart]',
    '',
    "Replaces the world by the lesson's starting state (your free sandbox is kept: `sandbox lesson exit --restore`).",
    'If ID is the lesson already running, it resumes where you are (after a reload, or a link to the lesson);',
    '--restart starts it over.',
  ].join('\n'),
  run(ctx, args) {
    const restart = args.includes('--restart');
    const rest = args.filter((a) => a !== '--restart');
    if (rest.length !== 1 || rest[0]!.startsWith('-')) return fail(ctx, 'lesson start', 'expected one lesson ID (see: sandbox lessons list)', USAGE);
    const id = rest[0]!;
    const cur = currentLesson(ctx.sandbox);
    if (!restart && cur?.lessonId === id) {
      const l = findLesson(ctx.sandbox, id);
      if (l) {
        const where = cur.completed ? 'it is complete' : `step ${cur.stepIndex + 1} of ${l.steps.length}: ${l.steps[cur.stepIndex]!.title}`;
        ctx.out(`Resuming lesson ${l.id}: ${l.title} (${where}).\nTo start it over: sandbox lesson start ${l.id} --restart\n`);
        ctx.effect({ type: 'lesson', action: 'open', id: l.id });
        return 0;
      }
    }
    const r = startLesson(ctx.sandbox, id, runner(ctx));
    if (!r.ok) return fail(ctx, 'lesson start', r.error);
    const l = r.lesson;
    const step = l.steps[0]!;
    ctx.out(`Lesson ${l.id}: ${l.title} (about ${l.minutes} minutes, region ${l.region})\n`);
    for (const w of r.warnings) ctx.err(`warning: ${w}\n`);
    ctx.out(`\n${l.intro.trim()}\n\nStep 1 of ${l.steps.length}: ${step.title}\n\n${(l.stepText[step.id] ?? '').trim()}\n\nCheck your progress with: sandbox lesson check\n`);
    ctx.effect({ type: 'lesson', action: 'open', id: l.id });
    return 0;
  },
  complete: (ctx, args, partial) => (args.length === 0 ? lessonIds(ctx, partial) : ['--restart'].filter((w) => w.startsWith(partial))),
});

registerSandboxCommand({
  path: ['lesson', 'check'],
  summary: 'check the current step (exit 0 only when its goals are met)',
  usage: 'Usage: sandbox lesson check [--all]\n\nPrints each goal of the current step (or, with --all, of every step) as met or not,\nwith what is still missing. Exit 0 only when they are all met, 1 otherwise.',
  run(ctx, args) {
    const all = args.includes('--all');
    const bad = args.find((a) => a !== '--all');
    if (bad) return fail(ctx, 'lesson check', `unknown option ${bad}`, USAGE);
    const r = checkCurrent(ctx.sandbox, all);
    ctx.out(r.text);
    ctx.effect({ type: 'lesson', action: 'update' });
    return r.exitCode;
  },
});

registerSandboxCommand({
  path: ['lesson', 'hint'],
  summary: 'show the next hint for the current step',
  usage: 'Usage: sandbox lesson hint\n\nShows one hint at a time for the first goal that is not met yet, from a nudge to the exact command.',
  run(ctx, args) {
    if (args.length) return fail(ctx, 'lesson hint', 'takes no arguments', USAGE);
    const r = nextHint(ctx.sandbox);
    (r.ok ? ctx.out : ctx.err)(r.text + '\n');
    ctx.effect({ type: 'lesson', action: 'update' });
    return r.ok ? 0 : 1;
  },
});

registerSandboxCommand({
  path: ['lesson', 'solution'],
  summary: 'print (or replay) the solution lines',
  usage: [
    'Usage: sandbox lesson solution [ID]   print the solution lines of a lesson (the running one by default)',
    '       sandbox lesson solution --replay  replay the running lesson\'s solution up to the current step',
    '',
    'A lesson finished after its solution was shown counts as "with solution", not as solved by you.',
    'After a replay, `sandbox lesson attempt` brings your own attempt back.',
  ].join('\n'),
  run(ctx, args) {
    if (args[0] === '--replay') {
      if (args.length > 1) return fail(ctx, 'lesson solution', '--replay takes no ID: it replays the running lesson', USAGE);
      const r = replaySolution(ctx.sandbox, runner(ctx));
      if (!r.ok) return fail(ctx, 'lesson solution', r.text.trim());
      ctx.out(r.text);
      ctx.effect({ type: 'lesson', action: 'update' });
      return r.exitCode === 0 ? 0 : 1;
    }
    if (args.length > 1) return fail(ctx, 'lesson solution', 'expected at most one lesson ID', USAGE);
    const id = args[0] ?? currentLesson(ctx.sandbox)?.lessonId;
    if (!id) return fail(ctx, 'lesson solution', 'no lesson is running: name one (sandbox lesson solution ID)', USAGE);
    const lesson = findLesson(ctx.sandbox, id);
    if (!lesson) return fail(ctx, 'lesson solution', `there is no lesson ${id}`);
    if (lesson.assessment) return fail(ctx, 'lesson solution', 'solutions are hidden in this assessment');
    markSolutionSeen(ctx.sandbox, lesson.id, lesson.steps.map((s) => s.id));
    ctx.out(solutionText(lesson));
    return 0;
  },
  complete: (ctx, args, partial) => (args.length === 0 ? ['--replay', ...lessonIds(ctx, '')].filter((w) => w.startsWith(partial)) : []),
});

registerSandboxCommand({
  path: ['lesson', 'attempt'],
  summary: 'back to your own attempt after a solution replay',
  usage: 'Usage: sandbox lesson attempt\n\nRestores the world as it was before `sandbox lesson solution --replay`.',
  run(ctx, args) {
    if (args.length) return fail(ctx, 'lesson attempt', 'takes no arguments', USAGE);
    const r = backToAttempt(ctx.sandbox);
    if (!r.ok) return fail(ctx, 'lesson attempt', r.text);
    ctx.out(r.text + '\n');
    ctx.effect({ type: 'lesson', action: 'update' });
    return 0;
  },
});

registerSandboxCommand({
  path: ['lesson', 'reset'],
  summary: 'back to the start of the running lesson',
  usage: 'Usage: sandbox lesson reset\n\nReplaces the world by the lesson\'s starting state again.',
  run(ctx, args) {
    if (args.length) return fail(ctx, 'lesson reset', 'takes no arguments', USAGE);
    const r = resetLesson(ctx.sandbox, runner(ctx));
    if (!r.ok) return fail(ctx, 'lesson reset', r.error);
    for (const w of r.warnings) ctx.err(`warning: ${w}\n`);
    ctx.out('The lesson is back at its start (step 1).\n');
    ctx.effect({ type: 'lesson', action: 'update' });
    return 0;
  },
});

registerSandboxCommand({
  path: ['lesson', 'exit'],
  summary: 'leave the running lesson (free sandbox mode)',
  usage: 'Usage: sandbox lesson exit [--restore]\n\nLeaves the lesson; its modes (consistency, quotas, profile) end with it.\nWith --restore, your free sandbox comes back as it was before the lesson.',
  run(ctx, args) {
    const restore = args.includes('--restore');
    const bad = args.find((a) => a !== '--restore');
    if (bad) return fail(ctx, 'lesson exit', `unknown option ${bad}`, USAGE);
    const r = exitLesson(ctx.sandbox, restore);
    if (!r.ok) return fail(ctx, 'lesson exit', r.error);
    ctx.out(r.restored ? 'Left the lesson; your free sandbox is back.\n' : restore ? 'Left the lesson (no saved free sandbox to restore; the lesson\'s world stays).\n' : 'Left the lesson; its world stays as it is.\n');
    ctx.effect({ type: 'lesson', action: 'close' });
    return 0;
  },
});

registerSandboxCommand({
  path: ['progress'],
  summary: 'your lesson progress',
  usage: 'Usage: sandbox progress export [FILE]',
  run(ctx, args) {
    return fail(ctx, 'progress', args.length ? `unknown subcommand "${args[0]}"; use export` : 'needs a subcommand: export', USAGE);
  },
});

registerSandboxCommand({
  path: ['progress', 'export'],
  summary: 'write your lesson progress and the state to a file (to hand in)',
  usage: [
    'Usage: sandbox progress export [FILE]',
    '',
    'Writes a file (default nimbus-progress.json) with your completed steps and a full',
    'state snapshot, and offers it as a download. A teacher checks it with:',
    '  npm run -s sandbox -- --state FILE --check-lesson ID',
  ].join('\n'),
  run(ctx, args) {
    if (args.length > 1) return fail(ctx, 'progress export', 'expected at most one FILE', USAGE);
    const path = resolvePath(args[0] ?? 'nimbus-progress.json', ctx.cwd);
    if (!path.startsWith(HOME + '/')) return fail(ctx, 'progress export', `${displayPath(path)}: files can only be written inside the home folder (~)`);
    const doc = progressExport(ctx.sandbox);
    const text = JSON.stringify(doc) + '\n';
    try {
      ctx.sandbox.mutate((sb) => sb.vfs.writeText(path, text));
    } catch (e) {
      return fail(ctx, 'progress export', e instanceof Error ? e.message : String(e));
    }
    const lessons = ((doc['progress'] as { lessons: { solved: boolean }[] }).lessons ?? []);
    ctx.out(`Wrote ${displayPath(path)}: ${lessons.length} lesson(s) started, ${lessons.filter((l) => l.solved).length} solved by you.\n`);
    ctx.effect({ type: 'download', path });
    return 0;
  },
});
