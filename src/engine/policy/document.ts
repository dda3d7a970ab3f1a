/**
 * IAM policy documents: parsing and structural validation into a normalised
 * form the evaluator works on (every Action/Resource/value list an array).
 * Our own code, written from AWS's documented policy grammar.
 */

/** The Principal / NotPrincipal element: `"*"` or `{AWS|Service|Federated|CanonicalUser: [...]}`. */
export type PrincipalBlock = '*' | Record<string, string[]>;

/** Condition block: operator -> key -> values (all as strings, as IAM compares them). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  /** Position in the document (0-based), for explanations. */
  index: number;
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: ConditionBlock;
  /** The statement as written (for showing it back to the learner). */
  source: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** What kind of policy is being parsed: identity (no Principal), resource (Principal required), trust (role trust policy). */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'endpoint';

export type PolicyProblem =
  | 'json'
  | 'syntax'
  | 'version'
  | 'missing-statement'
  | 'missing-effect'
  | 'missing-principal'
  | 'principal-not-allowed'
  | 'invalid-principal'
  | 'missing-action'
  | 'missing-resource'
  | 'prohibited-resource'
  | 'unknown-condition-operator';

export class PolicyError extends Error {
  constructor(
    readonly problem: PolicyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

export const CONDITION_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Null',
]);

/** Split `ForAnyValue:StringLikeIfExists` into its parts; undefined when the operator is unknown. */
export function parseOperator(name: string): { qualifier?: 'ForAnyValue' | 'ForAllValues'; base: string; ifExists: boolean } | undefined {
  let rest = name;
  let qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
  const q = /^(ForAnyValue|ForAllValues):/i.exec(rest);
  if (q) {
    qualifier = q[1]!.toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
    rest = rest.slice(q[0].length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'Null') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  if (!CONDITION_OPERATORS.has(rest)) return undefined;
  if (rest === 'Null' && ifExists) return undefined;
  return { ...(qualifier ? { qualifier } : {}), base: rest, ifExists };
}

function asList(v: unknown, what: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new PolicyError('syntax', `Syntax errors in policy. (${what} must be a string or a list of strings.)`);
}

function condValues(v: unknown): string[] {
  const one = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new PolicyError('syntax', 'Syntax errors in policy. (Condition values must be strings, numbers or booleans.)');
  };
  return Array.isArray(v) ? v.map(one) : [one(v)];
}

function parsePrincipal(v: unknown): PrincipalBlock {
  if (v === '*') return '*';
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PolicyError('invalid-principal', 'Invalid principal in policy');
  const out: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (!PRINCIPAL_TYPES.has(k)) throw new PolicyError('invalid-principal', 'Invalid principal in policy');
    const list = asList(val, 'Principal');
    if (k === 'AWS') {
      for (const p of list) {
        if (p === '*' || /^\d{12}$/.test(p)) continue;
        if (/^arn:aws:(iam|sts)::\d{12}:(root|user\/.+|role\/.+|assumed-role\/.+\/.+|federated-user\/.+)$/.test(p)) continue;
        throw new PolicyError('invalid-principal', 'Invalid principal in policy');
      }
    }
    out[k] = list;
  }
  return out;
}

/**
 * Parse a policy (JSON text or an already-parsed object). Throws PolicyError
 * with a problem code and IAM's wording; callers (S3 MalformedPolicy, IAM
 * MalformedPolicyDocument) map it to their own error.
 */
export function parsePolicy(input: string | unknown, kind: PolicyKind): PolicyDocument {
  let raw: unknown = input;
  if (typeof input === 'string') {
    const t = input.trim();
    if (!t.startsWith('{')) throw new PolicyError('json', 'This policy contains invalid Json');
    try {
      raw = JSON.parse(t);
    } catch {
      throw new PolicyError('json', 'This policy contains invalid Json');
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError('json', 'This policy contains invalid Json');
  const doc = raw as Record<string, unknown>;
  for (const k of Object.keys(doc)) {
    if (k !== 'Version' && k !== 'Id' && k !== 'Statement') throw new PolicyError('syntax', `Syntax errors in policy. (Unknown top-level field ${k}.)`);
  }
  if (doc['Version'] !== undefined && doc['Version'] !== '2012-10-17' && doc['Version'] !== '2008-10-17') {
    throw new PolicyError('version', 'The policy failed legacy parsing');
  }
  if (doc['Statement'] === undefined) throw new PolicyError('missing-statement', 'Syntax errors in policy. (Missing required field Statement.)');
  const list = Array.isArray(doc['Statement']) ? doc['Statement'] : [doc['Statement']];
  const statements: Statement[] = list.map((st, index) => {
    if (!st || typeof st !== 'object' || Array.isArray(st)) throw new PolicyError('syntax', 'Syntax errors in policy.');
    const r = st as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!STATEMENT_KEYS.has(k)) throw new PolicyError('syntax', `Syntax errors in policy. (Unknown field ${k}.)`);
    const effect = r['Effect'];
    if (effect === undefined) throw new PolicyError('missing-effect', 'Missing required field Effect');
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError('syntax', 'Syntax errors in policy. (Effect must be Allow or Deny.)');
    const out: Statement = { index, Effect: effect, source: st };
    if (r['Sid'] !== undefined) {
      if (typeof r['Sid'] !== 'string') throw new PolicyError('syntax', 'Syntax errors in policy.');
      out.Sid = r['Sid'];
    }
    const hasPrincipal = r['Principal'] !== undefined || r['NotPrincipal'] !== undefined;
    if (kind === 'identity' && hasPrincipal) throw new PolicyError('principal-not-allowed', 'Policy document should not specify a principal.');
    if ((kind === 'resource' || kind === 'trust') && !hasPrincipal) {
      throw new PolicyError('missing-principal', kind === 'trust' ? 'AssumeRolepolicy contained an invalid principal: missing Principal.' : 'Missing required field Principal');
    }
    if (r['Principal'] !== undefined) out.Principal = parsePrincipal(r['Principal']);
    if (r['NotPrincipal'] !== undefined) out.NotPrincipal = parsePrincipal(r['NotPrincipal']);
    if (r['Action'] !== undefined) out.Action = asList(r['Action'], 'Action');
    if (r['NotAction'] !== undefined) out.NotAction = asList(r['NotAction'], 'NotAction');
    if (!out.Action && !out.NotAction) throw new PolicyError('missing-action', 'Policy statement must contain actions.');
    if (r['Resource'] !== undefined) out.Resource = asList(r['Resource'], 'Resource');
    if (r['NotResource'] !== undefined) out.NotResource = asList(r['NotResource'], 'NotResource');
    if (kind === 'trust' && (out.Resource || out.NotResource)) throw new PolicyError('prohibited-resource', 'Has prohibited field Resource');
    if ((kind === 'identity' || kind === 'resource') && !out.Resource && !out.NotResource) {
      throw new PolicyError('missing-resource', 'Policy statement must contain resources.');
    }
    for (const a of [...(out.Action ?? []), ...(out.NotAction ?? [])]) {
      if (a !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?-]+$/.test(a)) throw new PolicyError('syntax', `Syntax errors in policy. (Invalid action ${a}.)`);
    }
    if (r['Condition'] !== undefined) {
      const c = r['Condition'];
      if (!c || typeof c !== 'object' || Array.isArray(c)) throw new PolicyError('syntax', 'Syntax errors in policy.');
      const cond: ConditionBlock = {};
      for (const [opName, block] of Object.entries(c as Record<string, unknown>)) {
        if (!parseOperator(opName)) throw new PolicyError('unknown-condition-operator', `Invalid Condition type : ${opName}`);
        if (!block || typeof block !== 'object' || Array.isArray(block)) throw new PolicyError('syntax', 'Syntax errors in policy.');
        const keys: Record<string, string[]> = {};
        for (const [key, vals] of Object.entries(block as Record<string, unknown>)) keys[key] = condValues(vals);
        cond[opName] = keys;
      }
      out.Condition = cond;
    }
    return out;
  });
  return {
    ...(typeof doc['Version'] === 'string' ? { Version: doc['Version'] } : {}),
    ...(typeof doc['Id'] === 'string' ? { Id: doc['Id'] } : {}),
    Statement: statements,
  };
}

/** Parse without throwing: the document or the PolicyError. */
export function tryParsePolicy(input: string | unknown, kind: PolicyKind): { ok: true; policy: PolicyDocument } | { ok: false; error: PolicyError } {
  try {
    return { ok: true, policy: parsePolicy(input, kind) };
  } catch (e) {
    if (e instanceof PolicyError) return { ok: false, error: e };
    throw e;
  }
}
