/** Goals describe the state, not the keystrokes: other ways AWS allows reach the same bundled lessons' goals. */
import { describe, it, expect } from 'vitest';
import { world } from './helpers';
import { checkLessonReport, currentLesson, afterExec } from '../../../src/lessons';

function lesson(id: string) {
  const w = world();
  expect(w.session.run(`sandbox lesson start ${id}`).exitCode).toBe(0);
  const step = (line: string) => {
    const r = w.session.run(line);
    afterExec(w.sandbox, w.session, line);
    return r;
  };
  return { ...w, step };
}

describe('alternative paths through the lessons', () => {
  it('s3/01 with the high-level aws s3 commands', () => {
    const { sandbox, step } = lesson('s3/01-objects');
    step('aws s3 mb s3://notes-by-s3');
    step('aws s3 cp hello.txt s3://notes-by-s3/docs/hello.txt --content-type text/plain --metadata author=learner');
    expect(currentLesson(sandbox)!.stepIndex).toBe(2);
    step('aws s3api head-object --bucket notes-by-s3 --key docs/hello.txt');
    expect(currentLesson(sandbox)!.completed).toBe(true);
    expect(checkLessonReport(sandbox, 's3/01-objects').ok).toBe(true);
  });

  it('s3/03 with aws s3 ls and aws s3 cp', () => {
    const { sandbox, step } = lesson('s3/03-listing');
    step('aws s3 ls s3://photo-archive-ana/2025/ --recursive');
    expect(currentLesson(sandbox)!.stepIndex).toBe(1);
    step('aws s3 ls s3://photo-archive-ana/');
    expect(currentLesson(sandbox)!.stepIndex).toBe(2);
    step('aws s3 cp s3://photo-archive-ana/index.html s3://photo-archive-ana/2026/index.html');
    step('aws s3 cp s3://photo-archive-ana/2025/jan/beach.jpg s3://photo-archive-ana/2026/jan/beach.jpg');
    step('aws s3 cp s3://photo-archive-ana/2025/jan/city.jpg s3://photo-archive-ana/2026/jan/city.jpg');
    const r = step('sandbox lesson check');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('not expected (exactly these keys were asked for): 2026/index.html');
    step('aws s3 rm s3://photo-archive-ana/2026/index.html');
    expect(currentLesson(sandbox)!.completed).toBe(true);
  });

  it('s3/03: moving instead of copying misses the second goal, and says so', () => {
    const { step } = lesson('s3/03-listing');
    step('aws s3 ls s3://photo-archive-ana/2025/ --recursive');
    step('aws s3 ls s3://photo-archive-ana/');
    step('aws s3 mv s3://photo-archive-ana/2025/jan/ s3://photo-archive-ana/2026/jan/ --recursive');
    const r = step('sandbox lesson check');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('[x] Under 2026/ there are exactly 2026/jan/beach.jpg and 2026/jan/city.jpg');
    expect(r.stdout).toContain('still missing: in photo-archive-ana, still missing: 2025/jan/beach.jpg, 2025/jan/city.jpg');
  });

  it('s3/02 the bucket limit with aws s3 mb', () => {
    const { sandbox, step } = lesson('s3/02-buckets-regions');
    step('aws s3 mb s3://Not_Valid');
    expect(currentLesson(sandbox)!.stepIndex).toBe(1);
    step('aws s3 mb s3://eu-data-mb --region eu-west-1');
    expect(currentLesson(sandbox)!.stepIndex).toBe(2);
    step('aws s3 mb s3://third-one-x');
    expect(step('aws s3 mb s3://fourth-one-x').exitCode).not.toBe(0);
    expect(currentLesson(sandbox)!.stepIndex).toBe(3);
  });

  it('ecs/01 with the sandbox capacity shortcut', () => {
    const { sandbox, step } = lesson('ecs/01-cluster-capacity');
    step('aws ecs create-cluster --cluster-name training');
    step('aws ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id');
    expect(currentLesson(sandbox)!.stepIndex).toBe(2);
    const r = step('sandbox ec2 add-capacity --cluster training --count 2 --instance-type t3.medium');
    expect(r.exitCode).toBe(0);
    step('sandbox clock advance 1m');
    expect(currentLesson(sandbox)!.completed).toBe(true);
  });
});
