/**
 * @module How blocked a lot is, for the morning: blocking pairs (a car and a later leaver in its way)
 * and a lower bound on the relocations the guards will have to make. Both use each car's expected
 * departure (declared, else the estimate's minute, else the planner's unknown-departure assumption).
 */
import type { DepartureEstimate } from './departure.js';
import { UNKNOWN_DEPARTURE, beliefOf } from './departure.js';
import type { LaneView, LotView, ParkedCar, Side } from './lot-view.js';
import { carsToward, sidesOf } from './lot-view.js';

/** How much `blocker`, standing in `blocked`'s way, costs: 1 for a sure relocation, a probability, or 0. */
export type PairCost = (blocker: ParkedCar, blocked: ParkedCar) => number;

/** A car's cost of leaving by one side: the sum of the pair costs of the cars on that side. */
function sideCost(lane: LaneView, index: number, side: Side, blocked: ParkedCar, cost: PairCost): number {
  return carsToward(lane, index, side).reduce((sum, c) => sum + cost(c, blocked), 0);
}

/**
 * The sides a car may leave by: those with no immovable (keyless) car on them. When there is none
 * (a state the placement rules never create), every side, so the cost is still finite.
 */
export function passableSides(lane: LaneView, index: number): Side[] {
  const sides = sidesOf(lane);
  const free = sides.filter((side) => carsToward(lane, index, side).every((c) => c.movable));
  return free.length > 0 ? free : sides;
}

/**
 * The cheapest way out for every car of a lane, summed: for each car, the minimum over its passable
 * sides of the pair costs on that side. In a one-end lane that is simply all cars in front.
 */
export function laneCost(lane: LaneView, cost: PairCost): number {
  let total = 0;
  for (const p of lane.positions) {
    if (p.car === null) continue;
    const car = p.car;
    total += Math.min(...passableSides(lane, p.index).map((side) => sideCost(lane, p.index, side, car, cost)));
  }
  return total;
}

/** A pair cost of 1 when the blocker's expected departure is strictly later than the blocked car's. */
export function laterLeaver(unknown: DepartureEstimate = UNKNOWN_DEPARTURE): PairCost {
  return (blocker, blocked) => (beliefOf(blocker, unknown).at > beliefOf(blocked, unknown).at ? 1 : 0);
}

export interface MetricOptions {
  /** What to assume for a car with neither a declared departure nor an estimate. */
  unknownDeparture?: DepartureEstimate;
}

/**
 * The number of (car, blocker) pairs in which the blocker leaves later than the car it stands in
 * front of. In a through lane a car counts only the blockers on its cheaper way out (the side with
 * fewer later leavers, among sides without a keyless car).
 */
export function blockingCount(lot: LotView, options: MetricOptions = {}): number {
  const cost = laterLeaver(options.unknownDeparture);
  return lot.lanes.reduce((sum, lane) => sum + laneCost(lane, cost), 0);
}

/**
 * A lower bound on the morning's relocations if no car is moved before then.
 *
 * One-end lane: the BRP bound LB1 (Kim & Hong 2006; Caserta, Schwarze & Voß 2012) — the number of
 * cars standing in front of at least one car that leaves strictly earlier. Each such car must be
 * moved at least once, because the car behind it goes first. (It counts blockers, not blocked cars:
 * one blocker in front of two earlier leavers is one relocation, not two.)
 *
 * Through lane: the cars never moved keep their order, and each must find one side already clear
 * when it leaves, so their departures rise and then fall along the lane. At least
 * `cars − longest rise-then-fall subsequence` cars are therefore moved.
 */
export function morningLowerBound(lot: LotView, options: MetricOptions = {}): number {
  let bound = 0;
  for (const lane of lot.lanes) {
    const times = lane.positions.flatMap((p) => (p.car === null ? [] : [beliefOf(p.car, options.unknownDeparture).at]));
    bound += lane.access === 'one-end' ? countBlockers(times) : times.length - longestRiseThenFall(times);
  }
  return bound;
}

/** `times` from the open end inward: how many have a strictly earlier time somewhere deeper. */
function countBlockers(times: number[]): number {
  let count = 0;
  let deeperMin = Infinity;
  for (let i = times.length - 1; i >= 0; i--) {
    const t = times[i] as number;
    if (deeperMin < t) count++;
    deeperMin = Math.min(deeperMin, t);
  }
  return count;
}

/** The length of the longest subsequence that never falls and then never rises. */
export function longestRiseThenFall(times: number[]): number {
  const n = times.length;
  if (n === 0) return 0;
  const rise = new Array<number>(n).fill(1);
  const fall = new Array<number>(n).fill(1);
  const at = (i: number): number => times[i] as number;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) if (at(j) <= at(i)) rise[i] = Math.max(rise[i] as number, (rise[j] as number) + 1);
  for (let i = n - 1; i >= 0; i--)
    for (let j = n - 1; j > i; j--) if (at(j) <= at(i)) fall[i] = Math.max(fall[i] as number, (fall[j] as number) + 1);
  let best = 0;
  for (let i = 0; i < n; i++) best = Math.max(best, (rise[i] as number) + (fall[i] as number) - 1);
  return best;
}
