/**
 * The CLI's command tables, built once per service definition and cached:
 * service word -> command name -> the operation and its option table.
 */
import type { AnyOperation, ServiceDef, Shape, StructureShape, Sandbox } from '../../engine';
import { xformName } from './names';
import { customizationOf, type Customization, type CustomArgument } from './customizations';

export interface CliOption {
  /** `--task-definition` */
  name: string;
  /** Input member name (`taskDefinition`), or a pseudo name for CLI-only options. */
  member: string;
  shape: Shape;
  required: boolean;
  /** `--no-x` form of a boolean member. */
  negated?: boolean;
  /** Accepted but not documented (paging members replaced by --starting-token ...). */
  hidden?: boolean;
  /** CLI-only options: --cli-input-json, --starting-token ... */
  special?: 'cli-input-json' | 'cli-input-yaml' | 'generate-cli-skeleton' | 'starting-token' | 'page-size' | 'max-items';
  /** A CLI customization's argument (not an API member): it adds its value to the parameters. */
  custom?: CustomArgument;
}

export interface CliCommand {
  name: string;
  service: ServiceDef;
  op: AnyOperation;
  options: Map<string, CliOption>;
  /** Documented options in display order. */
  ordered: CliOption[];
  required: CliOption[];
  /** Members that switch automatic pagination off when given (input tokens, limit key). */
  pagingMembers: Set<string>;
  /** Streaming output (S3 GetObject): needs an outfile positional. */
  outfile: boolean;
  /** The CLI's customization of this command (extra arguments), if any. */
  customization?: Customization;
}

export interface CliService {
  word: string;
  def: ServiceDef;
  commands: Map<string, CliCommand>;
  names: string[];
}

const STREAMING_OUTPUT = new Set(['GetObject', 'GetObjectTorrent']);
const INT_SHAPE: Shape = { type: 'integer' };
const STR_SHAPE: Shape = { type: 'string' };

function buildCommand(svc: ServiceDef, op: AnyOperation): CliCommand {
  const input = op.input as StructureShape;
  const options = new Map<string, CliOption>();
  const ordered: CliOption[] = [];
  const required: CliOption[] = [];
  const pg = op.paginator;
  const pagingMembers = new Set<string>();
  if (pg) {
    for (const t of Array.isArray(pg.inputToken) ? pg.inputToken : [pg.inputToken]) pagingMembers.add(t);
    if (pg.limitKey) pagingMembers.add(pg.limitKey);
  }
  const req = new Set<string>(input.required as readonly string[]);
  for (const [member, shape] of Object.entries(input.members as Record<string, Shape>)) {
    const name = '--' + xformName(member);
    const opt: CliOption = { name, member, shape, required: req.has(member), hidden: pagingMembers.has(member) };
    options.set(name, opt);
    if (!opt.hidden) ordered.push(opt);
    if (opt.required) required.push(opt);
    if (shape.type === 'boolean') {
      const neg: CliOption = { name: '--no-' + xformName(member), member, shape, required: false, negated: true, hidden: opt.hidden };
      options.set(neg.name, neg);
      if (!neg.hidden) ordered.push(neg);
    }
  }
  const add = (o: CliOption) => {
    options.set(o.name, o);
    ordered.push(o);
  };
  const customization = customizationOf(svc.cliName, xformName(op.name));
  for (const a of customization?.args ?? []) add({ name: a.name, member: '', shape: { type: 'string', doc: a.doc }, required: false, custom: a });
  add({ name: '--cli-input-json', member: '', shape: STR_SHAPE, required: false, special: 'cli-input-json' });
  add({ name: '--cli-input-yaml', member: '', shape: STR_SHAPE, required: false, special: 'cli-input-yaml' });
  if (pg) {
    add({ name: '--starting-token', member: '', shape: STR_SHAPE, required: false, special: 'starting-token' });
    const limitShape = pg.limitKey ? ((input.members as Record<string, Shape>)[pg.limitKey] ?? INT_SHAPE) : INT_SHAPE;
    if (pg.limitKey) add({ name: '--page-size', member: '', shape: limitShape, required: false, special: 'page-size' });
    add({ name: '--max-items', member: '', shape: limitShape, required: false, special: 'max-items' });
  }
  add({ name: '--generate-cli-skeleton', member: '', shape: STR_SHAPE, required: false, special: 'generate-cli-skeleton' });
  return { name: xformName(op.name), service: svc, op, options, ordered, required, pagingMembers, outfile: STREAMING_OUTPUT.has(op.name), ...(customization ? { customization } : {}) };
}

const BY_DEF = new WeakMap<ServiceDef, Map<string, CliCommand>>();

function commandsOf(svc: ServiceDef): Map<string, CliCommand> {
  let m = BY_DEF.get(svc);
  if (!m) {
    m = new Map();
    for (const op of svc.operations) {
      const c = buildCommand(svc, op);
      m.set(c.name, c);
    }
    BY_DEF.set(svc, m);
  }
  return m;
}

const BY_SANDBOX = new WeakMap<readonly ServiceDef[], Map<string, CliService>>();

/** Service word -> CLI service, for the sandbox's services (cached). */
export function cliServices(sandbox: Sandbox): Map<string, CliService> {
  let m = BY_SANDBOX.get(sandbox.services);
  if (!m) {
    m = new Map();
    for (const def of sandbox.services) {
      const commands = commandsOf(def);
      m.set(def.cliName, { word: def.cliName, def, commands, names: [...commands.keys()].sort() });
    }
    BY_SANDBOX.set(sandbox.services, m);
  }
  return m;
}

/** The service whose API serves a CLI word (`s3` high-level commands use the s3 API service). */
export function serviceForWord(sandbox: Sandbox, word: string): ServiceDef | undefined {
  return cliServices(sandbox).get(word)?.def ?? sandbox.service(word);
}
