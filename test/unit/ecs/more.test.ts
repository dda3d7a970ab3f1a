import { describe, it, expect } from 'vitest';
import { world, addCapacity, defaultSubnets, FARGATE_WEB } from './helpers';
import { runView } from '../../../src/engine/views';
import { hostVolumeNotes } from '../../../src/engine/services/ecs/lifecycle';
import { ADMIN_IDENTITY } from '../../../src/engine';
import type { ClusterViewData } from '../../../src/engine/services/ecs/views';

describe('capabilities, interruptions and the host', () => {
  it('a log driver the agent does not offer fails placement with ATTRIBUTE', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [ci] = addCapacity(w, 'demo', 1);
    w.json(
      `aws ecs register-task-definition --family gelf --container-definitions '[{"name":"a","image":"nginx","memory":64,"logConfiguration":{"logDriver":"gelf","options":{"gelf-address":"udp://1.2.3.4:12201"}}}]'`,
    );
    const r = w.json('aws ecs run-task --cluster demo --task-definition gelf');
    expect(r.tasks).toEqual([]);
    expect(r.failures).toEqual([{ arn: ci, reason: 'ATTRIBUTE' }]);
  });

  it('tags container instances and task definitions too; unknown resources are refused', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [ci] = addCapacity(w, 'demo', 1);
    w.json(`aws ecs tag-resource --resource-arn ${ci} --tags key=rack,value=r1`);
    expect(w.json(`aws ecs list-tags-for-resource --resource-arn ${ci}`).tags).toEqual([{ key: 'rack', value: 'r1' }]);
    w.json(`aws ecs register-task-definition --family app --container-definitions '[{"name":"a","image":"nginx","memory":64}]'`);
    const td = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1';
    w.json(`aws ecs tag-resource --resource-arn ${td} --tags key=team,value=web`);
    expect(w.json('aws ecs describe-task-definition --task-definition app:1 --include TAGS').tags).toEqual([{ key: 'team', value: 'web' }]);
    const r = w.run('aws ecs list-tags-for-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:task-definition/nope:1');
    expect(r.exitCode).toBe(254);
  });

  it('sandbox ecs spot-interrupt stops FARGATE_SPOT tasks with SpotInterruption, not FARGATE ones', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo --capacity-providers FARGATE FARGATE_SPOT');
    w.writeFile('web.json', FARGATE_WEB);
    w.json('aws ecs register-task-definition --cli-input-json file://web.json');
    const net = `--network-configuration "awsvpcConfiguration={subnets=[${defaultSubnets(w)[0]!.SubnetId}]}"`;
    const spot = w.json(`aws ecs run-task --cluster demo --task-definition web --capacity-provider-strategy capacityProvider=FARGATE_SPOT,weight=1 ${net}`).tasks[0];
    const od = w.json(`aws ecs run-task --cluster demo --task-definition web --capacity-provider-strategy capacityProvider=FARGATE,weight=1 ${net}`).tasks[0];
    w.advance(60);
    expect(w.run('sandbox ecs spot-interrupt --cluster demo').stdout).toContain('Interrupted 1 Fargate Spot task(s)');
    w.advance(60);
    const d = w.json(`aws ecs describe-tasks --cluster demo --tasks ${spot.taskArn} ${od.taskArn}`).tasks;
    const byArn = Object.fromEntries(d.map((t: any) => [t.taskArn, t]));
    expect(byArn[spot.taskArn]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' });
    expect(byArn[od.taskArn].lastStatus).toBe('RUNNING');
  });

  it('terminating the EC2 instance stops its tasks and frees the cluster', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [ci] = addCapacity(w, 'demo', 1);
    w.json(`aws ecs register-task-definition --family app --container-definitions '[{"name":"a","image":"nginx","memory":64}]'`);
    const t = w.json('aws ecs run-task --cluster demo --task-definition app').tasks[0];
    w.advance(30);
    const instanceId = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${ci}`).containerInstances[0].ec2InstanceId;
    w.call('ec2', 'TerminateInstances', { InstanceIds: [instanceId] });
    w.advance(300);
    const d = w.json(`aws ecs describe-tasks --cluster demo --tasks ${t.taskArn}`).tasks[0];
    expect(d.lastStatus).toBe('STOPPED');
    expect(d.stoppedReason).toContain(instanceId);
    expect(w.json('aws ecs delete-cluster --cluster demo').cluster.status).toBe('INACTIVE');
  });

  it('an EC2 bind mount leaves a note on the host; the resources are released when the task stops', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [ci] = addCapacity(w, 'demo', 1);
    w.json(
      `aws ecs register-task-definition --family db --volumes name=data,host={sourcePath=/ecs/data} --container-definitions '[{"name":"db","image":"redis","memory":256,"mountPoints":[{"sourceVolume":"data","containerPath":"/data"}]}]'`,
    );
    const t = w.json('aws ecs run-task --cluster demo --task-definition db').tasks[0];
    w.advance(30);
    const remaining = () =>
      Object.fromEntries(w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${ci}`).containerInstances[0].remainingResources.map((r: any) => [r.name, r.integerValue]));
    const during = remaining().MEMORY;
    w.json(`aws ecs stop-task --cluster demo --task ${t.taskArn}`);
    w.advance(60);
    expect(remaining().MEMORY).toBe(during + 256);
    const notes = hostVolumeNotes(w.sb.context('us-east-1', ADMIN_IDENTITY), ci!);
    expect(notes).toEqual([expect.objectContaining({ sourcePath: '/ecs/data', lastTaskArn: t.taskArn })]);
    const view = runView(w.sb, 'ecs-cluster', { region: 'us-east-1', cluster: 'demo' }) as ClusterViewData;
    expect(view.instances[0]!.hostVolumes).toEqual(['/ecs/data']);
  });
});

describe('container behaviour from the image catalogue', () => {
  it('postgres without a password exits 1 and stops the task; with one it keeps running', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    addCapacity(w, 'demo', 1);
    w.json(`aws ecs register-task-definition --family db --container-definitions '[{"name":"db","image":"postgres:16","memory":256}]'`);
    w.json(`aws ecs register-task-definition --family db2 --container-definitions '[{"name":"db","image":"postgres:16","memory":256,"environment":[{"name":"POSTGRES_PASSWORD","value":"s3cret"}]}]'`);
    const bad = w.json('aws ecs run-task --cluster demo --task-definition db').tasks[0];
    const good = w.json('aws ecs run-task --cluster demo --task-definition db2').tasks[0];
    w.advance(120);
    const [b, g] = w.json(`aws ecs describe-tasks --cluster demo --tasks ${bad.taskArn} ${good.taskArn}`).tasks;
    expect(b).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(b.containers[0].exitCode).toBe(1);
    expect(b.containers[0].reason).toContain('POSTGRES_PASSWORD');
    expect(g.lastStatus).toBe('RUNNING');
  });
});

describe('container ordering (dependsOn)', () => {
  const defs = (initExit: number) =>
    JSON.stringify([
      { name: 'init', image: 'busybox', memory: 32, essential: false, command: ['sh', '-c', `sleep 20; exit ${initExit}`] },
      { name: 'app', image: 'nginx', memory: 64, dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
    ]);
  function setup(initExit: number) {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    addCapacity(w, 'demo', 1);
    w.json(`aws ecs register-task-definition --family ordered --container-definitions '${defs(initExit)}'`);
    const t = w.json('aws ecs run-task --cluster demo --task-definition ordered').tasks[0];
    const get = () => w.json(`aws ecs describe-tasks --cluster demo --tasks ${t.taskArn}`).tasks[0];
    const c = (task: any, name: string) => task.containers.find((x: any) => x.name === name);
    return { w, get, c };
  }
  it('an init container that succeeds lets the app start after it', () => {
    const { w, get, c } = setup(0);
    w.advance(10);
    let t = get();
    expect(t.lastStatus).toBe('RUNNING');
    expect(c(t, 'init').lastStatus).toBe('RUNNING');
    expect(c(t, 'app').lastStatus).toBe('PENDING');
    w.advance(30);
    t = get();
    expect(c(t, 'init')).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    expect(c(t, 'app').lastStatus).toBe('RUNNING');
    expect(t.lastStatus).toBe('RUNNING');
  });
  it('an init container that fails stops the essential app with 143 and the task', () => {
    const { w, get, c } = setup(2);
    w.advance(120);
    const t = get();
    expect(t.lastStatus).toBe('STOPPED');
    expect(t.stopCode).toBe('EssentialContainerExited');
    expect(c(t, 'app').exitCode).toBe(143);
    expect(c(t, 'app').reason).toMatch(/^CannotStartContainerError: dependency graph: failed to resolve container ordering dependency \[init\(busybox\)/);
  });
  it('register refuses SUCCESS/COMPLETE on an essential container with AWS\'s words', () => {
    const w = world();
    const r = w.run(`aws ecs register-task-definition --family x --container-definitions '[{"name":"a","image":"nginx","memory":64,"dependsOn":[{"containerName":"b","condition":"SUCCESS"}]},{"name":"b","image":"busybox","memory":32}]'`);
    expect(r.stderr.trim()).toBe(
      'An error occurred (ClientException) when calling the RegisterTaskDefinition operation: A dependency container with SUCCESS or COMPLETE condition cannot be an essential container',
    );
  });
});

describe('stopping', () => {
  it('a sleeping shell ignores SIGTERM: stopped after stopTimeout with 137; nginx exits 0 at once', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    addCapacity(w, 'demo', 1);
    w.json(`aws ecs register-task-definition --family sleeper --container-definitions '[{"name":"s","image":"busybox","memory":32,"command":["sleep","3600"],"stopTimeout":20}]'`);
    w.json(`aws ecs register-task-definition --family web --container-definitions '[{"name":"n","image":"nginx","memory":32}]'`);
    const a = w.json('aws ecs run-task --cluster demo --task-definition sleeper').tasks[0];
    const b = w.json('aws ecs run-task --cluster demo --task-definition web').tasks[0];
    w.advance(30);
    w.json(`aws ecs stop-task --cluster demo --task ${a.taskArn}`);
    w.json(`aws ecs stop-task --cluster demo --task ${b.taskArn}`);
    w.advance(10);
    const d = () => w.json(`aws ecs describe-tasks --cluster demo --tasks ${a.taskArn} ${b.taskArn}`).tasks;
    let [ta, tb] = d();
    expect(ta.lastStatus).toBe('STOPPING');
    expect(tb.lastStatus).toBe('STOPPED');
    expect(tb.containers[0].exitCode).toBe(0);
    w.advance(15);
    [ta] = d();
    expect(ta.lastStatus).toBe('STOPPED');
    expect(ta.containers[0].exitCode).toBe(137);
  });
});

describe('health checks', () => {
  it('a passing check makes the container and the task HEALTHY; a failing one UNHEALTHY after the retries', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    addCapacity(w, 'demo', 1);
    const hc = (cmd: string) => JSON.stringify([{ name: 'web', image: 'nginx', memory: 64, healthCheck: { command: ['CMD-SHELL', cmd], interval: 10, retries: 3, startPeriod: 5 } }]);
    w.json(`aws ecs register-task-definition --family good --container-definitions '${hc('curl -f http://localhost/ || exit 1')}'`);
    w.json(`aws ecs register-task-definition --family bad --container-definitions '${hc('exit 1')}'`);
    const good = w.json('aws ecs run-task --cluster demo --task-definition good').tasks[0];
    const bad = w.json('aws ecs run-task --cluster demo --task-definition bad').tasks[0];
    w.advance(8);
    const d = (arn: string) => w.json(`aws ecs describe-tasks --cluster demo --tasks ${arn}`).tasks[0];
    expect(d(good.taskArn).healthStatus).toBe('UNKNOWN');
    w.advance(12);
    expect(d(good.taskArn).healthStatus).toBe('HEALTHY');
    expect(d(good.taskArn).containers[0].healthStatus).toBe('HEALTHY');
    expect(d(bad.taskArn).healthStatus).toBe('UNKNOWN');
    w.advance(40);
    expect(d(bad.taskArn).healthStatus).toBe('UNHEALTHY');
    // A standalone task is not stopped for being unhealthy.
    expect(d(bad.taskArn).lastStatus).toBe('RUNNING');
  });
  it('dependsOn HEALTHY waits for the health check', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    addCapacity(w, 'demo', 1);
    const defs = JSON.stringify([
      { name: 'db', image: 'redis', memory: 64, healthCheck: { command: ['CMD-SHELL', 'redis-cli ping || exit 1'], interval: 10 } },
      { name: 'app', image: 'nginx', memory: 64, dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] },
    ]);
    w.json(`aws ecs register-task-definition --family stack --container-definitions '${defs}'`);
    const t = w.json('aws ecs run-task --cluster demo --task-definition stack').tasks[0];
    w.advance(8);
    const app = () => w.json(`aws ecs describe-tasks --cluster demo --tasks ${t.taskArn}`).tasks[0].containers.find((c: any) => c.name === 'app');
    expect(app().lastStatus).toBe('PENDING');
    w.advance(15);
    expect(app().lastStatus).toBe('RUNNING');
  });
});

describe('the ecs-cluster view', () => {
  it('shows instances with used resources, Fargate tasks apart, and follows the clock', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    addCapacity(w, 'demo', 2);
    w.json(`aws ecs register-task-definition --family app --container-definitions '[{"name":"a","image":"nginx","memory":300,"cpu":128}]'`);
    w.writeFile('web.json', FARGATE_WEB);
    w.json('aws ecs register-task-definition --cli-input-json file://web.json');
    w.json('aws ecs run-task --cluster demo --task-definition app --count 3 --placement-strategy type=binpack,field=memory');
    w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[${defaultSubnets(w)[0]!.SubnetId}]}"`);
    let v = runView(w.sb, 'ecs-cluster', { region: 'us-east-1', cluster: 'demo' }) as ClusterViewData;
    expect(v.clusters).toEqual(['demo']);
    expect(v.instances).toHaveLength(2);
    const busy = v.instances.find((i) => i.tasks.length === 3)!;
    expect(busy.memory.used).toBe(900);
    expect(busy.cpu.used).toBe(384);
    expect(busy.tasks.every((t) => t.lastStatus === 'PENDING')).toBe(true);
    expect(v.fargate).toHaveLength(1);
    expect(v.fargate[0]!.privateIp).toMatch(/^172\.31\./);
    expect(v.fargate[0]!.publicIp).toBeUndefined();
    w.advance(60);
    v = runView(w.sb, 'ecs-cluster', { region: 'us-east-1', cluster: 'demo' }) as ClusterViewData;
    expect(v.cluster!.runningTasksCount).toBe(4);
    expect(v.instances.flatMap((i) => i.tasks).every((t) => t.lastStatus === 'RUNNING')).toBe(true);
    // Another region sees nothing.
    expect((runView(w.sb, 'ecs-cluster', { region: 'eu-west-1' }) as ClusterViewData).clusters).toEqual([]);
  });
});
