/**
 * --parse: the API call an aws line would make, without running it. Adapter
 * over the aws CLI's parser (src/cli/aws/parse.ts, parseAwsInvocation).
 */
import type { AwsLineParser } from './run';

export const parseAwsLine: AwsLineParser | undefined = undefined;
