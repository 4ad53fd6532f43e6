import { describe, expect, it } from 'vitest';
import { UNKNOWN_DEPARTURE, beliefOf, clockOf, describeBelief, normalCdf, probLeavesAfter } from './departure.js';

describe('departure beliefs', () => {
  it('prefers a declared time, then the estimate, then the unknown-departure assumption', () => {
    expect(beliefOf({ departure: 1900, estimate: { at: 1800, spread: 30 } })).toEqual({
      at: 1900,
      spread: 0,
      source: 'declared',
    });
    expect(beliefOf({ departure: null, estimate: { at: 1800, spread: 30 } })).toEqual({
      at: 1800,
      spread: 30,
      source: 'estimated',
    });
    expect(beliefOf({ departure: null })).toEqual({ ...UNKNOWN_DEPARTURE, source: 'unknown' });
  });

  it('gives 0 or 1 for two declared times, and a tie is not later', () => {
    const at = (m: number) => beliefOf({ departure: m });
    expect(probLeavesAfter(at(1900), at(1800))).toBe(1);
    expect(probLeavesAfter(at(1800), at(1900))).toBe(0);
    expect(probLeavesAfter(at(1800), at(1800))).toBe(0);
  });

  it('gives a probability when a time is only estimated', () => {
    const declared = beliefOf({ departure: 1800 });
    const guess = beliefOf({ departure: null, estimate: { at: 1800, spread: 30 } });
    expect(probLeavesAfter(guess, declared)).toBeCloseTo(0.5, 6);
    expect(probLeavesAfter(beliefOf({ departure: null, estimate: { at: 1860, spread: 30 } }), declared)).toBeCloseTo(
      0.977,
      3,
    );
  });

  it('computes the normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 3);
  });

  it('shows minutes of the night as clock times', () => {
    expect(clockOf(19 * 60 + 30)).toBe('19:30');
    expect(clockOf(24 * 60 + 7 * 60 + 40)).toBe('07:40');
    expect(describeBelief(beliefOf({ departure: null, estimate: { at: 1900, spread: 20 } }))).toBe(
      '~07:40 (estimated ±20 min)',
    );
  });
});
