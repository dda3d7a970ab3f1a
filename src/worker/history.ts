/** Terminal history, kept by the Session in the sandbox (so it is persisted and exported). */
import type { Session } from '../cli/session';

export function addHistory(session: Session, line: string): void {
  session.addHistory(line);
}

export function readHistory(session: Session): string[] {
  return session.history();
}
