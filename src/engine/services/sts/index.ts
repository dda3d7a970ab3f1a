/** AWS STS: who am I. (S3 part 2 adds roles and AssumeRole.) */
import { defineService } from '../../service';
import { op, s } from '../../shapes';
import { AwsError } from '../../errors';

export const GetCallerIdentity = op({
  name: 'GetCallerIdentity',
  doc: 'Shows the account, user id and ARN of the identity whose credentials sign the request.',
  input: s.struct({}),
  example: 'aws sts get-caller-identity',
  readOnly: true,
  handler: (ctx) => {
    if (ctx.identity.type === 'anonymous') {
      throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    }
    return { UserId: ctx.identity.userId, Account: ctx.identity.accountId, Arn: ctx.identity.arn };
  },
});

export const sts = defineService({
  name: 'sts',
  cliName: 'sts',
  title: 'AWS Security Token Service',
  doc: 'Issues temporary credentials and tells you which identity is making a request.',
  protocol: 'query',
  operations: [GetCallerIdentity],
});
