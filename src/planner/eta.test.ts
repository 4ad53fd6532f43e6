import { describe, expect, it } from 'vitest';
import type { Minutes } from '../core/brand.js';
import { readyTime } from './eta.js';

const FIVE = 5 as Minutes;
const MIN = 60_000;

describe('readyTime', () => {
  it('is now when nothing blocks', () => {
    expect(readyTime([], 2, FIVE, 1000)).toBe(1000);
    expect(readyTime([{ blockers: 0, notBefore: 5000 }], 2, FIVE, 1000)).toBe(1000);
  });

  it('empties one lane move after move, however many guards are on duty', () => {
    expect(readyTime([{ blockers: 3, notBefore: 0 }], 2, FIVE, 0)).toBe(15 * MIN);
    expect(readyTime([{ blockers: 3, notBefore: 0 }], 5, FIVE, 0)).toBe(15 * MIN);
  });

  it('shares independent lanes among the guards', () => {
    const lanes = [
      { blockers: 2, notBefore: 0 },
      { blockers: 1, notBefore: 0 },
      { blockers: 1, notBefore: 0 },
    ];
    expect(readyTime(lanes, 2, FIVE, 0)).toBe(10 * MIN);
    expect(readyTime(lanes, 1, FIVE, 0)).toBe(20 * MIN);
    expect(readyTime(lanes, 0, FIVE, 0)).toBe(20 * MIN);
  });

  it('starts a lane no earlier than its first move is due, nor before now', () => {
    expect(readyTime([{ blockers: 2, notBefore: 30 * MIN }], 2, FIVE, 0)).toBe(40 * MIN);
    expect(readyTime([{ blockers: 2, notBefore: 0 }], 2, FIVE, 7 * MIN)).toBe(17 * MIN);
  });
});
