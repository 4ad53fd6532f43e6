import { describe, expect, it } from 'vitest';
import { csvField, decodeUtf8, parseCsv, toCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\n')).toEqual([['a', 'b,c', 'say "hi"', 'two\nlines']]);
  });

  it('drops a BOM, accepts CRLF and LF, and keeps blank lines as records so row numbers match a spreadsheet', () => {
    expect(parseCsv('\uFEFFh1,h2\r\n\r\nx,y\ny,z')).toEqual([['h1', 'h2'], [''], ['x', 'y'], ['y', 'z']]);
  });

  it('refuses an unclosed quote', () => {
    expect(() => parseCsv('a\n"b,c\n')).toThrow(/row 2 is never closed/);
  });

  it('reads back what toCsv writes', () => {
    const records = [
      ['楼号', 'a,b', ' lead', 'q"uote', ''],
      ['x', 'y\r\nz', '', '', ''],
    ];
    expect(parseCsv(toCsv(records))).toEqual(records);
    expect(csvField('5号')).toBe('5号');
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and refuses other encodings', () => {
    expect(decodeUtf8(Buffer.from('沪A12345', 'utf8'))).toBe('沪A12345');
    expect(() => decodeUtf8(Buffer.from([0xbb, 0xa6]))).toThrow(/not UTF-8/);
  });
});
