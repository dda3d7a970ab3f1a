import { describe, expect, it } from 'vitest';
import { formatJson, formatTable, formatText, formatYaml } from '../../../src/cli/aws/format';

describe('json', () => {
  it('indents by 4, keeps key order and non-ASCII, prints nothing for {}', () => {
    expect(formatJson({ b: 1, a: ['é', { z: null }], e: [], o: {} })).toBe(
      '{\n    "b": 1,\n    "a": [\n        "é",\n        {\n            "z": null\n        }\n    ],\n    "e": [],\n    "o": {}\n}\n',
    );
    expect(formatJson({})).toBe('');
    expect(formatJson([])).toBe('[]\n');
    expect(formatJson(null)).toBe('null\n');
    expect(formatJson('x')).toBe('"x"\n');
  });
});

describe('text', () => {
  it('prints scalars tab-separated in sorted key order and nested lists with their key', () => {
    const data = { Reservations: [{ OwnerId: '1', Instances: [{ Id: 'i-1', On: true, Tags: [{ Key: 'k', Value: 'v' }] }] }], Count: 2 };
    expect(formatText(data)).toBe('2\nRESERVATIONS\t1\nINSTANCES\ti-1\tTrue\nTAGS\tk\tv\n');
  });
  it('fills missing keys of list elements with empty cells and prints None for null', () => {
    expect(formatText({ L: [{ A: 1, B: 2 }, { A: 3 }] })).toBe('L\t1\t2\nL\t3\t\n');
    expect(formatText(null)).toBe('None\n');
    expect(formatText(['a', 'b'])).toBe('a\tb\n');
    expect(formatText({ Names: ['a', 'b'] })).toBe('NAMES\ta\nNAMES\tb\n');
  });
});

describe('table', () => {
  it('draws the CLI boxed table with nested sections', () => {
    const t = formatTable({ Things: [{ Name: 'a', Size: 1 }, { Name: 'bb', Size: 22 }] }, 'ListThings');
    expect(t).toBe(
      [
        '--------------------',
        '|    ListThings    |',
        '+------------------+',
        '||     Things     ||',
        '|+-------+--------+|',
        '|| Name  | Size   ||',
        '|+-------+--------+|',
        '||  a    |  1     ||',
        '||  bb   |  22    ||',
        '|+-------+--------+|',
        '',
      ].join('\n'),
    );
  });
  it('turns single-row sections into key/value rows when too wide', () => {
    const t = formatTable({ A: 'x'.repeat(40), B: 'y'.repeat(40) }, 'Wide');
    expect(t).toContain('|  A|  ' + 'x'.repeat(40) + '   |');
    expect(t.split('\n')[0]!.length).toBeLessThanOrEqual(80);
  });
  it('prints nothing for empty results', () => {
    expect(formatTable({}, 'X')).toBe('');
    expect(formatTable([], 'X')).toBe('');
  });
});

describe('yaml', () => {
  it('uses block style, sorted keys, lists flush with their key, quoted timestamps and numbers-as-strings', () => {
    expect(formatYaml({ Items: [{ B: 1, A: 'x' }], Empty: [], T: '2026-01-05T09:00:00+00:00', Id: '123456789012' })).toBe(
      "Empty: []\nId: '123456789012'\nItems:\n- A: x\n  B: 1\nT: '2026-01-05T09:00:00+00:00'\n",
    );
  });
  it('closes plain top-level scalars with the document end marker', () => {
    expect(formatYaml('abc')).toBe('abc\n...\n');
    expect(formatYaml(3)).toBe('3\n...\n');
    expect(formatYaml('123')).toBe("'123'\n");
    expect(formatYaml(['x'])).toBe('- x\n');
  });
});
