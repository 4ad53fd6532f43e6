import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import type { KnownData } from './import.js';
import { addressShape, checkRows } from './import.js';

const EMPTY: KnownData = { households: new Map(), buildingShapes: new Set(), unitShapes: new Set(), plates: new Set() };
const JINFANG_LIKE: KnownData = {
  households: new Map([[JSON.stringify(['1号', '1单元', '101']), 'h1']]),
  buildingShapes: new Set(['#号']),
  unitShapes: new Set(['#单元']),
  plates: new Set(['沪A00001']),
};

const check = (csv: string, known = EMPTY) => checkRows(parseCsv(csv), known);
const codes = (csv: string, known = EMPTY) =>
  check(csv, known).reports.map((r) => r.issues.map((i) => `${i.column}:${i.code}`));

describe('addressShape', () => {
  it('keeps the pattern, not the numbers or letters', () => {
    expect(addressShape('12号')).toBe(addressShape('3号'));
    expect(addressShape('A座')).toBe(addressShape('B座'));
    expect(addressShape('3栋')).not.toBe(addressShape('3号'));
    expect(addressShape('三号')).not.toBe(addressShape('3号'));
  });
});

describe('checkRows', () => {
  it('reads Chinese headers, flags and sizes, and defaults size to standard', () => {
    const { good } = check(
      '楼号,单元,室号,车牌,车型,新能源,钥匙托管\n1号,1单元,101,沪AD12345,大,是,否\n1号,1单元,101,沪A12345,,,\n',
    );
    expect(good.map((g) => [g.plate, g.size, g.ev, g.keyConsent])).toEqual([
      ['沪AD12345', 'large', true, false],
      ['沪A12345', 'standard', false, false],
    ]);
  });

  it('in an empty compound the file defines the buildings; in one with households a new address follows their pattern', () => {
    expect(codes('building,unit,room\n7栋,甲单元,101\n')).toEqual([[]]);
    expect(codes('building,unit,room\n7栋,2单元,101\n9号,3单元,1201\n1号,1单元,101\n', JINFANG_LIKE)).toEqual([
      ['building:UNKNOWN_UNIT'],
      [],
      [],
    ]);
    expect(
      check('building,unit,room\n9号,3单元,1201\n1号,1单元,101\n', JINFANG_LIKE).reports.map((r) => r.household),
    ).toEqual(['new', 'existing']);
  });

  it('names a car described without a plate, a bad flag, formula-like and over-long address parts', () => {
    expect(
      codes(
        'building,unit,room,plate,size,ev,keyConsent\n1号,1单元,101,,small,,\n1号,1单元,101,沪A12345,,maybe,\n=1+1,1单元,101,,,,\n',
      ),
    ).toEqual([['plate:MISSING_FIELD'], ['ev:BAD_FLAG'], ['building:VALIDATION']]);
    expect(codes(`building,unit,room\n${'1'.repeat(33)}号,1单元,101\n`)).toEqual([['building:VALIDATION']]);
  });

  it('counts a plate once across spellings (沪A·12345 and 沪a12345) and against the compound', () => {
    expect(
      codes(
        'building,unit,room,plate\n1号,1单元,101,沪A·12345\n1号,1单元,102,沪a12345\n1号,1单元,103,沪A00001\n',
        JINFANG_LIKE,
      ),
    ).toEqual([[], ['plate:DUPLICATE_PLATE'], ['plate:DUPLICATE_PLATE']]);
  });

  it('reports a row with more fields than the header, and skips blank lines', () => {
    const { reports } = check('building,unit,room\n1号,1单元,101,extra\n\n1号,1单元,102\n');
    expect(reports.map((r) => [r.row, r.issues.map((i) => i.code)])).toEqual([
      [2, ['BAD_CSV']],
      [4, []],
    ]);
  });
});
