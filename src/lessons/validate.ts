/**
 * Validation of lessons: a small JSON Schema checker (the subset that
 * lessons/schema.json uses: type, properties, required, additionalProperties,
 * items, enum, const, minimum, maximum, minLength, minItems, pattern, oneOf,
 * anyOf, $ref to #/definitions) plus the rules a schema cannot say (ids match
 * folders, unique step ids, a text section per step).
 */
type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function validateSchema(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  if (typeof schema['$ref'] === 'string') {
    const ref = schema['$ref'] as string;
    const m = /^#\/(definitions|\$defs)\/(.+)$/.exec(ref);
    const target = m ? ((root[m[1]!] as Record<string, Schema> | undefined) ?? {})[m[2]!] : undefined;
    if (!target) return [`${path}: unknown schema reference ${ref}`];
    return validateSchema(value, target, root, path);
  }
  const errors: string[] = [];
  const t = schema['type'];
  if (t !== undefined) {
    const types = Array.isArray(t) ? (t as string[]) : [t as string];
    if (!types.some((x) => typeMatches(value, x))) return [`${path}: expected ${types.join(' or ')}, found ${typeOf(value)}`];
  }
  if (schema['const'] !== undefined && JSON.stringify(schema['const']) !== JSON.stringify(value)) errors.push(`${path}: must be ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: must be one of ${(schema['enum'] as unknown[]).map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < (schema['minimum'] as number)) errors.push(`${path}: must be at least ${schema['minimum']}`);
    if (typeof schema['maximum'] === 'number' && value > (schema['maximum'] as number)) errors.push(`${path}: must be at most ${schema['maximum']}`);
  }
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < (schema['minLength'] as number)) errors.push(`${path}: must not be shorter than ${schema['minLength']}`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'] as string, 'u').test(value)) errors.push(`${path}: must match ${schema['pattern']}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < (schema['minItems'] as number)) errors.push(`${path}: needs at least ${schema['minItems']} items`);
    if (schema['items'] && typeof schema['items'] === 'object') value.forEach((v, i) => errors.push(...validateSchema(v, schema['items'] as Schema, root, `${path}[${i}]`)));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
    for (const r of (schema['required'] as string[] | undefined) ?? []) if (!(r in obj)) errors.push(`${path}: missing required member ${r}`);
    if (typeof schema['minProperties'] === 'number' && Object.keys(obj).length < (schema['minProperties'] as number)) errors.push(`${path}: needs at least ${schema['minProperties']} members`);
    const extra = schema['additionalProperties'];
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errors.push(...validateSchema(v, props[k]!, root, `${path}.${k}`));
      else if (extra === false) errors.push(`${path}: unknown member ${k}`);
      else if (extra && typeof extra === 'object') errors.push(...validateSchema(v, extra as Schema, root, `${path}.${k}`));
    }
  }
  if (Array.isArray(schema['anyOf'])) {
    const branches = schema['anyOf'] as Schema[];
    if (!branches.some((b) => validateSchema(value, b, root, path).length === 0)) errors.push(`${path}: does not match any of the allowed forms`);
  }
  if (Array.isArray(schema['oneOf'])) {
    const branches = (schema['oneOf'] as Schema[]).map((b) => resolve(b, root));
    // Discriminated union on `type` (the predicates): report the chosen branch's errors.
    const tag = value && typeof value === 'object' ? (value as Record<string, unknown>)['type'] : undefined;
    const tagged = branches.filter((b) => ((b['properties'] as Record<string, Schema> | undefined)?.['type'] as Schema | undefined)?.['const'] !== undefined);
    if (tagged.length === branches.length && tag !== undefined) {
      const b = tagged.find((x) => ((x['properties'] as Record<string, Schema>)['type'] as Schema)['const'] === tag);
      if (!b) errors.push(`${path}.type: unknown check type ${JSON.stringify(tag)}`);
      else errors.push(...validateSchema(value, b, root, path));
    } else {
      const ok = branches.filter((b) => validateSchema(value, b, root, path).length === 0).length;
      if (ok !== 1) errors.push(`${path}: must match exactly one of the allowed forms (matches ${ok})`);
    }
  }
  return errors;
}

function resolve(s: Schema, root: Schema): Schema {
  const ref = s['$ref'];
  if (typeof ref !== 'string') return s;
  const m = /^#\/(definitions|\$defs)\/(.+)$/.exec(ref);
  return (m ? ((root[m[1]!] as Record<string, Schema> | undefined) ?? {})[m[2]!] : undefined) ?? s;
}
