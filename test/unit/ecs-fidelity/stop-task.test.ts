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
