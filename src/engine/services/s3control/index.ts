/** S3 Control (account-level S3 settings): the account's Block Public Access configuration. */
import { defineService } from '../../service';
import { op, s } from '../../shapes';
import { AwsError } from '../../errors';
import { identityOnlyAuthorize } from '../iam/authz';
import { T_ACCOUNT_PAB, type PublicAccessBlock } from '../s3/access/bpa';

const accountArg = () => s.str({ doc: 'Your 12-digit account id (aws sts get-caller-identity shows it).', max: 64 });

function requireOwnAccount(ctx: { identity: { accountId: string } }, id: string): void {
  if (!/^\d{12}$/.test(id)) {
    throw new AwsError('InvalidRequest', 'Invalid account id', 400);
  }
  if (id !== ctx.identity.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
}

const noConfig = (id: string) =>
  new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { AccountId: id });

export const PutPublicAccessBlock = op({
  name: 'PutPublicAccessBlock',
  doc: "Sets the account's Block Public Access switches. They apply to every bucket of the account, on top of each bucket's own.",
  input: s.struct(
    {
      PublicAccessBlockConfiguration: s.struct({ BlockPublicAcls: s.bool(), IgnorePublicAcls: s.bool(), BlockPublicPolicy: s.bool(), RestrictPublicBuckets: s.bool() }),
      AccountId: accountArg(),
    },
    ['PublicAccessBlockConfiguration', 'AccountId'],
  ),
  example:
    'aws s3control put-public-access-block --account-id 123456789012 --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  handler: (ctx, input) => {
    requireOwnAccount(ctx, input.AccountId);
    const c = input.PublicAccessBlockConfiguration;
    ctx.table<PublicAccessBlock>(T_ACCOUNT_PAB).set(input.AccountId, {
      BlockPublicAcls: c.BlockPublicAcls ?? false,
      IgnorePublicAcls: c.IgnorePublicAcls ?? false,
      BlockPublicPolicy: c.BlockPublicPolicy ?? false,
      RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
    });
    return {};
  },
});

export const GetPublicAccessBlock = op({
  name: 'GetPublicAccessBlock',
  doc: "Shows the account's Block Public Access switches (NoSuchPublicAccessBlockConfiguration when never set).",
  input: s.struct({ AccountId: accountArg() }, ['AccountId']),
  readOnly: true,
  example: 'aws s3control get-public-access-block --account-id 123456789012',
  handler: (ctx, input) => {
    requireOwnAccount(ctx, input.AccountId);
    const c = ctx.table<PublicAccessBlock>(T_ACCOUNT_PAB).get(input.AccountId);
    if (!c) throw noConfig(input.AccountId);
    return { PublicAccessBlockConfiguration: { ...c } };
  },
});

export const DeletePublicAccessBlock = op({
  name: 'DeletePublicAccessBlock',
  doc: "Removes the account's Block Public Access configuration (each bucket's own settings still apply).",
  input: s.struct({ AccountId: accountArg() }, ['AccountId']),
  handler: (ctx, input) => {
    requireOwnAccount(ctx, input.AccountId);
    ctx.table<PublicAccessBlock>(T_ACCOUNT_PAB).delete(input.AccountId);
    return {};
  },
});

const ACTION: Record<string, string> = {
  PutPublicAccessBlock: 'PutAccountPublicAccessBlock',
  GetPublicAccessBlock: 'GetAccountPublicAccessBlock',
  DeletePublicAccessBlock: 'PutAccountPublicAccessBlock',
};

const checkIdentity = identityOnlyAuthorize({ prefix: 's3', code: 'AccessDenied', resourceFor: () => '*' });

export const s3control = defineService({
  name: 's3control',
  cliName: 's3control',
  title: 'AWS S3 Control',
  doc: 'Account-level S3 settings. Nimbus simulates the account-wide Block Public Access configuration.',
  protocol: 'rest-xml',
  operations: [PutPublicAccessBlock, GetPublicAccessBlock, DeletePublicAccessBlock],
  authorize: (ctx, operation, input) => {
    const denyToS3 = () => checkIdentity(ctx, ACTION[operation] ?? operation, input);
    try {
      denyToS3();
    } catch (e) {
      if (e instanceof AwsError && e.code === 'AccessDenied') throw new AwsError('AccessDenied', 'Access Denied', 403);
      throw e;
    }
  },
});
