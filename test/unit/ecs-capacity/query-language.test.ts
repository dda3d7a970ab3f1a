import { describe, it, expect } from 'vitest';
import { parseQuery, evaluateQuery, matchesQuery, tryParseQuery, QueryError, type QueryTarget } from '../../../src/engine/services/ecs/query-language';

const target = (o: Partial<QueryTarget> = {}): QueryTarget => ({
  attributes: [
    { name: 'ecs.instance-type', value: 't3.medium' },
    { name: 'ecs.availability-zone', value: 'us-east-1a' },
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.30' },
    { name: 'stack', value: 'prod' },
    { name: 'weight', value: '10' },
  ],
  ec2InstanceId: 'i-0123456789abcdef0',
  agentConnected: true,
  agentVersion: '1.99.1',
  registeredAt: Date.UTC(2026, 0, 5, 9, 0, 0),
  runningTasksCount: 2,
  taskGroups: ['service:web', 'family:batch'],
  ...o,
});

describe('cluster query language', () => {
  it.each([
    ['attribute:ecs.instance-type == t3.medium', true],
    ['attribute:ecs.instance-type equals t3.large', false],
    ['attribute:ecs.instance-type != t3.large', true],
    ['attribute:ecs.instance-type not_equals t3.medium', false],
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', true],
    ['attribute:ecs.availability-zone !in [us-east-1a, us-east-1b]', false],
    ['attribute:ecs.availability-zone not_in [us-east-1c]', true],
    ['attribute:ecs.instance-type =~ t3\\..*', true],
    ['attribute:ecs.instance-type matches m5.*', false],
    ['attribute:ecs.instance-type !~ m5.*', true],
    ['attribute:ecs.instance-type =~ t3', false],
    ['attribute:stack exists', true],
    ['attribute:gpu exists', false],
    ['attribute:gpu !exists', true],
    ['attribute:gpu not_exists', true],
    ['attribute:com.amazonaws.ecs.capability.docker-remote-api.1.30 exists', true],
    ['attribute:weight > 9', true],
    ['attribute:weight >= 10', true],
    ['attribute:weight < 10', false],
    ['runningTasksCount <= 2', true],
    ['runningTasksCount greater_than 2', false],
    ['agentConnected == true', true],
    ['agentVersion >= 1.70.0', true],
    ['agentVersion < 1.100.0', true],
    ['registeredAt >= 2026-01-05', true],
    ['registeredAt < 2026-01-05T08:00:00Z', false],
    ['ec2InstanceId == i-0123456789abcdef0', true],
    ['task:group == service:web', true],
    ['task:group == service:api', false],
    ['task:group in [service:api, family:batch]', true],
    ['attribute:stack == prod and attribute:ecs.os-type == linux', true],
    ['attribute:stack == dev && attribute:ecs.os-type == linux', false],
    ['attribute:stack == dev or attribute:ecs.os-type == linux', true],
    ['attribute:stack == dev || attribute:ecs.os-type == windows', false],
    ['not attribute:stack == dev', true],
    ['!(attribute:stack == prod)', false],
    ['not(attribute:stack == prod) or (attribute:weight > 5 and attribute:ecs.instance-type in [t3.medium])', true],
    ['(attribute:stack == dev or attribute:stack == prod) and not (runningTasksCount > 5)', true],
  ])('%s -> %s', (expr, expected) => {
    expect(matchesQuery(expr, target())).toBe(expected);
  });

  it('binds and tighter than or', () => {
    // false and false or true == (false and false) or true == true
    expect(matchesQuery('attribute:stack == a and attribute:stack == b or attribute:stack == prod', target())).toBe(true);
    // true or false and false == true or (false and false) == true
    expect(matchesQuery('attribute:stack == prod or attribute:stack == a and attribute:stack == b', target())).toBe(true);
    expect(parseQuery('attribute:a == 1 or attribute:b == 2 and attribute:c == 3').type).toBe('or');
  });

  it('task:group exists only when the instance runs tasks', () => {
    expect(matchesQuery('task:group exists', target())).toBe(true);
    expect(matchesQuery('task:group exists', target({ taskGroups: [] }))).toBe(false);
  });

  it('rejects malformed expressions', () => {
    for (const bad of ['', 'attribute:x', 'attribute:x ==', 'nonsense == 1', 'attribute:x in a', 'attribute:x in [a, b', '(attribute:x == 1', 'attribute:x == 1 and', 'attribute:x =~ ([']) {
      const r = tryParseQuery(bad);
      expect(r.ok, bad).toBe(false);
      expect(() => parseQuery(bad)).toThrow(QueryError);
    }
  });

  it('evaluates a parsed node many times', () => {
    const node = parseQuery('attribute:ecs.instance-type in [t3.medium, t3.large]');
    expect(evaluateQuery(node, target())).toBe(true);
    expect(evaluateQuery(node, target({ attributes: [{ name: 'ecs.instance-type', value: 'm5.large' }] }))).toBe(false);
  });
});
