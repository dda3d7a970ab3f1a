/** File builtins over the learner's home folder: ls, cat, mkdir, rm, cp, mv, touch. */
import type { CommandContext } from '../types';
import type { FsNode, Vfs } from '../../engine';
import { basename, dirname, FsError } from '../../engine';
import { isTty } from '../shell/interpreter';
import { globToRegExp } from '../shell/glob';
import { builtin, parseOpts, usageFail, abs, decode, fsReason, splitLines, UsageError, stdinBytesOf, concatBytes } from './util';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS = 183 * 24 * 3600 * 1000;

function lsDate(ms: number, now: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const head = `${MONTHS[d.getUTCMonth()]} ${day}`;
  if (Math.abs(now - ms) > SIX_MONTHS) return `${head}  ${d.getUTCFullYear()}`;
  return `${head} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** Sizes as `ls -h` prints them (1K = 1024, rounded up, one decimal under 10). */
export function humanSize(n: number): string {
  if (n < 1024) return String(n);
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  if (v < 10) {
    const r = Math.ceil(v * 10) / 10;
    if (r < 10) return r.toFixed(1) + units[u];
    return '10' + units[u];
  }
  return Math.ceil(v) + units[u]!;
}

/** Lay names out in columns (column-major) within `width`, as `ls` does on a terminal. */
export function columns(names: string[], width = 80): string {
  if (!names.length) return '';
  const lens = names.map((n) => n.length);
  for (let cols = names.length; cols > 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    if (Math.ceil(names.length / rows) !== cols) continue;
    const widths: number[] = [];
    for (let c = 0; c < cols; c++) {
      let w = 0;
      for (let r = 0; r < rows; r++) {
        const i = c * rows + r;
        if (i < names.length) w = Math.max(w, lens[i]!);
      }
      widths.push(w);
    }
    const total = widths.reduce((a, b) => a + b, 0) + 2 * (cols - 1);
    if (total <= width) return layout(names, rows, cols, widths);
  }
  return names.join('\n') + '\n';
}

function layout(names: string[], rows: number, cols: number, widths: number[]): string {
  let out = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const i = c * rows + r;
      if (i >= names.length) break;
      const last = c === cols - 1 || (c + 1) * rows + r >= names.length;
      line += last ? names[i] : names[i]!.padEnd(widths[c]! + 2);
    }
    out += line + '\n';
  }
  return out;
}

interface Entry {
  name: string;
  path: string;
  node: FsNode;
}

function subdirCount(vfs: Vfs, path: string): number {
  let n = 0;
  for (const c of vfs.list(path)) if (vfs.isDir(path === '/' ? '/' + c : path + '/' + c)) n++;
  return n;
}

/** `--color[=WHEN]`: accepted and ignored (the output is plain text; the terminal colours it). */
export function withoutColor(argv: string[]): string[] {
  return argv.filter((a) => !/^--colou?r(=.*)?$/.test(a));
}

builtin({
  name: 'ls',
  summary: 'list folder contents',
  usage: `Usage: ls [OPTION]... [FILE]...
List information about the FILEs (the current folder by default).

  -a      do not hide entries starting with .
  -A      like -a, without . and ..
  -d      list folders themselves, not their contents
  -h      with -l, print sizes like 1K 234M 2G
  -l      use a long listing format
  -r      reverse the order
  -R      list subfolders recursively
  -t      sort by modification time, newest first
  -1      list one file per line
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('ls', withoutColor(argv), { flags: 'aAdhlrRt1S', long: { all: 'a', 'almost-all': 'A', 'human-readable': 'h', recursive: 'R', reverse: 'r', directory: 'd' } });
    } catch (e) {
      return usageFail(ctx, 'ls', e, 2);
    }
    const f = o.flags;
    const vfs = ctx.sandbox.vfs;
    const now = ctx.sandbox.now();
    const tty = isTty(ctx) && !f.has('1');
    let status = 0;
    const targets = o.args.length ? o.args : ['.'];
    const files: Entry[] = [];
    const dirs: Entry[] = [];
    for (const t of targets) {
      const path = abs(ctx, t);
      const node = vfs.stat(path);
      if (!node) {
        ctx.err(`ls: cannot access '${t}': No such file or directory\n`);
        status = 2;
        continue;
      }
      if (node.type === 'dir' && !f.has('d')) dirs.push({ name: t, path, node });
      else files.push({ name: t, path, node });
    }
    const sortEntries = (list: Entry[]) => {
      if (f.has('t')) list.sort((a, b) => b.node.mtime - a.node.mtime || (a.name < b.name ? -1 : 1));
      else if (f.has('S')) list.sort((a, b) => b.node.size - a.node.size || (a.name < b.name ? -1 : 1));
      else list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (f.has('r')) list.reverse();
      return list;
    };
    const render = (list: Entry[], withTotal: boolean): string => {
      if (!list.length) return withTotal && f.has('l') ? 'total 0\n' : '';
      if (f.has('l')) {
        const links = list.map((e) => (e.node.type === 'dir' ? String(2 + subdirCount(vfs, e.path)) : '1'));
        const sizes = list.map((e) => {
          const s = e.node.type === 'dir' ? 4096 : e.node.size;
          return f.has('h') ? humanSize(s) : String(s);
        });
        const lw = Math.max(...links.map((l) => l.length));
        const sw = Math.max(...sizes.map((s) => s.length));
        let out = '';
        if (withTotal) {
          let blocks = 0;
          for (const e of list) blocks += e.node.type === 'dir' ? 4 : Math.ceil(e.node.size / 4096) * 4;
          out += `total ${f.has('h') ? humanSize(blocks * 1024) : blocks}\n`;
        }
        list.forEach((e, i) => {
          const mode = e.node.type === 'dir' ? 'drwxr-xr-x' : '-rw-r--r--';
          out += `${mode} ${links[i]!.padStart(lw)} learner learner ${sizes[i]!.padStart(sw)} ${lsDate(e.node.mtime, now)} ${e.name}\n`;
        });
        return out;
      }
      const names = list.map((e) => e.name);
      const width = Number(ctx.env['COLUMNS']) > 0 ? Number(ctx.env['COLUMNS']) : 80;
      return tty ? columns(names, width) : names.join('\n') + '\n';
    };
    const listDir = (d: Entry): Entry[] => {
      const out: Entry[] = [];
      if (f.has('a')) {
        out.push({ name: '.', path: d.path, node: d.node });
        const parent = dirname(d.path);
        const pn = vfs.stat(parent) ?? d.node;
        // the implicit folders above home have no time of their own: show home's
        out.push({ name: '..', path: parent, node: pn.mtime ? pn : { ...pn, mtime: d.node.mtime } });
      }
      for (const name of vfs.list(d.path)) {
        if (name.startsWith('.') && !f.has('a') && !f.has('A')) continue;
        const p = d.path === '/' ? '/' + name : d.path + '/' + name;
        out.push({ name, path: p, node: vfs.stat(p)! });
      }
      return sortEntries(out);
    };
    let out = render(sortEntries(files), false);
    const showHeaders = targets.length > 1 || f.has('R');
    let first = !out;
    const visit = (d: Entry, label: string) => {
      const entries = listDir(d);
      if (!first) out += '\n';
      first = false;
      if (showHeaders) out += `${label}:\n`;
      out += render(entries, true);
      if (f.has('R')) {
        for (const e of entries) {
          if (e.node.type !== 'dir' || e.name === '.' || e.name === '..') continue;
          visit(e, label.endsWith('/') ? label + e.name : `${label}/${e.name}`);
        }
      }
    };
    for (const d of sortEntries(dirs)) visit(d, d.name);
    ctx.out(out);
    return status;
  },
});

builtin({
  name: 'cat',
  summary: 'print files (or standard input)',
  usage: `Usage: cat [OPTION]... [FILE]...
Print the FILEs one after the other; with no FILE, or when FILE is -, read standard input.

  -n      number all output lines
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('cat', argv, { flags: 'nAeEstuv', long: { number: 'n' } });
    } catch (e) {
      return usageFail(ctx, 'cat', e);
    }
    const vfs = ctx.sandbox.vfs;
    const files = o.args.length ? o.args : ['-'];
    let status = 0;
    const numbered = o.flags.has('n');
    // without -n, cat copies bytes (binary-safe); with -n it numbers text lines
    let parts: Uint8Array[] = [];
    const flush = () => {
      if (!parts.length) return;
      const data = concatBytes(parts);
      parts = [];
      if (numbered) ctx.out(number(decode(data), true));
      else if (data.length) ctx.out(data);
    };
    for (const f of files) {
      if (f === '-') {
        parts.push(stdinBytesOf(ctx));
        continue;
      }
      const path = abs(ctx, f);
      const node = vfs.stat(path);
      if (!node) {
        flush();
        ctx.err(`cat: ${f}: No such file or directory\n`);
        status = 1;
      } else if (node.type === 'dir') {
        flush();
        ctx.err(`cat: ${f}: Is a directory\n`);
        status = 1;
      } else parts.push(vfs.readBytes(path));
    }
    flush();
    return status;
  },
});

function number(text: string, on: boolean): string {
  if (!on || !text) return text;
  return splitLines(text)
    .map((l, i) => `${String(i + 1).padStart(6)}\t${l}`)
    .join('');
}

builtin({
  name: 'mkdir',
  summary: 'make folders',
  usage: `Usage: mkdir [OPTION]... DIRECTORY...
Create the DIRECTORY(ies), if they do not already exist.

  -p      no error if existing, make parent folders as needed
  -v      print a message for each created folder
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('mkdir', argv, { flags: 'pv', values: 'm', long: { parents: 'p', verbose: 'v' } });
      if (!o.args.length) throw new UsageError('mkdir: missing operand');
    } catch (e) {
      return usageFail(ctx, 'mkdir', e);
    }
    const vfs = ctx.sandbox.vfs;
    let status = 0;
    for (const d of o.args) {
      const path = abs(ctx, d);
      try {
        if (o.flags.has('p')) {
          if (vfs.isFile(path)) throw new FsError(path, 'EEXIST');
          const made: string[] = [];
          for (let p = path; !vfs.exists(p); p = dirname(p)) made.unshift(p);
          ctx.sandbox.mutate(() => vfs.mkdirp(path));
          if (o.flags.has('v')) for (const m of made) ctx.out(`mkdir: created directory '${m}'\n`);
        } else {
          ctx.sandbox.mutate(() => vfs.mkdir(path));
          if (o.flags.has('v')) ctx.out(`mkdir: created directory '${d}'\n`);
        }
      } catch (e) {
        ctx.err(`mkdir: cannot create directory '${d}': ${fsReason(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
});

builtin({
  name: 'rm',
  summary: 'remove files or folders',
  usage: `Usage: rm [OPTION]... FILE...
Remove the FILEs.

  -f      ignore missing files, never prompt
  -r, -R  remove folders and their contents recursively
  -d      remove empty folders
  -v      explain what is being done
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('rm', argv, { flags: 'frRdvi', long: { force: 'f', recursive: 'r', dir: 'd', verbose: 'v' } });
      if (!o.args.length && !o.flags.has('f')) throw new UsageError('rm: missing operand');
    } catch (e) {
      return usageFail(ctx, 'rm', e);
    }
    const vfs = ctx.sandbox.vfs;
    const recursive = o.flags.has('r') || o.flags.has('R');
    let status = 0;
    for (const f of o.args) {
      const base = f.replace(/\/+$/, '').split('/').pop();
      if (base === '.' || base === '..') {
        ctx.err(`rm: refusing to remove '.' or '..' directory: skipping '${f}'\n`);
        status = 1;
        continue;
      }
      const path = abs(ctx, f);
      const node = vfs.stat(path);
      if (!node) {
        if (!o.flags.has('f')) {
          ctx.err(`rm: cannot remove '${f}': No such file or directory\n`);
          status = 1;
        }
        continue;
      }
      if (path === '/') {
        ctx.err(`rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n`);
        status = 1;
        continue;
      }
      if (node.type === 'dir' && !recursive) {
        if (!o.flags.has('d')) {
          ctx.err(`rm: cannot remove '${f}': Is a directory\n`);
          status = 1;
          continue;
        }
        if (vfs.list(path).length) {
          ctx.err(`rm: cannot remove '${f}': Directory not empty\n`);
          status = 1;
          continue;
        }
      }
      try {
        ctx.sandbox.mutate(() => vfs.remove(path, { recursive }));
        if (o.flags.has('v')) ctx.out(node.type === 'dir' ? `removed directory '${f}'\n` : `removed '${f}'\n`);
      } catch (e) {
        if (e instanceof FsError && e.reason === 'EINVAL') ctx.err(`rm: cannot remove '${f}': Permission denied\n`);
        else ctx.err(`rm: cannot remove '${f}': ${fsReason(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
});

/** Copy a file or a folder tree (files share their blobs). */
function copyTree(vfs: Vfs, from: string, to: string): void {
  const node = vfs.stat(from)!;
  if (node.type === 'file') {
    if (node.blob) vfs.linkBlob(to, node.blob);
    else vfs.writeBytes(to, new Uint8Array(0));
    return;
  }
  if (!vfs.isDir(to)) vfs.mkdir(to);
  for (const name of vfs.list(from)) copyTree(vfs, from === '/' ? '/' + name : `${from}/${name}`, `${to}/${name}`);
}

function transferArgs(ctx: CommandContext, cmd: 'cp' | 'mv', args: string[]): { sources: string[]; dest: string; destIsDir: boolean } | number {
  if (!args.length) {
    ctx.err(`${cmd}: missing file operand\nTry '${cmd} --help' for more information.\n`);
    return 1;
  }
  if (args.length === 1) {
    ctx.err(`${cmd}: missing destination file operand after '${args[0]}'\nTry '${cmd} --help' for more information.\n`);
    return 1;
  }
  const dest = args[args.length - 1]!;
  const destIsDir = ctx.sandbox.vfs.isDir(abs(ctx, dest));
  if (args.length > 2 && !destIsDir) {
    ctx.err(`${cmd}: target '${dest}' is not a directory\n`);
    return 1;
  }
  return { sources: args.slice(0, -1), dest, destIsDir };
}

builtin({
  name: 'cp',
  summary: 'copy files and folders',
  usage: `Usage: cp [OPTION]... SOURCE DEST
  or:  cp [OPTION]... SOURCE... FOLDER
Copy SOURCE to DEST, or several SOURCEs into FOLDER.

  -r, -R  copy folders recursively
  -v      explain what is being done
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('cp', argv, { flags: 'rRavfip', long: { recursive: 'r', verbose: 'v', force: 'f', archive: 'a' } });
    } catch (e) {
      return usageFail(ctx, 'cp', e);
    }
    const t = transferArgs(ctx, 'cp', o.args);
    if (typeof t === 'number') return t;
    const vfs = ctx.sandbox.vfs;
    const recursive = o.flags.has('r') || o.flags.has('R') || o.flags.has('a');
    let status = 0;
    for (const s of t.sources) {
      const from = abs(ctx, s);
      const node = vfs.stat(from);
      if (!node) {
        ctx.err(`cp: cannot stat '${s}': No such file or directory\n`);
        status = 1;
        continue;
      }
      if (node.type === 'dir' && !recursive) {
        ctx.err(`cp: -r not specified; omitting directory '${s}'\n`);
        status = 1;
        continue;
      }
      const to = t.destIsDir ? abs(ctx, t.dest) + '/' + basename(from) : abs(ctx, t.dest);
      const shownTo = t.destIsDir ? `${t.dest.replace(/\/+$/, '')}/${basename(from)}` : t.dest;
      if (to === from) {
        ctx.err(`cp: '${s}' and '${shownTo}' are the same file\n`);
        status = 1;
        continue;
      }
      if (node.type === 'dir' && (to + '/').startsWith(from + '/')) {
        ctx.err(`cp: cannot copy a directory, '${s}', into itself, '${shownTo}'\n`);
        status = 1;
        continue;
      }
      const existing = vfs.stat(to);
      if (node.type === 'file' && existing?.type === 'dir') {
        ctx.err(`cp: cannot overwrite directory '${shownTo}' with non-directory\n`);
        status = 1;
        continue;
      }
      if (node.type === 'dir' && existing?.type === 'file') {
        ctx.err(`cp: cannot overwrite non-directory '${shownTo}' with directory '${s}'\n`);
        status = 1;
        continue;
      }
      try {
        ctx.sandbox.mutate(() => copyTree(vfs, from, to));
        if (o.flags.has('v')) ctx.out(`'${s}' -> '${shownTo}'\n`);
      } catch (e) {
        ctx.err(`cp: cannot create ${node.type === 'dir' ? 'directory' : 'regular file'} '${shownTo}': ${fsReason(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
});

builtin({
  name: 'mv',
  summary: 'move or rename files and folders',
  usage: `Usage: mv [OPTION]... SOURCE DEST
  or:  mv [OPTION]... SOURCE... FOLDER
Rename SOURCE to DEST, or move several SOURCEs into FOLDER.

  -v      explain what is being done
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('mv', argv, { flags: 'vfin', long: { verbose: 'v', force: 'f' } });
    } catch (e) {
      return usageFail(ctx, 'mv', e);
    }
    const t = transferArgs(ctx, 'mv', o.args);
    if (typeof t === 'number') return t;
    const vfs = ctx.sandbox.vfs;
    let status = 0;
    for (const s of t.sources) {
      const from = abs(ctx, s);
      const node = vfs.stat(from);
      if (!node) {
        ctx.err(`mv: cannot stat '${s}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const to = t.destIsDir ? abs(ctx, t.dest) + '/' + basename(from) : abs(ctx, t.dest);
      const shownTo = t.destIsDir ? `${t.dest.replace(/\/+$/, '')}/${basename(from)}` : t.dest;
      if (to === from) {
        ctx.err(`mv: '${s}' and '${shownTo}' are the same file\n`);
        status = 1;
        continue;
      }
      if (node.type === 'dir' && (to + '/').startsWith(from + '/')) {
        ctx.err(`mv: cannot move '${s}' to a subdirectory of itself, '${shownTo}'\n`);
        status = 1;
        continue;
      }
      const existing = vfs.stat(to);
      if (node.type === 'dir' && existing?.type === 'file') {
        ctx.err(`mv: cannot overwrite non-directory '${shownTo}' with directory '${s}'\n`);
        status = 1;
        continue;
      }
      if (node.type === 'file' && existing?.type === 'dir') {
        ctx.err(`mv: cannot overwrite directory '${shownTo}' with non-directory\n`);
        status = 1;
        continue;
      }
      try {
        ctx.sandbox.mutate(() => {
          if (node.type === 'dir' && existing?.type === 'dir') {
            if (vfs.list(to).length) throw new FsError(to, 'ENOTEMPTY');
            vfs.remove(to);
          }
          vfs.rename(from, to);
        });
        if (o.flags.has('v')) ctx.out(`renamed '${s}' -> '${shownTo}'\n`);
      } catch (e) {
        ctx.err(`mv: cannot move '${s}' to '${shownTo}': ${fsReason(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
});

builtin({
  name: 'touch',
  summary: 'create empty files or update their time',
  usage: `Usage: touch [OPTION]... FILE...
Update the modification time of each FILE to now; a FILE that does not exist is created empty.

  -c      do not create any files
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('touch', argv, { flags: 'camh', long: { 'no-create': 'c' } });
      if (!o.args.length) throw new UsageError('touch: missing file operand');
    } catch (e) {
      return usageFail(ctx, 'touch', e);
    }
    const vfs = ctx.sandbox.vfs;
    let status = 0;
    for (const f of o.args) {
      const path = abs(ctx, f);
      if (o.flags.has('c') && !vfs.exists(path)) continue;
      try {
        ctx.sandbox.mutate(() => vfs.touch(path));
      } catch (e) {
        ctx.err(`touch: cannot touch '${f}': ${fsReason(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
});

for (const name of ['less', 'more']) {
  builtin({
    name,
    summary: 'show a file or input (no paging: the terminal scrolls)',
    usage: `Usage: ${name} [FILE]...\nPrint the FILEs (or standard input); the terminal keeps the scroll-back, so there is no paging.\n`,
    run(ctx, argv) {
      const files = argv.filter((a) => !a.startsWith('-') || a === '-');
      const vfs = ctx.sandbox.vfs;
      let status = 0;
      if (!files.length) {
        ctx.out(ctx.stdin);
        return 0;
      }
      for (const f of files) {
        if (f === '-') {
          ctx.out(ctx.stdin);
          continue;
        }
        const node = vfs.stat(abs(ctx, f));
        if (!node) {
          ctx.err(`${f}: No such file or directory\n`);
          status = 1;
        } else if (node.type === 'dir') {
          ctx.err(`${f} is a directory\n`);
          status = 1;
        } else ctx.out(decode(vfs.readBytes(abs(ctx, f))));
      }
      return status;
    },
  });
}

builtin({
  name: 'find',
  summary: 'list files below folders (-name, -type, -maxdepth)',
  usage: `Usage: find [PATH]... [-maxdepth N] [-mindepth N] [-type f|d] [-name PATTERN] [-iname PATTERN]
List PATH (default .) and everything below it that matches the tests.
`,
  run(ctx, argv) {
    const paths: string[] = [];
    let i = 0;
    while (i < argv.length && !argv[i]!.startsWith('-')) paths.push(argv[i++]!);
    if (!paths.length) paths.push('.');
    let maxDepth = Infinity;
    let minDepth = 0;
    let type: string | undefined;
    const names: { re: RegExp }[] = [];
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      const v = argv[i + 1];
      if ((a === '-maxdepth' || a === '-mindepth') && v !== undefined && /^[0-9]+$/.test(v)) {
        if (a === '-maxdepth') maxDepth = Number(v);
        else minDepth = Number(v);
        i++;
      } else if (a === '-type' && (v === 'f' || v === 'd')) {
        type = v;
        i++;
      } else if ((a === '-name' || a === '-iname') && v !== undefined) {
        const re = globToRegExp(v);
        names.push({ re: a === '-iname' ? new RegExp(re.source, 'i') : re });
        i++;
      } else if (a === '-print') continue;
      else {
        ctx.err(`find: unknown predicate '${a}'\n`);
        return 1;
      }
    }
    const vfs = ctx.sandbox.vfs;
    let status = 0;
    let out = '';
    const visit = (shown: string, path: string, depth: number) => {
      const node = vfs.stat(path);
      if (!node) return;
      const base = shown === '/' ? '/' : shown.replace(/\/+$/, '').split('/').pop()!;
      const okType = !type || (type === 'd') === (node.type === 'dir');
      const okName = names.every((n) => n.re.test(base));
      if (depth >= minDepth && okType && okName) out += shown + '\n';
      if (node.type === 'dir' && depth < maxDepth) {
        for (const c of vfs.list(path)) visit(shown.endsWith('/') ? shown + c : `${shown}/${c}`, path === '/' ? '/' + c : `${path}/${c}`, depth + 1);
      }
    };
    for (const p of paths) {
      const path = abs(ctx, p);
      if (!vfs.exists(path)) {
        ctx.err(`find: '${p}': No such file or directory\n`);
        status = 1;
        continue;
      }
      visit(p, path, 0);
    }
    ctx.out(out);
    return status;
  },
});
