/** Editor flow for task definitions: which files get the type, and how a snippet lands in an empty document. */
import { describe, expect, it } from 'vitest';
import { fileTypeFor, registerFileType, snippetReplacesDocument } from '../../../src/ui/editor/file-types';
import { taskDefinitionFileType, validateTaskDefinitionText, TASK_DEFINITION_SNIPPETS } from '../../../src/ui/editor/task-definition';

registerFileType(taskDefinitionFileType);

describe('task definition file type', () => {
  it('applies to new, empty files named like a task definition', () => {
    for (const name of ['taskdef.json', 'task-definition.json', 'web-taskdef.json', 'web.taskdef.json', 'task_definition.json', 'TaskDef.json', 'nginx-task-def.json']) {
      const ft = fileTypeFor(`/home/learner/${name}`, '');
      expect(ft.id, name).toBe('ecs-task-definition');
      expect(ft.snippets?.length, name).toBeGreaterThan(0);
      expect(ft.actions?.map((a) => a.label), name).toEqual(['Register']);
    }
  });
  it('applies to any .json with containerDefinitions, not to other JSON', () => {
    expect(fileTypeFor('/home/learner/web.json', '{"family":"x","containerDefinitions":[]}').id).toBe('ecs-task-definition');
    expect(fileTypeFor('/home/learner/policy.json', '{"Version":"2012-10-17"}').id).toBe('json');
    expect(fileTypeFor('/home/learner/taskdef.yaml', '').id).toBe('yaml');
  });
});

describe('snippets', () => {
  it('replace an empty document or {} and are inserted otherwise', () => {
    expect(snippetReplacesDocument('')).toBe(true);
    expect(snippetReplacesDocument('\n  \n')).toBe(true);
    expect(snippetReplacesDocument('{}')).toBe(true);
    expect(snippetReplacesDocument(' {\n  }\n')).toBe(true);
    expect(snippetReplacesDocument('{"family": "web"}')).toBe(false);
    expect(snippetReplacesDocument('[]')).toBe(false);
  });
  it('every snippet is a task definition with no diagnostics', () => {
    for (const s of TASK_DEFINITION_SNIPPETS) {
      expect(() => JSON.parse(s.text)).not.toThrow();
      expect(validateTaskDefinitionText(s.text).filter((d) => d.severity === 'error'), s.label).toEqual([]);
    }
  });
  it('a Fargate cpu/memory mismatch is underlined on the memory value', () => {
    const text = TASK_DEFINITION_SNIPPETS[0]!.text.replace('"memory": "512"', '"memory": "4096"');
    const d = validateTaskDefinitionText(text).filter((x) => x.severity === 'error');
    expect(d.length).toBeGreaterThan(0);
    const line = text.split('\n').findIndex((l) => l.includes('"4096"')) + 1;
    expect(d.some((x) => x.line === line || x.message.includes('cpu'))).toBe(true);
  });
});
