import { describe, expect, it } from 'vitest';
import { blockingCount, longestRiseThenFall, morningLowerBound } from './blocking.js';
import type { LotView } from './lot-view.js';
import { parkedCar as car, sketchLane as lane } from './sketch.js';

const empty = {};

describe('blockingCount', () => {
  it('counts each car with each later leaver in front of it', () => {
    // From the open end: 09:00, 07:00, 08:00. 07:00 is blocked by 09:00; 08:00 by 09:00 only.
    const lot: LotView = {
      lanes: [lane('A', [{ car: car('a', '09:00') }, { car: car('b', '07:00') }, { car: car('c', '08:00') }])],
    };
    expect(blockingCount(lot)).toBe(2);
  });

  it('is zero for a lane sorted with the earliest leaver at the open end, gaps and all', () => {
    const lot: LotView = {
      lanes: [lane('A', [empty, { car: car('a', '07:00') }, { car: car('b', '07:00') }, { car: car('c', '08:00') }])],
    };
    expect(blockingCount(lot)).toBe(0);
  });

  it('counts only the cheaper way out of a through lane', () => {
    const lot: LotView = {
      lanes: [
        lane('T', [{ car: car('a', '09:00') }, { car: car('b', '07:00') }, { car: car('c', '08:00') }], 'through'),
      ],
    };
    expect(blockingCount(lot)).toBe(1);
    const sorted: LotView = {
      lanes: [
        lane('T', [{ car: car('a', '07:00') }, { car: car('b', '09:00') }, { car: car('c', '08:00') }], 'through'),
      ],
    };
    expect(blockingCount(sorted)).toBe(0);
  });

  it('does not let a car leave past a keyless car in a through lane', () => {
    const lot: LotView = {
      lanes: [
        lane(
          'T',
          [{ car: car('k', '09:00', { movable: false }) }, { car: car('b', '07:00') }, { car: car('c', '08:00') }],
          'through',
        ),
      ],
    };
    expect(blockingCount(lot)).toBe(1);
  });
});

describe('morningLowerBound', () => {
  it('counts blockers, not blocked cars (LB1): one car in front of two earlier leavers is one relocation', () => {
    const lot: LotView = {
      lanes: [lane('A', [{ car: car('a', '09:00') }, { car: car('b', '07:00') }, { car: car('c', '07:30') }])],
    };
    expect(blockingCount(lot)).toBe(2);
    expect(morningLowerBound(lot)).toBe(1);
  });

  it('counts every car that has an earlier leaver somewhere behind it', () => {
    const lot: LotView = {
      lanes: [
        lane('A', [{ car: car('a', '08:00') }, { car: car('b', '09:00') }, { car: car('c', '07:00') }]),
        lane('B', [{ car: car('d', '07:00') }, { car: car('e', '08:00') }]),
      ],
    };
    expect(morningLowerBound(lot)).toBe(2);
  });

  it('for a through lane, counts the cars outside the longest rise-then-fall run of departures', () => {
    const lot: LotView = {
      lanes: [
        lane('T', [{ car: car('a', '09:00') }, { car: car('b', '07:00') }, { car: car('c', '08:00') }], 'through'),
      ],
    };
    expect(morningLowerBound(lot)).toBe(1);
    const fine: LotView = {
      lanes: [
        lane('T', [{ car: car('a', '07:00') }, { car: car('b', '09:00') }, { car: car('c', '08:00') }], 'through'),
      ],
    };
    expect(morningLowerBound(fine)).toBe(0);
  });

  it('measures rise-then-fall runs', () => {
    expect(longestRiseThenFall([])).toBe(0);
    expect(longestRiseThenFall([3, 1, 2])).toBe(2);
    expect(longestRiseThenFall([1, 5, 2, 4, 3])).toBe(4);
    expect(longestRiseThenFall([2, 2, 2])).toBe(3);
  });

  it('counts each blocker of a fully reversed lane once, however many cars it blocks', () => {
    const lot: LotView = {
      lanes: [
        lane('A', [
          { car: car('a', '10:00') },
          { car: car('b', '09:00') },
          { car: car('c', '08:00') },
          { car: car('d', '07:00') },
        ]),
      ],
    };
    expect(blockingCount(lot)).toBe(6);
    expect(morningLowerBound(lot)).toBe(3);
  });
});
