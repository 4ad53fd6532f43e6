import { describe, expect, it } from 'vitest';
import type { LaneId, PositionId, VehicleId } from '../../core/brand.js';
import { VEHICLE_SIZES } from '../../core/layout.js';
import { mulberry32 } from '../../core/random.js';
import { morningLowerBound } from '../placement/blocking.js';
import type { LotView } from '../placement/lot-view.js';
import type { Night } from './night.js';
import { fewestBadlyPlaced } from './placement-optimum.js';

function randomNight(seed: number): Night {
  const r = mulberry32(seed);
  const int = (a: number, b: number): number => a + Math.floor(r() * (b - a + 1));
  const lanes: Night['lanes'] = Array.from({ length: int(1, 3) }, () => ({
    access: r() < 0.4 ? ('through' as const) : ('one-end' as const),
    places: Array.from({ length: int(1, 4) }, () => ({
      maxSize: r() < 0.35 ? VEHICLE_SIZES[int(0, 1)]! : 'large',
      closed: r() < 0.1,
    })),
  }));
  const placeCount = lanes.reduce((s, l) => s + l.places.length, 0);
  const times = Array.from({ length: Math.min(int(3, 6), placeCount) }, () => int(0, 6) * 10).sort((a, b) => a - b);
  return {
    lanes,
    cars: times.map((leaves) => ({
      leaves,
      size: r() < 0.3 ? 'small' : r() < 0.8 ? 'standard' : 'large',
      movable: r() >= 0.2,
    })),
  };
}

/** The night's lot with car `state[p]` on flat place p, as the placement's metrics read it. */
function lotOf(night: Night, state: readonly number[]): LotView {
  let p = 0;
  return {
    lanes: night.lanes.map((lane, l) => ({
      id: `l${l}` as LaneId,
      name: `l${l}`,
      access: lane.access,
      positions: lane.places.map((place, index) => {
        const c = state[p++] as number;
        return {
          id: `p${p}` as PositionId,
          index,
          chargerKw: null,
          maxSize: place.maxSize,
          closed: place.closed,
          car:
            c < 0
              ? null
              : { vehicleId: `c${c}` as VehicleId, departure: night.cars[c]!.leaves, movable: night.cars[c]!.movable },
        };
      }),
    })),
  };
}

/** The referee: every assignment of cars to places, tried one by one. */
function fewestByEnumeration(night: Night): number | null {
  const places = night.lanes.flatMap((lane, l) => lane.places.map((place, index) => ({ ...place, l, index, lane })));
  const state = new Array<number>(places.length).fill(-1);
  let best = Infinity;
  const legal = (): boolean =>
    night.cars.every((car, c) => {
      if (car.movable) return true;
      const p = state.indexOf(c);
      const here = places[p]!;
      if (here.lane.access === 'through') return true;
      return places.every((q, i) => q.l !== here.l || q.index <= here.index || state[i] === -1);
    });
  const place = (c: number): void => {
    if (c === night.cars.length) {
      if (legal()) best = Math.min(best, morningLowerBound(lotOf(night, state)));
      return;
    }
    places.forEach((p, i) => {
      if (state[i] !== -1 || p.closed || VEHICLE_SIZES.indexOf(p.maxSize) < VEHICLE_SIZES.indexOf(night.cars[c]!.size))
        return;
      state[i] = c;
      place(c + 1);
      state[i] = -1;
    });
  };
  place(0);
  return best === Infinity ? null : best;
}

describe('fewestBadlyPlaced', () => {
  it('equals exhaustive enumeration on 300 random small nights', () => {
    let positive = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const night = randomNight(seed * 104729);
      const referee = fewestByEnumeration(night);
      expect(fewestBadlyPlaced(night), `seed ${seed}`).toBe(referee);
      if ((referee ?? 0) > 0) positive++;
    }
    // The cases must include nights where some car cannot avoid being badly placed.
    expect(positive).toBeGreaterThan(15);
  });

  it('keeps a keyless car deepest in a one-end lane, at the price of a badly placed car', () => {
    const night: Night = {
      lanes: [
        {
          access: 'one-end',
          places: [
            { maxSize: 'large', closed: false },
            { maxSize: 'large', closed: false },
          ],
        },
      ],
      cars: [
        { leaves: 1, size: 'standard', movable: false },
        { leaves: 2, size: 'standard', movable: true },
      ],
    };
    expect(fewestBadlyPlaced(night)).toBe(1);
    expect(fewestBadlyPlaced({ ...night, lanes: [{ ...night.lanes[0]!, access: 'through' }] })).toBe(0);
  });
});
