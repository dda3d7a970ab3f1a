import { describe, it, expect } from 'vitest';
import { tokenize, ShellSyntaxError } from '../../../src/cli/shell/tokenizer';
import { parse, type Word, type SimpleCommand, type Script } from '../../../src/cli/shell/parser';

/** Literal text of a word (fails on expansions). */
function lit(w: Word): string {
  return w.map((p) => (p.k === 'lit' ? p.v : `<${p.k}>`)).join('');
}
function simple(s: Script, i = 0, j = 0): SimpleCommand {
  const item = s.items[i]!;
  const c = (j === 0 ? item.first : item.rest[j - 1]!.pipeline).cmds[0]!;
  if (c.type !== 'simple') throw new Error('not simple');
  return c;
}
function words(src: string): string[] {
  return simple(parse(src)).words.map(lit);
}
function syntaxError(src: string): string {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e.message;
    throw e;
  }
  throw new Error('no syntax error for ' + JSON.stringify(src));
}

describe('tokenizer', () => {
  it('splits words on blanks and recognises operators', () => {
    const toks = tokenize('aws s3 ls|grep x&&echo ok;echo 2>&1 >>f');
    const ops = toks.filter((t) => t.t === 'op').map((t) => (t.t === 'op' ? `${t.fd ?? ''}${t.op}` : ''));
    expect(ops).toEqual(['|', '&&', ';', '2>&', '>>']);
  });

  it('records word positions', () => {
    const toks = tokenize('echo  "a b"  c');
    expect(toks.map((t) => [t.start, t.end])).toEqual([
      [0, 4],
      [6, 11],
      [13, 14],
    ]);
  });

  it('keeps quoted and unquoted literal parts apart', () => {
    const [w] = tokenize(`a'b c'"d"`);
    expect(w!.t === 'word' && w!.parts).toEqual([
      { k: 'lit', v: 'a', q: false },
      { k: 'lit', v: 'b cd', q: true },
    ]);
  });
});

describe('parser: quoting and escapes', () => {
  it('single quotes keep everything literal', () => {
    expect(words(`echo '$HOME \\n "x"'`)).toEqual(['echo', '$HOME \\n "x"']);
  });
  it('double quotes allow \\" \\$ \\\\ escapes only', () => {
    expect(words(`echo "a\\"b" "c\\$d" "e\\\\f" "g\\nh"`)).toEqual(['echo', 'a"b', 'c$d', 'e\\f', 'g\\nh']);
  });
  it('backslash outside quotes escapes one character', () => {
    expect(words('echo a\\ b \\$x \\\\')).toEqual(['echo', 'a b', '$x', '\\']);
  });
  it('ANSI-C quoting decodes escapes', () => {
    expect(words("echo $'a\\tb\\n'")).toEqual(['echo', 'a\tb\n']);
  });
  it('empty quotes make an empty word', () => {
    expect(words(`echo "" ''`)).toEqual(['echo', '', '']);
  });
  it('a lone $ is literal', () => {
    expect(words('echo $ a$')).toEqual(['echo', '$', 'a$']);
  });
});

describe('parser: continuation, comments, lists', () => {
  it('backslash-newline joins lines', () => {
    expect(words('aws s3api create-bucket \\\n  --bucket b \\\n  --region eu-west-1')).toEqual([
      'aws',
      's3api',
      'create-bucket',
      '--bucket',
      'b',
      '--region',
      'eu-west-1',
    ]);
  });
  it('# starts a comment only at the start of a word', () => {
    expect(words('echo a#b # rest is ignored')).toEqual(['echo', 'a#b']);
    expect(parse('# only a comment').items).toHaveLength(0);
  });
  it('newlines separate commands; && and | may continue on the next line', () => {
    const s = parse('echo a\necho b &&\n  echo c |\n  wc -l\n\n');
    expect(s.items).toHaveLength(2);
    expect(s.items[1]!.rest).toHaveLength(1);
    expect(s.items[1]!.rest[0]!.pipeline.cmds).toHaveLength(2);
  });
  it('parses ; && || and ! into and-or lists', () => {
    const s = parse('a; b && c || d; ! e');
    expect(s.items).toHaveLength(3);
    expect(s.items[1]!.rest.map((r) => r.op)).toEqual(['&&', '||']);
    expect(s.items[2]!.first.negate).toBe(true);
  });
  it('parses subshells', () => {
    const s = parse('(cd /; pwd) > out');
    const c = s.items[0]!.first.cmds[0]!;
    expect(c.type).toBe('subshell');
    expect(c.type === 'subshell' && c.body.items).toHaveLength(2);
    expect(c.redirs).toHaveLength(1);
  });
});

describe('parser: assignments, expansions, substitutions', () => {
  it('separates leading assignments from words', () => {
    const c = simple(parse('A=1 B="x y" aws s3 ls C=3'));
    expect(c.assigns.map((a) => [a.name, lit(a.value)])).toEqual([
      ['A', '1'],
      ['B', 'x y'],
    ]);
    expect(c.words.map(lit)).toEqual(['aws', 's3', 'ls', 'C=3']);
  });
  it('recognises $NAME ${NAME} $? and ${NAME:-default}', () => {
    const w = simple(parse('echo $A${B}$?${C:-dflt}')).words[1]!;
    expect(w.map((p) => (p.k === 'var' ? `${p.name}${p.op ?? ''}` : p.k))).toEqual(['A', 'B', '?', 'C:-']);
  });
  it('nests $( ) substitutions, also inside double quotes', () => {
    const w = simple(parse('echo "x $(echo "$(echo deep)") y"')).words[1]!;
    const sub = w.find((p) => p.k === 'sub');
    expect(sub && sub.k === 'sub' && sub.q).toBe(true);
    const inner = sub && sub.k === 'sub' ? simple(sub.script).words[1]! : [];
    expect(inner.some((p) => p.k === 'sub')).toBe(true);
  });
  it('handles ) inside quotes within $( )', () => {
    const w = simple(parse(`echo $(echo ')')`)).words[1]!;
    expect(w[0]!.k === 'sub' && w[0]!.src).toBe(`echo ')'`);
  });
  it('supports backticks', () => {
    const w = simple(parse('echo `echo hi`')).words[1]!;
    expect(w[0]!.k).toBe('sub');
  });
});

describe('parser: redirections', () => {
  it('parses > >> < 2> 2>&1 &> with targets', () => {
    const c = simple(parse('cmd > out >> app < in 2> err 2>&1 &> both'));
    expect(c.redirs.map((r) => `${r.fd}${r.op}${lit(r.target)}`)).toEqual(['1>out', '1>>app', '0<in', '2>err', '2>&1', '1&>both']);
    expect(c.words.map(lit)).toEqual(['cmd']);
  });
  it('reads here-document bodies after the line', () => {
    const s = parse("cat <<EOF > f.json\n{\"a\": \"$X\"}\nEOF\necho after");
    const c = simple(s);
    const r = c.redirs[0]!;
    expect(r.op).toBe('<<');
    expect(r.body!.some((p) => p.k === 'var')).toBe(true);
    expect(simple(s, 1).words.map(lit)).toEqual(['echo', 'after']);
  });
  it('a quoted here-document delimiter disables expansion', () => {
    const r = simple(parse("cat <<'EOF'\n$X\nEOF")).redirs[0]!;
    expect(r.body).toEqual([{ k: 'lit', v: '$X\n', q: true }]);
  });
});

describe('parser: syntax errors', () => {
  it('reports unclosed quotes', () => {
    expect(syntaxError("echo 'abc")).toBe("syntax error: unexpected end of file (unclosed ')");
    expect(syntaxError('echo "abc')).toBe('syntax error: unexpected end of file (unclosed ")');
    expect(syntaxError('echo $(echo')).toMatch(/unexpected end of file/);
  });
  it('reports unexpected tokens', () => {
    expect(syntaxError('| grep x')).toBe("syntax error near unexpected token '|'");
    expect(syntaxError('echo a ;; echo b')).toBe("syntax error near unexpected token ';;'");
    expect(syntaxError('echo >')).toBe("syntax error near unexpected token 'newline'");
    expect(syntaxError('; echo')).toBe("syntax error near unexpected token ';'");
    expect(syntaxError('echo a &&')).toBe('syntax error: unexpected end of file');
  });
});
