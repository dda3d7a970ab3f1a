/**
 * AWS Systems Manager Parameter Store, read side: the public parameters that
 * name the current Amazon Linux and ECS-optimized AMIs of each region
 * (`/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id`).
 */
import { defineService } from '../../service';
import { op, s } from '../../shapes';
import { AwsError } from '../../errors';
import { isoTime } from '../../clock';
import type { Ctx } from '../../context';
import { AMIS, amiId } from '../ec2/amis';

interface Parameter {
  Name: string;
  Type: 'String';
  Value: string;
  Version: number;
  LastModifiedDate: string;
  ARN: string;
  DataType: 'text' | 'aws:ec2:image';
}

/** When the public AMI parameters were last updated (a fixed day before the sandbox's start). */
const PUBLISHED = Date.UTC(2025, 11, 11, 0, 12, 31);

function publicParameters(ctx: Ctx): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  const add = (name: string, value: string, dataType: Parameter['DataType'], version: number) =>
    out.set(name, {
      Name: name,
      Type: 'String',
      Value: value,
      Version: version,
      LastModifiedDate: isoTime(PUBLISHED),
      ARN: `arn:aws:ssm:${ctx.region}::parameter${name}`,
      DataType: dataType,
    });
  for (const ami of AMIS) {
    const id = amiId(ctx.region, ami);
    if (ami.ecsOptimized) {
      add(`${ami.parameter}/image_id`, id, 'aws:ec2:image', 118);
      add(`${ami.parameter}/image_name`, ami.name, 'text', 118);
      add(
        ami.parameter,
        JSON.stringify({
          ecs_agent_version: ami.agentVersion,
          ecs_runtime_version: `Docker version ${ami.dockerVersion}`,
          image_id: id,
          image_name: ami.name,
          image_version: ami.imageVersion,
          os: ami.osName,
          schema_version: 1,
          source_image_name: ami.sourceImageName,
        }),
        'text',
        118,
      );
    } else {
      add(ami.parameter, id, 'aws:ec2:image', 97);
    }
  }
  return out;
}

const parameterNotFound = (name: string) => new AwsError('ParameterNotFound', `Parameter ${name} not found.`, 400);

function lookup(ctx: Ctx, name: string): Parameter | undefined {
  const all = publicParameters(ctx);
  // Also accept "name:version" selectors for the current version.
  const m = /^(.*):(\d+)$/.exec(name);
  if (m && all.get(m[1]!)?.Version === Number(m[2])) return { ...all.get(m[1]!)!, Name: name };
  return all.get(name);
}

export const GetParameter = op({
  name: 'GetParameter',
  doc: 'Reads one parameter. The public parameters under /aws/service/ name the current AMIs, e.g. the ECS-optimized Amazon Linux 2023 image of the region.',
  input: s.struct({ Name: s.str({ min: 1, max: 2048, doc: 'The parameter name (or name:version).' }), WithDecryption: s.bool() }, ['Name']),
  errors: ['ParameterNotFound', 'ParameterVersionNotFound'],
  example: 'aws ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id --query Parameter.Value --output text',
  readOnly: true,
  handler: (ctx, input) => {
    const p = lookup(ctx, input.Name);
    if (!p) throw parameterNotFound(input.Name);
    return { Parameter: p };
  },
});

export const GetParameters = op({
  name: 'GetParameters',
  doc: 'Reads up to 10 parameters at once; names that do not exist come back in InvalidParameters.',
  input: s.struct({ Names: s.list(s.str({ min: 1, max: 2048 }), { min: 1, max: 10 }), WithDecryption: s.bool() }, ['Names']),
  errors: ['InvalidKeyId', 'ValidationException'],
  example: 'aws ssm get-parameters --names /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.Names.length > 10) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '[${input.Names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
        400,
      );
    }
    const Parameters: Parameter[] = [];
    const InvalidParameters: string[] = [];
    for (const n of input.Names) {
      const p = lookup(ctx, n);
      if (p) Parameters.push(p);
      else InvalidParameters.push(n);
    }
    return { Parameters, InvalidParameters };
  },
});

export const GetParametersByPath = op({
  name: 'GetParametersByPath',
  doc: 'Lists the parameters under a path (one level, or all levels with --recursive).',
  input: s.struct(
    { Path: s.str({ min: 1, max: 2048 }), Recursive: s.bool(), WithDecryption: s.bool(), MaxResults: s.int({ min: 1, max: 10 }), NextToken: s.str() },
    ['Path'],
  ),
  errors: ['ValidationException'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['Parameters'] },
  readOnly: true,
  handler: (ctx, input) => {
    const path = input.Path.endsWith('/') ? input.Path : input.Path + '/';
    const list = [...publicParameters(ctx).values()].filter((p) => {
      if (!p.Name.startsWith(path)) return false;
      return input.Recursive || !p.Name.slice(path.length).includes('/');
    });
    const start = input.NextToken ? Number(input.NextToken.replace(/^p/, '')) || 0 : 0;
    const size = input.MaxResults ?? 10;
    const page = list.slice(start, start + size);
    return { Parameters: page, ...(start + size < list.length ? { NextToken: `p${start + size}` } : {}) };
  },
});

export const ssm = defineService({
  name: 'ssm',
  cliName: 'ssm',
  title: 'AWS Systems Manager',
  doc: 'Parameter Store: named configuration values. The sandbox serves the public parameters that name the current Amazon Linux and ECS-optimized AMIs.',
  protocol: 'json',
  operations: [GetParameter, GetParameters, GetParametersByPath],
});
