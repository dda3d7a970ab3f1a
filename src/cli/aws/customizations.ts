/**
 * CLI-only arguments the AWS CLI adds to some API commands (awscli/customizations):
 * they are not API members; each one adds its value to the call's parameters.
 */
import { CliError } from './params';

export interface CustomArgument {
  /** `--port` */
  name: string;
  doc: string;
  /** Put the value into the API parameters (throws CliError, exit 255, on a bad value). */
  addToParams(params: Record<string, unknown>, value: string): void;
}

export interface Customization {
  args: CustomArgument[];
  /** Checks after parsing (the CLI's operation-args-parsed handlers). */
  check?(params: Record<string, unknown>, given: string[]): void;
}

const BY_COMMAND = new Map<string, Customization>();

/** Customization of `aws SERVICE COMMAND` (CLI words), if any. */
export function customizationOf(service: string, command: string): Customization | undefined {
  return BY_COMMAND.get(`${service} ${command}`);
}

// ---------------------------------------------------------------- ec2 security group rules
// --protocol/--port/--cidr/--source-group/--group-owner build one IpPermissions entry.

function ipPermission(params: Record<string, unknown>): Record<string, unknown> {
  let list = params['IpPermissions'] as Record<string, unknown>[] | undefined;
  if (!list) params['IpPermissions'] = list = [{}];
  return list[0]!;
}

function groupPair(params: Record<string, unknown>, key: string, value: string): void {
  const p = ipPermission(params);
  const pairs = (p['UserIdGroupPairs'] as Record<string, unknown>[] | undefined) ?? [{}];
  p['UserIdGroupPairs'] = pairs;
  pairs[0]![key] = value;
}

/** Python's int() on a CLI string (surrounding blanks allowed). */
function pyInt(s: string): number | undefined {
  const t = s.trim();
  return /^[-+]?\d+$/.test(t) ? Number(t) : undefined;
}

const SECGROUP: Customization = {
  args: [
    {
      name: '--protocol',
      doc: 'The IP protocol of the rule: tcp, udp, icmp, all (or a protocol number). Without --port it covers every port.',
      addToParams(params, value) {
        let v = value;
        const n = pyInt(v);
        if (n !== undefined) {
          if ((n < 0 || n > 255) && n !== -1) throw new CliError('protocol numbers must be in the range 0-255 or -1 to specify all protocols', 255);
        } else {
          if (!['tcp', 'udp', 'icmp', 'all'].includes(v)) throw new CliError('protocol parameter should be one of: tcp|udp|icmp|all or any valid protocol number.', 255);
          if (v === 'all') v = '-1';
        }
        ipPermission(params)['IpProtocol'] = v;
      },
    },
    {
      name: '--port',
      doc: 'A port (22) or a range (8000-8080); for ICMP, type-code. all or -1 means every port.',
      addToParams(params, value) {
        let from: string;
        let to: string;
        if (value === '-1' || value === 'all') from = to = '-1';
        else if (value.includes('-')) [from, to] = [value.slice(0, value.indexOf('-')), value.slice(value.indexOf('-') + 1)];
        else from = to = value;
        const f = pyInt(from);
        const t = pyInt(to);
        if (f === undefined || t === undefined) throw new CliError('port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)', 255);
        const p = ipPermission(params);
        p['FromPort'] = f;
        p['ToPort'] = t;
      },
    },
    {
      name: '--cidr',
      doc: 'The IPv4 range the rule allows, such as 0.0.0.0/0 (not with --source-group).',
      addToParams(params, value) {
        ipPermission(params)['IpRanges'] = [{ CidrIp: value }];
      },
    },
    {
      name: '--source-group',
      doc: 'The id (sg-...) or name of the security group the rule allows (not with --cidr).',
      addToParams(params, value) {
        groupPair(params, value.startsWith('sg-') ? 'GroupId' : 'GroupName', value);
      },
    },
    {
      name: '--group-owner',
      doc: 'The account that owns the --source-group.',
      addToParams(params, value) {
        groupPair(params, 'UserId', value);
      },
    },
  ],
  check(params, given) {
    if (params['IpPermissions'] === undefined) return;
    for (const name of given) throw new CliError(`The ${name} option is not compatible with the --ip-permissions option `, 255);
  },
};

for (const cmd of ['authorize-security-group-ingress', 'authorize-security-group-egress', 'revoke-security-group-ingress', 'revoke-security-group-egress']) {
  BY_COMMAND.set(`ec2 ${cmd}`, SECGROUP);
}
