/** AWS IAM (global): users, roles, inline and managed policies, access keys. */
import { defineService } from '../../service';
import { userOperations } from './handlers/users';
import { roleOperations } from './handlers/roles';
import { policyOperations } from './handlers/policies';
import { simulateOperations } from './handlers/simulate';
import { groupOperations } from './handlers/groups';
import { identityOnlyAuthorize } from './authz';

/** The ARN an IAM operation acts on (the message of a denial names it). */
function iamResource(ctx: { identity: { accountId: string; name: string; type: string } }, operation: string, input: Record<string, unknown>): string {
  const acct = ctx.identity.accountId;
  if (typeof input['GroupName'] === 'string') return `arn:aws:iam::${acct}:group/${input['GroupName']}`;
  if (typeof input['UserName'] === 'string') return `arn:aws:iam::${acct}:user/${input['UserName']}`;
  if (typeof input['RoleName'] === 'string') return `arn:aws:iam::${acct}:role/${input['RoleName']}`;
  if (typeof input['PolicyArn'] === 'string') return input['PolicyArn'];
  if (operation === 'CreatePolicy' && typeof input['PolicyName'] === 'string') return `arn:aws:iam::${acct}:policy/${input['PolicyName']}`;
  if (operation === 'ListUsers') return `arn:aws:iam::${acct}:user/`;
  if (operation === 'ListGroups') return `arn:aws:iam::${acct}:group/`;
  if (operation === 'ListRoles') return `arn:aws:iam::${acct}:role/`;
  if (operation === 'ListPolicies') return `arn:aws:iam::${acct}:policy/`;
  if (ctx.identity.type === 'user') return `arn:aws:iam::${acct}:user/${ctx.identity.name}`;
  return '*';
}

export const iam = defineService({
  name: 'iam',
  cliName: 'iam',
  title: 'AWS Identity and Access Management',
  doc: 'Who may do what: users, roles (assumed by users, other accounts or services), and the policies that allow or deny their actions. IAM is global: no region in its ARNs.',
  protocol: 'query',
  operations: [...userOperations, ...roleOperations, ...policyOperations, ...groupOperations, ...simulateOperations],
  authorize: identityOnlyAuthorize({ prefix: 'iam', code: 'AccessDenied', resourceFor: iamResource }),
});

export * from './model';
export * from './authz';
export * from './principals';
export { AWS_MANAGED, awsManagedPolicy, managedArn, ADMINISTRATOR_ACCESS_ARN } from './managed';
