/**
 * The lesson format (see lessons/README.md and lessons/schema.json).
 * A lesson is a folder `lessons/<track>/<NN-name>/` holding `lesson.json`
 * (metadata, modes, setup, steps with goals as data, hints, solutions) and
 * `lesson.md` (the text, split into sections by `<!-- step: ID -->` markers).
 */

/** How many: `{exactly: 3}`, `{atLeast: 1}`, `{atMost: 2}` (several combine). */
export interface Count {
  exactly?: number;
  atLeast?: number;
  atMost?: number;
}

export type Match = 'exactly' | 'atLeast';

/** Predicates over the simulated cloud and the learner's API calls. Documented in lessons/README.md. */
export type Predicate =
  | { type: 'all'; checks: Predicate[] }
  | { type: 'any'; checks: Predicate[] }
  | { type: 'not'; check: Predicate }
  | BucketPredicate
  | BucketCountPredicate
  | ObjectPredicate
  | ObjectsPredicate
  | LifecycleRulePredicate
  | ApiCallPredicate
  | ConfigPredicate
  | FilePredicate
  | ClusterPredicate
  | ContainerInstancesPredicate
  | TaskDefinitionPredicate
  | TasksPredicate
  | EcrRepositoryPredicate
  | EcrImagePredicate
  | Ec2InstancesPredicate
  | AccessPredicate
  | HttpPredicate
  | EncryptionPredicate
  | KmsKeyPredicate;

/** An anonymous HTTP GET of a URL of the simulated S3 (website endpoint, object URL), as `curl` does it. */
export interface HttpPredicate {
  type: 'http';
  url: string;
  status?: number;
  bodyContains?: string;
  /** Response headers that must have these values (names case-insensitive). */
  headers?: Record<string, string>;
}

/** How an object (its current version) or, without `key`, a bucket by default is encrypted. */
export interface EncryptionPredicate {
  type: 'encryption';
  bucket: string;
  key?: string;
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse' | 'SSE-C';
  /** A key id, ARN, alias name (alias/...) the KMS key must be. */
  kmsKey?: string;
  bucketKey?: boolean;
}

/** A KMS key (by alias, id or ARN) exists, in a state. */
export interface KmsKeyPredicate {
  type: 'kms-key';
  key: string;
  state?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  exists?: boolean;
  region?: string;
}

/** May an identity make a request now? (tried as that identity inside the rolled-back probe) */
export interface AccessPredicate {
  type: 'access';
  /** admin, anonymous, other-account, user:NAME, role:NAME[/SESSION], other-account:user:NAME ... */
  as: string;
  /** The API service (default s3). */
  service?: string;
  operation: string;
  input?: Record<string, unknown>;
  /** true: the request passes access control; false: it is denied (AccessDenied, 403 ...). */
  allowed: boolean;
  region?: string;
  /** Where the request comes from: internet (default) or subnet:ID / subnet:NAME (Name tag), through its route table (VPC endpoints). */
  from?: string;
}

export interface BucketPredicate {
  type: 'bucket';
  /** Exact name, or a name prefix. One of the two. */
  name?: string;
  namePrefix?: string;
  region?: string;
  /** false: no such bucket may exist. */
  exists?: boolean;
  versioning?: 'Enabled' | 'Suspended';
  tags?: Record<string, string>;
}

export interface BucketCountPredicate {
  type: 'bucket-count';
  count: Count;
  namePrefix?: string;
  region?: string;
}

export interface ObjectPredicate {
  type: 'object';
  bucket?: string;
  bucketPrefix?: string;
  key?: string;
  keyPrefix?: string;
  exists?: boolean;
  contentType?: string;
  /** User metadata (names compared lowercase, as S3 returns them). */
  metadata?: Record<string, string>;
  storageClass?: string;
  tags?: Record<string, string>;
  /** The object's body as text. */
  body?: string;
  /** Glacier restore: 'in-progress' or 'completed' (a readable restored copy). */
  restore?: 'in-progress' | 'completed';
  /** Number of versions of the key (ListObjectVersions, delete markers excluded). */
  versions?: Count;
}

export interface ObjectsPredicate {
  type: 'objects';
  bucket?: string;
  bucketPrefix?: string;
  prefix?: string;
  keys: string[];
  /** exactly: these keys and no other under the prefix; atLeast: these keys, others allowed. */
  match: Match;
}

export interface LifecycleRulePredicate {
  type: 'lifecycle-rule';
  bucket?: string;
  bucketPrefix?: string;
  /** The rule's filter prefix ('' = the whole bucket). */
  prefix?: string;
  status?: 'Enabled' | 'Disabled';
  transition?: { days?: number; storageClass: string };
  expirationDays?: number;
  noncurrentExpirationDays?: number;
}

export interface ApiCallPredicate {
  type: 'api-call';
  service: string;
  operation: string;
  /** A subset of the request's input that must match (deep, strings compared as text). */
  input?: Record<string, unknown>;
  /** true (default): the call succeeded; false: it failed. */
  ok?: boolean;
  errorCode?: string;
  region?: string;
  /** How many such calls (default at least 1). */
  count?: Count;
}

export interface ConfigPredicate {
  type: 'sandbox-config';
  s3Consistency?: 'strong' | 'eventual';
  region?: string;
  quotas?: Record<string, number>;
  /** Simulated time moved on by at least this much since the lesson started (e.g. "5h"). */
  clockAdvancedAtLeast?: string;
}

export interface FilePredicate {
  type: 'file';
  /** Path in the home folder (relative to ~ or absolute). */
  path: string;
  exists?: boolean;
  contains?: string;
  /** The file parses as JSON and includes this subset. */
  json?: unknown;
}

export interface ClusterPredicate {
  type: 'cluster';
  cluster: string;
  region?: string;
  exists?: boolean;
  status?: string;
  registeredContainerInstances?: Count;
  runningTasks?: Count;
}

export interface ContainerInstancesPredicate {
  type: 'container-instances';
  cluster: string;
  region?: string;
  count: Count;
  status?: string;
  instanceType?: string;
  agentConnected?: boolean;
}

export interface TaskDefinitionPredicate {
  type: 'task-definition';
  family: string;
  region?: string;
  /** Some ACTIVE revision has all of these. */
  requiresCompatibilities?: string[];
  networkMode?: string;
  cpu?: string | number;
  memory?: string | number;
  /** Some container uses this image (exact, or prefix when it ends with '*'). */
  image?: string;
  containerCount?: Count;
  /** Number of ACTIVE revisions of the family. */
  revisions?: Count;
}

export interface TasksPredicate {
  type: 'tasks';
  cluster: string;
  region?: string;
  family?: string;
  /** lastStatus of the tasks counted (default RUNNING). */
  status?: string;
  count: Count;
  launchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  /** The counted tasks run on at least this many different container instances. */
  distinctInstances?: number;
  /** The counted tasks run in at least this many different Availability Zones. */
  distinctZones?: number;
  /** Case-insensitive substring of stoppedReason (for STOPPED tasks). */
  stoppedReason?: string;
}

export interface EcrRepositoryPredicate {
  type: 'ecr-repository';
  repository: string;
  region?: string;
  exists?: boolean;
}

export interface EcrImagePredicate {
  type: 'ecr-image';
  repository: string;
  tag: string;
  region?: string;
}

export interface Ec2InstancesPredicate {
  type: 'ec2-instances';
  region?: string;
  count: Count;
  state?: string;
  instanceType?: string;
}

export interface GoalPart {
  /** Stable id within the step (defaults to its index). */
  id?: string;
  /** What the learner must reach, in plain words (shown in the step list). */
  label: string;
  check: Predicate;
  /** From a nudge towards the idea to the exact command; shown one at a time. */
  hints?: string[];
}

export interface Step {
  id: string;
  title: string;
  goals: GoalPart[];
  /** Terminal lines that reach this step's goals from the end of the previous step. */
  solution: string[];
}

/** Sandbox modes a lesson switches for its duration. */
export interface LessonModes {
  /** Simulated start time (ISO 8601). */
  clock?: string;
  /** S3 consistency model for the lesson's region (or every region listed). */
  s3Consistency?: 'strong' | 'eventual';
  s3ConsistencyRegions?: string[];
  quotas?: Record<string, number>;
  /** The CLI profile in use (identity). */
  profile?: string;
}

export interface LessonMeta {
  id: string;
  title: string;
  track: string;
  order: number;
  minutes: number;
  region: string;
  summary?: string;
  prerequisites?: string[];
  modes?: LessonModes;
  /** Files for the home folder: path relative to ~ -> text. */
  files?: Record<string, string>;
  setup?: string[];
  steps: Step[];
}

/** A loaded lesson: metadata plus the text split by step. */
export interface Lesson extends LessonMeta {
  intro: string;
  stepText: Record<string, string>;
  /** Where it comes from: 'bundled' or the pack id. */
  source: string;
  /** From an assessment pack: hints and solutions are hidden. */
  assessment?: boolean;
}

/** The raw form of a lesson, as bundled in the catalogue or carried in a pack. */
export interface LessonSource {
  /** lesson.json, parsed. */
  json: unknown;
  /** lesson.md text. */
  markdown: string;
  /** Folder path, e.g. 's3/01-objects' (for messages and the id check). */
  path?: string;
}

export interface LessonPack {
  format: 'nimbus-lesson-pack';
  version: 1;
  id: string;
  title: string;
  assessment?: boolean;
  lessons: (LessonMeta & { text: string })[];
}
