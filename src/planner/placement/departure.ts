/**
 * @module What the planner believes about when a car leaves. A **departure** is a minute on the
 * **night's timeline**: minutes since local midnight (Asia/Shanghai) at the start of the evening's
 * day, so 19:30 that evening is 1170 and 07:40 next morning is 1900. A declared departure is a
 * point; an undeclared one is a guess from the car's history, given as a typical minute and a
 * spread (one standard deviation, in minutes): the larger the spread, the less the planner trusts it.
 */

/** A history-based guess of an undeclared departure, e.g. the household's median weekday departure. */
export interface DepartureEstimate {
  /** Typical departure on the night's timeline. */
  at: number;
  /** One standard deviation, in minutes (0 = as sure as a declared time). */
  spread: number;
}

/** Anything with a departure: a parked car or an arriving one. */
export interface HasDeparture {
  /** Declared departure on the night's timeline, or null when the resident declared none. */
  departure: number | null;
  /** The caller's guess when `departure` is null; ignored when a departure is declared. */
  estimate?: DepartureEstimate | null;
}

/** A belief about one departure: a normal distribution with mean `at` and deviation `spread`. */
export interface DepartureBelief {
  at: number;
  spread: number;
  source: 'declared' | 'estimated' | 'unknown';
}

/**
 * What the planner assumes for a car with neither a declared departure nor an estimate: some time in
 * the morning peak, with a wide spread (08:00 next morning ± 3 h). An assumption, overridable.
 */
export const UNKNOWN_DEPARTURE: DepartureEstimate = { at: 24 * 60 + 8 * 60, spread: 180 };

export function beliefOf(car: HasDeparture, unknown: DepartureEstimate = UNKNOWN_DEPARTURE): DepartureBelief {
  if (car.departure !== null) return { at: car.departure, spread: 0, source: 'declared' };
  const e = car.estimate;
  if (e !== undefined && e !== null) return { at: e.at, spread: Math.max(0, e.spread), source: 'estimated' };
  return { at: unknown.at, spread: Math.max(0, unknown.spread), source: 'unknown' };
}

/**
 * The probability that `a` leaves strictly later than `b` (so that `a`, standing in `b`'s way,
 * must be relocated). Two declared times give 0 or 1; a tie counts as not later, since the car in
 * front simply goes first. Beliefs are treated as independent normal distributions.
 */
export function probLeavesAfter(a: DepartureBelief, b: DepartureBelief): number {
  const sd = Math.sqrt(a.spread * a.spread + b.spread * b.spread);
  if (sd === 0) return a.at > b.at ? 1 : 0;
  return normalCdf((a.at - b.at) / sd);
}

/** Standard normal CDF, via the Abramowitz–Stegun 7.1.26 approximation of erf (error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** `HH:MM` of a minute on the night's timeline (07:40 for 1900), for reasons shown to guards. */
export function clockOf(minute: number): string {
  const m = ((Math.round(minute) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** How a belief reads in a reason: "07:40", "~07:40 (estimated)" or "unknown". */
export function describeBelief(b: DepartureBelief): string {
  switch (b.source) {
    case 'declared':
      return clockOf(b.at);
    case 'estimated':
      return `~${clockOf(b.at)} (estimated ±${Math.round(b.spread)} min)`;
    case 'unknown':
      return 'unknown';
  }
}
