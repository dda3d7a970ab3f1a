import { describe, it, expect } from 'vitest';
import { detectKind, colorJsonLine, renderChunks, stripAnsi, ANSI } from '../../../src/ui/terminal/colorize';
import { parseParams } from '../../../src/ui/params';
import { encodeState, decodeState, stateFromHash, fullSandboxUrl } from '../../../src/ui/embed/share';
import { registerFileType, fileTypeFor, runValidate } from '../../../src/ui/editor/file-types';

describe('output colouring', () => {
  it('detects JSON and tables', () => {
    expect(detectKind('{\n  "a": 1\n}\n')).toBe('json');
    expect(detectKind('  [\n]')).toBe('json');
    expect(detectKind('-----------\n|  ListBuckets |\n')).toBe('table');
    expect(detectKind('make_bucket: b\n')).toBe('plain');
  });
  it('colours keys, strings, numbers and literals without changing the text', () => {
    const line = '    "Name": "my-bucket", "Count": 12, "On": true, "X": null';
    const c = colorJsonLine(line);
    expect(stripAnsi(c)).toBe(line);
    expect(c).toContain(ANSI.cyan + '"Name"');
    expect(c).toContain(ANSI.green + '"my-bucket"');
    expect(c).toContain(ANSI.yellow + '12');
    expect(c).toContain(ANSI.magenta + 'true');
  });
  it('keeps table columns aligned (visible text unchanged)', () => {
    const table = '-------------\n|  A  |  B  |\n+-----+-----+\n|  1  |  2  |\n+-----+-----+\n';
    const out = renderChunks(table, 'stdout').join('');
    expect(stripAnsi(out).replace(/\r\n/g, '\n')).toBe(table);
    expect(out).toContain(ANSI.dim);
  });
  it('a single huge line is handed over in slices', () => {
    const big = 'A'.repeat(100_000) + '\nend\n';
    const chunks = renderChunks(big, 'stdout', 100, 16384);
    expect(chunks.length).toBeGreaterThan(6);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(16384 + 2);
    expect(stripAnsi(chunks.join('')).replace(/\r\n/g, '\n')).toBe(big);
  });
  it('stderr is red; long output is split into chunks with CRLF', () => {
    const err = renderChunks('An error occurred (NoSuchBucket)\n', 'stderr').join('');
    expect(err.startsWith(ANSI.red)).toBe(true);
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const chunks = renderChunks(text, 'stdout', 400);
    expect(chunks.length).toBe(3);
    expect(chunks.join('').split('\r\n').length).toBe(1001);
    expect(stripAnsi(chunks.join('')).replace(/\r\n/g, '\n')).toBe(text);
  });
});

describe('URL parameters', () => {
  it('defaults to the full layout', () => {
    const p = parseParams('');
    expect(p).toMatchObject({ embed: false, layout: 'full', theme: null, run: [], fresh: false, parentOrigin: null, lesson: null });
  });
  it('embed implies a terminal layout; run lines split on newlines', () => {
    const p = parseParams('?embed=1&run=' + encodeURIComponent('aws s3 ls\n\necho hi') + '&theme=light&fresh=1');
    expect(p.embed).toBe(true);
    expect(p.layout).toBe('terminal');
    expect(p.run).toEqual(['aws s3 ls', 'echo hi']);
    expect(p.theme).toBe('light');
    expect(p.fresh).toBe(true);
    expect(parseParams('?lesson=s3/01').lesson).toBe('s3/01');
  });
  it('rejects bad layouts, themes and origins', () => {
    const p = parseParams('?layout=weird&theme=pink&parentOrigin=javascript:alert(1)&fresh=0');
    expect(p.layout).toBe('full');
    expect(p.theme).toBeNull();
    expect(p.parentOrigin).toBeNull();
    expect(p.fresh).toBe(false);
    expect(parseParams('?parentOrigin=https://docs.example.com/path/x').parentOrigin).toBe('https://docs.example.com');
    expect(parseParams('?layout=editor&embed=1').layout).toBe('editor');
    // an embedded lesson shows its text in the side panel
    expect(parseParams('?embed=1&lesson=s3/01').layout).toBe('full');
    expect(parseParams('?embed=1&lesson=s3/01&layout=terminal').layout).toBe('terminal');
  });
});

describe('state in the URL hash', () => {
  it('round-trips and compresses', () => {
    const json = JSON.stringify({ tables: { 's3.buckets': Array.from({ length: 200 }, (_, i) => ({ name: `bucket-${i}`, region: 'us-east-1' })) } });
    const enc = encodeState(json);
    expect(enc).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(enc.length).toBeLessThan(json.length / 4);
    expect(decodeState(enc)).toBe(json);
    const url = fullSandboxUrl('https://nimbus.example/app/?embed=1&fresh=1', json);
    expect(url.startsWith('https://nimbus.example/app/#state=')).toBe(true);
    expect(stateFromHash(new URL(url).hash)).toBe(json);
  });
  it('ignores a broken or missing hash', () => {
    expect(stateFromHash('#state=!!!not-base64')).toBeNull();
    expect(stateFromHash('#other=1')).toBeNull();
    expect(stateFromHash('')).toBeNull();
  });
});

describe('file types', () => {
  it('falls back by extension and lets registrations win', () => {
    expect(fileTypeFor('a.json', '{}').language).toBe('json');
    expect(fileTypeFor('x/Dockerfile', '').language).toBe('dockerfile');
    expect(fileTypeFor('notes.txt', '').language).toBe('plaintext');
    const off = registerFileType({
      id: 'taskdef',
      language: 'json',
      match: (p, t) => p.endsWith('.json') && t.includes('containerDefinitions'),
      validate: (t) => (t.includes('"image"') ? [] : [{ line: 1, column: 1, endLine: 1, endColumn: 2, message: 'image is required', severity: 'error' }]),
    });
    const ft = fileTypeFor('td.json', '{"containerDefinitions": []}');
    expect(ft.id).toBe('taskdef');
    expect(runValidate(ft, '{}')[0]!.message).toBe('image is required');
    expect(fileTypeFor('other.json', '{}').id).toBe('json');
    off();
    expect(fileTypeFor('td.json', '{"containerDefinitions": []}').id).toBe('json');
  });
  it('a throwing validator becomes one info diagnostic', () => {
    const ft = { language: 'json', match: () => true, validate: () => { throw new Error('boom'); } };
    const d = runValidate(ft, '');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('boom');
  });
});
