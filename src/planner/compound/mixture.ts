/**
 * @module Departure beliefs as mixtures, and what one car in another's way costs under them.
 *
 * A car with no declared time does not leave "at 14:00 ± 3 h": an occasional driver either stays
 * in (probability 1 − q) or leaves around its usual time (probability q). A normal belief smears
 * the two together and gets both roles wrong: as a car that may be blocked it looks safe behind
 * a late leaver, and as a car in someone's way it looks like an early leaver. The mixture keeps
 * them apart: the expected blocking of a pair is the probability that the car behind leaves while
 * the car in front is still there (the expected-cost view of stochastic block relocation, Ku &
 * Arthanari 2016; Galle, Boroujeni, Manshadi, Barnhart & Jaillet 2018).
 */
import { normalCdf } from '../placement/departure.js';
import type { DepartureKnowledge } from './context.js';

/** A departure belief: leaves (before the next evening) with probability `leaves`, then around `at` ± `spread`. */
export interface Mixture {
  leaves: number;
  /** Absolute minute. */
  at: number;
  spread: number;
}

/**
 * Residents slip around the time they declared, so a declared time is a narrow normal rather than
 * a point: two cars declared for the same 5-minute slot are a coin toss, not a safe pair. This is
 * the least slip ever assumed, and the assumption before a declared morning has been seen;
 * after that it learns each car's slip (`departure-spread.ts`) and passes it as `atSpread`.
 */
export const DECLARED_SLIP = 3;

export function mixtureOf(k: DepartureKnowledge): Mixture {
  return { leaves: k.leaves, at: k.at, spread: Math.max(k.atSpread, k.declared !== null ? DECLARED_SLIP : 0) };
}

/**
 * The probability that `blocked` leaves while `blocker` still stands in its way: `blocked` leaves,
 * and `blocker` either stays in or leaves later. Normal times, independent.
 */
export function blockCost(blocker: Mixture, blocked: Mixture): number {
  if (blocked.leaves <= 0) return 0;
  const sd = Math.sqrt(blocker.spread * blocker.spread + blocked.spread * blocked.spread);
  const later = sd === 0 ? (blocker.at > blocked.at ? 1 : 0) : normalCdf((blocker.at - blocked.at) / sd);
  return blocked.leaves * (1 - blocker.leaves + blocker.leaves * later);
}
