/**
 * Help pages in the AWS CLI's man-page layout, written from the declared
 * shapes: `aws help`, `aws SERVICE help`, `aws SERVICE COMMAND help`.
 */
import type { Sandbox, Shape } from '../../engine';
import { getAwsCustomCommand } from './custom';
import { cliServices, type CliCommand, type CliOption } from './model';
import { GLOBAL_OPTIONS, serviceWords, commandWords, knownOperation } from './cli';
import { waitersOf, getWaiter } from './waiters';

const I1 = '       ';
const I2 = '          ';

function header(name: string): string {
  const t = `${name.toUpperCase()}()`;
  return t + ' '.repeat(Math.max(1, 78 - t.length * 2)) + t + '\n\n';
}

function wrap(text: string, indent: string, width = 78): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? line + ' ' + word : word;
    }
    out.push(line ? indent + line : '');
  }
  return out.join('\n') + '\n';
}

function typeName(shape: Shape): string {
  switch (shape.type) {
    case 'list':
      return 'list';
    case 'map':
      return 'map';
    case 'structure':
      return 'structure';
    case 'blob':
      return shape.streaming ? 'streaming blob' : 'blob';
    default:
      return shape.type;
  }
}

function globalOptionsText(): string {
  let s = '';
  for (const [name, spec] of Object.entries(GLOBAL_OPTIONS)) {
    s += `${I1}${name} (${spec.takesValue ? 'string' : 'boolean'})\n` + wrap(spec.doc, I2);
    if (spec.choices) s += '\n' + spec.choices.map((c) => `${I2}o ${c}\n`).join('');
    s += '\n';
  }
  return s;
}

function topHelp(sandbox: Sandbox): string {
  let s = header('aws') + 'NAME\n' + `${I1}aws -\n\n` + 'DESCRIPTION\n';
  s += wrap(
    'The AWS Command Line Interface, as simulated by Nimbus: every command runs against a sandbox cloud that lives in this browser tab. Nothing is sent to AWS and no account is needed.',
    I1,
  );
  s += '\nSYNOPSIS\n' + `${I2}aws [options] <command> <subcommand> [parameters]\n\n`;
  s += wrap('Use aws command help for information on a specific command. Use aws help topics to view a list of available help topics.', I1);
  s += '\nOPTIONS\n' + globalOptionsText();
  s += 'AVAILABLE SERVICES\n' + serviceWords(sandbox).map((w) => `${I1}o ${w}\n\n`).join('');
  s += `${I1}o help\n\n`;
  return s;
}

function serviceHelp(sandbox: Sandbox, word: string): string {
  const svc = cliServices(sandbox).get(word);
  let s = header(word) + 'NAME\n' + `${I1}${word} -\n\n` + 'DESCRIPTION\n';
  const api = svc ? undefined : sandbox.service(word);
  if (svc) s += wrap(`${svc.def.title}. ${svc.def.doc}`, I1);
  else if (word === 'configure') s += wrap('Shows and changes the settings the CLI uses: the default region and output format of each profile. The sandbox needs no access keys.', I1);
  else if (api) s += wrap(`High-level commands for ${api.title}, working with files and folders. The API operations themselves are under aws ${api.cliName}.`, I1);
  else s += wrap(`High-level commands of ${word}.`, I1);
  s += '\nAVAILABLE COMMANDS\n';
  for (const name of [...commandWords(sandbox, word), 'help'].sort()) {
    const custom = getAwsCustomCommand(word, name);
    s += `${I1}o ${name}\n`;
    if (custom) s += wrap(custom.summary, I2);
    s += '\n';
  }
  return s;
}

function optionSynopsis(o: CliOption): string {
  if (o.special === 'cli-input-json') return '[--cli-input-json | --cli-input-yaml]';
  if (o.special === 'cli-input-yaml') return '';
  if (o.shape.type === 'boolean' && !o.special) return o.negated ? '' : `[--${o.name.slice(2)} | --no-${o.name.slice(2)}]`;
  const v = `${o.name} <value>`;
  return o.required ? v : `[${v}]`;
}

function shapeDoc(shape: Shape, indent: string, depth = 0): string {
  let s = '';
  if (shape.type === 'string' && shape.enum) {
    s += `\n${indent}Possible values:\n\n` + shape.enum.map((e) => `${indent}o ${e}\n\n`).join('');
  }
  if (depth > 2) return s;
  if (shape.type === 'structure') {
    const req = new Set(shape.required as readonly string[]);
    const members = Object.entries(shape.members as Record<string, Shape>);
    if (members.length) {
      s += `\n${indent}Structure members:\n\n`;
      for (const [k, m] of members) {
        s += `${indent}${k} -> (${typeName(m)})${req.has(k) ? ' [required]' : ''}\n`;
        if (m.doc) s += wrap(m.doc, indent + '   ');
        s += shapeDoc(m, indent + '   ', depth + 1);
      }
    }
  } else if (shape.type === 'list') s += shapeDoc(shape.member as Shape, indent, depth);
  else if (shape.type === 'map') s += `\n${indent}Keys are strings; values are ${typeName(shape.value as Shape)}.\n` + shapeDoc(shape.value as Shape, indent, depth + 1);
  return s;
}

function scalarWord(shape: Shape): string {
  switch (shape.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'long':
      return shape.type;
    case 'float':
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamp';
    case 'blob':
      return 'blob';
    default:
      return shape.type;
  }
}

const isScalarShape = (sh: Shape) => sh.type !== 'structure' && sh.type !== 'list' && sh.type !== 'map';

/** The shorthand form of a value, as the CLI documents it (undefined when too deep for shorthand). */
function shorthandOf(shape: Shape, depth = 0): string | undefined {
  if (depth > 2) return undefined;
  if (isScalarShape(shape)) return scalarWord(shape);
  if (shape.type === 'list') {
    const m = shape.member as Shape;
    if (isScalarShape(m)) return `${scalarWord(m)},${scalarWord(m)}`;
    const inner = shorthandOf(m, depth + 1);
    return inner === undefined ? undefined : `[${inner},${inner}]`;
  }
  if (shape.type === 'map') {
    const v = shape.value as Shape;
    return isScalarShape(v) ? `KeyName1=${scalarWord(v)},KeyName2=${scalarWord(v)}` : undefined;
  }
  const parts: string[] = [];
  for (const [k, m] of Object.entries(shape.members as Record<string, Shape>)) {
    const v = shorthandOf(m, depth + 1);
    if (v === undefined) return undefined;
    parts.push(`${k}=${m.type === 'structure' ? `{${v}}` : v}`);
  }
  return parts.join(',');
}

function jsonOf(shape: Shape, indent: string, stack: Shape[] = []): string {
  switch (shape.type) {
    case 'structure': {
      if (stack.includes(shape)) return '{ ... recursive ... }';
      const entries = Object.entries(shape.members as Record<string, Shape>);
      if (!entries.length) return '{}';
      const inner = entries.map(([k, m]) => `${indent}  "${k}": ${jsonOf(m, indent + '  ', [...stack, shape])}`);
      return `{\n${inner.join(',\n')}\n${indent}}`;
    }
    case 'list': {
      const m = shape.member as Shape;
      if (isScalarShape(m)) return `[${jsonOf(m, indent, stack)}, ...]`;
      return `[\n${indent}  ${jsonOf(m, indent + '  ', stack)}\n${indent}  ...\n${indent}]`;
    }
    case 'map':
      return `{"string": ${jsonOf(shape.value as Shape, indent + '  ', stack)}\n${indent}  ...}`;
    case 'string':
      return shape.enum ? shape.enum.map((e) => `"${e}"`).join('|') : '"string"';
    case 'boolean':
      return 'true|false';
    case 'timestamp':
      return 'timestamp';
    case 'blob':
      return 'blob';
    default:
      return scalarWord(shape);
  }
}

function syntaxBlocks(shape: Shape): string {
  if (isScalarShape(shape)) return '';
  let s = '';
  const member = shape.type === 'list' ? (shape.member as Shape) : undefined;
  if (shape.type === 'list' && member && isScalarShape(member)) {
    s += `\n${I2}Syntax:\n\n${I2}  "${scalarWord(member)}" "${scalarWord(member)}" ...\n`;
    if (member.type === 'string' && member.enum) s += `\n${I2}  Where valid values are:\n` + member.enum.map((e) => `${I2}    ${e}\n`).join('');
    return s;
  }
  const sh = shape.type === 'list' ? (member ? shorthandOf(member, 1) : undefined) : shorthandOf(shape);
  if (sh !== undefined) s += `\n${I2}Shorthand Syntax:\n\n${I2}  ${sh}${shape.type === 'list' ? ' ...' : ''}\n`;
  s += `\n${I2}JSON Syntax:\n\n` + jsonOf(shape, I2 + '  ').replace(/^/, I2 + '  ') + '\n';
  return s;
}

const SPECIAL_DOC: Record<string, string> = {
  'cli-input-json': 'Reads the parameters from a JSON document (text, or file://path). Options given on the command line take precedence over its values.',
  'cli-input-yaml': 'Reads the parameters from a YAML document (text, or file://path). Options given on the command line take precedence over its values.',
  'generate-cli-skeleton': 'Prints a template of the parameters instead of running the command: input (JSON, the default), yaml-input (YAML) or output.',
  'starting-token': 'Where to resume listing: the NextToken printed by an earlier command that used --max-items.',
  'page-size': 'How many items to ask for in each call made behind the scenes. Results are still complete.',
  'max-items': 'The most items to print in total. If more exist, a NextToken is printed; pass it to --starting-token to continue.',
};

function commandHelp(cmd: CliCommand): string {
  let s = header(cmd.name) + 'NAME\n' + `${I1}${cmd.name} -\n\n` + 'DESCRIPTION\n' + wrap(cmd.op.doc, I1);
  if (cmd.op.errors?.length) s += '\n' + wrap(`Errors you may meet: ${cmd.op.errors.join(', ')}.`, I1);
  if (cmd.op.paginator) s += '\n' + wrap(`${cmd.name} is a paginated operation: the CLI makes as many calls as needed and prints all the results. Use --no-paginate for the first page only.`, I1);
  s += '\nSYNOPSIS\n' + `${I2}  ${cmd.name}\n`;
  for (const o of cmd.ordered) {
    const syn = optionSynopsis(o);
    if (syn) s += `${I2}${syn}\n`;
  }
  if (cmd.outfile) s += `${I2}<outfile>\n`;
  s += `${I2}[--debug]\n${I2}[--endpoint-url <value>]\n${I2}[--no-verify-ssl]\n${I2}[--no-paginate]\n${I2}[--output <value>]\n${I2}[--query <value>]\n${I2}[--profile <value>]\n${I2}[--region <value>]\n${I2}[--version <value>]\n${I2}[--color <value>]\n${I2}[--no-sign-request]\n${I2}[--ca-bundle <value>]\n${I2}[--cli-read-timeout <value>]\n${I2}[--cli-connect-timeout <value>]\n${I2}[--cli-binary-format <value>]\n${I2}[--no-cli-pager]\n${I2}[--cli-auto-prompt]\n${I2}[--no-cli-auto-prompt]\n`;
  s += '\nOPTIONS\n';
  for (const o of cmd.ordered) {
    if (o.negated || o.special === 'cli-input-yaml') continue;
    if (o.special) {
      s += `${I1}${o.name} (${o.special === 'page-size' || o.special === 'max-items' ? 'integer' : 'string'})\n` + wrap(SPECIAL_DOC[o.special] ?? '', I2) + '\n';
      continue;
    }
    const name = o.shape.type === 'boolean' ? `${o.name} | --no-${o.name.slice(2)}` : o.name;
    s += `${I1}${name} (${typeName(o.shape)})${o.required ? ' [required]' : ''}\n`;
    s += wrap(o.shape.doc ?? `The ${o.member} parameter of ${cmd.op.name}.`, I2);
    s += shapeDoc(o.shape, I2);
    s += syntaxBlocks(o.shape);
    s += '\n';
  }
  if (cmd.outfile) s += `${I1}outfile (string)\n` + wrap('The file in your home folder where the object data is saved.', I2) + '\n';
  s += 'GLOBAL OPTIONS\n' + `${I1}Run aws help for the global options.\n\n`;
  if (cmd.op.example) s += 'EXAMPLES\n' + cmd.op.example.split('\n').map((l) => `${I2}${l}\n`).join('') + '\n';
  return s;
}

function waitHelp(sandbox: Sandbox, word: string, name?: string): string {
  const svc = cliServices(sandbox).get(word);
  const api = svc?.def.name ?? word;
  if (name) {
    const w = getWaiter(api, name);
    if (!w) return '';
    let s = header(name) + 'NAME\n' + `${I1}${name} -\n\n` + 'DESCRIPTION\n';
    s += wrap(w.doc ?? `Waits until the condition ${name} holds.`, I1);
    s += '\n' + wrap(`It calls ${w.operation} every ${w.delaySeconds} seconds of simulated time, at most ${w.maxAttempts} times. On success the exit code is 0; when the waiter fails or gives up it prints why and exits with 255.`, I1);
    const cmd = svc ? [...svc.commands.values()].find((c) => c.op.name === w.operation) : undefined;
    if (cmd) s += '\nOPTIONS\n' + wrap(`The options of ${cmd.name}; run aws ${word} ${cmd.name} help.`, I1);
    return s;
  }
  let s = header('wait') + 'NAME\n' + `${I1}wait -\n\n` + 'DESCRIPTION\n' + wrap('Wait until a condition is met, polling the service.', I1) + '\nAVAILABLE WAITERS\n';
  for (const w of waitersOf(api)) s += `${I1}o ${w.name}\n\n`;
  return s;
}

/** `aws help TOPIC`: short topic pages in our words. */
export const HELP_TOPICS: Record<string, { title: string; body: string }> = {
  'return-codes': {
    title: 'What the exit code of an aws command means.',
    body:
      'o 0 - the command worked.\n' +
      'o 1 - an aws s3 transfer command could not copy at least one file.\n' +
      'o 2 - an aws s3 transfer skipped files it could not read.\n' +
      'o 130 - the command was interrupted (Ctrl-C).\n' +
      'o 252 - the command line itself was wrong: unknown command or option, missing required option, a value that could not be parsed. Nothing was sent.\n' +
      'o 253 - the configuration was wrong (for example a missing region or credentials).\n' +
      'o 254 - the request reached the service and the service answered with an error (the message says which).\n' +
      'o 255 - anything else went wrong: the endpoint could not be reached, an unknown profile, a waiter that failed or gave up.\n\n' +
      'In a shell, $? holds the exit code of the last command: aws s3api head-bucket --bucket photos; echo $?\n',
  },
  topics: {
    title: 'The help topics.',
    body: 'o return-codes - what the exit codes of aws commands mean\n',
  },
};

function topicHelp(name: string): string {
  const t = HELP_TOPICS[name]!;
  return header(name) + 'NAME\n' + `${I1}${name} -\n\n` + 'DESCRIPTION\n' + wrap(t.title, I1) + '\n' + t.body.split('\n').map((l) => (l ? wrap(l, I1) + '\n' : '')).join('') + '\n';
}

export function renderHelp(sandbox: Sandbox, service?: string, command?: string): string {
  if (service?.startsWith('topic:')) return topicHelp(service.slice(6));
  if (!service) return topHelp(sandbox);
  if (!command) return serviceHelp(sandbox, service);
  if (command === 'wait') return waitHelp(sandbox, service);
  if (command.startsWith('wait ')) return waitHelp(sandbox, service, command.slice(5));
  const custom = getAwsCustomCommand(service, command);
  if (custom) return header(command) + 'NAME\n' + `${I1}${command} -\n\n` + 'DESCRIPTION\n' + wrap(custom.summary, I1) + '\n' + custom.usage + (custom.usage.endsWith('\n') ? '' : '\n');
  const svc = cliServices(sandbox).get(service);
  const cmd = svc?.commands.get(command);
  if (!cmd) {
    const op = svc ? knownOperation(svc.def.name, command) : undefined;
    if (!op) return '';
    return (
      header(command) + 'NAME\n' + `${I1}${command} -\n\n` + 'DESCRIPTION\n' +
      wrap(`${command} calls the ${op} operation of ${svc!.def.title}. Nimbus does not simulate it yet: running it answers NotYetSimulated and changes nothing.`, I1) + '\n'
    );
  }
  return commandHelp(cmd);
}

