/**
 * --parse: the API call an aws line would make, without running it. The aws
 * CLI layer provides it (src/cli/aws/parse.ts); this module is the runner's one
 * import of it.
 */
export { parseAwsLine } from '../cli/aws/parse';
