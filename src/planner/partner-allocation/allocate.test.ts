import { describe, expect, it } from 'vitest';
import type { ExpectedCar } from './allocate.js';
import { allocatePartner } from './allocate.js';

const car = (i: number, extra: Partial<ExpectedCar> = {}): ExpectedCar => ({
  vehicleId: `V${String(i).padStart(3, '0')}`,
  householdId: `H${String(i).padStart(3, '0')}`,
  needsCharge: false,
  volunteer: false,
  standing: false,
  ...extra,
});

describe('partner allocation', () => {
  it('sends nobody when the compound has room', () => {
    const r = allocatePartner({
      capacity: 10,
      cars: [car(1), car(2)],
      partnerSpaces: 5,
      partnerChargerSpaces: 1,
      monthNights: new Map(),
    });
    expect(r.shortfall).toBe(0);
    expect(r.toPartner).toEqual([]);
  });

  it('takes volunteers and standing bookings first, then the households that went least this month', () => {
    const cars = [car(1), car(2), car(3, { volunteer: true }), car(4, { standing: true }), car(5)];
    const r = allocatePartner({
      capacity: 2,
      cars,
      partnerSpaces: 10,
      partnerChargerSpaces: 0,
      monthNights: new Map([
        ['H001', 3],
        ['H002', 0],
        ['H005', 1],
      ]),
    });
    expect(r.shortfall).toBe(3);
    expect(r.toPartner.map((a) => [a.vehicleId, a.reason])).toEqual([
      ['V004', 'standing'],
      ['V003', 'volunteer'],
      ['V002', 'rotation'],
    ]);
  });

  it('gives charger spaces to EVs that need charge first', () => {
    const cars = [car(1), car(2, { needsCharge: true }), car(3, { needsCharge: true })];
    const r = allocatePartner({
      capacity: 1,
      cars,
      partnerSpaces: 2,
      partnerChargerSpaces: 1,
      monthNights: new Map([['H002', 5]]),
    });
    expect(r.toPartner.filter((a) => a.chargerSpace).map((a) => a.vehicleId)).toEqual(['V003']);
    expect(r.toPartner).toHaveLength(2);
  });

  it('reports the cars above both capacities', () => {
    const cars = Array.from({ length: 10 }, (_, i) => car(i));
    const r = allocatePartner({ capacity: 5, cars, partnerSpaces: 3, partnerChargerSpaces: 0, monthNights: new Map() });
    expect(r.toPartner).toHaveLength(3);
    expect(r.unplaced).toBe(2);
  });

  it('rotates demand above the partner supply fairly over a month: nights per household differ by at most one', () => {
    const cars = Array.from({ length: 40 }, (_, i) => car(i));
    const nights = new Map<string, number>();
    for (let day = 0; day < 30; day++) {
      const r = allocatePartner({ capacity: 30, cars, partnerSpaces: 7, partnerChargerSpaces: 0, monthNights: nights });
      expect(r.toPartner).toHaveLength(7);
      for (const a of r.toPartner) nights.set(a.householdId!, (nights.get(a.householdId!) ?? 0) + 1);
    }
    const counts = cars.map((c) => nights.get(c.householdId!) ?? 0);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(7 * 30);
  });
});
