/**
 * Loaded by the Worker at start-up (src/worker/worker.ts): checks the running
 * lesson after every command, editor save, undo and import, and tells the
 * Worker which lesson runs (Status.lessonId).
 */
import { registerAfterExec, setLessonIdProvider } from '../worker/hooks';
import { afterExec, currentLessonId } from './index';

registerAfterExec((ev) => {
  afterExec(ev.sandbox, ev.session, ev.kind === 'exec' ? ev.line : ev.kind === 'edit' ? '' : undefined);
});
setLessonIdProvider((sandbox) => currentLessonId(sandbox));
