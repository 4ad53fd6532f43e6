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

/**
 * The state as the placement sees a lot; lanes in `shut` have every place closed, and so have the
 * flat places in `alsoShut`.
 */
function lotOf(
  night: Night,
  g: Geometry,
  state: readonly number[],
  shut: ReadonlySet<number>,
  alsoShut: ReadonlySet<number> = new Set(),
): LotView {
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
          closed: place.closed || shut.has(l) || alsoShut.has(p),
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

/** Where the placement would put car `car` (already lifted out of `state`), lanes in `shut` and places in `alsoShut` excepted. */
function destination(
  night: Night,
  g: Geometry,
  state: readonly number[],
  car: number,
  shut: ReadonlySet<number>,
  alsoShut: ReadonlySet<number> = new Set(),
) {
  const c = night.cars[car];
  if (c === undefined) return null;
  const best = bestPosition(lotOf(night, g, state, shut, alsoShut), {
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
        // Outside the target's lane; failing that, anywhere but on its way out.
        const dest =
          destination(night, g, state, car, new Set([l])) ??
          destination(night, g, state, car, new Set(), new Set([target.at, ...target.way]));
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
    const step = resortStep(night, g, leaves, state);
    if (step === null) return { moves: null };
    for (const m of step) move(m.car, m.from, m.to);
  }
  return { moves };
}

/**
 * The next re-sort moves: the car whose removal saves most of its lane's bound goes where the
 * placement would park it, if that blocks no one; failing that, one other car is first moved where
 * it blocks no one, if that opens such a place for it. Null when neither helps.
 */
function resortStep(night: Night, g: Geometry, leaves: readonly number[], state: number[]): LaneMove[] | null {
  const lifted = (from: number): number => {
    const car = state[from] as number;
    if (car < 0 || !(g.movable[car] as boolean) || exitsOf(g, state, from) === 0) return -1;
    return car;
  };
  const harmless = (car: number, shut: ReadonlySet<number>): number | null => {
    const dest = destination(night, g, state, car, shut);
    return dest !== null && dest.blocking < 1e-9 ? dest.to : null;
  };
  const candidates: { car: number; from: number; saves: number }[] = [];
  for (let from = 0; from < state.length; from++) {
    const car = lifted(from);
    if (car < 0) continue;
    const l = g.laneOf[from] as number;
    const before = laneBound(g, leaves, state, l);
    state[from] = -1;
    const saves = before - laneBound(g, leaves, state, l);
    state[from] = car;
    if (saves > 0) candidates.push({ car, from, saves });
  }
  candidates.sort((a, b) => b.saves - a.saves || a.from - b.from);
  for (const { car, from } of candidates) {
    const own = new Set([g.laneOf[from] as number]);
    state[from] = -1;
    const to = harmless(car, own);
    state[from] = car;
    if (to !== null) return [{ car, from, to }];
  }
  for (const { car, from } of candidates) {
    const own = g.laneOf[from] as number;
    for (let other = 0; other < state.length; other++) {
      const y = lifted(other);
      if (y < 0 || other === from || g.laneOf[other] === own) continue;
      state[other] = -1;
      const yTo = harmless(y, new Set([own, g.laneOf[other] as number]));
      if (yTo === null) {
        state[other] = y;
        continue;
      }
      state[yTo] = y;
      state[from] = -1;
      const to = exitsOf(g, state, from) === 0 ? null : harmless(car, new Set([own]));
      state[from] = car;
      state[yTo] = -1;
      state[other] = y;
      if (to !== null)
        return [
          { car: y, from: other, to: yTo },
          { car, from, to },
        ];
    }
  }
  return null;
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
