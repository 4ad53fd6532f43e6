/**
 * @module What the compound planner is given to decide with: the lot, the cars, the minute now, and
 * what is known of each car's next departure. The simulator and the server each build one; the
 * planner reads it and never writes to it (a decision may lift a car off `lot` to try a place, and
 * puts it back before it returns).
 */
import type { VehicleId } from '../../core/brand.js';
import type { VehicleSize } from '../../core/layout.js';
import { normalCdf } from '../placement/departure.js';
import type { Lot } from './lot.js';

/** A car as the planner sees it; its number is its index in `PlanningContext.cars`. */
export interface PlannedCar {
  id: VehicleId;
  size: VehicleSize;
  /** The guards hold the spare key. */
  movable: boolean;
  ev: boolean;
}

/**
 * What is known of a car's next departure, in minutes on the caller's timeline (the simulator's run,
 * the server's night timeline).
 */
export interface DepartureKnowledge {
  /** Declared by the resident, or null; `Infinity` for a declared stay-home day. */
  declared: number | null;
  /** The guess from the car's habit when nothing is declared. */
  estimate: number;
  /** One standard deviation of the guess, minutes. */
  spread: number;
  /**
   * The same knowledge as a mixture: the car leaves before the next evening with probability
   * `leaves` (1 for a declared time, 0 for a declared stay-home day, the car's habit otherwise,
   * lowered as its usual time passes without it leaving), and if it leaves, around `at` ± `atSpread`
   * (for a declared time, the slip seen so far).
   */
  leaves: number;
  at: number;
  atSpread: number;
}

export interface PlanningContext {
  readonly lot: Lot;
  readonly cars: readonly PlannedCar[];
  /** The minute now. */
  readonly now: number;
  /** The minute of the midnight that starts the current night's evening (the night timeline's 0). */
  readonly nightBase: number;
  /** What is known of a car's next departure now (see `knowledgeAt`). */
  knowledge(car: number): DepartureKnowledge;
  /** An EV whose energy request for tonight is not yet met. */
  wantsCharge(car: number): boolean;
  /** Cars without a key that are out or at the gate now (they will need a place where they block no one). */
  keylessToCome(): number;
  /** The next departures of the cars still to come tonight, on the night timeline (see `departureProfile`). */
  readonly departureProfile: readonly number[];
}

/** The best belief of a departure (declared, else estimated). */
export function believedDeparture(k: DepartureKnowledge): number {
  return k.declared ?? k.estimate;
}

/**
 * Minutes a declared departure still counts as declared after its time: the resident may be late,
 * or on the way down; the car's way out is kept clear meanwhile.
 */
export const DECLARED_GRACE = 30;

/**
 * What `k`, known since the evening, says now. A guess whose time has passed without the car
 * leaving is stale: the car evidently leaves later, when is unknown (now + 3 h ± 2 h). A declared
 * time more than `DECLARED_GRACE` minutes past is treated the same way. The mixture is updated by Bayes' rule as
 * the car's usual time passes without it leaving: it still leaves with probability
 * q·S / (q·S + 1 − q), S the chance that a leaver would not have left yet, and not before now.
 */
export function knowledgeAt(k: DepartureKnowledge, now: number): DepartureKnowledge {
  if (k.declared !== null) {
    if (k.declared + DECLARED_GRACE >= now) return k;
  } else if (k.estimate + k.spread / 2 >= now && k.at >= now) {
    return k;
  }
  let { leaves, at, atSpread } = k;
  if (k.declared !== null) {
    if (Number.isFinite(k.declared)) ({ at, atSpread } = { at: now + 180, atSpread: 120 });
  } else if (at < now && leaves > 0) {
    const notYet = 1 - normalCdf((now - at) / Math.max(1, atSpread));
    leaves = (leaves * notYet) / (leaves * notYet + 1 - leaves);
    at = now;
  }
  const stale = k.declared !== null || k.estimate + k.spread / 2 < now;
  return stale
    ? { declared: null, estimate: now + 180, spread: 120, leaves, at, atSpread }
    : { ...k, leaves, at, atSpread };
}

/** Profile entry of a car more likely to stay in than to leave: a departure this far out on the night timeline. */
const STAYS_IN = 3 * 1440;
/** Entries kept in a profile: the room estimate evaluates it for every empty position it scores. */
const PROFILE_SIZE = 24;

/**
 * The departure profile of the cars still to come tonight (`coming`, what is known of each): their
 * next departures on the night timeline, a car more likely to stay in than to leave counting as
 * leaving two days out; at most `PROFILE_SIZE` of them, evenly spread over the sorted list (the
 * same shape, at a fraction of the cost).
 */
export function departureProfile(coming: readonly DepartureKnowledge[], nightBase: number): number[] {
  const times = coming.map((k) => (k.leaves >= 0.5 && Number.isFinite(k.at) ? k.at - nightBase : STAYS_IN));
  times.sort((a, b) => a - b);
  const step = Math.max(1, times.length / PROFILE_SIZE);
  const profile: number[] = [];
  for (let i = step / 2; i < times.length; i += step) profile.push(times[Math.floor(i)] as number);
  return profile;
}
