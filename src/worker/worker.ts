/**
 * The module Worker that hosts engine + CLI + persistence + lesson checker.
 * The UI talks to it through comlink (see client.ts and protocol.ts).
 */
import { expose } from 'comlink';
import { NimbusHost } from './host';
// The 'resources' view for the side panel (src/worker/views.ts, written by the app part).
import './views';

// The lesson checker's after-exec hooks (src/lessons/worker.ts registers them).
import '../lessons/worker';

expose(new NimbusHost());
