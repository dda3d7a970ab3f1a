/** What a simulated service declares: its names, its operations, its start-up hooks. */
import type { AnyOperation } from './shapes';
import type { Ctx } from './context';
import type { Sandbox } from './sandbox';

export interface ServiceDef {
  /** The API's service name as requests carry it: 's3', 'ecs', 'sts'. */
  name: string;
  /** The AWS CLI command: 's3api' for S3's API commands, else usually the same as name. */
  cliName: string;
  /** Full title, e.g. 'Amazon Elastic Container Service'. */
  title: string;
  /** A paragraph in our words for `aws SERVICE help`. */
  doc: string;
  protocol: 'rest-xml' | 'json' | 'query' | 'ec2';
  operations: AnyOperation[];
  /**
   * Called before every operation's handler, in the same transaction: throw an
   * AwsError (AccessDenied ...) to refuse the request. One place for access control.
   */
  authorize?(ctx: Ctx, operation: string, input: Record<string, unknown>): void;
  /** Register timer handlers and the like; runs once per Sandbox instance. */
  setup?(sandbox: Sandbox): void;
  /** Create the initial state of a fresh sandbox (default VPCs, ...); runs in a transaction. */
  seed?(ctx: Ctx): void;
}

export function defineService(def: ServiceDef): ServiceDef {
  return def;
}
