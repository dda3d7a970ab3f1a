/**
 * The engine's state: named tables of immutable rows, changed only inside a
 * transaction. The transaction journal gives three things from one mechanism:
 * atomic operations (a failing operation is rolled back), the set of changed
 * rows that persistence writes in one IndexedDB transaction, and undo/redo.
 *
 * Rule for every handler: never mutate a row you read; write a new one with
 * `table.set(key, {...row, field})` or `table.update(key, fn)`. Rows are
 * deep-frozen on write so a mistake throws instead of silently escaping the
 * journal.
 */

export type RowValue = unknown;

export interface Change {
  table: string;
  key: string;
  /** The row after the change; undefined when it was deleted. */
  value: RowValue | undefined;
  /** The row before the change; undefined when it did not exist. */
  prev: RowValue | undefined;
}

interface JournalEntry {
  table: Table<RowValue>;
  key: string;
  prev: RowValue | undefined;
  had: boolean;
}

export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v) || ArrayBuffer.isView(v)) return v;
  Object.freeze(v);
  for (const k of Object.keys(v as object)) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}

export class Table<T> {
  readonly name: string;
  private readonly db: Db;
  private readonly rows = new Map<string, T>();
  private watcher: ((key: string, value: T | undefined) => void) | null = null;

  constructor(db: Db, name: string) {
    this.db = db;
    this.name = name;
  }
  get(key: string): T | undefined {
    return this.rows.get(key);
  }
  has(key: string): boolean {
    return this.rows.has(key);
  }
  get size(): number {
    return this.rows.size;
  }
  keys(): IterableIterator<string> {
    return this.rows.keys();
  }
  values(): IterableIterator<T> {
    return this.rows.values();
  }
  entries(): IterableIterator<[string, T]> {
    return this.rows.entries();
  }
  /** Rows whose value passes `pred`, in insertion order. */
  filter(pred: (row: T, key: string) => boolean): T[] {
    const out: T[] = [];
    for (const [k, v] of this.rows) if (pred(v, k)) out.push(v);
    return out;
  }
  set(key: string, value: T): T {
    this.db.record(this as Table<RowValue>, key, this.rows.get(key), this.rows.has(key));
    const frozen = deepFreeze(value);
    this.rows.set(key, frozen);
    this.watcher?.(key, frozen);
    return frozen;
  }
  /** One in-memory index may watch every write (including rollback and load), e.g. the scheduler's heap. */
  watch(fn: ((key: string, value: T | undefined) => void) | null): void {
    this.watcher = fn;
  }
  /** Replace a row by a function of the old one; throws if it does not exist. */
  update(key: string, fn: (row: T) => T): T {
    const old = this.rows.get(key);
    if (old === undefined) throw new Error(`update of missing row ${this.name}/${key}`);
    return this.set(key, fn(old));
  }
  delete(key: string): boolean {
    if (!this.rows.has(key)) return false;
    this.db.record(this as Table<RowValue>, key, this.rows.get(key), true);
    this.rows.delete(key);
    this.watcher?.(key, undefined);
    return true;
  }
  /** Internal: restore without journaling (rollback, load). */
  _raw(key: string, value: T | undefined): void {
    if (value === undefined) this.rows.delete(key);
    else this.rows.set(key, value);
    this.watcher?.(key, value);
  }
  _clear(): void {
    this.rows.clear();
    this.watcher?.('', undefined);
  }
}

export class Db {
  private readonly tables = new Map<string, Table<RowValue>>();
  private journal: JournalEntry[] | null = null;
  private depth = 0;

  table<T>(name: string): Table<T> {
    let t = this.tables.get(name);
    if (!t) {
      t = new Table<RowValue>(this, name);
      this.tables.set(name, t);
    }
    return t as Table<T>;
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  get inTransaction(): boolean {
    return this.journal !== null;
  }

  /** @internal called by Table on every write. */
  record(table: Table<RowValue>, key: string, prev: RowValue | undefined, had: boolean): void {
    if (!this.journal) throw new Error(`write to ${table.name}/${key} outside a transaction`);
    this.journal.push({ table, key, prev, had });
  }

  /**
   * Run `fn` in a transaction. Nested calls join the outer transaction.
   * On a throw everything written since the start is rolled back and the
   * error rethrown; on success the list of net changes is returned with the result.
   */
  transact<R>(fn: () => R): { result: R; changes: Change[] } {
    if (this.journal) {
      this.depth++;
      try {
        return { result: fn(), changes: [] };
      } finally {
        this.depth--;
      }
    }
    this.journal = [];
    const journal = this.journal;
    try {
      const result = fn();
      this.journal = null;
      return { result, changes: netChanges(journal) };
    } catch (e) {
      this.journal = null;
      rollback(journal);
      throw e;
    }
  }

  /** Apply a list of changes (undo/redo, load). Journaled when inside a transaction. */
  apply(changes: Change[], direction: 'forward' | 'backward' = 'forward'): void {
    const list = direction === 'forward' ? changes : [...changes].reverse();
    for (const c of list) {
      const t = this.table<RowValue>(c.table);
      const v = direction === 'forward' ? c.value : c.prev;
      if (this.journal) {
        if (v === undefined) t.delete(c.key);
        else t.set(c.key, v);
      } else t._raw(c.key, v === undefined ? undefined : deepFreeze(v));
    }
  }

  /** Load rows without journaling (startup from persistence or import). */
  load(table: string, rows: Iterable<[string, RowValue]>): void {
    const t = this.table<RowValue>(table);
    for (const [k, v] of rows) t._raw(k, deepFreeze(v));
  }

  clear(): void {
    for (const t of this.tables.values()) t._clear();
  }

  /** Every table's rows as plain data. */
  dump(): Record<string, Record<string, RowValue>> {
    const out: Record<string, Record<string, RowValue>> = {};
    for (const [name, t] of this.tables) {
      if (t.size === 0) continue;
      const rows: Record<string, RowValue> = {};
      for (const [k, v] of t.entries()) rows[k] = v;
      out[name] = rows;
    }
    return out;
  }
}

function rollback(journal: JournalEntry[]): void {
  for (let i = journal.length - 1; i >= 0; i--) {
    const j = journal[i]!;
    j.table._raw(j.key, j.had ? j.prev : undefined);
  }
}

function netChanges(journal: JournalEntry[]): Change[] {
  const first = new Map<string, JournalEntry>();
  for (const j of journal) {
    const id = j.table.name + '\u0000' + j.key;
    if (!first.has(id)) first.set(id, j);
  }
  const out: Change[] = [];
  for (const j of first.values()) {
    const value = j.table.get(j.key);
    const prev = j.had ? j.prev : undefined;
    if (value === prev) continue;
    out.push({ table: j.table.name, key: j.key, value, prev });
  }
  return out;
}
