import { describe, it, expect } from 'vitest';
import { world, defaultSubnets, FARGATE_WEB } from './helpers';

function setup() {
  const w = world();
  w.json('aws ecs create-cluster --cluster-name demo');
  w.writeFile('web.json', FARGATE_WEB);
  w.json('aws ecs register-task-definition --cli-input-json file://web.json');
  const subnet = defaultSubnets(w)[0]!.SubnetId;
  const net = `--network-configuration "awsvpcConfiguration={subnets=[${subnet}]}"`;
  return { w, net };
}

describe('waiters', () => {
  it('tasks-running moves the clock until the task runs', () => {
    const { w, net } = setup();
    const t = w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net}`).tasks[0];
    const before = w.sb.now();
    const r = w.run(`aws ecs wait tasks-running --cluster demo --tasks ${t.taskArn}`);
    expect(r.exitCode).toBe(0);
    expect(w.sb.now()).toBeGreaterThan(before);
    expect(w.json(`aws ecs describe-tasks --cluster demo --tasks ${t.taskArn}`).tasks[0].lastStatus).toBe('RUNNING');
  });

  it('tasks-running fails when the task stops instead', () => {
    const { w, net } = setup();
    w.json(`aws ecs register-task-definition --family bad --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --container-definitions '[{"name":"a","image":"doesnotexist/nothing"}]'`);
    const t = w.json(`aws ecs run-task --cluster demo --task-definition bad --launch-type FARGATE ${net}`).tasks[0];
    const r = w.run(`aws ecs wait tasks-running --cluster demo --tasks ${t.taskArn}`);
    expect(r.exitCode).toBe(255);
    expect(r.stderr).toContain('Waiter TasksRunning failed');
  });

  it('tasks-stopped waits for STOPPED', () => {
    const { w, net } = setup();
    const t = w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net}`).tasks[0];
    w.json(`aws ecs stop-task --cluster demo --task ${t.taskArn}`);
    expect(w.run(`aws ecs wait tasks-stopped --cluster demo --tasks ${t.taskArn}`).exitCode).toBe(0);
    expect(w.json(`aws ecs describe-tasks --cluster demo --tasks ${t.taskArn}`).tasks[0].lastStatus).toBe('STOPPED');
  });
});

describe('completion', () => {
  it('completes cluster names and task definition families', () => {
    const { w } = setup();
    w.json('aws ecs create-cluster --cluster-name dev');
    const line = 'aws ecs describe-clusters --clusters d';
    expect(w.sh.complete(line, line.length).candidates).toEqual(expect.arrayContaining(['demo', 'dev']));
    const l2 = 'aws ecs describe-task-definition --task-definition w';
    expect(w.sh.complete(l2, l2.length).candidates).toContain('web');
  });
});

describe('sandbox ecs cost', () => {
  it('prices one task size with the us-east-1 rates', () => {
    const { w } = setup();
    const r = w.run('sandbox ecs cost --cpu 1024 --memory 2048 --hours 10');
    expect(r.exitCode).toBe(0);
    // 10 h x (1 vCPU x 0.04048 + 2 GB x 0.004445)
    expect(r.stdout).toContain(`$${(10 * (0.04048 + 2 * 0.004445)).toFixed(5)}`);
  });
  it('refuses sizes Fargate does not offer', () => {
    const { w } = setup();
    expect(w.run('sandbox ecs cost --cpu 256 --memory 4096').exitCode).toBe(1);
  });
  it('lists every size and prices a cluster\'s running tasks', () => {
    const { w, net } = setup();
    const table = w.run('sandbox ecs cost').stdout.trim().split('\n');
    expect(table).toHaveLength(1 + 3 + 4 + 7 + 13 + 23 + 12 + 12);
    w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --count 2 ${net}`);
    const r = w.run('sandbox ecs cost --cluster demo');
    expect(r.stdout).toContain(`Total: $${(2 * (0.25 * 0.04048 + 0.5 * 0.004445)).toFixed(5)} per hour`);
  });
});
