import { describe, expect, it } from 'vitest';
import { parseShorthand, coerceShorthand, ShorthandParseError } from '../../../src/cli/aws/shorthand';
import { s } from '../../../src/engine';
import { xformName, closeMatches } from '../../../src/cli/aws/names';

function err(text: string): string {
  try {
    parseShorthand(text);
  } catch (e) {
    if (e instanceof ShorthandParseError) return e.message;
    throw e;
  }
  throw new Error('expected a parse error for ' + text);
}

describe('shorthand parser', () => {
  it('parses key=value pairs, csv lists, explicit lists and hashes', () => {
    expect(parseShorthand('Key=a,Value=b')).toEqual({ Key: 'a', Value: 'b' });
    expect(parseShorthand('a=b,c,d')).toEqual({ a: ['b', 'c', 'd'] });
    expect(parseShorthand('a=b,c,d=e')).toEqual({ a: ['b', 'c'], d: 'e' });
    expect(parseShorthand('Other=[a,b],X=y')).toEqual({ Other: ['a', 'b'], X: 'y' });
    expect(parseShorthand('a={b=c,d=[e,f]}')).toEqual({ a: { b: 'c', d: ['e', 'f'] } });
    expect(parseShorthand('TagSet=[{Key=a,Value=b},{Key=c,Value=d}]')).toEqual({
      TagSet: [
        { Key: 'a', Value: 'b' },
        { Key: 'c', Value: 'd' },
      ],
    });
    expect(parseShorthand('a=[]')).toEqual({ a: [] });
    expect(parseShorthand('a=')).toEqual({ a: '' });
    expect(parseShorthand('k=[a,]')).toEqual({ k: ['a'] });
  });

  it('handles quotes, escaped commas, spaces and special key characters', () => {
    expect(parseShorthand(`a='x,y',b="p q"`)).toEqual({ a: 'x,y', b: 'p q' });
    expect(parseShorthand('a=x\\,y')).toEqual({ a: 'x,y' });
    expect(parseShorthand('a = b , c = d')).toEqual({ a: 'b', c: 'd' });
    expect(parseShorthand('aws:tag/x.y-z_1#=v')).toEqual({ 'aws:tag/x.y-z_1#': 'v' });
    expect(parseShorthand(`a='it\\'s'`)).toEqual({ a: "it's" });
    expect(parseShorthand('url=http://x/y?a=1')).toEqual({ url: 'http://x/y?a=1' });
  });

  it('resolves key@=file:// through the paramfile hook', () => {
    const v = parseShorthand('Key=k,Value@=file://v.txt', { paramfile: (x) => (x === 'file://v.txt' ? 'loaded' : undefined) });
    expect(v).toEqual({ Key: 'k', Value: 'loaded' });
  });

  it('reports errors with a caret under the failing character', () => {
    expect(parseShorthand('Key=a,foo')).toEqual({ Key: ['a', 'foo'] });
    expect(err('Key=a,{x}')).toBe("Expected: '=', received: '{' for input:\nKey=a,{x}\n      ^");
    expect(err('Key')).toBe("Expected: '=', received: 'EOF' for input:\nKey\n   ^");
    expect(err('Key:a')).toBe("Expected: '=', received: 'EOF' for input:\nKey:a\n     ^");
    expect(err('a=b,')).toContain("Expected: '<second>', received: '<none>' for input:\na=b,\n    ^");
    expect(err('a=[b,c')).toBe("Expected: ',', received: 'EOF' for input:\na=[b,c\n      ^");
    expect(err('a={b=c')).toBe("Expected: ',', received: 'EOF' for input:\na={b=c\n      ^");
    expect(err('a={')).toBe("Expected: '=', received: 'EOF' for input:\na={\n   ^");
    expect(err('Key!=x')).toBe("Expected: '=', received: '!' for input:\nKey!=x\n   ^");
  });

  it('rejects a repeated top-level key', () => {
    expect(err('a=b,a=c')).toContain('Second instance of key "a" encountered for input:');
  });

  it('coerces by shape: lists, numbers, booleans, one-member structures', () => {
    const shape = s.struct({ Names: s.list(s.str()), Count: s.int(), On: s.bool(), Ratio: s.double() });
    expect(coerceShorthand(parseShorthand('Names=a,Count=3,On=true,Ratio=0.5'), shape)).toEqual({ Names: ['a'], Count: 3, On: true, Ratio: 0.5 });
    const ids = s.list(s.struct({ InstanceId: s.str() }));
    expect(coerceShorthand(['i-1', 'i-2'], ids)).toEqual([{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }]);
  });
});

describe('names', () => {
  it('turns operation and member names into CLI words like botocore', () => {
    expect(xformName('CreateBucket')).toBe('create-bucket');
    expect(xformName('ListObjectsV2')).toBe('list-objects-v2');
    expect(xformName('GetBucketAcl')).toBe('get-bucket-acl');
    expect(xformName('DescribeDBInstances')).toBe('describe-db-instances');
    expect(xformName('ListACLs')).toBe('list-acls');
    expect(xformName('LocationConstraint')).toBe('location-constraint');
    expect(xformName('taskDefinition')).toBe('task-definition');
    expect(xformName('cpu')).toBe('cpu');
    expect(xformName('SSECustomerKeyMD5')).toBe('sse-customer-key-md5');
    expect(xformName('GetObjectTorrent')).toBe('get-object-torrent');
  });
  it('suggests close names as difflib does', () => {
    expect(closeMatches('crete-bucket', ['create-bucket', 'delete-bucket', 'list-buckets'], 3, 0.8)).toEqual(['create-bucket', 'delete-bucket']);
    expect(closeMatches('zzz', ['create-bucket'], 3, 0.8)).toEqual([]);
  });
});

describe('shorthand robustness', () => {
  it('either parses or raises a ShorthandParseError on random input (never hangs or crashes)', () => {
    const alphabet = "ab=,[]{}'\" \\@:-";
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let parsed = 0;
    let failed = 0;
    for (let n = 0; n < 3000; n++) {
      const len = 1 + Math.floor(rand() * 14);
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      try {
        const v = parseShorthand(text);
        expect(typeof v).toBe('object');
        parsed++;
      } catch (e) {
        expect(e).toBeInstanceOf(ShorthandParseError);
        expect((e as Error).message).toMatch(/for input:\n/);
        failed++;
      }
    }
    expect(parsed).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  });
});
