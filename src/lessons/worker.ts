/**
 * Loaded by the Worker at start-up (src/worker/worker.ts): checks the running
 * lesson after every command, editor save, undo and import, and tells the
 * Worker which lesson runs (Status.lessonId).
 */
import { registerAfterExec, setLessonIdProvider } from '../worker/hooks';
import { afterExec, currentLessonId } from './index';

registerAfterExec((ev) => {
  if (ev.kind === 'edit') {
    // an editor save: line is 'edit PATH'
    const path = ev.line?.replace(/^edit\s+/, '');
    afterExec(ev.sandbox, ev.session, '', path ? { editedPath: path } : {});
  } else afterExec(ev.sandbox, ev.session, ev.kind === 'exec' ? ev.line : undefined);
});
setLessonIdProvider((sandbox) => currentLessonId(sandbox));
