/**
 * Colours plain command output for the terminal with ANSI escapes. The CLI
 * prints plain text; here JSON gets syntax colours, table borders are dimmed,
 * and stderr is red. Colouring never changes the visible characters, so
 * tables stay aligned.
 */
export const ANSI = {
  reset: '\x1b[0m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
} as const;

export type OutputKind = 'json' | 'table' | 'plain';

/** Guess what kind of output this is from its first characters. */
export function detectKind(text: string): OutputKind {
  const head = text.slice(0, 200).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  if (/^-{3,}\n\|/.test(head)) return 'table';
  return 'plain';
}

const JSON_TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;

/** Colour one line of pretty-printed JSON (keys cyan, strings green, numbers yellow, literals magenta). */
export function colorJsonLine(line: string): string {
  return line.replace(JSON_TOKEN, (m, str: string | undefined, colon: string | undefined, num: string | undefined, lit: string | undefined) => {
    if (str !== undefined) {
      if (colon !== undefined) return ANSI.cyan + str + ANSI.reset + colon;
      return ANSI.green + str + ANSI.reset;
    }
    if (num !== undefined) return ANSI.yellow + num + ANSI.reset;
    if (lit !== undefined) return ANSI.magenta + lit + ANSI.reset;
    return m;
  });
}

/** Dim the border characters of an AWS CLI table line, leaving the cells as they are. */
export function colorTableLine(line: string): string {
  if (/^[-+|]+$/.test(line)) return ANSI.dim + line + ANSI.reset;
  return line.replace(/\|/g, ANSI.dim + '|' + ANSI.reset);
}

export function colorLine(line: string, kind: OutputKind): string {
  if (kind === 'json') return colorJsonLine(line);
  if (kind === 'table') return colorTableLine(line);
  return line;
}

/**
 * Split output into chunks of at most `maxLines` lines, coloured, with CRLF
 * line ends, ready to hand to the terminal one at a time. Lazy: each chunk is
 * coloured only when it is asked for, so long outputs never block the page.
 */
export function* chunksOf(text: string, stream: 'stdout' | 'stderr', maxLines = 100, maxChars = 16384): Generator<string> {
  if (!text) return;
  const kind = stream === 'stdout' ? detectKind(text) : 'plain';
  const paint = (l: string) => (stream === 'stderr' ? (l ? ANSI.red + l + ANSI.reset : l) : colorLine(l, kind));
  let start = 0;
  while (start < text.length) {
    let end = start;
    let n = 0;
    while (n < maxLines && end - start < maxChars) {
      const nl = text.indexOf('\n', end);
      if (nl < 0) {
        end = text.length;
        break;
      }
      end = nl + 1;
      n++;
    }
    if (end - start > maxChars && n <= 1) {
      // One huge line (a blob, minified JSON): hand it over in slices, uncoloured
      // except for stderr's red, so that no single write is long.
      const lineEnd = end;
      for (let i = start; i < lineEnd; i += maxChars) {
        const piece = text.slice(i, Math.min(i + maxChars, lineEnd)).replace(/\n$/, '\r\n');
        yield stream === 'stderr' ? ANSI.red + piece + ANSI.reset : piece;
      }
      start = lineEnd;
      continue;
    }
    yield text.slice(start, end).split('\n').map(paint).join('\r\n');
    start = end;
  }
}

export function renderChunks(text: string, stream: 'stdout' | 'stderr', maxLines = 100, maxChars = 16384): string[] {
  return [...chunksOf(text, stream, maxLines, maxChars)];
}

/** Remove ANSI escapes (for the aria-live copy and tests). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
