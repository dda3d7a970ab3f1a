/**
 * Who the CLI calls as: profile names for the sandbox's identities, resolved for
 * `--profile NAME`, AWS_PROFILE and `sandbox whoami NAME` (config.currentProfile).
 *
 *   admin                     the learner's administrator (the default)
 *   user:NAME | NAME          an IAM user of the learner's account
 *   role:NAME[/SESSION]       a session of a role of the learner's account
 *   other-account             the administrator of the other account (210987654321)
 *   other-account:user:NAME   an IAM user of the other account (and other-account:role:NAME)
 *   anonymous                 no credentials (the public internet)
 * A profile configured with `aws configure --profile P` whose aws_access_key_id is an IAM
 * access key (or the AccessKeyId of an assume-role) calls as that user (or role session).
 */
import type { Identity, Sandbox } from '../../engine';
import { ADMIN_IDENTITY, ANONYMOUS_IDENTITY, ACCOUNT_ID } from '../../engine';
import { OTHER_ADMIN_IDENTITY, T_KEYS, T_ROLES, T_USERS, sessionIdentity, userIdentity, type AccessKeyRow, type RoleRow, type UserRow } from '../../engine/services/iam/model';
import { DEFAULT_SESSION_NAME, identityByName, roleSessionByName, userByName } from '../../engine/services/iam/principals';
import { T_SESSIONS, type SessionRow } from '../../engine/services/sts';
import { registerProfileResolver } from './profiles';
import { registerCompleter } from './completers';
import { markExpired, markInvalid } from '../../engine/services/iam/authz';
import { profileConfig } from './configure';

export { DEFAULT_SESSION_NAME };

/** The identity a profile name stands for (without the `default` indirection), or undefined. */
export function identityForName(sandbox: Sandbox, name: string): Identity | undefined {
  const known = /^(admin|anonymous|other-account.*|user:.*|role:.*)$/.test(name);
  if (known) return identityByName(sandbox.db, name);
  // AWS_ACCESS_KEY_ID in the environment (cli.ts turns it into env-key:ID), or
  // a profile made with `aws configure` holding a key of a user or a role session
  const fromEnv = name.startsWith('env-key:');
  const keyId = fromEnv ? name.slice('env-key:'.length) : profileConfig(sandbox, name)?.['aws_access_key_id'];
  if (typeof keyId === 'string') {
    const k = sandbox.db.table<AccessKeyRow>(T_KEYS).get(keyId);
    if (k && k.status === 'Active') return userByName(sandbox.db, k.account, k.user);
    const s = sandbox.db.table<SessionRow>(T_SESSIONS).get(keyId);
    if (s) {
      const id = roleSessionByName(sandbox.db, s.account, `${s.role}/${s.session}`);
      return id && s.expires <= sandbox.now() ? markExpired(id) : id;
    }
    // an unknown key: the services answer InvalidClientTokenId / InvalidAccessKeyId
    return fromEnv ? markInvalid({ type: 'user', accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/unknown-key`, userId: keyId, name: 'unknown-key' }) : undefined;
  }
  return identityByName(sandbox.db, name);
}

registerProfileResolver((sandbox, name) => {
  if (name === 'default') {
    const current = sandbox.config().currentProfile;
    if (!current || current === 'default') return undefined;
    // a current identity that no longer exists (a deleted user) keeps its name but has no permissions
    return identityForName(sandbox, current) ?? ghost(current);
  }
  return identityForName(sandbox, name);
});

function ghost(name: string): Identity {
  const n = name.replace(/^(other-account:)?(user:|role:)?/, '');
  return { type: 'user', accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/${n}`, userId: 'AIDADELETEDUSER000000', name: n };
}

/** Every profile name the sandbox knows, for `sandbox profiles` and completion. */
export function knownProfiles(sandbox: Sandbox): { name: string; identity: Identity }[] {
  const out: { name: string; identity: Identity }[] = [
    { name: 'admin', identity: ADMIN_IDENTITY },
    { name: 'other-account', identity: OTHER_ADMIN_IDENTITY },
    { name: 'anonymous', identity: ANONYMOUS_IDENTITY },
  ];
  const prefix = (acct: string) => (acct === ACCOUNT_ID ? '' : 'other-account:');
  for (const u of [...sandbox.db.table<UserRow>(T_USERS).values()].sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name))) {
    out.push({ name: `${prefix(u.account)}user:${u.name}`, identity: userIdentity(u) });
  }
  for (const r of [...sandbox.db.table<RoleRow>(T_ROLES).values()].sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name))) {
    out.push({ name: `${prefix(r.account)}role:${r.name}`, identity: sessionIdentity(r, DEFAULT_SESSION_NAME) });
  }
  return out;
}

registerCompleter('iam-user', (sandbox, _region, partial) =>
  ['admin', ...[...sandbox.db.table<UserRow>(T_USERS).values()].filter((u) => u.account === ACCOUNT_ID).map((u) => u.name)].filter((n) => n.startsWith(partial)),
);
registerCompleter('iam-role', (sandbox, _region, partial) =>
  [...sandbox.db.table<RoleRow>(T_ROLES).values()].filter((r) => r.account === ACCOUNT_ID && r.name.startsWith(partial)).map((r) => r.name),
);
