/**
 * Editor support for lesson files: lesson.json (from `sandbox lessons record`)
 * and lesson packs get completion and hover from lessons/schema.json, live
 * validation with the same checker as `sandbox lessons import`, and, for a
 * pack, an "Import pack" action.
 */
import { registerFileType, type Diagnostic } from '../editor/file-types';
import schema from '../../../lessons/schema.json';
import { validateSchema } from '../../lessons/validate';

const isPackText = (text: string) => /"format"\s*:\s*"nimbus-lesson-pack"/.test(text);

/** Where in the text an error points: the member it names, else the first line. */
function locate(text: string, message: string): Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'> {
  const member = /unknown member (\S+)/.exec(message)?.[1] ?? /missing required member (\S+)/.exec(message)?.[1];
  const pathKey = /\.([A-Za-z$][\w$-]*)(?:\[\d+\])*:/.exec(message)?.[1];
  const needle = member && !message.includes('missing') ? `"${member}"` : pathKey ? `"${pathKey}"` : null;
  if (needle) {
    const i = text.indexOf(needle);
    if (i >= 0) {
      const before = text.slice(0, i);
      const line = before.split('\n').length;
      const column = i - before.lastIndexOf('\n');
      return { line, column, endLine: line, endColumn: column + needle.length };
    }
  }
  return { line: 1, column: 1, endLine: 1, endColumn: 2 };
}

registerFileType({
  id: 'nimbus-lesson',
  language: 'json',
  match: (path, text) => /(^|\/)lesson\.json$/.test(path) || isPackText(text),
  jsonSchema: schema,
  validate(text) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return []; // Monaco's JSON service reports syntax errors itself
    }
    const which = isPackText(text) ? '#/definitions/pack' : '#/definitions/lesson';
    return validateSchema(doc, { $ref: which }, schema as Record<string, unknown>)
      .slice(0, 50)
      .map((message) => ({ ...locate(text, message), message, severity: 'error' as const }));
  },
  actions: [
    {
      label: 'Import pack',
      async run(text, ctx) {
        if (!isPackText(text)) {
          await ctx.exec(`echo "A lesson pack has \\"format\\": \\"nimbus-lesson-pack\\"; see lessons/README.md."`);
          return;
        }
        if (await ctx.save()) await ctx.exec(`sandbox lessons import ${ctx.path}`);
      },
    },
  ],
});
