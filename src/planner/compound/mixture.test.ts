import { describe, expect, it } from 'vitest';
import { blockCost, mixtureOf } from './mixture.js';

const sure = (at: number) => ({ leaves: 1, at, spread: 0 });

describe('blockCost', () => {
  it('is 1 for a sure later leaver in front of a sure earlier one, and 0 the other way round', () => {
    expect(blockCost(sure(500), sure(450))).toBe(1);
    expect(blockCost(sure(450), sure(500))).toBe(0);
  });

  it('costs nothing when the car behind stays in', () => {
    expect(blockCost(sure(900), { leaves: 0, at: 450, spread: 30 })).toBe(0);
  });

  it('weighs an occasional driver behind a late leaver by the chance that it leaves', () => {
    const occasional = { leaves: 0.4, at: 565, spread: 30 };
    expect(blockCost({ leaves: 1, at: 690, spread: 30 }, occasional)).toBeCloseTo(0.4, 2);
  });

  it('charges an occasional driver in front of a commuter for the chance that it stays in', () => {
    const occasional = { leaves: 0.4, at: 565, spread: 30 };
    const commuter = { leaves: 0.9, at: 470, spread: 30 };
    // The commuter leaves (0.9) and the occasional driver either stays (0.6) or leaves later (≈0.4 × 0.99).
    expect(blockCost(occasional, commuter)).toBeCloseTo(0.9 * (0.6 + 0.4 * 0.988), 2);
    // The other way round it is nearly free: the commuter is almost surely gone first.
    expect(blockCost(commuter, occasional)).toBeLessThan(0.05);
  });

  it('reads a declared time as a sure departure with a small slip, and a declared stay-home day as none', () => {
    const declared = mixtureOf({ declared: 480, estimate: 470, spread: 30, leaves: 1, at: 480, atSpread: 0 });
    expect(declared).toEqual({ leaves: 1, at: 480, spread: 3 });
    const stays = mixtureOf({ declared: Infinity, estimate: 470, spread: 30, leaves: 0, at: Infinity, atSpread: 0 });
    expect(blockCost(sure(900), stays)).toBe(0);
  });
});
