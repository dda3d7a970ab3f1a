/** StopTask as the CLI shows it: the desired status changes at once, the last status follows. */
import { describe, expect, it } from 'vitest';
import { world } from '../ecs/helpers';

describe('aws ecs stop-task', () => {
  it('answers lastStatus RUNNING with desiredStatus STOPPED, then the task moves on', () => {
    const w = world();
    w.json('aws ecs create-cluster');
    expect(w.run('sandbox ec2 add-capacity --cluster default --count 1').exitCode).toBe(0);
    w.advance(60);
    w.writeFile('web.json', JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx:latest', memory: 256, essential: true }] }));
    w.json('aws ecs register-task-definition --cli-input-json file://web.json');
    const arn = w.json('aws ecs run-task --task-definition web').tasks[0].taskArn;
    w.advance(60);
    const r = w.run(`aws ecs stop-task --task ${arn} --query "task.[lastStatus,desiredStatus,stopCode,stoppedReason]" --output text`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\t')).toEqual(['RUNNING', 'STOPPED', 'UserInitiated', 'Task stopped by user']);
    w.advance(60);
    expect(w.run(`aws ecs describe-tasks --tasks ${arn} --query "tasks[0].lastStatus" --output text`).stdout.trim()).toBe('STOPPED');
  });
});

describe('aws ecs run-task (EC2, bridge)', () => {
  it('answers PENDING, version 1, without pullStartedAt; the agent starts the pull a moment later', () => {
    const w = world();
    w.json('aws ecs create-cluster');
    expect(w.run('sandbox ec2 add-capacity --cluster default --count 1').exitCode).toBe(0);
    w.advance(60);
    w.writeFile('sleep360.json', JSON.stringify({ family: 'sleep360', containerDefinitions: [{ name: 'sleep', image: 'busybox', cpu: 10, memory: 10, command: ['sleep', '360'], essential: true }] }));
    w.json('aws ecs register-task-definition --cli-input-json file://sleep360.json');
    const t = w.json('aws ecs run-task --task-definition sleep360:1 --count 1').tasks[0];
    expect(t).toMatchObject({ lastStatus: 'PENDING', desiredStatus: 'RUNNING', version: 1 });
    expect(t.pullStartedAt).toBeUndefined();
    w.advance(30);
    const d = w.json(`aws ecs describe-tasks --tasks ${t.taskArn}`).tasks[0];
    expect(d.lastStatus).toBe('RUNNING');
    expect(Date.parse(d.pullStartedAt)).toBeGreaterThan(Date.parse(d.createdAt));
  });
});
