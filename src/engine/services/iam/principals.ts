/**
 * The sandbox's identities by name (the names `--profile`, `sandbox whoami` and
 * lesson checks use):
 *   admin | anonymous | other-account | user:NAME | role:NAME[/SESSION]
 *   other-account:user:NAME | other-account:role:NAME[/SESSION]
 */
import type { Identity } from '../../identity';
import { ADMIN_IDENTITY, ANONYMOUS_IDENTITY } from '../../identity';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID } from '../../regions';
import type { Ctx } from '../../context';
import { OTHER_ADMIN_IDENTITY, T_ROLES, T_USERS, rowKey, sessionIdentity, userIdentity, type RoleRow, type UserRow } from './model';

export const DEFAULT_SESSION_NAME = 'nimbus';

type Tables = Pick<Ctx, 'table'>;

export function userByName(db: Tables, account: string, name: string): Identity | undefined {
  if (name === 'admin') return account === ACCOUNT_ID ? ADMIN_IDENTITY : account === OTHER_ACCOUNT_ID ? OTHER_ADMIN_IDENTITY : undefined;
  const u = db.table<UserRow>(T_USERS).get(rowKey(account, name));
  return u ? userIdentity(u) : undefined;
}

export function roleSessionByName(db: Tables, account: string, spec: string): Identity | undefined {
  const [name, session] = spec.split('/');
  const r = db.table<RoleRow>(T_ROLES).get(rowKey(account, name ?? ''));
  return r ? sessionIdentity(r, session || DEFAULT_SESSION_NAME) : undefined;
}

/** The identity a name stands for, or undefined (no such user or role). Bare NAME: a user of the learner's account. */
export function identityByName(db: Tables, name: string): Identity | undefined {
  if (name === 'admin') return ADMIN_IDENTITY;
  if (name === 'anonymous') return ANONYMOUS_IDENTITY;
  if (name === 'other-account' || name === 'other-account:admin') return OTHER_ADMIN_IDENTITY;
  let account = ACCOUNT_ID;
  let rest = name;
  if (rest.startsWith('other-account:')) {
    account = OTHER_ACCOUNT_ID;
    rest = rest.slice('other-account:'.length);
  }
  if (rest.startsWith('user:')) return userByName(db, account, rest.slice(5));
  if (rest.startsWith('role:')) return roleSessionByName(db, account, rest.slice(5));
  return account === ACCOUNT_ID ? userByName(db, account, rest) : undefined;
}
