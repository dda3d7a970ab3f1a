/** Who is calling. The sandbox keeps a current identity; `--profile` picks another one. */
import { ACCOUNT_ID } from './regions';

export interface Identity {
  /** 'root' is the account's admin the learner starts as. */
  type: 'root' | 'user' | 'assumed-role' | 'anonymous';
  accountId: string;
  arn: string;
  /** AIDA... for users, AROA...:session for roles, the account id for root. */
  userId: string;
  /** Display name: user name, role name, 'admin' or 'anonymous'. */
  name: string;
}

/**
 * The learner starts as an administrator user of their own account (like the
 * IAM user a course hands out), not as the root user.
 */
export const ADMIN_IDENTITY: Identity = {
  type: 'user',
  accountId: ACCOUNT_ID,
  arn: `arn:aws:iam::${ACCOUNT_ID}:user/admin`,
  userId: 'AIDAEXAMPLEADMIN0001',
  name: 'admin',
};

export const ANONYMOUS_IDENTITY: Identity = {
  type: 'anonymous',
  accountId: '',
  arn: '*',
  userId: 'anonymous',
  name: 'anonymous',
};
