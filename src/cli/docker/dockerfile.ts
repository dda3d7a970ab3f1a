/**
 * A Dockerfile reader for the pseudo `docker build`: instructions, line
 * continuations, comments, stages. FROM, CMD, ENTRYPOINT, EXPOSE and ENV shape
 * the image's behaviour; COPY/ADD sources must exist in the build context.
 */
import { parseInstructionArgs, shellWords } from '../../engine/images';

export interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

export const KNOWN = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

export class DockerfileError extends Error {}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!buf && /^\s*#/.test(raw)) continue;
    if (!buf && !raw.trim()) continue;
    if (!buf) start = i + 1;
    if (/\\\s*$/.test(raw)) {
      buf += raw.replace(/\\\s*$/, ' ');
      continue;
    }
    buf += raw;
    const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(buf);
    if (!m) throw new DockerfileError(`dockerfile parse error on line ${start}: unknown instruction: ${buf.trim().split(/\s+/)[0]}`);
    const keyword = m[1]!.toUpperCase();
    if (!KNOWN.has(keyword)) throw new DockerfileError(`dockerfile parse error on line ${start}: unknown instruction: ${m[1]}`);
    out.push({ line: start, keyword, args: (m[2] ?? '').trim() });
    buf = '';
  }
  if (buf.trim()) throw new DockerfileError(`dockerfile parse error on line ${start}: unexpected end of file`);
  return out;
}

/** Sources of COPY/ADD (without options like --from or --chown), and the destination. */
export function copySources(args: string): { from?: string; sources: string[]; dest: string } {
  let words = args.trim().startsWith('[') ? parseInstructionArgs(args) : shellWords(args);
  let from: string | undefined;
  words = words.filter((w) => {
    if (w.startsWith('--from=')) {
      from = w.slice(7);
      return false;
    }
    return !w.startsWith('--');
  });
  return { ...(from ? { from } : {}), sources: words.slice(0, -1), dest: words[words.length - 1] ?? '' };
}

/** EXPOSE 80 8080/tcp 53/udp -> ports. */
export function exposedPorts(args: string): number[] {
  return args
    .split(/\s+/)
    .map((p) => parseInt(p, 10))
    .filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
}

/** ENV k=v k2="v 2"  or legacy ENV k v */
export function envPairs(args: string): [string, string][] {
  const words = shellWords(args);
  if (words.length >= 2 && !words[0]!.includes('=')) return [[words[0]!, words.slice(1).join(' ')]];
  return words.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]);
}
