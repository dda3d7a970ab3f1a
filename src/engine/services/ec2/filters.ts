/**
 * EC2 `Filters` (`Name=instance-state-name,Values=running,pending`): a row
 * matches when every filter matches, and a filter matches when any of its
 * values matches any of the row's values for that name. Values may use the
 * wildcards `*` and `?`. `tag:KEY` and `tag-key` / `tag-value` work on every
 * resource. An unknown filter name is an error, as in EC2.
 */
import { ec2Errors } from './errors';
import type { Tag } from './model';

export interface Ec2Filter {
  Name?: string;
  Values?: string[];
}

type FieldValue = string | number | boolean | undefined | null;
export type FilterFields<T> = Record<string, (row: T) => FieldValue | FieldValue[]>;

function wildcard(pattern: string): RegExp {
  const esc = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

function asList(v: FieldValue | FieldValue[]): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x) => x !== undefined && x !== null).map((x) => String(x));
}

export function applyFilters<T>(rows: T[], filters: Ec2Filter[] | undefined, fields: FilterFields<T>, tags: (row: T) => Tag[]): T[] {
  if (!filters?.length) return rows;
  const preds: ((row: T) => boolean)[] = [];
  for (const f of filters) {
    const name = f.Name ?? '';
    const res = (f.Values ?? []).map(wildcard);
    let get: (row: T) => string[];
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      get = (r) => tags(r).filter((t) => t.Key === key).map((t) => t.Value);
    } else if (name === 'tag-key') get = (r) => tags(r).map((t) => t.Key);
    else if (name === 'tag-value') get = (r) => tags(r).map((t) => t.Value);
    else {
      const fn = fields[name];
      if (!fn) throw ec2Errors.invalidFilter(name);
      get = (r) => asList(fn(r));
    }
    preds.push((r) => {
      const vals = get(r);
      return res.some((re) => vals.some((v) => re.test(v)));
    });
  }
  return rows.filter((r) => preds.every((p) => p(r)));
}

/** Page a list with MaxResults / NextToken (an opaque offset). */
export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { page: T[]; NextToken?: string } {
  let start = 0;
  if (nextToken) {
    const m = /^nb([0-9]+)$/.exec(nextToken);
    if (!m) throw ec2Errors.invalidParameterValue(`Invalid value '${nextToken}' for nextToken`);
    start = Number(m[1]);
  }
  if (maxResults === undefined) return { page: items.slice(start) };
  const end = start + maxResults;
  return end < items.length ? { page: items.slice(start, end), NextToken: `nb${end}` } : { page: items.slice(start) };
}

/** Tags from TagSpecifications for one resource type. */
export function tagsFor(specs: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[] | undefined, type: string): Tag[] {
  const out: Tag[] = [];
  for (const s of specs ?? []) {
    if (s.ResourceType !== type) continue;
    for (const t of s.Tags ?? []) out.push({ Key: t.Key ?? '', Value: t.Value ?? '' });
  }
  return out;
}
