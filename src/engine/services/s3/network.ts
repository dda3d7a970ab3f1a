/**
 * The network side of S3 requests (S3 part 2: network). The CLI tells the engine
 * where a request comes from through ApiRequest.requestContext:
 *  - `aws:SourceVpce`, `aws:SourceVpc` when it goes through a gateway VPC endpoint,
 *  - `aws:SourceIp` when it leaves a subnet through an internet or NAT gateway,
 *  - `nimbus.endpoint: 'accelerate'` when it is sent to the accelerate endpoint.
 * This module adds the endpoint's policy as a gate to every S3 access decision
 * (through the access layer's extension point) and refuses accelerated requests
 * to buckets without Transfer Acceleration.
 */
import type { Ctx } from '../../context';
import { AwsError } from '../../errors';
import { registerS3AccessExtension } from './access';
import { parsedPolicy } from '../iam';
import { vpcEndpoints } from '../ec2/endpoints';
import './website';

export const ENDPOINT_KEY = 'nimbus.endpoint';

export function accelerateNotConfigured(): AwsError {
  return new AwsError('InvalidRequest', 'S3 Transfer Acceleration is not configured on this bucket', 400);
}

registerS3AccessExtension((ctx: Ctx, req) => {
  if (ctx.requestContext[ENDPOINT_KEY] === 'accelerate' && req.bucket.accelerate !== 'Enabled' && req.operation !== 'PutBucketAccelerateConfiguration' && req.operation !== 'GetBucketAccelerateConfiguration') {
    throw accelerateNotConfigured();
  }
  const id = ctx.requestContext['aws:SourceVpce'];
  if (typeof id !== 'string') return undefined;
  const ep = vpcEndpoints(ctx).get(id);
  if (!ep) return undefined;
  return { gates: [[{ kind: 'endpoint', label: `VPC endpoint policy of ${id}`, policy: parsedPolicy(ep.PolicyDocument, 'endpoint') }]] };
});
