/** Test helpers for the capacity side: a session over a fresh sandbox, and shortcuts. */
import { Sandbox, ADMIN_IDENTITY, resolvePath } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

export interface World {
  sb: Sandbox;
  session: Session;
  run(line: string, stdin?: string): { exitCode: number; stdout: string; stderr: string };
  /** Run an aws line and parse its JSON output (throws with stderr when it fails). */
  json(line: string): any;
  writeFile(path: string, text: string): void;
  advance(ms: number): void;
  ctx(region?: string): ReturnType<Sandbox['context']>;
  ecsAmi(region?: string): string;
}

export function world(seed = 1): World {
  const sb = new Sandbox({ seed });
  const session = new Session(sb);
  const w: World = {
    sb,
    session,
    run(line) {
      const r = session.run(line);
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    },
    json(line) {
      const r = session.run(line);
      if (r.exitCode !== 0) throw new Error(`${line}\n=> exit ${r.exitCode}\n${r.stderr}`);
      return r.stdout.trim() ? JSON.parse(r.stdout) : {};
    },
    writeFile(path, text) {
      sb.mutate(() => sb.vfs.writeText(resolvePath(path), text, { createParents: true }));
    },
    advance(ms) {
      sb.advance(ms);
    },
    ctx(region = 'us-east-1') {
      return sb.context(region, ADMIN_IDENTITY);
    },
    ecsAmi(region = 'us-east-1') {
      return w.json(`aws ssm get-parameter --region ${region} --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id`).Parameter.Value;
    },
  };
  return w;
}

export const ECS_USER_DATA = (cluster: string) => `#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`;
