import { describe, it, expect } from 'vitest';
import { world, FARGATE_WEB } from './helpers';

const EC2_APP = `'[{"name":"app","image":"nginx","memory":128,"portMappings":[{"containerPort":80}]}]'`;

describe('task definitions through the CLI', () => {
  it('registers revisions per family with defaults filled in', () => {
    const w = world();
    const td = w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`).taskDefinition;
    expect(td.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/app:1');
    expect(td.revision).toBe(1);
    expect(td.status).toBe('ACTIVE');
    expect(td.compatibilities).toEqual(['EC2']);
    expect(td.containerDefinitions[0]).toMatchObject({ name: 'app', cpu: 0, essential: true, environment: [], mountPoints: [], volumesFrom: [] });
    expect(td.containerDefinitions[0].portMappings).toEqual([{ containerPort: 80, hostPort: 0, protocol: 'tcp' }]);
    expect(td.registeredBy).toBe('arn:aws:iam::123456789012:user/admin');
    const r2 = w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`).taskDefinition;
    expect(r2.revision).toBe(2);
  });

  it('registers from --cli-input-json and normalises vCPU / GB sizes', () => {
    const w = world();
    w.writeFile('td.json', JSON.stringify({ ...JSON.parse(FARGATE_WEB), cpu: '0.5 vCPU', memory: '1 GB' }));
    const td = w.json('aws ecs register-task-definition --cli-input-json file://td.json').taskDefinition;
    expect(td.cpu).toBe('512');
    expect(td.memory).toBe('1024');
    expect(td.compatibilities).toEqual(['EC2', 'FARGATE']);
    expect(td.containerDefinitions[0].portMappings[0]).toEqual({ containerPort: 80, hostPort: 80, protocol: 'tcp' });
  });

  it('answers AWS errors for invalid definitions with exit code 254', () => {
    const w = world();
    w.writeFile('bad.json', JSON.stringify({ ...JSON.parse(FARGATE_WEB), memory: '4096' }));
    const r = w.run('aws ecs register-task-definition --cli-input-json file://bad.json');
    expect(r.exitCode).toBe(254);
    expect(r.stderr.trim()).toBe(
      'An error occurred (ClientException) when calling the RegisterTaskDefinition operation: No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.',
    );
    const noMem = w.run(`aws ecs register-task-definition --family x --container-definitions '[{"name":"x","image":"nginx"}]'`);
    expect(noMem.stderr).toContain("Invalid setting for container 'x'. At least one of 'memory' or 'memoryReservation' must be specified.");
    // Nothing was registered by the failures.
    expect(w.json('aws ecs list-task-definitions').taskDefinitionArns).toEqual([]);
  });

  it('describes by family, family:revision and ARN, with tags on request', () => {
    const w = world();
    w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP} --tags key=env,value=dev`);
    w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`);
    expect(w.json('aws ecs describe-task-definition --task-definition app').taskDefinition.revision).toBe(2);
    expect(w.json('aws ecs describe-task-definition --task-definition app:1').taskDefinition.revision).toBe(1);
    const byArn = w.json('aws ecs describe-task-definition --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/app:1 --include TAGS');
    expect(byArn.tags).toEqual([{ key: 'env', value: 'dev' }]);
    const r = w.run('aws ecs describe-task-definition --task-definition app:9');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('(ClientException) when calling the DescribeTaskDefinition operation: Unable to describe task definition.');
  });

  it('lists definitions and families with filters and sort', () => {
    const w = world();
    for (const f of ['web', 'web', 'api', 'worker']) w.json(`aws ecs register-task-definition --family ${f} --container-definitions ${EC2_APP}`);
    const arns = (l: string[]) => l.map((a) => a.split('/')[1]);
    expect(arns(w.json('aws ecs list-task-definitions').taskDefinitionArns)).toEqual(['api:1', 'web:1', 'web:2', 'worker:1']);
    expect(arns(w.json('aws ecs list-task-definitions --family-prefix web --sort DESC').taskDefinitionArns)).toEqual(['web:2', 'web:1']);
    // familyPrefix on ListTaskDefinitions is the whole family name.
    expect(w.json('aws ecs list-task-definitions --family-prefix we').taskDefinitionArns).toEqual([]);
    expect(w.json('aws ecs list-task-definition-families --family-prefix w').families).toEqual(['web', 'worker']);
    w.json('aws ecs deregister-task-definition --task-definition api:1');
    expect(w.json('aws ecs list-task-definition-families --status ACTIVE').families).toEqual(['web', 'worker']);
    expect(w.json('aws ecs list-task-definition-families --status INACTIVE').families).toEqual(['api']);
    expect(arns(w.json('aws ecs list-task-definitions --status INACTIVE').taskDefinitionArns)).toEqual(['api:1']);
  });

  it('paginates list-task-definitions with --max-items', () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`);
    const page = w.json('aws ecs list-task-definitions --max-items 2');
    expect(page.taskDefinitionArns).toHaveLength(2);
    expect(page.NextToken).toBeTruthy();
    expect(w.json('aws ecs list-task-definitions --page-size 2').taskDefinitionArns).toHaveLength(5);
  });

  it('deregisters (INACTIVE) and deletes only INACTIVE revisions', () => {
    const w = world();
    w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`);
    w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`);
    const d = w.json('aws ecs deregister-task-definition --task-definition app:1').taskDefinition;
    expect(d.status).toBe('INACTIVE');
    expect(d.deregisteredAt).toBe('2026-01-05T09:00:00+00:00');
    // "app" now resolves to the latest ACTIVE revision.
    expect(w.json('aws ecs describe-task-definition --task-definition app').taskDefinition.revision).toBe(2);
    const del = w.json('aws ecs delete-task-definitions --task-definitions app:1 app:2');
    expect(del.taskDefinitions.map((t: any) => [t.revision, t.status])).toEqual([[1, 'DELETE_IN_PROGRESS']]);
    expect(del.failures).toHaveLength(1);
    expect(del.failures[0].arn).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/app:2');
    // A deleted revision number is never reused.
    expect(w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`).taskDefinition.revision).toBe(3);
  });

  it('keeps revisions regional', () => {
    const w = world();
    w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP}`);
    expect(w.json('aws ecs list-task-definitions --region eu-west-1').taskDefinitionArns).toEqual([]);
    expect(w.json(`aws ecs register-task-definition --family app --container-definitions ${EC2_APP} --region eu-west-1`).taskDefinition.revision).toBe(1);
  });
});
