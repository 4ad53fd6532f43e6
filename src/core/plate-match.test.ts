import { describe, expect, it } from 'vitest';
import { compareRead, looksAlike, matchRead } from './plate-match.js';

describe('matching a camera read to known plates', () => {
  const known = ['沪A12345', '沪B88888', '沪AD12345', '沪A0D123'];

  it('finds the same plate, whatever the separators and case', () => {
    expect(matchRead('沪a·12345', known)).toEqual({ kind: 'exact', plate: '沪A12345' });
  });

  it('proposes a plate that differs only in the province character', () => {
    expect(matchRead('苏A12345', known)).toEqual({
      kind: 'near',
      proposals: [{ plate: '沪A12345', reason: 'province', index: 0 }],
    });
  });

  it('proposes a plate that differs in one look-alike character (0/D, 8/B, 1/I)', () => {
    expect(matchRead('沪B8888B', known)).toEqual({
      kind: 'near',
      proposals: [{ plate: '沪B88888', reason: 'look-alike', index: 6 }],
    });
    expect(matchRead('沪AD1234S', known).kind).toBe('near');
    expect(compareRead('沪AI2345', '沪A12345')).toEqual({ plate: '沪A12345', reason: 'look-alike', index: 2 });
  });

  it('proposes nothing for two slips, a slip that is not a look-alike, or another length', () => {
    expect(matchRead('苏A1234S', known)).toEqual({ kind: 'none' });
    expect(matchRead('沪A12349', known)).toEqual({ kind: 'none' });
    expect(matchRead('沪A1234', known)).toEqual({ kind: 'none' });
  });

  it('lists every near plate, sorted', () => {
    const m = matchRead('沪A0D12B', ['沪A0D128', '沪A0D123', '沪A0012B']);
    expect(m).toEqual({
      kind: 'near',
      proposals: [
        { plate: '沪A0012B', reason: 'look-alike', index: 3 },
        { plate: '沪A0D128', reason: 'look-alike', index: 6 },
      ],
    });
  });

  it('knows which characters look alike', () => {
    expect(looksAlike('0', 'D')).toBe(true);
    expect(looksAlike('8', 'B')).toBe(true);
    expect(looksAlike('8', '8')).toBe(false);
    expect(looksAlike('3', '8')).toBe(false);
  });
});
