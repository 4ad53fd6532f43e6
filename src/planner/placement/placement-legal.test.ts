/**
 * Property test: on random lots, every placement the planner proposes is legal — checked here with
 * core's own rules (blockingIndexes, fits, isClosedOn) and by applying it with core's `applyEvent`,
 * which must accept it — and a refusal happens only when no legal position exists.
 */
import { describe, expect, it } from 'vitest';
import type { EpochMs, HouseholdId, IsoDate, KeyTag, PositionId, VehicleId } from '../../core/brand.js';
import type { CompoundState } from '../../core/compound-state.js';
import { applyEvent, cloneState, emptyState } from '../../core/compound-state.js';
import type { EventBody } from '../../core/events.js';
import type { Lane, LayoutInput, VehicleSize } from '../../core/layout.js';
import { VEHICLE_SIZES, blockingIndexes, fits, isClosedOn, validateLayout } from '../../core/layout.js';
import { shanghaiInstant } from '../../core/time.js';
import { mulberry32 } from '../../core/random.js';
import { lotViewFromState } from './lot-view.js';
import type { ArrivingCar } from './place-arrival.js';
import { placeArrival } from './place-arrival.js';

const rng = mulberry32;

const DAY = '2026-11-27' as IsoDate;
const AT = shanghaiInstant(DAY, '20:00');

interface World {
  state: CompoundState;
  departures: Map<VehicleId, number | null>;
  cars: Map<VehicleId, { size: VehicleSize; movable: boolean; ev: boolean }>;
}

function apply(state: CompoundState, body: EventBody): void {
  applyEvent(state, { ...body, at: AT as EpochMs, actor: 'system' } as never);
}

function randomLayout(r: () => number): LayoutInput {
  const lanes: LayoutInput['lanes'] = [];
  const count = 1 + Math.floor(r() * 5);
  for (let l = 0; l < count; l++) {
    const depth = 1 + Math.floor(r() * 4);
    lanes.push({
      id: `L${l}`,
      access: depth > 1 && r() < 0.3 ? 'through' : 'one-end',
      positions: Array.from({ length: depth }, (_, i) => ({
        id: `L${l}-${i}`,
        index: i,
        chargerKw: r() < 0.15 ? 7 : null,
        maxSize: r() < 0.2 ? 'small' : r() < 0.3 ? 'standard' : 'large',
        closures: r() < 0.12 ? [{ from: DAY, to: DAY, reason: '施工' }] : [],
      })),
    });
  }
  return { lanes };
}

function register(world: World, n: number, r: () => number): ArrivingCar {
  const vehicleId = `v${n}` as VehicleId;
  const movable = r() > 0.25;
  const size = VEHICLE_SIZES[Math.floor(r() * 3)] as VehicleSize;
  const ev = r() < 0.3;
  const householdId = movable ? ('h' as HouseholdId) : null;
  apply(world.state, { type: 'vehicle.registered', payload: { vehicleId, householdId, size, ev } });
  if (movable) {
    apply(world.state, { type: 'consent.given', payload: { vehicleId, textVersion: 'v1' } });
    apply(world.state, { type: 'key.received', payload: { vehicleId, keyTag: `K${n}` as KeyTag } });
  }
  apply(world.state, { type: 'car.checked-in', payload: { vehicleId } });
  const declared = r() < 0.7;
  const departure = declared ? 24 * 60 + 6 * 60 + Math.floor(r() * 240) : null;
  world.departures.set(vehicleId, departure);
  world.cars.set(vehicleId, { size, movable, ev });
  const estimate =
    !declared && r() < 0.5 ? { at: 24 * 60 + 6 * 60 + Math.floor(r() * 240), spread: Math.floor(r() * 60) } : null;
  return { vehicleId, size, departure, estimate, movable, wantsCharge: ev && r() < 0.8 };
}

/** Core's notion of a legal place for a car, with the keyless rule: what applyEvent enforces. */
function coreAccepts(state: CompoundState, car: ArrivingCar, positionId: PositionId): boolean {
  const trial = cloneState(state);
  try {
    apply(trial, { type: 'car.parked', payload: { vehicleId: car.vehicleId, positionId, taskId: null } });
    return true;
  } catch {
    return false;
  }
}

function laneOf(state: CompoundState, positionId: PositionId): { lane: Lane; index: number } {
  for (const lane of state.layout.lanes) {
    const p = lane.positions.find((q) => q.id === positionId);
    if (p) return { lane, index: p.index };
  }
  throw new Error(`no position ${positionId}`);
}

function occupiedIn(state: CompoundState, lane: Lane, extra?: number): (i: number) => boolean {
  return (i) => i === extra || state.occupancy.has(lane.positions[i]?.id as PositionId);
}

/** Free, open, large enough and reachable, by core's functions (the key aside). */
function openTo(state: CompoundState, car: ArrivingCar): PositionId[] {
  return state.layout.lanes.flatMap((lane) =>
    lane.positions
      .filter((p) => !state.occupancy.has(p.id) && !isClosedOn(p, DAY) && fits(p, car.size))
      .filter((p) => blockingIndexes(lane, p.index, occupiedIn(state, lane)).length === 0)
      .map((p) => p.id),
  );
}

/** True when, with a keyless car at `index`, some car of the lane has a keyless car on every side. */
function trapsACar(world: World, lane: Lane, index: number): boolean {
  const keylessAt = (i: number): boolean => {
    if (i === index) return true;
    const v = world.state.occupancy.get(lane.positions[i]?.id as PositionId);
    return v !== undefined && world.cars.get(v)?.movable === false;
  };
  const occupied = occupiedIn(world.state, lane, index);
  const n = lane.positions.length;
  return lane.positions.some((p) => {
    if (p.index === index || !occupied(p.index)) return false;
    const front = Array.from({ length: p.index }, (_, i) => i).some(keylessAt);
    const back =
      lane.access === 'one-end' || Array.from({ length: n - p.index - 1 }, (_, k) => p.index + 1 + k).some(keylessAt);
    return front && back;
  });
}

describe('placement legality (property, seeded)', () => {
  it('proposes only positions core accepts, and refuses only when nothing legal is left', () => {
    let placed = 0;
    let keylessPlaced = 0;
    let refusedKeyless = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const world: World = { state: emptyState(), departures: new Map(), cars: new Map() };
      apply(world.state, { type: 'layout.set', payload: { layout: validateLayout(randomLayout(r)) } });
      apply(world.state, { type: 'household.added', payload: { householdId: 'h' as HouseholdId } });
      let n = 0;
      const arrivals = 3 + Math.floor(r() * 12);
      for (let k = 0; k < arrivals; k++) {
        const car = register(world, n++, r);
        const lot = lotViewFromState(world.state, DAY, world.departures);
        const result = placeArrival(lot, car);
        const open = openTo(world.state, car);
        if (result.status === 'placed') {
          const positionId = result.positionId as PositionId;
          expect(open, `seed ${seed}: ${positionId} is free, open, fits and is reachable`).toContain(positionId);
          if (!car.movable) {
            const { lane, index } = laneOf(world.state, positionId);
            const occupied = occupiedIn(world.state, lane, index);
            for (const p of lane.positions) {
              if (p.index === index || !occupied(p.index)) continue;
              expect(
                blockingIndexes(lane, p.index, occupied),
                `seed ${seed}: keyless car in the way of ${p.id}`,
              ).not.toContain(index);
              if (lane.access === 'one-end')
                expect(p.index, `seed ${seed}: keyless car in front of ${p.id}`).toBeLessThan(index);
            }
            expect(trapsACar(world, lane, index)).toBe(false);
            keylessPlaced++;
          }
          apply(world.state, { type: 'car.parked', payload: { vehicleId: car.vehicleId, positionId, taskId: null } });
          placed++;
        } else if (result.status === 'no-position') {
          expect(open, `seed ${seed}: no-position although positions are open`).toEqual([]);
        } else {
          expect(car.movable).toBe(false);
          expect(open.length).toBeGreaterThan(0);
          for (const positionId of open) {
            const { lane, index } = laneOf(world.state, positionId);
            expect(
              !coreAccepts(world.state, car, positionId) || trapsACar(world, lane, index),
              `seed ${seed}: ${positionId} was harmless`,
            ).toBe(true);
          }
          refusedKeyless++;
        }
      }
    }
    // The generator must exercise every branch, or the property says little.
    expect(placed).toBeGreaterThan(500);
    expect(keylessPlaced).toBeGreaterThan(50);
    expect(refusedKeyless).toBeGreaterThan(10);
  });
});
