/** A tiny test service (pagination, waiters, every shape kind) and a session runner. */
import { Sandbox, defineServiceForTest, op, s, AwsError } from './engine-exports';
import { Session } from '../../../src/cli/session';

const Item = s.struct({ Name: s.str(), Size: s.int() });

export const ListThings = op({
  name: 'ListThings',
  doc: 'Lists things, a few at a time.',
  input: s.struct({ MaxResults: s.int({ min: 1 }), NextToken: s.str(), Prefix: s.str() }),
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['Things'], nonAggregateKeys: ['Owner'] },
  readOnly: true,
  handler: (ctx, input) => {
    const all = [...ctx.table<{ Name: string; Size: number }>('test.things').values()].sort((a, b) => (a.Name < b.Name ? -1 : 1));
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = input.MaxResults ?? 2;
    const page = all.filter((t) => !input.Prefix || t.Name.startsWith(input.Prefix)).slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : undefined;
    return { Things: page, Owner: 'me', ...(next ? { NextToken: next } : {}) };
  },
});

export const PutThing = op({
  name: 'PutThing',
  doc: 'Stores a thing.',
  input: s.struct(
    {
      Name: s.str({ min: 1, doc: 'The name of the thing.' }),
      Size: s.int(),
      Ratio: s.double(),
      Enabled: s.bool(),
      Kind: s.enum(['small', 'large'] as const),
      Tags: s.tagsUpper(),
      Labels: s.list(s.str()),
      Attributes: s.map(s.str()),
      Config: s.struct({ Mode: s.str(), Limits: s.list(s.int()), Nested: s.struct({ Deep: s.bool() }) }, ['Mode']),
      Data: s.blob(),
      Body: s.blob({ streaming: true }),
      When: s.ts(),
      Items: s.list(Item),
      Bucket: s.str({ complete: 'bucket' }),
    },
    ['Name'],
  ),
  example: 'aws testsvc put-thing --name a --size 3',
  handler: (ctx, input) => {
    if (input.Name === 'bad') throw new AwsError('InvalidThing', 'The thing is bad.', 400);
    ctx.table<{ Name: string; Size: number }>('test.things').set(input.Name, { Name: input.Name, Size: input.Size ?? 0 });
    return { Echo: { ...input, ...(input.Data ? { Data: new TextDecoder().decode(input.Data) } : {}), ...(input.Body ? { Body: new TextDecoder().decode(input.Body) } : {}) } };
  },
});

export const Nothing = op({
  name: 'DoNothing',
  doc: 'Returns an empty response.',
  input: s.struct({}),
  handler: () => ({}),
});

export const GetStatus = op({
  name: 'GetStatus',
  doc: 'The status of a thing: PENDING until 30 simulated seconds after it was made, then READY.',
  input: s.struct({ Name: s.str() }, ['Name']),
  readOnly: true,
  handler: (ctx, input) => {
    const meta = ctx.table<number>('test.made');
    const made = meta.get(input.Name);
    if (made === undefined) throw new AwsError('NotFound', `No thing ${input.Name}.`, 404);
    return { Status: input.Name === 'broken' ? 'FAILED' : ctx.now() - made >= 30_000 ? 'READY' : 'PENDING', Items: [{ State: 'x' }] };
  },
});

export const MakeThing = op({
  name: 'MakeThing',
  doc: 'Starts making a thing.',
  input: s.struct({ Name: s.str() }, ['Name']),
  handler: (ctx, input) => {
    ctx.table<number>('test.made').set(input.Name, ctx.now());
    return {};
  },
});

export const testService = defineServiceForTest({
  name: 'testsvc',
  cliName: 'testsvc',
  title: 'Test Service',
  doc: 'A service for the aws command tests.',
  protocol: 'json',
  operations: [ListThings, PutThing, Nothing, GetStatus, MakeThing],
});

export function session(services = true): Session {
  return new Session(services ? new Sandbox({ services: [testService, ...defaultServices()] }) : new Sandbox());
}

import { ALL_SERVICES } from '../../../src/engine/services';
function defaultServices() {
  return ALL_SERVICES;
}
