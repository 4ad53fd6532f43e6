/**
 * @module Evening placement: where a guard should park an arriving car. Every legal position is
 * scored, lowest first, in units of "morning relocations":
 *
 * 1. **Blocking**: the expected number of blocking pairs the car adds (cars it stands in front of
 *    that leave earlier; probabilities when a departure is only estimated). Zero whenever possible.
 * 2. **Blocking time** (only when it must block): the min–max rule of BRP heuristics (Caserta, Schwarze &
 *    Voß 2012) — rather block cars that leave late, close to the arriving car's own time.
 * 3. **Room left for later arrivals** (best fit): every reachable empty position can later take a
 *    car without blocking only if that car leaves no later than the cars it would stand in front of.
 *    The score charges the loss of that room, weighed by how many cars leave by then (the departure
 *    profile). This puts a car in front of the car that leaves soonest after it (the tightest fit),
 *    as deep as it can go, keeps empty deep lanes for late leavers and bays for early ones, and
 *    charges a keyless car for the empty positions it shuts off behind it.
 * 4. **Chargers**: an EV that wants to charge gains at a charger; any other car pays for taking one,
 *    and every car pays for each charger it shuts off behind it (the charger leaves the rotation).
 * 5. **Size**: a small cost for taking a position larger than the car needs.
 *
 * Hard rules: a position is used only if it is free, not closed tonight, large enough, and
 * reachable from an open end without passing a car. **No key, no blocking**: a car whose spare key
 * the guards do not hold is placed only where it stands in no other car's way, now or later.
 */
import type { LaneId, PositionId, VehicleId } from '../../core/brand.js';
import type { VehicleSize } from '../../core/layout.js';
import { VEHICLE_SIZES, fits as fitsSize } from '../../core/layout.js';
import type { PairCost } from './blocking.js';
import { laneCost, passableSides } from './blocking.js';
import { laneRoomBy, shareLeavingBy } from './room.js';
import type { DepartureBelief, DepartureEstimate, HasDeparture } from './departure.js';
import { UNKNOWN_DEPARTURE, beliefOf, clockOf, describeBelief, probLeavesAfter } from './departure.js';
import type { LaneView, LotView, ParkedCar, PositionView, Side } from './lot-view.js';
import {
  carsToward,
  coreBlockingIndexes,
  findPosition,
  indexesToward,
  laneWithCarAt,
  reachableFrom,
  sidesOf,
} from './lot-view.js';

/** A car at the gate, to be parked. */
export interface ArrivingCar extends HasDeparture {
  vehicleId: VehicleId;
  size: VehicleSize;
  /** True when the guards hold the spare key (so the car may be relocated, and may block others). */
  movable: boolean;
  /** An EV that wants to charge tonight. */
  wantsCharge: boolean;
}

/** Weights of the score, in morning relocations. */
export interface PlacementWeights {
  /** Per expected blocking pair added. */
  blockedPair: number;
  /** Per hour by which the earliest car it blocks leaves before it (only when it blocks). */
  blockingHour: number;
  /** Per position of room lost for later arrivals (room = positions × share of cars that fit in front). */
  room: number;
  /** Gain for an EV that wants to charge at a charger; below `blockedPair`, so it never buys a sure block. */
  charger: number;
  /** Cost for a car that does not charge taking a charger position. */
  chargerTaken: number;
  /**
   * Cost per charger position of its lane that the car shuts off from every open end (the car on
   * it can no longer be swapped off, nor an EV be put there, until the car in front goes).
   */
  chargerShut: number;
  /** Per size class a position could take beyond the car's size, to keep large positions for large cars. */
  oversize: number;
}

export const DEFAULT_WEIGHTS: PlacementWeights = {
  blockedPair: 1,
  blockingHour: 0.05,
  room: 0.1,
  charger: 0.5,
  chargerTaken: 0.25,
  // Shutting a charger off takes it out of the night's rotation as surely as standing on it.
  chargerShut: 0.25,
  oversize: 0.02,
};

export interface PlacementOptions {
  /** What to assume for a car (parked or arriving) with neither a declared departure nor an estimate. */
  unknownDeparture?: DepartureEstimate;
  /**
   * Typical departures of this compound's cars on the night's timeline (e.g. last month's), used to
   * judge how much room a position leaves for later arrivals. Defaults to the expected departures
   * of the cars in the lot and the arriving one.
   */
  departureProfile?: readonly number[];
  weights?: Partial<PlacementWeights>;
  /**
   * The beliefs the blocking and the room are scored under; by default each departure is a normal
   * (`beliefOf`), its pairs costed by `probLeavesAfter` and its room by the departure profile.
   * The compound planner passes its mixture beliefs (`src/planner/compound/mixture.ts`).
   */
  beliefs?: PlacementBeliefs;
}

/** What the score believes of departures: the cost of a pair, and the room in front of a car. */
export interface PlacementBeliefs {
  /** The expected blocking of `blocker` standing in `blocked`'s way (a probability, or 0 or 1). */
  pairCost: PairCost;
  /** The share of later arrivals that could stand in front of `car` without blocking it. */
  fits: (car: ParkedCar) => number;
}

/**
 * The default beliefs: each departure a normal (`beliefOf`); a pair costs the probability that
 * the blocker leaves later, and a car leaves room for the share of the profile leaving by its
 * expected time. The profile defaults to the expected departures of the cars in the lot and `car`.
 */
export function normalBeliefs(lot: LotView, car: ArrivingCar, options: PlacementOptions = {}): PlacementBeliefs {
  const unknown = options.unknownDeparture ?? UNKNOWN_DEPARTURE;
  const share = shareLeavingBy(
    options.departureProfile ?? [
      ...lot.lanes.flatMap((l) => l.positions.flatMap((p) => (p.car ? [beliefOf(p.car, unknown).at] : []))),
      beliefOf(car, unknown).at,
    ],
  );
  return {
    pairCost: (blocker, blocked) => probLeavesAfter(beliefOf(blocker, unknown), beliefOf(blocked, unknown)),
    fits: (c) => share(beliefOf(c, unknown).at),
  };
}

export type PlacementStatus = 'placed' | 'no-position' | 'no-keyless-position';

export interface PlacementResult {
  status: PlacementStatus;
  vehicleId: VehicleId;
  /** Set when placed. */
  positionId: PositionId | null;
  laneId: LaneId | null;
  /** Cars it stands in front of that are expected to leave earlier (each a likely relocation of it). */
  blocks: VehicleId[];
  /** Expected blocking pairs added (probabilities summed when departures are estimated). */
  expectedBlocking: number;
  /** The score of the chosen position (lower is better); 0 when not placed. */
  score: number;
  /** One line for the guard's screen, e.g. "blocks no one; in front of a car leaving 07:40". */
  reason: string;
  /** The next best legal positions, best first (at most `MAX_ALTERNATIVES`), for a guard who cannot use the first. */
  alternatives: PlacementAlternative[];
}

export interface PlacementAlternative {
  positionId: PositionId;
  laneId: LaneId;
  blocks: VehicleId[];
  score: number;
}

export const MAX_ALTERNATIVES = 3;

/** Why a position may not take a car; `null` means it may. */
export type IllegalReason =
  'unknown-position' | 'occupied' | 'closed' | 'too-small' | 'unreachable' | 'keyless-would-block';

/**
 * Whether `car` may be parked at `positionId` tonight: free, open, large enough, reachable, and —
 * for a keyless car — in no other car's way. The rules `placeArrival` obeys, for checking a
 * guard's own choice.
 */
export function illegalReason(lot: LotView, car: ArrivingCar, positionId: PositionId): IllegalReason | null {
  const where = findPosition(lot, positionId);
  if (where === undefined) return 'unknown-position';
  const { lane, position } = where;
  if (position.car !== null) return 'occupied';
  if (position.closed) return 'closed';
  if (!fitsSize(position, car.size)) return 'too-small';
  if (reachableFrom(lane, position.index).length === 0) return 'unreachable';
  if (!car.movable && !keylessMayStand(lane, position.index, car)) return 'keyless-would-block';
  return null;
}

/**
 * A keyless car may stand at `index` when, with it there, every car of the lane still has a way
 * out with no keyless car on it, and core's rule holds: it is not among the cars core counts as
 * in another car's way (the side with fewer cars). In a one-end lane both say: no car deeper.
 * Later arrivals cannot change this: they come from an open end, so the side they came by is free
 * of keyless cars unless a later keyless car is placed there, and that one is checked in turn.
 */
export function keylessMayStand(lane: LaneView, index: number, car: ParkedCar | ArrivingCar): boolean {
  const after = laneWithCarAt(lane, index, {
    vehicleId: car.vehicleId,
    departure: car.departure,
    estimate: car.estimate ?? null,
    movable: false,
  });
  return after.positions.every((p) => {
    if (p.car === null || p.index === index) return true;
    const hasFreeSide = sidesOf(after).some((side) => carsToward(after, p.index, side).every((c) => c.movable));
    return hasFreeSide && !coreBlockingIndexes(after, p.index).includes(index);
  });
}

interface Candidate {
  lane: LaneView;
  position: PositionView;
  /** Order of the lane in the lot, for a stable tie-break. */
  laneOrder: number;
  expectedBlocking: number;
  blocks: VehicleId[];
  earliestBlocked: DepartureBelief | null;
  roomLost: number;
  score: number;
  /** The car it stands directly in front of on its way in, if any. */
  nextCar: ParkedCar | null;
}

/**
 * Chooses the position for one arriving car (see the module comment for the rule). Never throws
 * for an expected outcome: a full lot is `no-position`, a keyless car with nowhere harmless to go
 * is `no-keyless-position` (send it to the partner lot or refuse it).
 */
export function placeArrival(lot: LotView, car: ArrivingCar, options: PlacementOptions = {}): PlacementResult {
  const unknown = options.unknownDeparture ?? UNKNOWN_DEPARTURE;
  const { candidates, legalIgnoringKey } = scoreCandidates(lot, car, options);
  if (candidates.length === 0) {
    const keyless = !car.movable && legalIgnoringKey > 0;
    return {
      status: keyless ? 'no-keyless-position' : 'no-position',
      vehicleId: car.vehicleId,
      positionId: null,
      laneId: null,
      blocks: [],
      expectedBlocking: 0,
      score: 0,
      alternatives: [],
      reason: keyless
        ? 'guards hold no key for this car and every free position would stand in front of another car; send it to the partner lot or refuse it'
        : `no free open position fits a ${car.size} car tonight`,
    };
  }
  candidates.sort(compareCandidates);
  const best = candidates[0] as Candidate;
  return {
    status: 'placed',
    vehicleId: car.vehicleId,
    positionId: best.position.id,
    laneId: best.lane.id,
    blocks: best.blocks,
    expectedBlocking: best.expectedBlocking,
    score: best.score,
    reason: reasonFor(best, candidates, car, beliefOf(car, unknown), unknown),
    alternatives: candidates
      .slice(1, 1 + MAX_ALTERNATIVES)
      .map((c) => ({ positionId: c.position.id, laneId: c.lane.id, blocks: c.blocks, score: c.score })),
  };
}

/** The best position by `placeArrival`'s score, with no reason or alternatives; null when none is legal. */
export function bestPosition(
  lot: LotView,
  car: ArrivingCar,
  options: PlacementOptions = {},
): { positionId: PositionId; expectedBlocking: number; score: number } | null {
  let best: Candidate | null = null;
  for (const c of scoreCandidates(lot, car, options).candidates)
    if (best === null || compareCandidates(c, best) < 0) best = c;
  return best === null
    ? null
    : { positionId: best.position.id, expectedBlocking: best.expectedBlocking, score: best.score };
}

/** Lowest score first; ties to the earlier lane, then the deeper position. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return compareScores(a.score, b.score) || a.laneOrder - b.laneOrder || depthOf(b) - depthOf(a);
}

/**
 * How far a position is from the open end nearest to it: its index in a one-end lane; in a through
 * row the distance to the nearer end, so a tie goes to the middle of the row, where a late leaver
 * leaves both ends free for earlier ones (their departures then rise and fall along the row).
 */
function depthOf(c: Candidate): number {
  const i = c.position.index;
  return c.lane.access === 'through' ? Math.min(i, c.lane.positions.length - 1 - i) : i;
}

/** Every legal position for `car`, scored: the one score of evening placement and relocation. */
function scoreCandidates(
  lot: LotView,
  car: ArrivingCar,
  options: PlacementOptions,
): { candidates: Candidate[]; legalIgnoringKey: number } {
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const unknown = options.unknownDeparture ?? UNKNOWN_DEPARTURE;
  const { pairCost, fits } = options.beliefs ?? normalBeliefs(lot, car, options);
  const me = beliefOf(car, unknown);
  const parked: ParkedCar = {
    vehicleId: car.vehicleId,
    departure: car.departure,
    estimate: car.estimate ?? null,
    movable: car.movable,
  };
  const candidates: Candidate[] = [];
  let legalIgnoringKey = 0;
  lot.lanes.forEach((lane, laneOrder) => {
    const costBefore = laneCost(lane, pairCost);
    const roomBefore = laneRoomBy(lane, fits);
    for (const position of lane.positions) {
      if (position.car !== null || position.closed || !fitsSize(position, car.size)) continue;
      const entries = reachableFrom(lane, position.index);
      if (entries.length === 0) continue;
      legalIgnoringKey++;
      if (!car.movable && !keylessMayStand(lane, position.index, car)) continue;
      const after = laneWithCarAt(lane, position.index, parked);
      const expectedBlocking = Math.max(0, laneCost(after, pairCost) - costBefore);
      const blocked = blockedBy(lane, after, position.index, unknown);
      const earliestBlocked = blocked.reduce<DepartureBelief | null>(
        (e, b) => (e === null || b.belief.at < e.at ? b.belief : e),
        null,
      );
      const roomLost = roomBefore - laneRoomBy(after, fits);
      let score = weights.blockedPair * expectedBlocking + weights.room * roomLost;
      if (earliestBlocked !== null)
        score += weights.blockingHour * Math.min(12, Math.max(0, (me.at - earliestBlocked.at) / 60));
      if (position.chargerKw !== null) score += car.wantsCharge ? -weights.charger : weights.chargerTaken;
      score += weights.chargerShut * chargersShut(lane, after, position.index);
      score += weights.oversize * (VEHICLE_SIZES.indexOf(position.maxSize) - VEHICLE_SIZES.indexOf(car.size));
      candidates.push({
        lane,
        position,
        laneOrder,
        expectedBlocking,
        blocks: blocked.map((b) => b.car.vehicleId),
        earliestBlocked,
        roomLost,
        score,
        nextCar: nearestCarBeyond(lane, position.index, entries),
      });
    }
  });
  return { candidates, legalIgnoringKey };
}

/**
 * Charger positions of the lane, other than `index`, that a car could reach or leave before the car
 * stood at `index` and no longer can after (a charger behind it is out of the rotation until it goes).
 */
function chargersShut(before: LaneView, after: LaneView, index: number): number {
  let n = 0;
  for (const p of before.positions)
    if (
      p.index !== index &&
      p.chargerKw !== null &&
      !p.closed &&
      reachableFrom(before, p.index).length > 0 &&
      reachableFrom(after, p.index).length === 0
    )
      n++;
  return n;
}

/** Scores within a rounding error are equal, so ties fall to the stable order (lane, then deeper). */
function compareScores(a: number, b: number): number {
  return Math.abs(a - b) < 1e-9 ? 0 : a - b;
}

/**
 * The cars whose cheapest way out (counting later leavers, on sides without a keyless car) got
 * worse because the car at `index` now stands in `after`, and that leave before it.
 */
function blockedBy(
  before: LaneView,
  after: LaneView,
  index: number,
  unknown: DepartureEstimate,
): { car: ParkedCar; belief: DepartureBelief }[] {
  const me = after.positions[index]?.car;
  if (!me) return [];
  const myBelief = beliefOf(me, unknown);
  const out: { car: ParkedCar; belief: DepartureBelief }[] = [];
  for (const p of after.positions) {
    if (p.car === null || p.index === index) continue;
    const belief = beliefOf(p.car, unknown);
    if (myBelief.at <= belief.at) continue;
    const later = (c: ParkedCar): number => (beliefOf(c, unknown).at > belief.at ? 1 : 0);
    const cheapest = (lane: LaneView): number =>
      Math.min(
        ...passableSides(lane, p.index).map((side) =>
          carsToward(lane, p.index, side).reduce((sum, c) => sum + later(c), 0),
        ),
      );
    if (cheapest(after) > cheapest(before)) out.push({ car: p.car, belief });
  }
  return out;
}

/**
 * The car a new car at `index` would stand directly in front of, seen from the side it came in by;
 * null when there is none, or when that car can still leave by the lane's other end.
 */
function nearestCarBeyond(lane: LaneView, index: number, entries: Side[]): ParkedCar | null {
  for (const entry of entries) {
    const away: Side = entry === 'front' ? 'back' : 'front';
    const at = indexesToward(lane, index, away).find((i) => (lane.positions[i]?.car ?? null) !== null);
    if (at === undefined) continue;
    const pinned = lane.access === 'one-end' || carsToward(lane, at, away).length > 0;
    if (pinned) return lane.positions[at]?.car ?? null;
  }
  return null;
}

function reasonFor(
  best: Candidate,
  all: readonly Candidate[],
  car: ArrivingCar,
  me: DepartureBelief,
  unknown: DepartureEstimate,
): string {
  const parts: string[] = [];
  const laneName = `lane ${best.lane.name}`;
  if (best.blocks.length === 0) {
    if (best.nextCar !== null) {
      parts.push(
        `blocks no one; ${laneName}, in front of a car leaving ${describeBelief(beliefOf(best.nextCar, unknown))}`,
      );
    } else if (best.lane.positions.length === 1) {
      parts.push(`blocks no one; single bay ${best.lane.name}`);
    } else if (best.lane.positions.every((p) => p.car === null)) {
      parts.push(`blocks no one; ${laneName} is empty, deepest free position`);
    } else {
      parts.push(`blocks no one; ${laneName}, deepest free position, every car there can still leave`);
    }
    const risk = best.expectedBlocking;
    if (risk >= 1) parts.push(`but departures are uncertain: may block ${risk.toFixed(1)} cars`);
    else if (risk >= 0.05) parts.push(`risk of blocking ${Math.round(risk * 100)}%`);
  } else {
    const n = best.blocks.length;
    const first = best.earliestBlocked === null ? '' : ` (first at ${clockOf(best.earliestBlocked.at)})`;
    const why = all.some((c) => c.blocks.length === 0)
      ? 'the positions that block no one are riskier or worse'
      : 'no free position avoids it';
    parts.push(`blocks ${n} car${n === 1 ? '' : 's'} leaving earlier${first}; ${why}; ${laneName}`);
  }
  if (best.position.chargerKw !== null)
    parts.push(car.wantsCharge ? `charger ${best.position.chargerKw} kW` : 'charger position (the others are worse)');
  else if (car.wantsCharge)
    parts.push(
      all.some((c) => c.position.chargerKw !== null) ? 'a free charger would block others' : 'no charger free',
    );
  if (!car.movable) parts.push('no key: stands in no one’s way');
  parts.push(`leaves ${describeBelief(me)}`);
  return parts.join('; ');
}
