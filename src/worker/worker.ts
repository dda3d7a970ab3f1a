/**
 * The module Worker that hosts engine + CLI + persistence + lesson checker.
 * The UI talks to it through comlink (see client.ts and protocol.ts).
 */
import { expose } from 'comlink';
import { NimbusHost } from './host';
// The 'resources' view for the side panel (src/worker/views.ts, written by the app part).
import './views';

// The lessons layer registers its after-exec hooks (the checker) in
// src/lessons/worker.ts; load it when it exists, without a hard dependency.
import.meta.glob('../lessons/worker.ts', { eager: true });

expose(new NimbusHost());
