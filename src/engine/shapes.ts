/**
 * Our own declarations of the API shapes the sandbox simulates. They drive
 * the CLI (option names, types, coercion, help text, completion, skeletons)
 * and type the handlers: `Infer<typeof SomeInput>` is the handler's input type.
 * Facts come from the AWS models; the doc strings are written by us.
 */

interface Base {
  doc?: string;
  /** Completion hint for the CLI: what kind of resource name this takes. */
  complete?: CompletionKind;
}

export type CompletionKind =
  | 'bucket'
  | 's3-key'
  | 'cluster'
  | 'task-definition'
  | 'task-definition-family'
  | 'task'
  | 'container-instance'
  | 'service'
  | 'repository'
  | 'region'
  | 'file'
  | 'instance'
  | 'subnet'
  | 'security-group'
  | 'vpc'
  | 'kms-key'
  | 'iam-user'
  | 'iam-role';

export interface StringShape extends Base {
  type: 'string';
  enum?: readonly string[];
  min?: number;
  max?: number;
  pattern?: string;
}
export interface IntegerShape extends Base {
  type: 'integer' | 'long' | 'float' | 'double';
  min?: number;
  max?: number;
}
export interface BooleanShape extends Base {
  type: 'boolean';
}
export interface TimestampShape extends Base {
  type: 'timestamp';
}
export interface BlobShape extends Base {
  type: 'blob';
  /** Streaming blobs (PutObject Body) take a file path on the CLI, not file://. */
  streaming?: boolean;
}
export interface ListShape<M extends Shape = Shape> extends Base {
  type: 'list';
  member: M;
  min?: number;
  max?: number;
}
export interface MapShape<V extends Shape = Shape> extends Base {
  type: 'map';
  key: StringShape;
  value: V;
}
export interface StructureShape<M extends Record<string, Shape> = Record<string, Shape>, R extends string = string> extends Base {
  type: 'structure';
  members: M;
  required: readonly R[];
}

export type Shape =
  | StringShape
  | IntegerShape
  | BooleanShape
  | TimestampShape
  | BlobShape
  | ListShape<any>
  | MapShape<any>
  | StructureShape<any, any>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type of a value of a shape. Timestamps are numbers (ms) on input. */
export type Infer<S> = 0 extends 1 & S ? any : S extends StringShape
  ? S['enum'] extends readonly (infer E)[]
    ? E
    : string
  : S extends IntegerShape
    ? number
    : S extends BooleanShape
      ? boolean
      : S extends TimestampShape
        ? number
        : S extends BlobShape
          ? Uint8Array
          : S extends ListShape<infer M>
            ? Infer<M>[]
            : S extends MapShape<infer V>
              ? Record<string, Infer<V>>
              : S extends StructureShape<infer M, infer R>
                ? Simplify<{ [K in Extract<keyof M, R>]: Infer<M[K]> } & { [K in Exclude<keyof M, R>]?: Infer<M[K]> }>
                : never;

type Opts<T> = Omit<T, 'type'>;

export const s = {
  str: (o: Opts<StringShape> = {}): StringShape => ({ type: 'string', ...o }),
  enum: <const E extends readonly string[]>(values: E, o: Opts<Omit<StringShape, 'enum'>> = {}): StringShape & { enum: E } => ({
    type: 'string',
    enum: values,
    ...o,
  }),
  int: (o: Opts<IntegerShape> = {}): IntegerShape => ({ type: 'integer', ...o }),
  long: (o: Opts<IntegerShape> = {}): IntegerShape => ({ type: 'long', ...o }),
  double: (o: Opts<IntegerShape> = {}): IntegerShape => ({ type: 'double', ...o }),
  bool: (o: Opts<BooleanShape> = {}): BooleanShape => ({ type: 'boolean', ...o }),
  ts: (o: Opts<TimestampShape> = {}): TimestampShape => ({ type: 'timestamp', ...o }),
  blob: (o: Opts<BlobShape> = {}): BlobShape => ({ type: 'blob', ...o }),
  list: <M extends Shape>(member: M, o: Opts<Omit<ListShape<M>, 'member'>> = {}): ListShape<M> => ({ type: 'list', member, ...o }),
  map: <V extends Shape>(value: V, o: Opts<Omit<MapShape<V>, 'key' | 'value'>> & { key?: StringShape } = {}): MapShape<V> => ({
    type: 'map',
    key: o.key ?? { type: 'string' },
    value,
    ...o,
  }),
  struct: <M extends Record<string, Shape>, R extends keyof M & string = never>(
    members: M,
    required: readonly R[] = [],
    o: Opts<Omit<StructureShape, 'members' | 'required'>> = {},
  ): StructureShape<M, R> => ({ type: 'structure', members, required, ...o }),
  /** Tag lists as ECS (key/value) and S3 (Key/Value) spell them. */
  tagsLower: () => s.list(s.struct({ key: s.str({ min: 1, max: 128 }), value: s.str({ max: 256 }) }, ['key'])),
  tagsUpper: () => s.list(s.struct({ Key: s.str({ min: 1, max: 128 }), Value: s.str({ max: 256 }) }, ['Key', 'Value'])),
};

/** Paginator facts (from the models' paginators-1.json), used by the CLI's auto-pagination. */
export interface Paginator {
  inputToken: string | string[];
  outputToken: string | string[];
  limitKey?: string;
  resultKeys: string[];
  /** For S3 ListObjects (v1): the output field that says more results exist. */
  moreResults?: string;
  /** Other output fields to keep from the first page. */
  nonAggregateKeys?: string[];
}

export interface OperationDef<I extends StructureShape = StructureShape, O = unknown> {
  name: string;
  input: I;
  /** A short description in our words, for `help`. */
  doc: string;
  /** The error codes a learner can meet, for help. */
  errors?: string[];
  paginator?: Paginator;
  /** One example command line for help. */
  example?: string;
  handler: (ctx: import('./context').Ctx, input: Infer<I>) => O;
  /** Read-only operations skip persistence and undo entries. */
  readOnly?: boolean;
}

/** Declare an operation: the handler's input type is inferred from the shape. */
export function op<I extends StructureShape, O>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = OperationDef<any, any>;
