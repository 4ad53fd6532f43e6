import { describe, expect, it } from 'vitest';
import type { IsoDate, VehicleId } from '../../core/brand.js';
import { validateLayout } from '../../core/layout.js';
import type { DepartureKnowledge, PlanningContext } from './context.js';
import { Lot } from './lot.js';
import { PRESTAGE_FIRST_LOOK, PRESTAGE_LAST_LOOK, keepsPlace } from './prestage.js';

// Two dead-end lanes of two. Car 0 (leaves 08:00) stands deep in T behind car 1 (leaves 10:00);
// car 2 (leaves 07:50) stands deep in U. Car 1's only other place is in front of car 2.
const layout = validateLayout({
  lanes: ['T', 'U'].map((id) => ({
    id,
    area: '1号楼',
    positions: [0, 1].map((i) => ({ id: `${id}-${i}`, index: i })),
  })),
});
const LEAVES = [480, 600, 470];

function context(now: number, leaves: readonly number[] = LEAVES): { ctx: PlanningContext; lot: Lot } {
  const lot = new Lot(layout, 3);
  lot.setDay('2026-11-27' as IsoDate);
  lot.place(0, 1);
  lot.place(1, 0);
  lot.place(2, 3);
  const knowledge = (car: number): DepartureKnowledge => {
    const at = leaves[car] as number;
    return { declared: at, estimate: at, spread: 3, leaves: 1, at, atSpread: 3 };
  };
  const ctx: PlanningContext = {
    lot,
    cars: leaves.map((_, i) => ({ id: `car-${i}` as VehicleId, size: 'standard', movable: true, ev: false })),
    now,
    nightBase: 0,
    knowledge,
    wantsCharge: () => false,
    keylessToCome: () => 0,
    departureProfile: [],
  };
  return { ctx, lot };
}

describe('keepsPlace, pre-staging', () => {
  it('leaves a move that would block another leaver to a later look while one remains', () => {
    const { ctx, lot } = context(480 - PRESTAGE_FIRST_LOOK);
    const from = lot.remove(1);
    expect(keepsPlace(ctx, 1, 0, from, 2, false)).toBe(true);
  });

  it('makes the move at the last look', () => {
    const { ctx, lot } = context(480 - PRESTAGE_LAST_LOOK);
    const from = lot.remove(1);
    expect(keepsPlace(ctx, 1, 0, from, 2, false)).toBe(false);
  });

  it('makes a move that blocks no one at the first look', () => {
    const { ctx, lot } = context(480 - PRESTAGE_FIRST_LOOK);
    lot.remove(2);
    const from = lot.remove(1);
    expect(keepsPlace(ctx, 1, 0, from, 2, false)).toBe(false);
  });

  it('leaves a blocker declared to go first where it stands while a later look remains', () => {
    // Car 1 is declared for 07:30, half an hour before car 0; the place in U blocks no one.
    const { ctx, lot } = context(480 - PRESTAGE_FIRST_LOOK, [480, 450, 470]);
    lot.remove(2);
    const from = lot.remove(1);
    expect(keepsPlace(ctx, 1, 0, from, 2, false)).toBe(true);
  });

  it('moves a blocker declared to go first that is still there at the last look', () => {
    const { ctx, lot } = context(480 - PRESTAGE_LAST_LOOK, [480, 450, 470]);
    lot.remove(2);
    const from = lot.remove(1);
    expect(keepsPlace(ctx, 1, 0, from, 2, false)).toBe(false);
  });
});
