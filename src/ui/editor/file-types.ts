/**
 * Per-file-type extension point for the editor. Other parts register their
 * file types here (the ECS part: task definitions with a JSON schema, a
 * validator, a Register action and snippets).
 *
 * Where to register: any module named `src/ui/**\/*.filetype.ts` is imported
 * when the editor first opens (so it is not in the initial download); call
 * `registerFileType(...)` at its top level. Later registrations win over
 * earlier ones; the built-in fallbacks (JSON, YAML, shell, Dockerfile,
 * Markdown, plain text) come last.
 */
export interface Diagnostic {
  /** 1-based line and column, like Monaco. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export interface FileActionContext {
  path: string;
  /** Run a terminal line through the Worker (it shows in the terminal). */
  exec(line: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Save the editor's text to its file first. */
  save(): Promise<boolean>;
}

export interface FileAction {
  label: string;
  run(text: string, ctx: FileActionContext): void | Promise<void>;
}

export interface Snippet {
  label: string;
  text: string;
}

export interface FileType {
  /** A short id (used for the schema URI); defaults to the language. */
  id?: string;
  match(path: string, text: string): boolean;
  /** A Monaco language id: json, yaml, shell, dockerfile, markdown, plaintext. */
  language: string;
  /** A JSON schema for Monaco's JSON language service (json files only). */
  jsonSchema?: object;
  /** Live diagnostics, shown as markers as the learner types. */
  validate?(text: string): Diagnostic[];
  actions?: FileAction[];
  snippets?: Snippet[];
}

const registered: FileType[] = [];

const FALLBACKS: FileType[] = [
  { id: 'json', language: 'json', match: (p) => /\.json$/i.test(p) },
  { id: 'yaml', language: 'yaml', match: (p) => /\.ya?ml$/i.test(p) },
  { id: 'shell', language: 'shell', match: (p) => /\.(sh|bash)$/i.test(p) },
  { id: 'dockerfile', language: 'dockerfile', match: (p) => /(^|\/)Dockerfile(\.[\w-]+)?$/.test(p) },
  { id: 'markdown', language: 'markdown', match: (p) => /\.(md|markdown)$/i.test(p) },
  { id: 'text', language: 'plaintext', match: () => true },
];

/** Register a file type; returns a function that removes it again. */
export function registerFileType(ft: FileType): () => void {
  registered.unshift(ft);
  return () => {
    const i = registered.indexOf(ft);
    if (i >= 0) registered.splice(i, 1);
  };
}

/** The file type for a path and its text: the latest matching registration, else a built-in. */
export function fileTypeFor(path: string, text: string): FileType {
  for (const ft of registered) {
    try {
      if (ft.match(path, text)) return ft;
    } catch {
      /* a broken matcher does not stop the editor */
    }
  }
  return FALLBACKS.find((f) => f.match(path, text))!;
}

export function fileTypeId(ft: FileType): string {
  return ft.id ?? ft.language;
}

/** Run a validator safely; a throwing validator yields one diagnostic instead of breaking the editor. */
export function runValidate(ft: FileType, text: string): Diagnostic[] {
  if (!ft.validate) return [];
  try {
    return ft.validate(text);
  } catch (e) {
    return [{ line: 1, column: 1, endLine: 1, endColumn: 2, message: `validator failed: ${(e as Error)?.message ?? e}`, severity: 'info' }];
  }
}

/**
 * Whether a snippet should replace the whole document rather than go in at the
 * cursor: the snippets are whole documents, so an empty file or an empty JSON
 * object (`{}`) is replaced (inserting would give `{}{...}`, invalid JSON).
 */
export function snippetReplacesDocument(text: string): boolean {
  return /^\s*(\{\s*\})?\s*$/.test(text);
}
