import { describe, expect, it } from 'vitest';
import { cutsInto, forcedSplits, movesLowerBound } from './lower-bound.js';

describe('cutting amounts into whole runs', () => {
  it('finds a cut of the amounts into groups of exactly the window length', () => {
    expect(cutsInto([3, 2, 1], 2, 3)).toBe(true);
    expect(cutsInto([2, 2, 1, 1], 2, 3)).toBe(true);
    expect(cutsInto([4, 3, 3, 2, 2, 1], 3, 5)).toBe(true);
  });

  it('says no when no cut exists or the amounts do not fill the chargers', () => {
    expect(cutsInto([2, 2, 2], 2, 3)).toBe(false);
    expect(cutsInto([3, 3, 3, 3, 3], 3, 5)).toBe(false);
    expect(cutsInto([2, 2], 2, 3)).toBe(false);
  });
});

describe('forced splits', () => {
  it('finds none while some charger has slack', () => {
    expect(forcedSplits([2, 2, 1], [3, 3, 3], 2)).toBe(0);
  });

  it('finds one per full window that cannot be cut into whole runs', () => {
    expect(forcedSplits([2, 2, 2], [3, 3, 3], 2)).toBe(1);
    expect(forcedSplits([2, 2, 2, 3, 3], [3, 3, 3, 6, 6], 2)).toBe(1);
    expect(forcedSplits([2, 2, 2, 2, 2, 2], [3, 3, 3, 6, 6, 6], 2)).toBe(2);
  });

  it('sees the work a car must do before a later departure: a car leaving at 6 that needs 5 slots works 2 of the first 3', () => {
    // Before slot 3: the 5-slot car must charge 2, with two 2-slot cars: 6 on two chargers, full.
    // Amounts 2, 2, 2 cannot fill two runs of 3, so a split is forced.
    expect(forcedSplits([2, 2, 5], [3, 3, 6], 2)).toBe(1);
  });
});

describe('the moves lower bound', () => {
  it('is one move per car that charges, less the cars that can stay where they stand', () => {
    expect(movesLowerBound([2, 3, 0], [8, 8, 8], 1, [true, false, false])).toBe(1);
    expect(movesLowerBound([2, 3], [8, 8], 2, [false, false])).toBe(2);
  });

  it('adds the forced splits that the cars standing on a charger cannot absorb', () => {
    expect(movesLowerBound([2, 2, 2], [3, 3, 3], 2, [false, false, false])).toBe(4);
    // A car that starts where it stands and is split later costs one move, not two: the split is absorbed.
    // Only one of the two can stay (both staying leaves the third car one slot); the other starts where it stands, is split later, and costs one move.
    expect(movesLowerBound([2, 2, 2], [3, 3, 3], 2, [true, true, false])).toBe(2);
  });
});
