/** Pieces the IAM handlers share: policy-document checks, output shapes, Marker/MaxItems pages. */
import { s } from '../../../shapes';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import { tryParsePolicy, type PolicyKind } from '../../../policy';
import { awsManagedPolicy } from '../managed';
import { iamErrors, policies, type PolicyRow } from '../model';

export const userNameArg = () => s.str({ doc: 'The IAM user name.', min: 1, max: 64, complete: 'iam-user' });
export const groupNameArg = () => s.str({ doc: 'The IAM group name.', min: 1, max: 128 });
export const roleNameArg = () => s.str({ doc: 'The IAM role name.', min: 1, max: 64, complete: 'iam-role' });
export const policyNameArg = () => s.str({ doc: 'The policy name.', min: 1, max: 128 });
export const policyArnArg = () => s.str({ doc: 'The ARN of a managed policy, e.g. arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess.', min: 20, max: 2048 });
export const documentArg = (doc: string) => s.str({ doc, min: 1, max: 131072 });
export const pathArg = () => s.str({ doc: 'A path such as /division/ (default /).', min: 1, max: 512 });
export const pageMembers = () => ({ Marker: s.str({ min: 1, max: 320 }), MaxItems: s.int({ min: 1, max: 1000 }) });
export const iamPaginator = (resultKey: string) => ({ inputToken: 'Marker', outputToken: 'Marker', limitKey: 'MaxItems', moreResults: 'IsTruncated', resultKeys: [resultKey] });

/** Validate a policy document for IAM; MalformedPolicyDocument with IAM's wording. */
export function checkDocument(text: string, kind: PolicyKind): string {
  const r = tryParsePolicy(text, kind);
  if (!r.ok) {
    const prefix = kind === 'trust' ? 'AssumeRolePolicy policy: ' : '';
    throw iamErrors.malformed(r.error.problem === 'missing-principal' && kind === 'trust' ? r.error.message : prefix + r.error.message);
  }
  return text;
}

/** The document as the CLI shows it: a JSON object (the API URL-encodes it; the CLI decodes it). */
export function documentOut(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One page of a list by the IAM Marker convention (the marker is the index of the next item). */
export function page<T>(list: T[], input: { Marker?: string; MaxItems?: number }): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = input.Marker ? Number.parseInt(input.Marker, 10) : 0;
  if (input.Marker && (!Number.isInteger(start) || start < 0 || start > list.length)) throw iamErrors.invalidInput('Invalid Marker.');
  const max = input.MaxItems ?? 100;
  const items = list.slice(start, start + max);
  const more = start + max < list.length;
  return { items, IsTruncated: more, ...(more ? { Marker: String(start + max) } : {}) };
}

/** A managed policy as IAM shows it; `boundaries` = how many users and roles use it as their permissions boundary. */
export function policyOut(p: PolicyRow, attachments: number, detail: boolean, boundaries = 0) {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: boundaries,
    IsAttachable: true,
    ...(detail && p.description !== undefined ? { Description: p.description } : {}),
    CreateDate: isoTime(p.created),
    UpdateDate: isoTime(p.updated),
    ...(detail && p.tags?.length ? { Tags: p.tags.map((t) => ({ ...t })) } : {}),
  };
}

/** How many users and roles of the account have this policy attached. */
export function attachmentCount(ctx: Ctx, arn: string, account: string): number {
  let n = 0;
  for (const u of ctx.table<{ account: string; attached: string[] }>('iam.users').values()) if (u.account === account && u.attached.includes(arn)) n++;
  for (const r of ctx.table<{ account: string; attached: string[] }>('iam.roles').values()) if (r.account === account && r.attached.includes(arn)) n++;
  for (const g of ctx.table<{ account: string; attached: string[] }>('iam.groups').values()) if (g.account === account && g.attached.includes(arn)) n++;
  if (account === ctx.identity.accountId && arn === 'arn:aws:iam::aws:policy/AdministratorAccess') n++; // the built-in admin
  return n;
}

/** A managed policy that can be attached: AWS managed, or one of the caller's account. */
export function requireAttachable(ctx: Ctx, arn: string): void {
  if (awsManagedPolicy(arn)) return;
  const row = policies(ctx).get(arn);
  if (!row || row.account !== ctx.identity.accountId) throw iamErrors.noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

export function checkTags(tags: { Key: string; Value: string }[] | undefined): { Key: string; Value: string }[] | undefined {
  if (!tags?.length) return undefined;
  if (tags.length > 50) throw iamErrors.limitExceeded('Cannot exceed quota for TagsPerUser: 50');
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** Policy sizes count characters other than white space, as IAM does. */
export const policySize = (text: string) => text.replace(/\s/g, '').length;

/** The inline policies of a user (2,048) or role (10,240) together stay under IAM's quota. */
export function checkInlineSize(inline: Record<string, string>, name: string, doc: string, kind: 'user' | 'role' | 'group', entity: string): void {
  const max = kind === 'user' ? 2048 : kind === 'group' ? 5120 : 10240;
  const total = Object.entries({ ...inline, [name]: doc }).reduce((n, [, d]) => n + policySize(d), 0);
  if (total > max) throw iamErrors.limitExceeded(`Maximum policy size of ${max} bytes exceeded for ${kind} ${entity}`);
}

/** How many users and roles of the caller's account use a policy as permissions boundary. */
export function boundaryCount(ctx: Ctx, arn: string): number {
  const acct = ctx.identity.accountId;
  let n = 0;
  for (const e of ctx.table<{ account: string; boundary?: string }>('iam.users').values()) if (e.account === acct && e.boundary === arn) n++;
  for (const e of ctx.table<{ account: string; boundary?: string }>('iam.roles').values()) if (e.account === acct && e.boundary === arn) n++;
  return n;
}

/** One page of a list by the IAM Marker convention, as the answer shows it: the items under `key`, IsTruncated, Marker. */
export function pageOut<T>(key: string, list: T[], input: { Marker?: string; MaxItems?: number }, render?: (item: T) => unknown) {
  const p = page(list, input);
  return { [key]: render ? p.items.map((x) => render(x)) : p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
}

/** A user, role or group: the policies it holds (inline by name, managed by ARN). */
interface PolicyHolder {
  name: string;
  inline: Record<string, string>;
  attached: string[];
}
type HolderKind = 'user' | 'role' | 'group';
const ATTACHED_QUOTA: Record<HolderKind, string> = { user: 'PoliciesPerUser', role: 'PoliciesPerRole', group: 'PoliciesPerGroup' };

/** Put{User,Role,Group}Policy: add or replace an inline policy, its document checked and the holder's size quota kept. */
export function putInlinePolicy<T extends PolicyHolder>(e: T, kind: HolderKind, policyName: string, document: string, save: (row: T) => unknown): void {
  const doc = checkDocument(document, 'identity');
  checkInlineSize(e.inline, policyName, doc, kind, e.name);
  save({ ...e, inline: { ...e.inline, [policyName]: doc } });
}

/** The document of one inline policy; NoSuchEntity when the holder has none of that name. */
export function inlinePolicy(e: PolicyHolder, kind: HolderKind, policyName: string): string {
  const doc = e.inline[policyName];
  if (doc === undefined) throw iamErrors.noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  return doc;
}

/** Delete{User,Role,Group}Policy. */
export function deleteInlinePolicy<T extends PolicyHolder>(e: T, kind: HolderKind, policyName: string, save: (row: T) => unknown): void {
  inlinePolicy(e, kind, policyName);
  const { [policyName]: _gone, ...rest } = e.inline;
  save({ ...e, inline: rest });
}

/** Attach{User,Role,Group}Policy: attaching twice is a no-op; at most 10 managed policies each. */
export function attachManagedPolicy<T extends PolicyHolder>(ctx: Ctx, e: T, kind: HolderKind, arn: string, save: (row: T) => unknown): void {
  requireAttachable(ctx, arn);
  if (e.attached.includes(arn)) return;
  if (e.attached.length >= 10) throw iamErrors.limitExceeded(`Cannot exceed quota for ${ATTACHED_QUOTA[kind]}: 10`);
  save({ ...e, attached: [...e.attached, arn] });
}

/** Detach{User,Role,Group}Policy. */
export function detachManagedPolicy<T extends PolicyHolder>(e: T, arn: string, save: (row: T) => unknown): void {
  if (!e.attached.includes(arn)) throw iamErrors.noSuchEntity(`Policy ${arn} was not found.`);
  save({ ...e, attached: e.attached.filter((a) => a !== arn) });
}
