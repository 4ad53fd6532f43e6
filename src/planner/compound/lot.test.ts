import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/brand.js';
import { validateLayout } from '../../core/layout.js';
import { Lot } from './lot.js';

const layout = validateLayout({
  lanes: [
    { id: 'T', area: '1号楼', positions: [0, 1, 2].map((i) => ({ id: `T-${i}`, index: i })) },
    { id: 'R', area: '北墙', access: 'through', positions: [0, 1, 2, 3].map((i) => ({ id: `R-${i}`, index: i })) },
    {
      id: 'B',
      area: '3号楼',
      positions: [
        {
          id: 'B-0',
          index: 0,
          closures: [{ from: '2026-12-01' as IsoDate, to: '2026-12-31' as IsoDate, reason: '加装电梯施工' }],
        },
      ],
    },
  ],
});
const movable = (car: number): boolean => car !== 9;
const withKey = { size: 'standard' as const, movable: true };
const keyless = { size: 'standard' as const, movable: false };

function lot(): Lot {
  const l = new Lot(layout, 10);
  l.setDay('2026-11-27' as IsoDate);
  return l;
}

describe('Lot', () => {
  it('names the cars between a car and the nearer open end as its blockers', () => {
    const l = lot();
    l.place(0, 2); // T-2
    l.place(1, 1); // T-1
    l.place(2, 0); // T-0
    expect(l.blockersOf(2, movable)).toEqual([2, 1]);
    expect(l.blockersOf(0, movable)).toEqual([]);
    // Through lane: R-1 leaves by the back when the front holds more cars.
    l.place(3, 4);
    l.place(4, 3);
    l.place(5, 6);
    expect(l.blockersOf(4, movable)).toEqual([4]);
  });

  it('refuses an unreachable, occupied or closed position', () => {
    const l = lot();
    l.place(0, 0);
    expect(l.illegal(0, withKey, movable)).toBe('occupied');
    expect(l.illegal(1, withKey, movable)).toBe('unreachable');
    l.setDay('2026-12-05' as IsoDate);
    expect(l.illegal(7, withKey, movable)).toBe('closed');
    l.setDay('2027-01-05' as IsoDate);
    expect(l.illegal(7, withKey, movable)).toBeNull();
  });

  it('never lets a car without a key stand in front of another car', () => {
    const l = lot();
    l.place(0, 2);
    expect(l.illegal(1, keyless, movable)).toBe('keyless-would-block');
    expect(l.illegal(1, withKey, movable)).toBeNull();
    // An empty lane takes it at the back, where it is in no one's way.
    expect(l.illegal(6, keyless, movable)).toBeNull();
  });
});
