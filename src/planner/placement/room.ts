/**
 * @module The room a lane leaves for later arrivals tonight: how many of its reachable free
 * positions a car could still take without blocking anyone, weighed by how many cars leave early
 * enough to stand there. Placement charges a car for the room it uses up (best fit).
 */
import type { DepartureEstimate } from './departure.js';
import { beliefOf, normalCdf } from './departure.js';
import type { LaneView, ParkedCar, Side } from './lot-view.js';
import { carsToward, indexesToward, reachableFrom } from './lot-view.js';

/**
 * The share of cars leaving by minute `t` (at or before it), from a profile of departures. Each
 * departure is smoothed by ±`PROFILE_BANDWIDTH` minutes and blended with a prior of
 * `PROFILE_PRIOR_WEIGHT` cars around 08:00 ± 1.5 h (assumptions), so that a profile of a few cars
 * does not make 10 minutes look like a gulf. `Infinity` gives 1.
 */
export function shareLeavingBy(profile: readonly number[]): (t: number) => number {
  return (t) => {
    if (t === Infinity) return 1;
    let sum = PROFILE_PRIOR_WEIGHT * normalCdf((t - PROFILE_PRIOR.at) / PROFILE_PRIOR.spread);
    for (const d of profile) sum += normalCdf((t - d) / PROFILE_BANDWIDTH);
    return sum / (profile.length + PROFILE_PRIOR_WEIGHT);
  };
}

const PROFILE_BANDWIDTH = 30;
const PROFILE_PRIOR: DepartureEstimate = { at: 24 * 60 + 8 * 60, spread: 90 };
const PROFILE_PRIOR_WEIGHT = 2;

/**
 * The room a lane leaves for later arrivals: each open, empty, reachable position counts the share
 * of cars that could later stand there without blocking. Where it would stand in front of cars, that
 * is the share leaving no later than the earliest car it would pin (a car beyond it that cannot
 * leave by its other side). Where nothing is beyond it, the deepest such position takes any car (1);
 * one with free positions still beyond it takes a car only if that car leaves before whoever goes
 * deeper first — a coin toss between two later arrivals (½). So an empty deep lane is worth less
 * than its positions, and a late leaver at its back costs little. Size limits are ignored.
 */
export function laneRoom(lane: LaneView, share: (t: number) => number, unknown: DepartureEstimate): number {
  return laneRoomBy(lane, (car) => share(beliefOf(car, unknown).at));
}

/**
 * `laneRoom` for any belief: `fits(car)` is the share of later arrivals that could stand in front of
 * `car` without blocking it (the sim's mixture beliefs pass their own).
 */
export function laneRoomBy(lane: LaneView, fits: (car: ParkedCar) => number): number {
  let room = 0;
  for (const p of lane.positions) {
    if (p.car !== null || p.closed) continue;
    let best = 0;
    for (const entry of reachableFrom(lane, p.index)) {
      const away: Side = entry === 'front' ? 'back' : 'front';
      let limit = Infinity;
      let freeBeyond = false;
      for (const i of indexesToward(lane, p.index, away)) {
        const beyond = lane.positions[i];
        const c = beyond?.car;
        if (!c) {
          if (beyond && !beyond.closed && limit === Infinity) freeBeyond = true;
          continue;
        }
        const pinned = lane.access === 'one-end' || carsToward(lane, i, away).length > 0;
        if (pinned) limit = Math.min(limit, fits(c));
        if (limit === Infinity) break;
      }
      best = Math.max(best, limit === Infinity ? (freeBeyond ? 0.5 : 1) : limit);
    }
    room += best;
  }
  return room;
}
