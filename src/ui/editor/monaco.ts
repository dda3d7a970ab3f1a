/**
 * Monaco, loaded lazily the first time the editor opens (a separate chunk).
 * Only the editor core, the JSON language service and a few highlighters are
 * bundled; their workers are built by Vite from `?worker` imports, so nothing
 * comes from a CDN and the service worker can precache them.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
// The editor's features (find, folding, hover, suggest, code actions ...), without the 80 extra languages.
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/dockerfile/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    if (label === 'json') return new JsonWorker();
    return new EditorWorker();
  },
};

// Every *.filetype.ts module registers its file types when the editor loads.
import.meta.glob('../**/*.filetype.ts', { eager: true });

export { monaco, jsonDefaults };
