import { describe, it, expect } from 'vitest';
import {
  validateTaskDefinitionText,
  taskDefinitionSchema,
  TASK_DEFINITION_SNIPPETS,
  isTaskDefinitionFile,
  registerCommandFor,
  parseWithLocations,
} from '../../../src/ui/editor/task-definition';
import { validateTaskDefinition } from '../../../src/engine/services/ecs/task-definition-validator';
import { world } from './helpers';

describe('task definition editor support', () => {
  it('underlines a Fargate cpu/memory mismatch on the memory value', () => {
    const text = `{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "4096",
  "containerDefinitions": [{ "name": "web", "image": "nginx" }]
}`;
    const d = validateTaskDefinitionText(text);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 6, column: 13, endLine: 6, endColumn: 19, severity: 'error' });
    expect(d[0]!.message).toContain('No Fargate configuration exists for given values: 256 CPU, 4096 memory.');
  });

  it('gives the same verdict as the engine for every snippet (all valid)', () => {
    for (const s of TASK_DEFINITION_SNIPPETS) {
      expect(validateTaskDefinitionText(s.text), s.label).toEqual([]);
      expect(validateTaskDefinition(JSON.parse(s.text)).filter((p) => p.severity === 'error')).toEqual([]);
    }
  });

  it('the snippets register and run through the CLI', () => {
    const w = world();
    TASK_DEFINITION_SNIPPETS.forEach((s, i) => {
      w.writeFile(`snip${i}.json`, s.text);
      const r = w.run(registerCommandFor(`/home/learner/snip${i}.json`));
      expect(r.exitCode, `${s.label}: ${r.stderr}`).toBe(0);
    });
  });

  it('points at a missing member through its parent and reports JSON syntax errors', () => {
    const text = '{\n  "family": "x",\n  "containerDefinitions": [ { "name": "a" } ]\n}';
    const d = validateTaskDefinitionText(text);
    expect(d.some((x) => x.message.startsWith('Container.image should not be null or empty.') && x.line === 3)).toBe(true);
    const bad = validateTaskDefinitionText('{\n  "family": "x",\n  "cpu": 256,,\n}');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.line).toBe(3);
  });

  it('flags describe-task-definition output members the CLI would refuse', () => {
    const d = validateTaskDefinitionText('{"family":"x","revision":3,"containerDefinitions":[{"name":"a","image":"nginx","memory":64}]}');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('Unknown parameter in input: "revision"');
  });

  it('records locations of nested values', () => {
    const { locs } = parseWithLocations('{"a":[1,{"b":true}]}');
    expect(locs.get(JSON.stringify(['a', 1, 'b']))).toMatchObject({ start: 13, end: 17, keyStart: 9, keyEnd: 12 });
  });

  it('has a schema built from the engine shapes, with our docs and enums', () => {
    const schema = taskDefinitionSchema() as any;
    expect(schema.required).toEqual(['family', 'containerDefinitions']);
    expect(schema.properties.networkMode.enum).toEqual(['bridge', 'host', 'awsvpc', 'none']);
    expect(schema.properties.containerDefinitions.items.properties.essential.description).toMatch(/essential/);
    expect(schema.properties.containerDefinitions.items.properties.dependsOn.items.properties.condition.enum).toEqual(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY']);
  });

  it('recognises task definition files', () => {
    expect(isTaskDefinitionFile('/home/learner/taskdef.json', '')).toBe(true);
    expect(isTaskDefinitionFile('/home/learner/web.json', '{"containerDefinitions": []}')).toBe(true);
    expect(isTaskDefinitionFile('/home/learner/policy.json', '{"Statement": []}')).toBe(false);
    expect(registerCommandFor('/home/learner/my td.json')).toBe("aws ecs register-task-definition --cli-input-json file://'my td.json'");
  });
});
