import { describe, expect, it } from 'vitest';
import type { VehicleId } from '../../core/brand.js';
import { mulberry32 } from '../../core/random.js';
import type { LotView } from './lot-view.js';
import type { ArrivingCar } from './place-arrival.js';
import { placeEvening } from './place-evening.js';
import { blockingCount } from './blocking.js';
import { nightMinute, parkedCar as car, sketchLane as lane } from './sketch.js';

const empty = {};

function arrivals(...departures: string[]): ArrivingCar[] {
  return departures.map((d, i) => ({
    vehicleId: `v${i}` as VehicleId,
    size: 'standard',
    departure: nightMinute(d),
    movable: true,
    wantsCharge: false,
  }));
}

describe('placeEvening', () => {
  it('places interleaved early and late leavers with no blocking pair when two sorted lanes hold them', () => {
    // Early leavers (06:xx) and late leavers (09:xx) arrive alternately. Two lanes of three, one
    // for each group, each filled latest-first, block no one; the rule must find that.
    const lot: LotView = { lanes: [lane('A', [empty, empty, empty]), lane('B', [empty, empty, empty])] };
    const evening = placeEvening(lot, arrivals('09:30', '06:50', '09:20', '06:40', '09:10', '06:30'));
    expect(evening.unplaced).toEqual([]);
    expect(evening.blockingCount).toBe(0);
    expect(evening.morningLowerBound).toBe(0);
  });

  it('fills a mixed lot of bays, tandem rows and a through row without blocking when there is room', () => {
    const lot: LotView = {
      lanes: [
        lane('row1', [empty, empty, empty, empty]),
        lane('row2', [empty, empty, { closed: true }]),
        lane('T', [empty, empty, empty], 'through'),
        lane('bay1', [empty]),
        lane('bay2', [{ chargerKw: 7 }]),
      ],
    };
    const evening = placeEvening(
      lot,
      arrivals('08:00', '07:10', '10:00', '06:45', '07:30', '09:15', '06:20', '08:40', '07:50'),
    );
    expect(evening.unplaced).toEqual([]);
    expect(evening.blockingCount).toBe(0);
  });

  it('fixes each placement before the next car, so a later car sees the earlier ones', () => {
    const lot: LotView = { lanes: [lane('A', [empty, empty])] };
    const evening = placeEvening(lot, arrivals('09:00', '07:00', '08:00'));
    expect(evening.placements.map((p) => p.positionId)).toEqual(['A-1', 'A-0', null]);
    expect(evening.unplaced.map((p) => p.vehicleId)).toEqual(['v2']);
    expect(evening.unplaced[0]?.status).toBe('no-position');
    expect(evening.lot.lanes[0]?.positions.map((p) => p.car?.vehicleId)).toEqual(['v1', 'v0']);
  });

  it('reports the morning cost when blocking cannot be avoided', () => {
    const lot: LotView = { lanes: [lane('A', [empty, { car: car('a', '06:00') }])] };
    const evening = placeEvening(lot, arrivals('09:00'));
    expect(evening.blockingCount).toBe(1);
    expect(evening.morningLowerBound).toBe(1);
  });

  it('sends away a keyless visitor when only harmful positions are left, and parks the next car', () => {
    const lot: LotView = { lanes: [lane('A', [empty, { car: car('a', '09:00') }])] };
    const visitor: ArrivingCar = {
      vehicleId: 'visitor' as VehicleId,
      size: 'standard',
      departure: nightMinute('08:00'),
      movable: false,
      wantsCharge: false,
    };
    const evening = placeEvening(lot, [visitor, ...arrivals('07:00')]);
    expect(evening.placements.map((p) => p.status)).toEqual(['no-keyless-position', 'placed']);
    expect(evening.blockingCount).toBe(0);
  });
});

describe('placeEvening on random evenings (seeded)', () => {
  const rng = mulberry32;

  it('blocks far less than a guard who fills the first lane with room, deepest first', () => {
    let rule = 0;
    let naive = 0;
    const evenings = 60;
    for (let seed = 1; seed <= evenings; seed++) {
      const r = rng(seed);
      const lanes = Array.from({ length: 8 }, (_, l) => {
        const depth = 1 + Math.floor(r() * 4);
        return lane(
          `L${l}`,
          Array.from({ length: depth }, () => empty),
          depth > 1 && r() < 0.25 ? 'through' : 'one-end',
        );
      });
      const capacity = lanes.reduce((sum, l) => sum + l.positions.length, 0);
      const cars: ArrivingCar[] = Array.from({ length: Math.round(capacity * 0.7) }, (_, i) => ({
        vehicleId: `v${i}` as VehicleId,
        size: 'standard',
        departure: nightMinute('06:30') + Math.floor(r() * 240),
        movable: true,
        wantsCharge: false,
      }));
      const evening = placeEvening({ lanes }, cars);
      expect(evening.unplaced).toEqual([]);
      rule += evening.blockingCount;
      // The naive guard: the first lane with room, as deep as the car can get from position 0.
      const naiveLanes = lanes.map((l) => ({ ...l, positions: l.positions.map((p) => ({ ...p })) }));
      for (const c of cars) {
        const open = naiveLanes.find((l) => l.positions[0]?.car === null);
        const spot = open?.positions
          .filter((p) => open.positions.every((q) => q.index > p.index || q.car === null))
          .at(-1);
        if (spot) spot.car = { vehicleId: c.vehicleId, departure: c.departure, movable: true };
      }
      naive += blockingCount({ lanes: naiveLanes });
    }
    expect(rule / evenings).toBeLessThan(0.5);
    expect(rule * 5).toBeLessThan(naive);
  });
});
