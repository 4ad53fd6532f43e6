import { describe, expect, it } from 'vitest';
import { DepartureSpread } from './departure-spread.js';

describe('DepartureSpread', () => {
  it('starts from the given spread before any morning is seen', () => {
    expect(new DepartureSpread(3, 30).of(1)).toBe(30);
  });

  it('learns the compound spread from every car and each car its own, shrunk towards the compound', () => {
    const spread = new DepartureSpread(3, 30);
    // Car 0 keeps to its habit within 5 minutes, car 1 within 20.
    for (let day = 0; day < 40; day++) {
      spread.observe(0, day % 2 === 0 ? 5 : -5);
      spread.observe(1, day % 2 === 0 ? 20 : -20);
    }
    const compound = Math.sqrt((25 + 400) / 2);
    // Car 2 was never seen leave: it varies as the compound does.
    expect(spread.of(2)).toBeCloseTo(compound, 9);
    expect(spread.of(0)).toBeCloseTo(Math.sqrt((5 * compound ** 2 + 40 * 25) / 45), 9);
    expect(spread.of(0)).toBeLessThan(8);
    expect(spread.of(1)).toBeGreaterThan(19);
    expect(spread.of(1)).toBeLessThan(20);
  });
});
