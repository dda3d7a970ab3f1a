/**
 * Registry of AWS CLI commands that are not one-to-one API operations:
 * the high-level `aws s3 ls|cp|mv|rm|sync|mb|rb|presign|website`,
 * `aws ecr get-login-password`, `aws SERVICE wait WAITER` ...
 * The `aws` command (src/cli/aws/main.ts) looks here before the API operations.
 */
import type { CommandContext } from '../types';
import type { ApiResponse } from '../../engine';
import type { Identity } from '../../engine';

export type OutputFormat = 'json' | 'text' | 'table' | 'yaml' | 'yaml-stream';

/** The AWS CLI's global options, after parsing. */
export interface GlobalOptions {
  region: string;
  output: OutputFormat;
  query?: string;
  profile?: string;
  debug: boolean;
  paginate: boolean;
  maxItems?: number;
  startingToken?: string;
  pageSize?: number;
  endpointUrl?: string;
  noCliPager?: boolean;
}

export interface AwsCommandContext extends CommandContext {
  globals: GlobalOptions;
  identity: Identity;
  /** Call the engine with the globals' region and identity (and --debug logging). */
  call(service: string, operation: string, input: Record<string, unknown>): ApiResponse;
  /**
   * Call a paginated operation through all its pages (the operation's paginator),
   * merged as the CLI merges them; a plain call when it has no paginator.
   */
  callAll?(service: string, operation: string, input: Record<string, unknown>): ApiResponse;
  /** Print an API-shaped result with the chosen --output and --query. */
  print(result: unknown): void;
  /** Print a service error the way the CLI does and return its exit code (254). */
  printError(error: { code: string; message: string }, operation: string): number;
}

export interface AwsCustomCommand {
  /** The CLI service word: 's3', 'ecr', 'ecs' ... */
  service: string;
  /** The command word: 'ls', 'get-login-password', 'wait' ... */
  name: string;
  summary: string;
  /** Full help text (synopsis, options, an example) in our words. */
  usage: string;
  /** Option names this command accepts, for completion. */
  options?: string[];
  run(ctx: AwsCommandContext, args: string[]): number;
  complete?(ctx: AwsCommandContext, args: string[], partial: string): string[];
}

const CUSTOM = new Map<string, AwsCustomCommand>();

export function registerAwsCustomCommand(cmd: AwsCustomCommand): void {
  CUSTOM.set(`${cmd.service} ${cmd.name}`, cmd);
}

export function getAwsCustomCommand(service: string, name: string): AwsCustomCommand | undefined {
  return CUSTOM.get(`${service} ${name}`);
}

export function awsCustomCommands(service?: string): AwsCustomCommand[] {
  return [...CUSTOM.values()].filter((c) => !service || c.service === service);
}
