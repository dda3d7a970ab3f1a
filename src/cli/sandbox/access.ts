/**
 * `sandbox whoami [NAME]` (show or switch the identity the CLI calls as),
 * `sandbox profiles` (every identity there is) and `sandbox explain-last-denial`.
 */
import { registerSandboxCommand } from './registry';
import { resolveProfile } from '../aws/profiles';
import { knownProfiles } from '../aws/identities';
import { explainLastDenial } from '../aws/denials';
import { updateConfig } from '../../engine/config';
import { identityPolicySources } from '../../engine/services/iam/authz';

const WHOAMI_USAGE =
  'sandbox whoami [NAME]\n\n' +
  'Without NAME: shows who your aws commands run as (the profile, ARN, account and policies).\n' +
  'With NAME: switches the identity every aws command uses from now on (until switched back);\n' +
  '--profile NAME on one command overrides it for that command. NAME is one of:\n' +
  '  admin                     your account\'s administrator (the default)\n' +
  '  user:NAME                 an IAM user you created (aws iam create-user)\n' +
  '  role:NAME[/SESSION]       a session of a role you created (as after aws sts assume-role)\n' +
  '  other-account             the administrator of a second account, 210987654321\n' +
  '  other-account:user:NAME   an IAM user of that account (created while acting as other-account)\n' +
  '  anonymous                 nobody: an unsigned request from the internet\n' +
  'Run `sandbox profiles` for the list.\n';

registerSandboxCommand({
  path: ['whoami'],
  summary: 'Show or switch the identity aws commands run as (admin, user:NAME, role:NAME, other-account, anonymous)',
  usage: WHOAMI_USAGE,
  run(ctx, args) {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.out(WHOAMI_USAGE);
      return 0;
    }
    const sb = ctx.sandbox;
    if (args.length > 1) {
      ctx.err('sandbox: whoami takes one identity name\n');
      return 2;
    }
    if (args.length === 1) {
      const name = args[0]!;
      const id = name === 'default' ? resolveProfile(sb, 'admin') : resolveProfile(sb, name);
      if (!id) {
        ctx.err(`sandbox: whoami: no identity called ${name}. Run \`sandbox profiles\` to see them.\n`);
        return 1;
      }
      sb.mutate((s) => updateConfig(s.db, (c) => ({ ...c, currentProfile: name === 'admin' ? 'default' : name })));
      ctx.out(`Now acting as ${id.type === 'anonymous' ? 'anonymous (unsigned requests)' : id.arn}.\n`);
      return 0;
    }
    const current = sb.config().currentProfile;
    const id = resolveProfile(sb, 'default')!;
    const profile = current === 'default' ? 'admin' : current;
    ctx.out(`Profile:  ${profile}\n`);
    if (id.type === 'anonymous') {
      ctx.out('Identity: anonymous (no credentials: requests are unsigned)\n');
      return 0;
    }
    ctx.out(`Identity: ${id.arn}\n`);
    ctx.out(`Account:  ${id.accountId}\n`);
    ctx.out(`Type:     ${id.type === 'assumed-role' ? 'role session' : 'IAM user'}\n`);
    const pols = identityPolicySources(sb.db, id);
    ctx.out(`Policies: ${pols.length ? pols.map((p) => p.label).join('; ') : 'none (every request is denied unless a resource policy allows it)'}\n`);
    return 0;
  },
  complete(ctx, _args, partial) {
    return knownProfiles(ctx.sandbox)
      .map((p) => p.name)
      .filter((n) => n.startsWith(partial));
  },
});

registerSandboxCommand({
  path: ['profiles'],
  summary: 'List the identities you can act as (sandbox whoami NAME, aws --profile NAME)',
  usage: 'sandbox profiles\n\nLists every identity of the sandbox: the two accounts\' administrators, anonymous, and the IAM users and roles created so far.\n',
  run(ctx) {
    const current = ctx.sandbox.config().currentProfile;
    const rows = knownProfiles(ctx.sandbox);
    const w = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) {
      const on = (current === 'default' ? 'admin' : current) === r.name ? '*' : ' ';
      ctx.out(`${on} ${r.name.padEnd(w)}  ${r.identity.type === 'anonymous' ? '(no credentials)' : r.identity.arn}\n`);
    }
    return 0;
  },
});

registerSandboxCommand({
  path: ['explain-last-denial'],
  summary: 'Explain the last denied request: which policy statements were considered and which one decided',
  usage:
    'sandbox explain-last-denial\n\nShows the last request the sandbox denied (AccessDenied): the caller, the action and resource,\n' +
    'every policy statement looked at (identity policies, the bucket policy, ACL grants) and why each did\n' +
    'or did not apply, and which one decided. `aws ... --debug` prints the same for a denied call.\n',
  run(ctx) {
    const text = explainLastDenial(ctx.sandbox);
    ctx.out(text ?? 'No request has been denied since the sandbox was loaded.\n');
    return 0;
  },
});
