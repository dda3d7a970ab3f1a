/** Tagging of every ECS resource: clusters, task definitions, tasks, container instances (and services). */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { ecsErrors } from '../errors';
import { parseEcsArn, mergeTags, TABLES, type Tag } from '../model';
import { Tags } from '../shapes';

const TABLE_BY_KIND: Record<string, string> = {
  cluster: TABLES.clusters,
  'task-definition': TABLES.taskDefinitions,
  task: TABLES.tasks,
  'container-instance': TABLES.containerInstances,
  service: TABLES.services,
};

interface Tagged {
  tags: Tag[];
  status?: string;
  lastStatus?: string;
}

function resolve(ctx: Ctx, arn: string): { table: string; row: Tagged } {
  const a = parseEcsArn(arn);
  if (!a) throw ecsErrors.invalidParameter('The ARN provided is invalid.');
  const table = TABLE_BY_KIND[a.kind];
  if (!table) throw ecsErrors.invalidParameter(`Resources of type ${a.kind} cannot be tagged.`);
  if (a.region !== ctx.region || a.account !== ctx.accountId) throw ecsErrors.resourceNotFound();
  const row = ctx.table<Tagged>(table).get(arn);
  if (!row || row.status === 'INACTIVE' && a.kind === 'cluster') {
    if (a.kind === 'cluster') throw ecsErrors.clusterNotFound('The specified cluster is inactive. Specify an active cluster and try again.');
    throw ecsErrors.resourceNotFound();
  }
  return { table, row };
}

function checkTags(tags: readonly Tag[]): void {
  for (const t of tags) {
    if (/^aws:/i.test(t.key)) throw ecsErrors.invalidParameter('Tag keys starting with aws: are reserved for AWS use.');
  }
}

export const TagResource = op({
  name: 'TagResource',
  doc: 'Adds or overwrites tags on an ECS resource given by ARN (cluster, task definition, task, container instance, service).',
  input: s.struct({ resourceArn: s.str({ doc: 'ARN of the resource.' }), tags: Tags() }, ['resourceArn', 'tags']),
  errors: ['ClientException', 'InvalidParameterException', 'ClusterNotFoundException', 'ResourceNotFoundException'],
  example: 'aws ecs tag-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo --tags key=team,value=web',
  handler: (ctx, input) => {
    const { table, row } = resolve(ctx, input.resourceArn);
    checkTags(input.tags as Tag[]);
    const next = mergeTags(row.tags ?? [], input.tags as Tag[]);
    if (next.length > 50) throw ecsErrors.invalidParameter('A resource can have at most 50 tags.');
    ctx.table<Tagged>(table).set(input.resourceArn, { ...row, tags: next });
    return {};
  },
});

export const UntagResource = op({
  name: 'UntagResource',
  doc: 'Removes tags (by key) from an ECS resource.',
  input: s.struct({ resourceArn: s.str(), tagKeys: s.list(s.str(), { doc: 'Keys to remove.' }) }, ['resourceArn', 'tagKeys']),
  errors: ['ClientException', 'InvalidParameterException', 'ClusterNotFoundException', 'ResourceNotFoundException'],
  example: 'aws ecs untag-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo --tag-keys team',
  handler: (ctx, input) => {
    const { table, row } = resolve(ctx, input.resourceArn);
    const drop = new Set(input.tagKeys);
    ctx.table<Tagged>(table).set(input.resourceArn, { ...row, tags: (row.tags ?? []).filter((t) => !drop.has(t.key)) });
    return {};
  },
});

export const ListTagsForResource = op({
  name: 'ListTagsForResource',
  doc: 'Lists the tags of an ECS resource.',
  input: s.struct({ resourceArn: s.str() }, ['resourceArn']),
  readOnly: true,
  errors: ['ClientException', 'InvalidParameterException', 'ClusterNotFoundException'],
  example: 'aws ecs list-tags-for-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo',
  handler: (ctx, input) => ({ tags: resolve(ctx, input.resourceArn).row.tags ?? [] }),
});

export const tagOperations = [TagResource, UntagResource, ListTagsForResource];
