/** Amazon EC2 (the part ECS needs): the default network, security groups and instances. */
import { defineService } from '../../service';
import { ADMIN_IDENTITY } from '../../identity';
import { networkOperations } from './handlers/network';
import { vpcOperations } from './handlers/vpc';
import { networkInterfaceOperations } from './handlers/network-interfaces';
import {
  instanceOperations,
  onInstancePurge,
  onInstanceRunning,
  onInstanceTerminated,
  TIMER_PURGE,
  TIMER_RUNNING,
  TIMER_TERMINATED,
  type InstancePayload,
} from './handlers/instances';
import { seedEc2 } from './model';
import { setupAgent } from '../ecs/container-instances';
import './views';

export const ec2 = defineService({
  name: 'ec2',
  cliName: 'ec2',
  title: 'Amazon Elastic Compute Cloud',
  doc: 'Virtual servers (instances) and the networks they live in. Every region has a default VPC with one default subnet per Availability Zone; instances launched from an ECS-optimized AMI join an ECS cluster as container instances.',
  protocol: 'ec2',
  operations: [...networkOperations, ...vpcOperations, ...instanceOperations, ...networkInterfaceOperations],
  seed: seedEc2,
  setup(sandbox) {
    const on = (kind: string, fn: (ctx: ReturnType<typeof sandbox.context>, p: InstancePayload) => void) =>
      sandbox.scheduler.on(kind, (payload) => {
        const p = payload as InstancePayload;
        fn(sandbox.context(p.region, ADMIN_IDENTITY), p);
      });
    on(TIMER_RUNNING, onInstanceRunning);
    on(TIMER_TERMINATED, onInstanceTerminated);
    on(TIMER_PURGE, onInstancePurge);
    setupAgent(sandbox);
  },
});
