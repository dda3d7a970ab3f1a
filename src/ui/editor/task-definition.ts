/**
 * The task definition file type for the editor, without Monaco: which files
 * are task definitions, their JSON schema (generated from the engine's own
 * shape declarations, so completion and hover show our docs), live
 * diagnostics from the very validator RegisterTaskDefinition uses (mapped from
 * JSON paths to line/column ranges), snippets, and the Register action.
 * `task-definition.filetype.ts` registers it with the editor.
 */
import type { Diagnostic, FileType, Snippet, FileAction } from './file-types';
import type { Shape } from '../../engine/shapes';
import { RegisterTaskDefinitionInput } from '../../engine/services/ecs/handlers/task-definitions';
import { validateTaskDefinition, FARGATE_SIZES, type JsonPath } from '../../engine/services/ecs/task-definition-validator';

// ---------------------------------------------------------------- schema

function shapeToSchema(shape: Shape, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (shape.doc) out['description'] = shape.doc;
  switch (shape.type) {
    case 'string':
      out['type'] = 'string';
      if (shape.enum) out['enum'] = [...shape.enum];
      break;
    case 'integer':
    case 'long':
      out['type'] = 'integer';
      break;
    case 'float':
    case 'double':
      out['type'] = 'number';
      break;
    case 'boolean':
      out['type'] = 'boolean';
      break;
    case 'timestamp':
      out['type'] = ['string', 'number'];
      break;
    case 'blob':
      out['type'] = 'string';
      break;
    case 'list':
      out['type'] = 'array';
      out['items'] = depth > 8 ? {} : shapeToSchema(shape.member, depth + 1);
      if (shape.max !== undefined) out['maxItems'] = shape.max;
      break;
    case 'map':
      out['type'] = 'object';
      out['additionalProperties'] = shapeToSchema(shape.value, depth + 1);
      break;
    case 'structure': {
      out['type'] = 'object';
      const props: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(shape.members as Record<string, Shape>)) props[k] = shapeToSchema(v, depth + 1);
      out['properties'] = props;
      if (shape.required.length) out['required'] = [...shape.required];
      out['additionalProperties'] = false;
      break;
    }
  }
  return out;
}

/** JSON schema of a `--cli-input-json` task definition file. */
export function taskDefinitionSchema(): Record<string, unknown> {
  const schema = shapeToSchema(RegisterTaskDefinitionInput as unknown as Shape);
  const props = schema['properties'] as Record<string, Record<string, unknown>>;
  const cpus = FARGATE_SIZES.map((s) => String(s.cpu));
  props['cpu'] = { ...props['cpu'], examples: [...cpus, '0.25 vCPU', '1 vCPU'] };
  props['memory'] = { ...props['memory'], examples: ['512', '1024', '2048', '0.5 GB', '1 GB', '4 GB'] };
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'ECS task definition (register-task-definition --cli-input-json)', ...schema };
}

// ---------------------------------------------------------------- JSON with locations

interface Loc {
  /** Offsets of the value. */
  start: number;
  end: number;
  /** Offsets of the property key, when the value is an object member. */
  keyStart?: number;
  keyEnd?: number;
}

class JsonLocError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parse JSON and record where each value sits, by JSON path. */
export function parseWithLocations(text: string): { value: unknown; locs: Map<string, Loc> } {
  const locs = new Map<string, Loc>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (msg: string): never => {
    throw new JsonLocError(msg, i);
  };
  const key = (path: JsonPath) => JSON.stringify(path);
  const parseString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      if (text[i] === '\n') fail('Unterminated string');
      i++;
    }
    if (i >= text.length) fail('Unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('Invalid string');
    }
  };
  const value = (path: JsonPath, keyLoc?: { keyStart: number; keyEnd: number }): unknown => {
    ws();
    const start = i;
    const c = text[i];
    let v: unknown;
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail('Expected a property name in double quotes');
          const ks = i;
          const k = parseString();
          const ke = i;
          ws();
          if (text[i] !== ':') fail("Expected ':' after the property name");
          i++;
          obj[k] = value([...path, k], { keyStart: ks, keyEnd: ke });
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail("Expected ',' or '}'");
        }
      }
      v = obj;
    } else if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          arr.push(value([...path, arr.length]));
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail("Expected ',' or ']'");
        }
      }
      v = arr;
    } else if (c === '"') {
      v = parseString();
    } else {
      const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
      if (!m) fail(i >= text.length ? 'Unexpected end of the text' : `Unexpected character '${c}'`);
      i += m![0].length;
      v = JSON.parse(m![0]);
    }
    locs.set(key(path), { start, end: i, ...(keyLoc ?? {}) });
    return v;
  };
  const v = value([]);
  ws();
  if (i < text.length) fail('Unexpected text after the JSON value');
  return { value: v, locs };
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** Where a problem's JSON path points; falls back to the closest existing parent. */
function rangeFor(text: string, locs: Map<string, Loc>, path: JsonPath): { start: number; end: number } {
  for (let n = path.length; n >= 0; n--) {
    const loc = locs.get(JSON.stringify(path.slice(0, n)));
    if (!loc) continue;
    if (n === path.length) return { start: loc.start, end: loc.end };
    // A missing member: underline the parent's key (or its opening brace).
    if (loc.keyStart !== undefined) return { start: loc.keyStart, end: loc.keyEnd! };
    return { start: loc.start, end: Math.min(loc.end, loc.start + 1) };
  }
  return { start: 0, end: Math.min(1, text.length) };
}

const KNOWN = new Set(Object.keys((RegisterTaskDefinitionInput as unknown as { members: Record<string, unknown> }).members));

/** Live diagnostics for the editor: JSON syntax, unknown members, then the engine's own rules. */
export function validateTaskDefinitionText(text: string): Diagnostic[] {
  if (!text.trim()) return [];
  let parsed: { value: unknown; locs: Map<string, Loc> };
  try {
    parsed = parseWithLocations(text);
  } catch (e) {
    const off = e instanceof JsonLocError ? e.offset : 0;
    const p = position(text, off);
    return [{ line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1, message: (e as Error).message, severity: 'error' }];
  }
  const out: Diagnostic[] = [];
  const push = (path: JsonPath, message: string, severity: Diagnostic['severity']) => {
    const r = rangeFor(text, parsed.locs, path);
    const a = position(text, r.start);
    const b = position(text, Math.max(r.end, r.start + 1));
    out.push({ line: a.line, column: a.column, endLine: b.line, endColumn: b.column, message, severity });
  };
  const doc = parsed.value;
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const k of Object.keys(doc)) {
      if (!KNOWN.has(k)) {
        const loc = parsed.locs.get(JSON.stringify([k]));
        const r = loc?.keyStart !== undefined ? { start: loc.keyStart, end: loc.keyEnd! } : { start: 0, end: 1 };
        const a = position(text, r.start);
        const b = position(text, r.end);
        const hint = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'].includes(k)
          ? ' It is part of describe-task-definition output: delete it before registering.'
          : '';
        out.push({ line: a.line, column: a.column, endLine: b.line, endColumn: b.column, message: `Unknown parameter in input: "${k}". register-task-definition would refuse the file.${hint}`, severity: 'error' });
      }
    }
  }
  for (const p of validateTaskDefinition(doc)) push(p.path, `${p.message} (${p.code})`, p.severity);
  return out;
}

// ---------------------------------------------------------------- snippets and actions

const pretty = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

export const TASK_DEFINITION_SNIPPETS: Snippet[] = [
  {
    label: 'Fargate web app (nginx, awsvpc, 0.25 vCPU / 512 MiB)',
    text: pretty({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx:latest',
          essential: true,
          portMappings: [{ containerPort: 80, protocol: 'tcp' }],
        },
      ],
    }),
  },
  {
    label: 'EC2 bridge-mode app (dynamic host port)',
    text: pretty({
      family: 'app',
      requiresCompatibilities: ['EC2'],
      networkMode: 'bridge',
      containerDefinitions: [
        {
          name: 'app',
          image: 'httpd:2.4',
          cpu: 256,
          memory: 256,
          memoryReservation: 128,
          essential: true,
          portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
          environment: [{ name: 'APP_ENV', value: 'dev' }],
        },
      ],
    }),
  },
  {
    label: 'Sidecar with a shared volume',
    text: pretty({
      family: 'web-with-sidecar',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      volumes: [{ name: 'shared' }],
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx:latest',
          essential: true,
          portMappings: [{ containerPort: 80 }],
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/usr/share/nginx/html', readOnly: true }],
          dependsOn: [{ containerName: 'content', condition: 'START' }],
        },
        {
          name: 'content',
          image: 'busybox:latest',
          essential: false,
          command: ['sh', '-c', 'while true; do date > /data/index.html; sleep 5; done'],
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/data' }],
        },
      ],
    }),
  },
];

/** The terminal line the Register button runs for a file. */
export function registerCommandFor(path: string): string {
  const home = '/home/learner/';
  const rel = path.startsWith(home) ? path.slice(home.length) : path;
  const quoted = /^[\w./-]+$/.test(rel) ? rel : `'${rel.replace(/'/g, `'\\''`)}'`;
  return `aws ecs register-task-definition --cli-input-json file://${quoted}`;
}

export const REGISTER_ACTION: FileAction = {
  label: 'Register',
  async run(_text, ctx) {
    if (!(await ctx.save())) return;
    await ctx.exec(registerCommandFor(ctx.path));
  },
};

/** Task definition files: *.json whose name says so, or JSON that has containerDefinitions. */
export function isTaskDefinitionFile(path: string, text: string): boolean {
  if (!/\.json$/i.test(path)) return false;
  if (/task[-_]?def|taskdef|task-definition/i.test(path.split('/').pop() ?? '')) return true;
  return /"containerDefinitions"\s*:/.test(text);
}

export const taskDefinitionFileType: FileType = {
  id: 'ecs-task-definition',
  language: 'json',
  match: isTaskDefinitionFile,
  jsonSchema: taskDefinitionSchema(),
  validate: validateTaskDefinitionText,
  actions: [REGISTER_ACTION],
  snippets: TASK_DEFINITION_SNIPPETS,
};
