import { describe, expect, it } from 'vitest';
import type { IsoDate, VehicleId } from '../../core/brand.js';
import { validateLayout } from '../../core/layout.js';
import { CHARGER_PAUSE, chargerSwap, idleChargers } from './charge.js';
import type { DepartureKnowledge, PlanningContext } from './context.js';
import { Lot } from './lot.js';

// Dead-end lane C of two with a 7 kW charger at its mouth (position 0, C-0); dead-end lane T of
// three (positions 2, 3, 4); a single bay S (position 5). Position numbers follow the layout.
const layout = validateLayout({
  lanes: [
    {
      id: 'C',
      area: '1号楼',
      positions: [0, 1].map((i) => ({ id: `C-${i}`, index: i, chargerKw: i === 0 ? 7 : null })),
    },
    { id: 'T', area: '1号楼', positions: [0, 1, 2].map((i) => ({ id: `T-${i}`, index: i })) },
    { id: 'S', area: '1号楼', positions: [{ id: 'S-0', index: 0 }] },
  ],
});

interface Car {
  at: number;
  ev: boolean;
  wants: boolean;
  leaves: number;
}

const EVENING = 20 * 60;

function context(cars: Car[], now = EVENING): PlanningContext {
  const lot = new Lot(layout, cars.length);
  lot.setDay('2026-11-27' as IsoDate);
  cars.forEach((c, i) => {
    if (c.at !== -1) lot.place(i, c.at);
  });
  const knowledge = (car: number): DepartureKnowledge => {
    const at = (cars[car] as Car).leaves;
    return { declared: at, estimate: at, spread: 3, leaves: 1, at, atSpread: 3 };
  };
  return {
    lot,
    cars: cars.map((c, i) => ({ id: `car-${i}` as VehicleId, size: 'standard', movable: true, ev: c.ev })),
    now,
    nightBase: 0,
    knowledge,
    wantsCharge: (car) => (cars[car] as Car).wants,
    keylessToCome: () => 0,
    departureProfile: [],
  };
}

describe('charger rotation', () => {
  it('finds a charger in a tandem lane idle when the car on it wants no charge and can drive off', () => {
    const ctx = context([
      { at: 0, ev: false, wants: false, leaves: 1900 },
      { at: 1, ev: false, wants: false, leaves: 2000 },
      { at: 5, ev: true, wants: true, leaves: 1850 },
    ]);
    expect(idleChargers(ctx)).toEqual([0]);
    expect(chargerSwap(ctx, 0)).toEqual({ charger: 0, ev: 2, occupant: 0, shifted: [] });
  });

  it('leaves a charger that would shut an empty place off behind it, and one whose car charges', () => {
    expect(idleChargers(context([{ at: 5, ev: true, wants: true, leaves: 1850 }]))).toEqual([]);
    const charging = context([
      { at: 0, ev: true, wants: true, leaves: 1900 },
      { at: 5, ev: true, wants: true, leaves: 1850 },
    ]);
    expect(idleChargers(charging)).toEqual([]);
    expect(chargerSwap(charging, 0)).toBeNull();
  });

  it('takes the EV leaving first among those that can drive off, before one behind a car', () => {
    const ctx = context([
      { at: 0, ev: false, wants: false, leaves: 1900 },
      { at: 1, ev: false, wants: false, leaves: 2000 },
      { at: 2, ev: false, wants: false, leaves: 1700 },
      { at: 3, ev: true, wants: true, leaves: 1600 },
      { at: 5, ev: true, wants: true, leaves: 1850 },
    ]);
    expect(chargerSwap(ctx, 0)?.ev).toBe(4);
    // With the single bay's lane held by another guard, the EV behind a car is next.
    expect(chargerSwap(ctx, 0, new Set([2]))).toEqual({ charger: 0, ev: 3, occupant: 0, shifted: [2] });
  });

  it('shifts one car in front of an EV deeper when no EV can drive off', () => {
    const ctx = context([
      { at: 0, ev: false, wants: false, leaves: 1900 },
      { at: 1, ev: false, wants: false, leaves: 2000 },
      { at: 2, ev: false, wants: false, leaves: 1700 },
      { at: 3, ev: true, wants: true, leaves: 1600 },
      { at: 4, ev: true, wants: true, leaves: 1650 },
    ]);
    expect(chargerSwap(ctx, 0)).toEqual({ charger: 0, ev: 3, occupant: 0, shifted: [2] });
  });

  it('does not rotate in the morning peak', () => {
    const cars = [
      { at: 0, ev: false, wants: false, leaves: 1900 },
      { at: 1, ev: false, wants: false, leaves: 2000 },
      { at: 5, ev: true, wants: true, leaves: 1850 },
    ];
    const morning = context(cars, CHARGER_PAUSE.from + 60);
    expect(idleChargers(morning)).toEqual([]);
    expect(chargerSwap(morning, 0)).toBeNull();
  });

  it('rotates by day after the morning peak, for the EVs that stay in', () => {
    const cars = [
      { at: 0, ev: false, wants: false, leaves: 2000 },
      { at: 1, ev: false, wants: false, leaves: 2000 },
      { at: 5, ev: true, wants: true, leaves: 1850 },
    ];
    expect(idleChargers(context(cars, CHARGER_PAUSE.until + 60))).toEqual([0]);
    expect(idleChargers(context(cars, 14 * 60))).toEqual([0]);
  });
});
