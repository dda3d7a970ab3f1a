/**
 * Shell builtins: pwd, cd, export, unset, env, printenv, set, history, help,
 * clear, edit, true, false, :, which, type, source / ., sh / bash, exit,
 * sleep (moves the simulated clock), printf, date (simulated clock).
 */
import type { CommandContext } from '../types';
import { HOME, resolvePath, dirname } from '../../engine';
import { shellOf, ioOf, exportedEnvOf, stdinOf, splitFields, SHELL_BUILTINS, ExitSignal, LoopSignal, ReturnSignal, type Shell } from '../shell/interpreter';
import { evalArith } from '../shell/arith';
import { globToRegExp } from '../shell/glob';
import { decodeEscape, rawBytesOut } from '../shell/tokenizer';
import { getCommand, commandNames } from './registry';
import { builtin, abs, decode } from './util';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Aliases and stubs that would only clutter the `help` list (they still answer `help NAME`). */
const HIDDEN_IN_HELP = new Set(['apt', 'apt-get', 'yum', 'dnf', 'brew', 'pip', 'pip3', 'snap', 'nano', 'vi', 'vim', 'code', 'more', 'bash', 'typeset']);

function need(ctx: CommandContext, name: string): Shell {
  const sh = shellOf(ctx);
  if (!sh) throw new Error(`${name} only works inside the shell`);
  return sh;
}

builtin({
  name: 'pwd',
  summary: 'print the current folder',
  usage: 'Usage: pwd\nPrint the full path of the current folder.\n',
  run(ctx) {
    ctx.out(ctx.cwd + '\n');
    return 0;
  },
});

builtin({
  name: 'cd',
  summary: 'change the current folder',
  usage: `Usage: cd [DIR]
Change the current folder to DIR (default: the home folder ~). 'cd -' goes back
to the previous folder, 'cd ..' up one level.
`,
  run(ctx, argv) {
    const sh = need(ctx, 'cd');
    const args = argv[0] === '--' ? argv.slice(1) : argv;
    if (args.length > 1) {
      ctx.err('nimbus: cd: too many arguments\n');
      return 1;
    }
    let target = args[0] ?? sh.getVar('HOME') ?? HOME;
    let print = false;
    if (target === '-') {
      const old = sh.getVar('OLDPWD');
      if (!old) {
        ctx.err('nimbus: cd: OLDPWD not set\n');
        return 1;
      }
      target = old;
      print = true;
    }
    if (target === '') return 0;
    const path = resolvePath(target, sh.cwd);
    const node = ctx.sandbox.vfs.stat(path);
    if (!node) {
      ctx.err(`nimbus: cd: ${target}: No such file or directory\n`);
      return 1;
    }
    if (node.type !== 'dir') {
      ctx.err(`nimbus: cd: ${target}: Not a directory\n`);
      return 1;
    }
    sh.setCwd(path);
    if (print) ctx.out(path + '\n');
    return 0;
  },
});

function quoteDeclare(v: string): string {
  return '"' + v.replace(/(["\\$`])/g, '\\$1') + '"';
}

builtin({
  name: 'export',
  summary: 'set a variable and pass it to commands',
  usage: `Usage: export [-n] [NAME[=VALUE] ...]
Mark each NAME for export to commands (AWS_DEFAULT_REGION, AWS_PROFILE ...),
setting it to VALUE when given. With no NAME, list the exported variables.
-n removes the export mark.
`,
  run(ctx, argv) {
    const sh = need(ctx, 'export');
    let args = argv;
    let unexport = false;
    while (args[0]?.startsWith('-') && args[0].length > 1) {
      if (args[0] === '-n') unexport = true;
      else if (args[0] !== '-p' && args[0] !== '--') {
        ctx.err(`nimbus: export: ${args[0]}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`);
        return 2;
      }
      const stop = args[0] === '--';
      args = args.slice(1);
      if (stop) break;
    }
    if (!args.length) {
      const env = sh.exportedEnv();
      ctx.out(
        Object.keys(env)
          .sort()
          .map((k) => `declare -x ${k}=${quoteDeclare(env[k]!)}\n`)
          .join(''),
      );
      return 0;
    }
    let status = 0;
    for (const a of args) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!NAME_RE.test(name)) {
        ctx.err(`nimbus: export: '${a}': not a valid identifier\n`);
        status = 1;
        continue;
      }
      if (unexport) {
        if (sh.exported.delete(name)) sh.varsDirty = true;
        continue;
      }
      sh.exportVar(name, eq < 0 ? undefined : a.slice(eq + 1));
    }
    return status;
  },
});

builtin({
  name: 'unset',
  summary: 'remove variables',
  usage: 'Usage: unset NAME...\nRemove each variable NAME.\n',
  run(ctx, argv) {
    const sh = need(ctx, 'unset');
    let status = 0;
    for (const a of argv) {
      if (a === '-v' || a === '-f') continue;
      if (!NAME_RE.test(a)) {
        ctx.err(`nimbus: unset: '${a}': not a valid identifier\n`);
        status = 1;
        continue;
      }
      sh.unsetVar(a);
    }
    return status;
  },
});

function printEnv(ctx: CommandContext): void {
  const env = exportedEnvOf(ctx);
  ctx.out(
    Object.keys(env)
      .sort()
      .map((k) => `${k}=${env[k]}\n`)
      .join(''),
  );
}

builtin({
  name: 'env',
  summary: 'print the environment, or run a command with extra variables',
  usage: `Usage: env [NAME=VALUE]... [COMMAND [ARG]...]
Print the exported variables, or run COMMAND with the NAME=VALUE settings added.
`,
  run(ctx, argv) {
    let i = 0;
    const overlay: Record<string, string> = {};
    while (i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!)) {
      const a = argv[i]!;
      overlay[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
      i++;
    }
    if (i >= argv.length) {
      if (!Object.keys(overlay).length) printEnv(ctx);
      else {
        const env = { ...exportedEnvOf(ctx), ...overlay };
        ctx.out(
          Object.keys(env)
            .sort()
            .map((k) => `${k}=${env[k]}\n`)
            .join(''),
        );
      }
      return 0;
    }
    const sh = need(ctx, 'env');
    const name = argv[i]!;
    if (!getCommand(name)) {
      ctx.err(`env: '${name}': No such file or directory\n`);
      return 127;
    }
    const io = ioOf(ctx);
    return sh.exec(argv.slice(i), { ...ctx.env, ...overlay }, io, io.effects, overlay);
  },
});

builtin({
  name: 'printenv',
  summary: 'print environment variables',
  usage: 'Usage: printenv [NAME]...\nPrint the value of each NAME, or every exported variable.\n',
  run(ctx, argv) {
    if (!argv.length) {
      printEnv(ctx);
      return 0;
    }
    const env = exportedEnvOf(ctx);
    let status = 0;
    for (const n of argv) {
      const v = env[n];
      if (v === undefined) status = 1;
      else ctx.out(v + '\n');
    }
    return status;
  },
});

builtin({
  name: 'set',
  summary: 'set shell options (-e, -u, -x, -o pipefail)',
  usage: `Usage: set [-eux] [-o pipefail] [+eux] [+o pipefail]
  -e            stop at the first command that fails
  -u            treat unset variables as an error
  -x            print each command before running it
  -o pipefail   a pipeline fails when any of its commands fails
Options last for the rest of the line or script. With no option, list the variables.
`,
  run(ctx, argv) {
    const sh = need(ctx, 'set');
    if (!argv.length) {
      const vars = sh.vars;
      ctx.out(
        Object.keys(vars)
          .sort()
          .map((k) => `${k}='${vars[k]!.replace(/'/g, `'\\''`)}'\n`)
          .join(''),
      );
      return 0;
    }
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') break;
      const on = a[0] === '-';
      if (a[0] !== '-' && a[0] !== '+') {
        ctx.err(`nimbus: set: positional parameters are not supported\n`);
        return 1;
      }
      for (const c of a.slice(1)) {
        if (c === 'e') sh.opts.errexit = on;
        else if (c === 'u') sh.opts.nounset = on;
        else if (c === 'x') sh.opts.xtrace = on;
        else if (c === 'o') {
          const name = argv[++i];
          if (name === 'pipefail') sh.opts.pipefail = on;
          else if (name === 'errexit') sh.opts.errexit = on;
          else if (name === 'nounset') sh.opts.nounset = on;
          else if (name === 'xtrace') sh.opts.xtrace = on;
          else {
            ctx.err(`nimbus: set: ${name ?? ''}: invalid option name\n`);
            return 2;
          }
        } else if (c === 'v' || c === 'h' || c === 'B' || c === 'H') continue;
        else {
          ctx.err(`nimbus: set: ${a[0]}${c}: invalid option\n`);
          return 2;
        }
      }
    }
    return 0;
  },
});

builtin({
  name: 'history',
  summary: 'show the terminal history',
  usage: `Usage: history [N] | history -c
Print the lines entered in this terminal, numbered (the last N only when given).
-c clears the history.
`,
  run(ctx, argv) {
    if (argv[0] === '-c') {
      ctx.session.clearHistory();
      return 0;
    }
    let entries = ctx.session.historyEntries();
    if (argv[0] !== undefined) {
      if (!/^[0-9]+$/.test(argv[0])) {
        ctx.err(`nimbus: history: ${argv[0]}: numeric argument required\n`);
        return 1;
      }
      const n = Number(argv[0]);
      entries = n === 0 ? [] : entries.slice(-n);
    }
    ctx.out(entries.map((e) => `${String(e.n).padStart(5)}  ${e.line}\n`).join(''));
    return 0;
  },
});

builtin({
  name: 'help',
  summary: 'list the commands, or explain one',
  usage: 'Usage: help [COMMAND]\nList the commands with a one-line summary, or print the usage of COMMAND.\n',
  run(ctx, argv) {
    if (argv.length) {
      let status = 0;
      for (const name of argv) {
        const def = getCommand(name);
        if (!def) {
          ctx.err(`nimbus: help: no help topics match '${name}'. Try 'help' to list the commands.\n`);
          status = 1;
          continue;
        }
        ctx.out((def.usage ?? `${def.name}: ${def.summary}`).replace(/\n?$/, '\n'));
      }
      return status;
    }
    // the punctuation builtins (. : [ [[) are explained by 'help NAME' but clutter the list
    const names = commandNames().filter((n) => /^[A-Za-z]/.test(n) && !HIDDEN_IN_HELP.has(n));
    const w = Math.max(...names.map((n) => n.length));
    let out = "Nimbus terminal commands. Type 'help NAME' (or 'NAME --help') for details,\n'aws help' for the AWS CLI.\n\n";
    for (const n of names) out += `  ${n.padEnd(w)}  ${getCommand(n)!.summary}\n`;
    ctx.out(out);
    return 0;
  },
});

builtin({
  name: 'clear',
  summary: 'clear the terminal screen',
  usage: 'Usage: clear\nClear the terminal screen.\n',
  run(ctx) {
    ctx.effect({ type: 'clear-screen' });
    return 0;
  },
});

builtin({
  name: 'edit',
  summary: 'open a file in the editor',
  usage: `Usage: edit FILE
Open FILE from the home folder in the editor (a new file is created when you save).
`,
  run(ctx, argv) {
    if (!argv.length) {
      ctx.err("edit: missing file operand\nTry 'edit --help' for more information.\n");
      return 1;
    }
    if (argv.length > 1) {
      ctx.err('edit: too many arguments: open one file at a time\n');
      return 1;
    }
    const f = argv[0]!;
    const path = abs(ctx, f);
    const vfs = ctx.sandbox.vfs;
    if (vfs.isDir(path)) {
      ctx.err(`edit: ${f}: Is a directory\n`);
      return 1;
    }
    const parent = vfs.stat(dirname(path));
    if (!parent) {
      ctx.err(`edit: ${f}: No such file or directory\n`);
      return 1;
    }
    if (parent.type !== 'dir') {
      ctx.err(`edit: ${f}: Not a directory\n`);
      return 1;
    }
    ctx.effect({ type: 'open-editor', path });
    return 0;
  },
});

for (const name of ['nano', 'vi', 'vim', 'code']) {
  builtin({
    name,
    summary: 'open a file in the editor (same as edit)',
    usage: `Usage: ${name} FILE\nOpen FILE in the editor, like 'edit FILE'.\n`,
    run(ctx, argv) {
      return getCommand('edit')!.run(ctx, argv.filter((a) => !a.startsWith('-') && !a.startsWith('+')));
    },
  });
}

builtin({ name: 'true', summary: 'do nothing, successfully', usage: 'Usage: true\nExit with status 0.\n', run: () => 0 }, { literalArgs: true });
builtin({ name: 'false', summary: 'do nothing, unsuccessfully', usage: 'Usage: false\nExit with status 1.\n', run: () => 1 }, { literalArgs: true });
builtin({ name: ':', summary: 'do nothing, successfully', usage: 'Usage: :\nExit with status 0.\n', run: () => 0 }, { literalArgs: true });

function commandPath(name: string): string {
  return name === 'aws' ? '/usr/local/bin/aws' : `/usr/bin/${name}`;
}

builtin({
  name: 'which',
  summary: 'show where a command is',
  usage: 'Usage: which COMMAND...\nPrint the path of each COMMAND.\n',
  run(ctx, argv) {
    let status = 0;
    for (const n of argv) {
      if (getCommand(n) && !SHELL_BUILTINS.has(n)) ctx.out(commandPath(n) + '\n');
      else status = 1;
    }
    return status;
  },
});

builtin({
  name: 'type',
  summary: 'tell how a name would be run',
  usage: 'Usage: type NAME...\nTell whether each NAME is a shell builtin or a command, and where it is.\n',
  run(ctx, argv) {
    let status = 0;
    const fns = shellOf(ctx)?.functions;
    for (const n of argv) {
      if (fns?.has(n)) ctx.out(`${n} is a function\n`);
      else if (SHELL_BUILTINS.has(n) && getCommand(n)) ctx.out(`${n} is a shell builtin\n`);
      else if (getCommand(n)) ctx.out(`${n} is ${commandPath(n)}\n`);
      else {
        ctx.err(`nimbus: type: ${n}: not found\n`);
        status = 1;
      }
    }
    return status;
  },
});

function readScript(ctx: CommandContext, cmd: string, file: string): string | number {
  const path = abs(ctx, file);
  const node = ctx.sandbox.vfs.stat(path);
  if (!node) {
    ctx.err(`nimbus: ${cmd === 'source' || cmd === '.' ? '' : cmd + ': '}${file}: No such file or directory\n`);
    return cmd === 'source' || cmd === '.' ? 1 : 127;
  }
  if (node.type === 'dir') {
    ctx.err(`nimbus: ${cmd === 'source' || cmd === '.' ? '' : cmd + ': '}${file}: Is a directory\n`);
    return cmd === 'source' || cmd === '.' ? 1 : 126;
  }
  return decode(ctx.sandbox.vfs.readBytes(path));
}

for (const name of ['source', '.']) {
  builtin({
    name,
    summary: 'run a script file in the current shell',
    usage: `Usage: ${name} FILE [ARG]...\nRun the commands in FILE in this shell: its variables and folder changes stay.\n`,
    run(ctx, argv) {
      const sh = need(ctx, name);
      if (!argv.length) {
        ctx.err(`nimbus: ${name}: filename argument required\n${name}: usage: ${name} filename [arguments]\n`);
        return 2;
      }
      const text = readScript(ctx, name, argv[0]!);
      if (typeof text === 'number') return text;
      if (sh.funcDepth >= 64) {
        ctx.err(`nimbus: ${name}: maximum nesting level exceeded (64)\n`);
        return 1;
      }
      const saved = sh.positional;
      if (argv.length > 1) sh.positional = argv.slice(1);
      sh.funcDepth++;
      try {
        return sh.runSource(text, ioOf(ctx));
      } catch (e) {
        if (e instanceof ReturnSignal) return e.code;
        throw e;
      } finally {
        sh.funcDepth--;
        sh.positional = saved;
      }
    },
  });
}

for (const name of ['sh', 'bash']) {
  builtin({
    name,
    summary: 'run a script file (or -c COMMANDS) in a child shell',
    usage: `Usage: ${name} FILE [ARG]...\n   or: ${name} -c COMMANDS\nRun a script in a child shell: its variables and folder changes do not stay.\n`,
    run(ctx, argv) {
      const sh = need(ctx, name);
      let args = argv;
      while (args[0] === '-e' || args[0] === '-x' || args[0] === '-eu' || args[0] === '-ex') args = args.slice(1);
      const io = ioOf(ctx);
      if (args[0] === '-c') {
        if (args.length < 2) {
          ctx.err(`nimbus: ${name}: -c: option requires an argument\n`);
          return 2;
        }
        return sh.runScriptFile(args[2] ?? name, args[1]!, args.slice(3), io);
      }
      if (!args.length) return ctx.stdin ? sh.runScriptFile(name, ctx.stdin, [], io) : 0;
      const text = readScript(ctx, name, args[0]!);
      if (typeof text === 'number') return text;
      return sh.runScriptFile(args[0]!, text, args.slice(1), io);
    },
  });
}

builtin({
  name: 'exit',
  summary: 'stop the script (with a status)',
  usage: 'Usage: exit [N]\nStop the current line or script with exit status N (default: the last status).\n',
  run(ctx, argv) {
    const sh = need(ctx, 'exit');
    if (argv.length > 1) {
      ctx.err('nimbus: exit: too many arguments\n');
      return 1;
    }
    if (argv[0] !== undefined && !/^-?[0-9]+$/.test(argv[0])) {
      ctx.err(`nimbus: exit: ${argv[0]}: numeric argument required\n`);
      throw new ExitSignal(2);
    }
    const n = argv[0] === undefined ? sh.lastExit : Number(argv[0]);
    throw new ExitSignal(((n % 256) + 256) % 256);
  },
});

builtin({
  name: 'sleep',
  summary: 'wait: moves the simulated clock forward',
  usage: `Usage: sleep NUMBER[SUFFIX]...
Move the sandbox's simulated clock forward by NUMBER seconds (suffix s, m, h or d),
running everything that was due in between. Returns at once.
`,
  run(ctx, argv) {
    if (!argv.length) {
      ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    let ms = 0;
    for (const a of argv) {
      const m = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(a);
      if (!m) {
        ctx.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
      ms += Math.round(Number(m[1]) * unit);
    }
    if (ms > 0) ctx.sandbox.advance(ms);
    return 0;
  },
});

/** printf's conversions: %s %d %i %u %f %e %g %x %X %o %c %b %q %%, with flags, width and precision. */
export function formatPrintf(format: string, args: string[]): { text: string; error?: string } {
  let out = '';
  let ai = 0;
  let error: string | undefined;
  const next = () => (ai < args.length ? args[ai++]! : undefined);
  const num = (s: string | undefined): number => {
    if (s === undefined || s === '') return 0;
    if (/^['"]/.test(s)) return s.codePointAt(1) ?? 0;
    const n = Number(s);
    if (Number.isNaN(n)) {
      error = `printf: '${s}': invalid number`;
      return 0;
    }
    return n;
  };
  do {
    for (let i = 0; i < format.length; i++) {
      const c = format[i]!;
      if (c === '\\') {
        // in a printf FORMAT, \NNN is an octal byte (echo -e wants \0NNN)
        const oct = /^[0-7]{1,3}/.exec(format.slice(i + 1, i + 4));
        if (oct) {
          out += decodeEscape('0' + oct[0], 0, false).text;
          i += oct[0].length;
          continue;
        }
        const r = decodeEscape(format, i + 1, false);
        if (r.stop) return { text: out, ...(error ? { error } : {}) };
        out += r.text;
        i = r.next - 1;
        continue;
      }
      if (c !== '%') {
        out += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([sdiufFeEgGxXocbq%])/.exec(format.slice(i));
      if (!m) {
        out += c;
        continue;
      }
      i += m[0].length - 1;
      const flags = m[1]!;
      const width = m[2] === '*' ? num(next()) : m[2] ? Number(m[2]) : 0;
      const precision = m[3] === '*' ? num(next()) : m[3] !== undefined ? Number(m[3] || '0') : undefined;
      const conv = m[4]!;
      if (conv === '%') {
        out += '%';
        continue;
      }
      let s: string;
      const arg = next();
      switch (conv) {
        case 's':
          s = arg ?? '';
          if (precision !== undefined) s = s.slice(0, precision);
          break;
        case 'b': {
          s = '';
          const a = arg ?? '';
          for (let j = 0; j < a.length; j++) {
            if (a[j] === '\\') {
              const r = decodeEscape(a, j + 1, false);
              s += r.text;
              j = r.next - 1;
            } else s += a[j];
          }
          break;
        }
        case 'q':
          s = arg === undefined || arg === '' ? "''" : /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
          break;
        case 'c':
          s = (arg ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'u': {
          const n = Math.trunc(num(arg));
          s = String(Math.abs(n));
          if (precision !== undefined) s = s.padStart(precision, '0');
          s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'x':
        case 'X':
        case 'o': {
          const n = Math.trunc(num(arg));
          s = (n >>> 0).toString(conv === 'o' ? 8 : 16);
          if (conv === 'X') s = s.toUpperCase();
          if (flags.includes('#') && n) s = (conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X') + s;
          break;
        }
        case 'e':
        case 'E':
          s = num(arg).toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
          if (conv === 'E') s = s.toUpperCase();
          break;
        case 'g':
        case 'G':
          s = String(Number(num(arg).toPrecision(precision || 6)));
          break;
        default: {
          const n = num(arg);
          s = n.toFixed(precision ?? 6);
          if (n >= 0 && flags.includes('+')) s = '+' + s;
        }
      }
      if (s.length < width) {
        if (flags.includes('-')) s = s.padEnd(width);
        else if (flags.includes('0') && 'diufFeEgGxXo'.includes(conv)) {
          const sign = /^[+\- ]/.test(s) ? s[0]! : '';
          s = sign + s.slice(sign.length).padStart(width - sign.length, '0');
        } else s = s.padStart(width);
      }
      out += s;
    }
  } while (ai < args.length && ai > 0 && /%[-+ #0]*(\*|[0-9]+)?(\.(\*|[0-9]*))?[sdiufFeEgGxXocbq]/.test(format));
  return { text: out, ...(error ? { error } : {}) };
}

builtin({
  name: 'printf',
  summary: 'print formatted text',
  usage: `Usage: printf FORMAT [ARGUMENT]...
Print the ARGUMENTs according to FORMAT (%s %d %f %x %c %b %q %%, \\n \\t ...).
The format is reused while arguments remain.
`,
  run(ctx, argv) {
    if (!argv.length) {
      ctx.err('printf: usage: printf format [arguments]\n');
      return 2;
    }
    const r = formatPrintf(argv[0]!, argv.slice(1));
    ctx.out(rawBytesOut(r.text));
    if (r.error) {
      ctx.err(r.error + '\n');
      return 1;
    }
    return 0;
  },
});

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date +FORMAT` over the simulated clock (UTC). */
export function formatDate(ms: number, fmt: string): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return p(d.getUTCFullYear() % 100);
      case 'm':
        return p(d.getUTCMonth() + 1);
      case 'd':
        return p(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate()).padStart(2, ' ');
      case 'H':
        return p(d.getUTCHours());
      case 'M':
        return p(d.getUTCMinutes());
      case 'S':
        return p(d.getUTCSeconds());
      case 'N':
        return p(d.getUTCMilliseconds() * 1_000_000, 9);
      case 's':
        return String(Math.floor(ms / 1000));
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 'F':
        return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
      case 'T':
        return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
      case 'a':
        return DAYS[d.getUTCDay()]!;
      case 'A':
        return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()]!;
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()]!;
      case 'j':
        return p(Math.floor((ms - start) / 86_400_000) + 1, 3);
      case 'u':
        return String(d.getUTCDay() || 7);
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return m;
    }
  });
}

builtin({
  name: 'date',
  summary: "print the sandbox's simulated date and time",
  usage: `Usage: date [-u] [+FORMAT]
Print the simulated clock's date and time (UTC), e.g. date +%Y-%m-%dT%H:%M:%SZ or date +%s.
`,
  run(ctx, argv) {
    let fmt = '%a %b %e %H:%M:%S %Z %Y';
    for (const a of argv) {
      if (a === '-u' || a === '--utc') continue;
      if (a.startsWith('+')) fmt = a.slice(1);
      else {
        ctx.err(`date: invalid date '${a}'\n`);
        return 1;
      }
    }
    ctx.out(formatDate(ctx.sandbox.now(), fmt) + '\n');
    return 0;
  },
});

for (const kind of ['break', 'continue'] as const) {
  builtin({
    name: kind,
    summary: kind === 'break' ? 'leave a for, while or until loop' : 'go to the next turn of a loop',
    usage: `Usage: ${kind} [N]\n${kind === 'break' ? 'Leave' : 'Resume the next iteration of'} the enclosing loop (the Nth enclosing one with N).\n`,
    run(ctx, argv) {
      const sh = need(ctx, kind);
      const n = argv[0] === undefined ? 1 : Number(argv[0]);
      if (!Number.isInteger(n) || n < 1) {
        ctx.err(`nimbus: ${kind}: ${argv[0]}: loop count out of range\n`);
        return 1;
      }
      if (sh.loopDepth === 0) {
        ctx.err(`nimbus: ${kind}: only meaningful in a 'for', 'while', or 'until' loop\n`);
        return 0;
      }
      throw new LoopSignal(kind, Math.min(n, sh.loopDepth));
    },
  });
}

builtin({
  name: 'return',
  summary: 'leave a shell function (with a status)',
  usage: 'Usage: return [N]\nLeave the current function or sourced script with status N (default: the last status).\n',
  run(ctx, argv) {
    const sh = need(ctx, 'return');
    if (sh.funcDepth === 0) {
      ctx.err("nimbus: return: can only 'return' from a function or sourced script\n");
      return 1;
    }
    if (argv[0] !== undefined && !/^-?[0-9]+$/.test(argv[0])) {
      ctx.err(`nimbus: return: ${argv[0]}: numeric argument required\n`);
      throw new ReturnSignal(2);
    }
    const n = argv[0] === undefined ? sh.lastExit : Number(argv[0]);
    throw new ReturnSignal(((n % 256) + 256) % 256);
  },
});

builtin({
  name: 'local',
  summary: 'set variables inside a function',
  usage: 'Usage: local NAME[=VALUE]...\nSet variables (in Nimbus they stay visible after the function returns).\n',
  run(ctx, argv) {
    const sh = need(ctx, 'local');
    if (sh.funcDepth === 0) {
      ctx.err('nimbus: local: can only be used in a function\n');
      return 1;
    }
    for (const a of argv) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!NAME_RE.test(name)) {
        ctx.err(`nimbus: local: '${a}': not a valid identifier\n`);
        return 1;
      }
      sh.setVar(name, eq < 0 ? (sh.vars[name] ?? '') : a.slice(eq + 1));
    }
    return 0;
  },
});

builtin({
  name: 'read',
  summary: 'read a line of standard input into variables',
  usage: `Usage: read [-r] [-p PROMPT] [NAME]...
Read one line from standard input, split it on IFS and assign the words to the
NAMEs (the last NAME gets the rest; REPLY when no NAME). Exit status 1 at the end
of the input, so 'cmd | while read -r line; do ...; done' loops over lines.

  -r      do not treat backslashes as escapes
  -p P    print P (to stderr) first
`,
  run(ctx, argv) {
    const sh = need(ctx, 'read');
    let raw = false;
    const names: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-r') raw = true;
      else if (a === '-p') ctx.err(argv[++i] ?? '');
      else if (a === '-s' || a === '-e') continue;
      else if (a === '-t' || a === '-n' || a === '-d' || a === '-u') i++;
      else if (a.startsWith('-') && a.length > 1) {
        ctx.err(`nimbus: read: ${a}: invalid option\n`);
        return 2;
      } else if (!NAME_RE.test(a)) {
        ctx.err(`nimbus: read: '${a}': not a valid identifier\n`);
        return 1;
      } else names.push(a);
    }
    const input = stdinOf(ctx);
    let got = input.readLine();
    if (got === null) {
      for (const n of names.length ? names : ['REPLY']) sh.setVar(n, '');
      return 1;
    }
    let line = got.line;
    let complete = got.complete;
    if (!raw) {
      while (line.endsWith('\\') && complete) {
        const next = input.readLine();
        line = line.slice(0, -1);
        if (!next) break;
        line += next.line;
        complete = next.complete;
        got = next;
      }
      line = line.replace(/\\(.)/g, '$1');
    }
    if (!names.length) {
      sh.setVar('REPLY', line);
      return complete ? 0 : 1;
    }
    const ifs = sh.getVar('IFS') ?? ' \t\n';
    const ws = ifs.replace(/[^ \t\n]/g, '');
    const trim = (v: string) => {
      let a = 0;
      let b = v.length;
      while (a < b && ws.includes(v[a]!)) a++;
      while (b > a && ws.includes(v[b - 1]!)) b--;
      return v.slice(a, b);
    };
    let rest = trim(line);
    for (let i = 0; i < names.length; i++) {
      if (i === names.length - 1) {
        sh.setVar(names[i]!, rest);
        break;
      }
      const { pieces } = splitFields(rest, ifs);
      const first = pieces[0] ?? '';
      sh.setVar(names[i]!, first);
      const at = rest.indexOf(first) + first.length;
      rest = rest.slice(at);
      // drop one separator (and surrounding IFS blanks)
      rest = trim(rest);
      if (rest && ifs.includes(rest[0]!) && !ws.includes(rest[0]!)) rest = trim(rest.slice(1));
    }
    return complete ? 0 : 1;
  },
});

builtin({
  name: 'let',
  summary: 'evaluate arithmetic expressions',
  usage: 'Usage: let EXPR...\nEvaluate each arithmetic EXPR (e.g. let i=i+1); status 1 when the last is 0.\n',
  run(ctx, argv) {
    const sh = need(ctx, 'let');
    if (!argv.length) {
      ctx.err('nimbus: let: expression expected\n');
      return 1;
    }
    let v = 0;
    for (const a of argv) v = evalArith(a, (n) => sh.getVar(n), (n, x) => sh.setVar(n, x));
    return v === 0 ? 1 : 0;
  },
});

/** `test` / `[` / `[[`: evaluate a condition; 0 true, 1 false, 2 error (thrown as a message). */
export function evalTest(ctx: CommandContext, cmd: string, args: string[]): number {
  const vfs = ctx.sandbox.vfs;
  const node = (p: string) => (p === '' ? undefined : vfs.stat(abs(ctx, p)));
  const int = (s: string): number => {
    const t = s.trim();
    if (!/^[+-]?[0-9]+$/.test(t)) throw new Error(`${s}: integer expression expected`);
    return Number(t);
  };
  const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-z', '-n', '-L', '-h', '-b', '-c', '-p', '-S', '-t', '-a', '-O', '-G', '-v']);
  const BIN = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef', '=~']);
  let i = 0;
  const unaryOp = (op: string, a: string): boolean => {
    switch (op) {
      case '-e':
      case '-a':
      case '-r':
      case '-w':
      case '-O':
      case '-G':
        return !!node(a);
      case '-f':
        return node(a)?.type === 'file';
      case '-d':
      case '-x':
        return node(a)?.type === 'dir';
      case '-s':
        return (node(a)?.size ?? 0) > 0;
      case '-z':
        return a === '';
      case '-n':
        return a !== '';
      case '-v':
        return shellOf(ctx)?.getVar(a) !== undefined;
      default:
        return false;
    }
  };
  const binaryOp = (a: string, op: string, b: string): boolean => {
    switch (op) {
      case '=':
      case '==':
        return cmd === '[[' ? globToRegExp(b).test(a) : a === b;
      case '!=':
        return cmd === '[[' ? !globToRegExp(b).test(a) : a !== b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '-eq':
        return int(a) === int(b);
      case '-ne':
        return int(a) !== int(b);
      case '-lt':
        return int(a) < int(b);
      case '-le':
        return int(a) <= int(b);
      case '-gt':
        return int(a) > int(b);
      case '-ge':
        return int(a) >= int(b);
      case '-nt':
        return (node(a)?.mtime ?? -1) > (node(b)?.mtime ?? -1);
      case '-ot':
        return (node(a)?.mtime ?? Infinity) < (node(b)?.mtime ?? Infinity);
      case '-ef':
        return !!node(a) && abs(ctx, a) === abs(ctx, b);
      case '=~': {
        let re: RegExp;
        try {
          re = new RegExp(b);
        } catch {
          throw new Error(`${b}: invalid regular expression`);
        }
        const m = re.exec(a);
        return !!m;
      }
    }
    return false;
  };
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) throw new Error('argument expected');
    if (a === '!' && i + 1 < args.length) {
      i++;
      return !primary();
    }
    if (a === '(' && args.indexOf(')', i) > i) {
      i++;
      const v = or();
      if (args[i] !== ')') throw new Error(`')' expected`);
      i++;
      return v;
    }
    if (i + 2 < args.length + 0 && BIN.has(args[i + 1]!) && args[i + 2] !== undefined) {
      const r = binaryOp(a, args[i + 1]!, args[i + 2]!);
      i += 3;
      return r;
    }
    if (UNARY.has(a) && i + 1 < args.length) {
      const r = unaryOp(a, args[i + 1]!);
      i += 2;
      return r;
    }
    i++;
    return a !== '';
  };
  const and = (): boolean => {
    let v = primary();
    while (args[i] === '-a' || (cmd === '[[' && args[i] === '&&')) {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o' || (cmd === '[[' && args[i] === '||')) {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  if (!args.length) return 1;
  const v = or();
  if (i < args.length) throw new Error(`${args[i]}: unexpected operator`);
  return v ? 0 : 1;
}

for (const name of ['test', '[', '[[']) {
  const close = name === '[' ? ']' : name === '[[' ? ']]' : undefined;
  builtin({
    name,
    summary: 'check a condition (files, strings, numbers)',
    usage: `Usage: ${name === 'test' ? 'test EXPR' : `${name} EXPR ${close}`}
Exit with status 0 when EXPR is true, 1 when false. EXPR can be:
  -e FILE / -f FILE / -d FILE / -s FILE   exists / is a file / is a folder / is not empty
  -z STR / -n STR                         is empty / is not empty
  A = B, A != B                           strings (with [[ ]]: B is a pattern; =~ regex)
  A -eq B, -ne, -lt, -le, -gt, -ge        integers
  ! EXPR, EXPR -a EXPR, EXPR -o EXPR, ( EXPR )
`,
    run(ctx, argv) {
      let args = argv;
      if (close) {
        if (args[args.length - 1] !== close) {
          ctx.err(`nimbus: ${name}: missing '${close}'\n`);
          return 2;
        }
        args = args.slice(0, -1);
      }
      try {
        return evalTest(ctx, name, args);
      } catch (e) {
        ctx.err(`nimbus: ${name}: ${(e as Error).message}\n`);
        return 2;
      }
    },
  });
}

builtin({
  name: 'sudo',
  summary: 'run a command (you already have every permission here)',
  usage: 'Usage: sudo COMMAND [ARG]...\nRun COMMAND. The sandbox has one user, so this is the same as running COMMAND.\n',
  run(ctx, argv) {
    const sh = need(ctx, 'sudo');
    let i = 0;
    while (i < argv.length && argv[i]!.startsWith('-')) i++;
    if (i >= argv.length) {
      ctx.err('usage: sudo command\n');
      return 1;
    }
    const io = ioOf(ctx);
    return sh.exec(argv.slice(i), ctx.env, io, io.effects);
  },
});

for (const name of ['apt', 'apt-get', 'yum', 'dnf', 'brew', 'pip', 'pip3', 'snap']) {
  builtin({
    name,
    summary: 'package manager (nothing to install: the tools are built in)',
    usage: `Usage: ${name} ...\nThe sandbox cannot install packages; the AWS CLI v2, docker, jq and the shell tools are already available.\n`,
    run(ctx, argv) {
      const what = argv.filter((a) => !a.startsWith('-') && a !== 'install' && a !== 'update' && a !== 'upgrade');
      ctx.err(
        `${name}: installing packages is not possible in this sandbox${what.length ? ` (${what.join(', ')})` : ''}: the AWS CLI v2, docker, jq and the usual shell tools are already installed. Type 'help' to list them.\n`,
      );
      return 1;
    },
  });
}
