/** EC2 error codes (all HTTP 400 unless noted) with AWS's wording. */
import { AwsError } from '../../errors';

const e = (code: string, message: string, status = 400) => new AwsError(code, message, status);

function quoteList(ids: string[]): string {
  return ids.map((i) => `'${i}'`).join(', ');
}

export const ec2Errors = {
  dryRun: () => e('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  missingParameter: (name: string) => e('MissingParameter', `The request must contain the parameter ${name}`),
  invalidParameterValue: (message: string) => e('InvalidParameterValue', message),
  invalidParameterCombination: (message: string) => e('InvalidParameterCombination', message),
  invalidParameter: (message: string) => e('InvalidParameter', message),
  invalidInstanceType: (t: string) => e('InvalidParameterValue', `Invalid value '${t}' for InstanceType.`),
  amiMalformed: (id: string) => e('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`),
  amiNotFound: (id: string) => e('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`),
  instanceMalformed: (id: string) => e('InvalidInstanceID.Malformed', `Invalid id: "${id}"`),
  instanceNotFound: (ids: string[]) =>
    e(
      'InvalidInstanceID.NotFound',
      ids.length === 1 ? `The instance ID ${quoteList(ids)} does not exist` : `The instance IDs ${quoteList(ids)} do not exist`,
    ),
  subnetMalformed: (id: string) => e('InvalidSubnetID.Malformed', `Invalid id: "${id}"`),
  subnetNotFound: (id: string) => e('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
  vpcMalformed: (id: string) => e('InvalidVpcID.Malformed', `Invalid id: "${id}"`),
  vpcNotFound: (id: string) => e('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
  groupMalformed: (id: string) => e('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`),
  groupNotFound: (id: string) => e('InvalidGroup.NotFound', `The security group '${id}' does not exist`),
  groupNameNotFoundInDefaultVpc: (name: string, vpcId: string) =>
    e('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId}'`),
  groupDuplicate: (name: string, vpcId: string) =>
    e('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`),
  groupReserved: () => e('InvalidGroup.Reserved', 'The security group \'default\' is reserved'),
  permissionDuplicate: (rule: string) => e('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`),
  routeTableNotFound: (id: string) => e('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`),
  igwNotFound: (id: string) => e('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`),
  zoneNotFound: (name: string) => e('InvalidParameterValue', `Invalid availability zone: [${name}]`),
  invalidFilter: (name: string) => e('InvalidParameterValue', `The filter '${name}' is invalid`),
  insufficientCapacity: (type: string, az: string) =>
    e(
      'InsufficientInstanceCapacity',
      `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity.`,
      500,
    ),
  instanceLimitExceeded: (n: number) =>
    e(
      'InstanceLimitExceeded',
      `You have requested more instances (${n}) than your current instance limit allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    ),
  vcpuLimitExceeded: (limit: number) =>
    e(
      'VcpuLimitExceeded',
      `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    ),
  vpcIdNotSpecified: () => e('VPCIdNotSpecified', 'No default VPC for this user'),
  cannotDeleteDefaultGroup: (groupId: string) =>
    e('CannotDelete', `the specified group: "${groupId}" name: "default" cannot be deleted by a user`),
  dependencyViolation: (id: string) => e('DependencyViolation', `resource ${id} has a dependent object`),
  permissionNotFound: () => e('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.'),
  ruleIdNotFound: (id: string) => e('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`),
  operationNotPermitted: (message: string) => e('OperationNotPermitted', message),
  incorrectInstanceState: (message: string) => e('IncorrectInstanceState', message),
};
