import { describe, expect, it } from 'vitest';
import { paginate, encodeToken, decodeToken } from '../../../src/cli/aws/paginate';
import type { ApiResponse, Paginator } from '../../../src/engine';

/** A fake S3 ListObjects (v1): Marker in, IsTruncated + NextMarker-or-last-key out, two result keys. */
function fakeList(keys: string[], prefixes: string[][]) {
  const calls: Record<string, unknown>[] = [];
  const call = (input: Record<string, unknown>): ApiResponse => {
    calls.push(input);
    const size = (input['MaxKeys'] as number | undefined) ?? 2;
    const start = input['Marker'] ? keys.indexOf(input['Marker'] as string) + 1 : 0;
    const page = keys.slice(start, start + size);
    const pageNo = Math.floor(start / size);
    return {
      ok: true,
      output: {
        Name: 'b',
        IsTruncated: start + size < keys.length,
        Contents: page.map((Key) => ({ Key })),
        CommonPrefixes: (prefixes[pageNo] ?? []).map((Prefix) => ({ Prefix })),
      },
    };
  };
  return { call, calls };
}

const v1: Paginator = {
  inputToken: 'Marker',
  outputToken: 'NextMarker || Contents[-1].Key',
  limitKey: 'MaxKeys',
  moreResults: 'IsTruncated',
  resultKeys: ['Contents', 'CommonPrefixes'],
};

describe('paginate (botocore semantics)', () => {
  it('follows a JMESPath output token while more results exist and merges both result keys', () => {
    const { call, calls } = fakeList(['a', 'b', 'c', 'd', 'e'], [['p1/'], ['p2/'], []]);
    const r = paginate(v1, {}, {}, call);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.output).toEqual({
      Contents: ['a', 'b', 'c', 'd', 'e'].map((Key) => ({ Key })),
      CommonPrefixes: [{ Prefix: 'p1/' }, { Prefix: 'p2/' }],
    });
    expect(calls.map((c) => c['Marker'])).toEqual([undefined, 'b', 'd']);
    expect(r.paged.pages).toHaveLength(3);
  });

  it('truncates inside a page and resumes from the same page with boto_truncate_amount', () => {
    const { call } = fakeList(['a', 'b', 'c', 'd', 'e'], []);
    const first = paginate(v1, {}, { maxItems: 3 }, call);
    if (!first.ok) throw new Error('failed');
    expect((first.output['Contents'] as unknown[]).length).toBe(3);
    const token = first.output['NextToken'] as string;
    expect(decodeToken(token, ['Marker'])).toEqual({ tokens: { Marker: 'b' }, truncate: 1 });
    expect(atob(token)).toBe('{"Marker": "b", "boto_truncate_amount": 1}');
    const second = paginate(v1, {}, { maxItems: 3, startingToken: token }, call);
    if (!second.ok) throw new Error('failed');
    expect(second.output['Contents']).toEqual([{ Key: 'd' }, { Key: 'e' }]);
    expect(second.output['NextToken']).toBeUndefined();
  });

  it('ends on a page boundary with the service token as the resume token', () => {
    const { call } = fakeList(['a', 'b', 'c', 'd', 'e'], []);
    const r = paginate(v1, {}, { maxItems: 2 }, call);
    if (!r.ok) throw new Error('failed');
    expect(decodeToken(r.output['NextToken'] as string, ['Marker'])).toEqual({ tokens: { Marker: 'b' }, truncate: 0 });
  });

  it('accepts a raw (legacy) starting token and passes --page-size as the limit key', () => {
    const { call, calls } = fakeList(['a', 'b', 'c', 'd'], []);
    const r = paginate(v1, {}, { startingToken: 'b', pageSize: 1 }, call);
    if (!r.ok) throw new Error('failed');
    expect(r.output['Contents']).toEqual([{ Key: 'c' }, { Key: 'd' }]);
    expect(calls[0]).toEqual({ Marker: 'b', MaxKeys: 1 });
  });

  it('returns the first service error unchanged', () => {
    const r = paginate(v1, {}, {}, () => ({ ok: false, error: { code: 'NoSuchBucket', message: 'nope', httpStatus: 404 } }));
    expect(r).toEqual({ ok: false, error: { code: 'NoSuchBucket', message: 'nope', httpStatus: 404 } });
  });

  it('encodes tokens as the CLI does (base64 of Python-style JSON)', () => {
    expect(encodeToken({ NextToken: null, boto_truncate_amount: 2 })).toBe(btoa('{"NextToken": null, "boto_truncate_amount": 2}'));
  });
});
