import { describe, expect, it } from 'vitest';
import type { VehicleId } from '../../core/brand.js';
import type { LotView } from './lot-view.js';
import type { ArrivingCar, PlacementBeliefs } from './place-arrival.js';
import { bestPosition, illegalReason, placeArrival } from './place-arrival.js';
import { nightMinute, parkedCar as car, sketchLane as lane } from './sketch.js';

const empty = {};

function arriving(id: string, departure: string | null, extra: Partial<ArrivingCar> = {}): ArrivingCar {
  return {
    vehicleId: id as VehicleId,
    size: 'standard',
    departure: departure === null ? null : nightMinute(departure),
    movable: true,
    wantsCharge: false,
    ...extra,
  };
}

describe('placeArrival: blocking no earlier leaver', () => {
  it('parks in front of the car that leaves soonest after it (the tightest fit)', () => {
    const lot: LotView = {
      lanes: [
        lane('A', [empty, empty, { car: car('a', '09:00') }]),
        lane('B', [empty, empty, { car: car('b', '07:30') }]),
        lane('C', [empty, empty, { car: car('c', '06:50') }]),
      ],
    };
    const r = placeArrival(lot, arriving('x', '07:00'));
    expect(r.status).toBe('placed');
    expect(r.positionId).toBe('B-1');
    expect(r.alternatives).toHaveLength(3);
    expect(r.alternatives.map((a) => a.positionId)).not.toContain('B-1');
    const scores = [r.score, ...r.alternatives.map((a) => a.score)];
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(r.blocks).toEqual([]);
    expect(r.expectedBlocking).toBe(0);
    expect(r.reason).toContain('blocks no one');
    expect(r.reason).toContain('07:30');
  });

  it('stacks on a tight fit rather than opening an empty lane or a bay', () => {
    const lot: LotView = {
      lanes: [
        lane('E', [empty, empty, empty]),
        lane('bay', [empty]),
        lane('T', [empty, empty, { car: car('t', '07:10') }]),
      ],
    };
    expect(placeArrival(lot, arriving('x', '07:00')).positionId).toBe('T-1');
  });

  it('goes as deep as it can in a lane, so the lot packs tightly', () => {
    const lot: LotView = { lanes: [lane('A', [empty, empty, empty, empty])] };
    expect(placeArrival(lot, arriving('x', '07:00')).positionId).toBe('A-3');
  });

  it('puts the first car of an empty through row in its middle, leaving both ends to earlier leavers', () => {
    const lot: LotView = { lanes: [lane('T', [empty, empty, empty, empty, empty, empty, empty], 'through')] };
    expect(placeArrival(lot, arriving('x', '09:00')).positionId).toBe('T-3');
    // The next, earlier leavers stand on either side of it, and nobody blocks anybody.
    const next: LotView = {
      lanes: [lane('T', [empty, empty, empty, { car: car('x', '09:00') }, empty, empty, empty], 'through')],
    };
    expect(placeArrival(next, arriving('y', '08:00')).blocks).toEqual([]);
  });

  it('keeps bays for early leavers and puts a late leaver at the back of an empty deep lane', () => {
    const lot: LotView = {
      lanes: [
        lane('deep', [empty, empty, empty]),
        lane('bay', [empty]),
        lane('P', [{ car: car('p1', '07:00') }]),
        lane('Q', [{ car: car('p2', '08:00') }]),
      ],
    };
    expect(placeArrival(lot, arriving('late', '10:30')).positionId).toBe('deep-2');
    expect(placeArrival(lot, arriving('early', '06:30')).positionId).toBe('bay-0');
  });

  it('never uses a closed position: the deepest open one is taken instead', () => {
    const lot: LotView = { lanes: [lane('A', [empty, empty, { closed: true }])] };
    const r = placeArrival(lot, arriving('x', '07:00'));
    expect(r.positionId).toBe('A-1');
    expect(illegalReason(lot, arriving('x', '07:00'), 'A-2' as never)).toBe('closed');
  });

  it('drives past a closed position to the open one behind it, as core allows', () => {
    const lot: LotView = { lanes: [lane('A', [empty, { closed: true }, empty])] };
    expect(placeArrival(lot, arriving('x', '07:00')).positionId).toBe('A-2');
  });

  it('respects size limits', () => {
    const lot: LotView = { lanes: [lane('A', [empty, { maxSize: 'standard' }]), lane('B', [{ maxSize: 'small' }])] };
    expect(placeArrival(lot, arriving('big', '07:00', { size: 'large' })).positionId).toBe('A-0');
    expect(placeArrival(lot, arriving('std', '07:00')).positionId).toBe('A-1');
    const full: LotView = { lanes: [lane('B', [{ maxSize: 'small' }])] };
    const r = placeArrival(full, arriving('big', '07:00', { size: 'large' }));
    expect(r.status).toBe('no-position');
    expect(r.positionId).toBeNull();
    expect(r.reason).toContain('large');
  });

  it('leaves the large positions to large cars when a small car has a choice', () => {
    const lot: LotView = { lanes: [lane('big', [empty]), lane('small', [{ maxSize: 'small' }])] };
    expect(placeArrival(lot, arriving('mini', '07:00', { size: 'small' })).positionId).toBe('small-0');
  });

  it('uses the far end of a through lane to avoid blocking', () => {
    const lot: LotView = {
      lanes: [
        lane('A', [empty, { car: car('a', '06:30') }]),
        lane('T', [{ car: car('t', '06:00') }, empty, empty], 'through'),
      ],
    };
    const r = placeArrival(lot, arriving('x', '07:30'));
    // T-1 is the deepest position from the back: T-2 would shut T-1 off between two cars.
    expect(r.positionId).toBe('T-1');
    expect(r.blocks).toEqual([]);
  });

  it('only reaches the free positions outside the cars, from either end of a through lane', () => {
    const lot: LotView = {
      lanes: [lane('T', [empty, { car: car('m', '09:00') }, empty, { car: car('n', '09:30') }, empty], 'through')],
    };
    const x = arriving('x', '07:00');
    expect(illegalReason(lot, x, 'T-2' as never)).toBe('unreachable');
    expect(['T-0', 'T-4']).toContain(placeArrival(lot, x).positionId);
  });
});

describe('placeArrival: when it must block', () => {
  it('blocks the fewest cars', () => {
    const lot: LotView = {
      lanes: [
        lane('A', [empty, { car: car('a1', '08:00') }, { car: car('a2', '08:10') }]),
        lane('B', [empty, { car: car('b', '07:00') }]),
      ],
    };
    const r = placeArrival(lot, arriving('x', '09:00'));
    expect(r.positionId).toBe('B-0');
    expect(r.blocks).toEqual(['b']);
    expect(r.reason).toContain('blocks 1 car leaving earlier');
  });

  it('counts a car in a through lane as blocked once both its ways out hold a later leaver', () => {
    const lot: LotView = {
      lanes: [lane('T', [{ car: car('c', '09:00') }, { car: car('b', '07:00') }, empty], 'through')],
    };
    const r = placeArrival(lot, arriving('x', '08:00'));
    expect(r.positionId).toBe('T-2');
    expect(r.blocks).toEqual(['b']);
    expect(r.expectedBlocking).toBe(1);
  });

  it('blocks the car that leaves latest (min–max)', () => {
    const lot: LotView = {
      lanes: [lane('A', [empty, { car: car('a', '06:00') }]), lane('B', [empty, { car: car('b', '08:30') }])],
    };
    const r = placeArrival(lot, arriving('x', '09:00'));
    expect(r.positionId).toBe('B-0');
    expect(r.blocks).toEqual(['b']);
    expect(r.reason).toContain('08:30');
  });
});

describe('placeArrival: chargers', () => {
  const lot: LotView = { lanes: [lane('plain', [empty]), lane('charger', [{ chargerKw: 7 }])] };

  it('puts an EV that wants to charge on a charger', () => {
    const r = placeArrival(lot, arriving('ev', '07:00', { wantsCharge: true }));
    expect(r.positionId).toBe('charger-0');
    expect(r.reason).toContain('charger 7 kW');
  });

  it('keeps a car that does not charge off the charger while another position is free', () => {
    expect(placeArrival(lot, arriving('petrol', '07:00')).positionId).toBe('plain-0');
    const onlyCharger: LotView = {
      lanes: [lane('plain', [{ car: car('p', '08:00') }]), lane('charger', [{ chargerKw: 7 }])],
    };
    expect(placeArrival(onlyCharger, arriving('petrol', '07:00')).positionId).toBe('charger-0');
  });

  it('does not let an EV block an earlier leaver to reach a charger', () => {
    const mixed: LotView = {
      lanes: [lane('C', [{ chargerKw: 7 }, { car: car('c', '06:00') }]), lane('plain', [empty])],
    };
    const r = placeArrival(mixed, arriving('ev', '07:00', { wantsCharge: true }));
    expect(r.positionId).toBe('plain-0');
    expect(r.reason).toContain('a free charger would block others');
  });

  it('does not shut a charger off behind it when an equally good place leaves it reachable', () => {
    // Both places stand in front of a car leaving 09:00; in lane C that car stands on a charger,
    // which could no longer be swapped until the new car goes.
    const twoLanes: LotView = {
      lanes: [
        lane('C', [empty, { car: car('ev', '09:00'), chargerKw: 7 }]),
        lane('P', [empty, { car: car('p', '09:00') }]),
      ],
    };
    expect(placeArrival(twoLanes, arriving('x', '07:00')).positionId).toBe('P-0');
  });
});

describe('placeArrival: no key, no blocking', () => {
  const visitor = (departure: string | null): ArrivingCar => arriving('visitor', departure, { movable: false });

  it('never puts a keyless car in front of another car, even one that leaves later', () => {
    const lot: LotView = { lanes: [lane('A', [empty, empty, { car: car('a', '09:00') }]), lane('bay', [empty])] };
    const r = placeArrival(lot, visitor('06:00'));
    expect(r.positionId).toBe('bay-0');
    expect(r.reason).toContain('no key');
    expect(illegalReason(lot, visitor('06:00'), 'A-1' as never)).toBe('keyless-would-block');
  });

  it('puts a keyless car at the back of an empty lane, not in front of positions it would shut off', () => {
    const lot: LotView = { lanes: [lane('A', [empty, empty, empty])] };
    expect(placeArrival(lot, visitor('07:00')).positionId).toBe('A-2');
  });

  it('refuses a keyless car when every free position stands in front of a car', () => {
    const lot: LotView = {
      lanes: [lane('A', [empty, { car: car('a', '09:00') }]), lane('B', [empty, empty, { car: car('b', '05:00') }])],
    };
    const r = placeArrival(lot, visitor('07:00'));
    expect(r.status).toBe('no-keyless-position');
    expect(r.positionId).toBeNull();
    expect(r.reason).toContain('partner lot');
  });

  it('says no-position, not no-keyless-position, when the lot is simply full', () => {
    const lot: LotView = { lanes: [lane('A', [{ car: car('a', '09:00') }])] };
    expect(placeArrival(lot, visitor('07:00')).status).toBe('no-position');
  });

  it('lets a keyless car stand at the end of a through lane when the cars can leave by the other end', () => {
    const lot: LotView = { lanes: [lane('T', [{ car: car('a', '06:00') }, empty, empty], 'through')] };
    const r = placeArrival(lot, visitor('09:00'));
    expect(r.positionId).toBe('T-1');
  });

  it('follows core on through lanes: no keyless car on the shorter way out of another car', () => {
    // With the visitor at T-3, car c's back side (1 car) is shorter than its front side (2 cars);
    // core's applyEvent would refuse it with NO_KEY_BLOCKING, so the planner does not propose it.
    const lot: LotView = {
      lanes: [
        lane(
          'T',
          [{ car: car('a', '06:00') }, { car: car('b', '06:10') }, { car: car('c', '06:20') }, empty],
          'through',
        ),
      ],
    };
    expect(placeArrival(lot, visitor('09:00')).status).toBe('no-keyless-position');
  });

  it('never traps a car between two keyless cars in a through lane', () => {
    const lot: LotView = {
      lanes: [
        lane('T', [empty, { car: car('a', '06:00') }, { car: car('k', '09:00', { movable: false }) }], 'through'),
        lane('B', [empty, { car: car('b', '07:00') }]),
      ],
    };
    expect(illegalReason(lot, visitor('09:00'), 'T-0' as never)).toBe('keyless-would-block');
    expect(placeArrival(lot, visitor('09:00')).status).toBe('no-keyless-position');
  });
});

describe('placeArrival: undeclared departures', () => {
  const lot: LotView = {
    lanes: [
      lane('A', [empty, { car: car('a', '07:00') }]),
      lane('B', [empty, { car: car('b', '09:00') }]),
      lane('bay', [empty]),
    ],
  };

  it('trusts a confident estimate from history like a declared time', () => {
    const r = placeArrival(lot, arriving('x', null, { estimate: { at: nightMinute('07:30'), spread: 10 } }));
    expect(r.positionId).toBe('B-0');
    expect(r.reason).toContain('estimated');
  });

  it('keeps a car with no estimate out of other cars’ way (a bay)', () => {
    const r = placeArrival(lot, arriving('x', null));
    expect(r.positionId).toBe('bay-0');
    expect(r.reason).toContain('leaves unknown');
  });

  it('weighs the risk of blocking a parked car whose departure is only estimated', () => {
    const vague: LotView = {
      lanes: [
        lane('V', [empty, { car: car('v', null, { estimate: { at: nightMinute('07:30'), spread: 90 } }) }]),
        lane('S', [empty, { car: car('s', '07:30') }]),
      ],
    };
    const r = placeArrival(vague, arriving('x', '07:00'));
    expect(r.positionId).toBe('S-0');
    expect(r.expectedBlocking).toBe(0);
  });
});

describe('placeArrival: the beliefs it scores under', () => {
  // A car of unknown departure at the back of lane A, and a bay B.
  const lot: LotView = { lanes: [lane('A', [empty, { car: car('a', null) }]), lane('B', [empty])] };
  const x = arriving('x', null);
  const sure = (cost: number): PlacementBeliefs => ({ pairCost: () => cost, fits: () => 1 });

  it('scores blocking and room by the beliefs given, not its own', () => {
    // Its own (normal) beliefs: two unknown departures are a coin toss, so the bay blocks less.
    expect(placeArrival(lot, x).positionId).toBe('B-0');
    // Beliefs that say x never blocks a: A-0 ties with the bay on room, and the earlier lane wins.
    expect(placeArrival(lot, x, { beliefs: sure(0) }).positionId).toBe('A-0');
    expect(placeArrival(lot, x, { beliefs: sure(1) }).positionId).toBe('B-0');
  });

  it('bestPosition chooses as placeArrival does, with the same score', () => {
    for (const options of [{}, { beliefs: sure(0) }, { beliefs: sure(1) }]) {
      const full = placeArrival(lot, x, options);
      expect(bestPosition(lot, x, options)).toEqual({
        positionId: full.positionId,
        expectedBlocking: full.expectedBlocking,
        score: full.score,
      });
    }
  });
});
