/**
 * @module The heuristic for the two lane problems of `exact.ts`, built on the product's own rule for
 * where a car should go (`bestPosition` of the evening placement), so that what is measured against
 * the optimum is what the guards are told to do.
 *
 * - **retrieve**: the earliest leaver still parked is dug out by the side with fewest cars and no
 *   keyless one; each car in its way, nearest the end first, goes where the placement would park it
 *   if it arrived now, with the target's lane shut for the while.
 * - **resort**: while a car stands in an earlier leaver's way, the car whose removal saves most of
 *   the lane's bound is moved, if it can be, to where the placement would park it, outside its own
 *   lane, provided that adds no new blocking; the night stops when no such move helps.
 */
import type { PositionId, VehicleId } from '../../core/brand.js';
import type { LotView } from '../placement/lot-view.js';
import { bestPosition } from '../placement/place-arrival.js';
import type { LaneMove, LaneProblem } from './exact.js';
import { laneBound, nightBound, retrieveFree } from './exact.js';
import type { Geometry, Night } from './night.js';
import { exitsOf, geometryOf } from './night.js';

export interface LaneHeuristicResult {
  /** The moves, or null when the heuristic got stuck (no legal place for a blocker). */
  moves: LaneMove[] | null;
}

const carId = (c: number): VehicleId => `c${c}` as VehicleId;
const placeId = (p: number): PositionId => `p${p}` as PositionId;

/** The state as the placement sees a lot; lanes in `shut` have every place closed. */
function lotOf(night: Night, g: Geometry, state: readonly number[], shut: ReadonlySet<number>): LotView {
  return {
    lanes: night.lanes.map((lane, l) => ({
      id: `l${l}` as LotView['lanes'][number]['id'],
      name: `l${l}`,
      access: lane.access,
      positions: lane.places.map((place, i) => {
        const p = (g.laneStart[l] as number) + i;
        const c = state[p] as number;
        return {
          id: placeId(p),
          index: i,
          chargerKw: null,
          maxSize: place.maxSize,
          closed: place.closed || shut.has(l),
          car:
            c < 0
              ? null
              : {
                  vehicleId: carId(c),
                  departure: night.cars[c]?.leaves ?? 0,
                  estimate: null,
                  movable: g.movable[c] as boolean,
                },
        };
      }),
    })),
  };
}

/** Where the placement would put car `car` (already lifted out of `state`), lanes in `shut` excepted. */
function destination(night: Night, g: Geometry, state: readonly number[], car: number, shut: ReadonlySet<number>) {
  const c = night.cars[car];
  if (c === undefined) return null;
  const best = bestPosition(lotOf(night, g, state, shut), {
    vehicleId: carId(car),
    size: c.size,
    movable: true,
    wantsCharge: false,
    departure: c.leaves,
  });
  return best === null ? null : { to: Number(best.positionId.slice(1)), blocking: best.expectedBlocking };
}

/** The places between `p` and its lane's open end on `side` (front or back), nearest the end first. */
function wayOut(g: Geometry, p: number, side: 'front' | 'back'): number[] {
  const l = g.laneOf[p] as number;
  const out: number[] = [];
  if (side === 'front') for (let q = g.laneStart[l] as number; q < p; q++) out.push(q);
  else for (let q = (g.laneStart[l + 1] as number) - 1; q > p; q--) out.push(q);
  return out;
}

export function solveLanesHeuristic(night: Night, start: readonly number[], problem: LaneProblem): LaneHeuristicResult {
  const g = geometryOf(night);
  const leaves = night.cars.map((c) => c.leaves);
  const state = [...start];
  const moves: LaneMove[] = [];
  const limit = 4 * night.cars.length + 8;
  const move = (car: number, from: number, to: number): void => {
    state[from] = -1;
    state[to] = car;
    moves.push({ car, from, to });
  };
  if (problem === 'retrieve') {
    retrieveFree(g, leaves, state);
    while (state.some((c) => c >= 0)) {
      if (moves.length > limit) return { moves: null };
      const target = pickTarget(g, leaves, state);
      if (target === null) return { moves: null };
      const l = g.laneOf[target.at] as number;
      for (const q of target.way) {
        const car = state[q] as number;
        if (car < 0) continue;
        state[q] = -1;
        const dest = destination(night, g, state, car, new Set([l]));
        state[q] = car;
        if (dest === null) return { moves: null };
        move(car, q, dest.to);
      }
      retrieveFree(g, leaves, state);
    }
    return { moves };
  }
  while (nightBound(g, leaves, state) > 0) {
    if (moves.length > limit) return { moves: null };
    let best: { car: number; from: number; to: number; gain: number } | null = null;
    for (let from = 0; from < state.length; from++) {
      const car = state[from] as number;
      if (car < 0 || !(g.movable[car] as boolean) || exitsOf(g, state, from) === 0) continue;
      const l = g.laneOf[from] as number;
      const before = laneBound(g, leaves, state, l);
      state[from] = -1;
      const saves = before - laneBound(g, leaves, state, l);
      if (saves > 0 && (best === null || saves > best.gain)) {
        const dest = destination(night, g, state, car, new Set([l]));
        if (dest !== null && dest.blocking < 1e-9) best = { car, from, to: dest.to, gain: saves };
      }
      state[from] = car;
    }
    if (best === null) return { moves: null };
    move(best.car, best.from, best.to);
  }
  return { moves };
}

/** The earliest leaver still parked (of those tied, the one with fewest cars in its way) and its way out. */
function pickTarget(
  g: Geometry,
  leaves: readonly number[],
  state: readonly number[],
): { at: number; way: number[] } | null {
  let earliest = Infinity;
  for (const c of state) if (c >= 0) earliest = Math.min(earliest, leaves[c] as number);
  let best: { at: number; way: number[]; cars: number } | null = null;
  for (let p = 0; p < state.length; p++) {
    const c = state[p] as number;
    if (c < 0 || leaves[c] !== earliest) continue;
    const sides: ('front' | 'back')[] = g.through[g.laneOf[p] as number] ? ['front', 'back'] : ['front'];
    for (const side of sides) {
      const way = wayOut(g, p, side);
      const cars = way.filter((q) => (state[q] as number) >= 0);
      if (cars.some((q) => !(g.movable[state[q] as number] as boolean))) continue;
      if (best === null || cars.length < best.cars) best = { at: p, way, cars: cars.length };
    }
  }
  return best === null ? null : { at: best.at, way: best.way };
}
