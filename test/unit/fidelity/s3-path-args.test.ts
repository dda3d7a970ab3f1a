import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

describe('aws s3 mb / rb / presign path arguments', () => {
  it.each(['mb', 'rb', 'presign'])('aws s3 %s refuses a local path and a missing path as the CLI does', (cmd) => {
    const sh = new Session(new Sandbox());
    const local = sh.run(`aws s3 ${cmd} foo`);
    expect(local.exitCode).toBe(252);
    expect(local.stderr).toBe('\n<S3Uri> must start with s3://\n');
    const missing = sh.run(`aws s3 ${cmd}`);
    expect(missing.exitCode).toBe(252);
    expect(missing.stderr).toContain('the following arguments are required: path');
  });
});
