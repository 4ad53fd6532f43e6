/**
 * @module The pluggable part of the simulator: a **policy** decides where a guard parks an
 * arriving car, where a blocker goes when it is relocated, and what work the guards do ahead of
 * time (pre-staging before departures, a budgeted night re-sort, charger rotation, sending cars to
 * the partner lot). The engine enforces the rules and the timing; a policy only chooses.
 */
import type { PlannedCar, PlanningContext, ResortMove } from '../planner/compound/index.js';

export type { DepartureKnowledge, ResortMove } from '../planner/compound/index.js';
export { believedDeparture } from '../planner/compound/index.js';

/** A car as the policies see it: the compound planner's car. */
export type SimCar = PlannedCar;

/** What a policy decides with: the compound planner's context. */
export type PolicyContext = PlanningContext;

export interface Policy {
  readonly name: string;
  /** Where to park an arriving car; null when no legal position outside the lanes in `avoid`. */
  park(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number | null;
  /** Where to put a blocker that must make way; the blocker is already lifted off the lot. */
  relocate(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number | null;
  /**
   * Rather than move `blocker` (lifted from `from`, in `forCar`'s way) to `to`, keep it where it
   * stood: put it back once `forCar` has driven off (`leavingNow`, a retrieval), or leave it for
   * now (pre-staging). Absent: never.
   */
  keepsPlace?(
    ctx: PolicyContext,
    blocker: number,
    forCar: number,
    from: number,
    to: number,
    leavingNow: boolean,
  ): boolean;
  /**
   * A blocker put back into its one-end lane after a retrieval goes as deep as it goes (closing the
   * leaver's hole) rather than where it stood.
   */
  readonly putBackDeep: boolean;
  /** Minutes before a known departure at which blocked cars are pre-staged; null for none. */
  readonly prestageLeadMinutes: number | null;
  /**
   * Whether to pre-stage `car` now by moving `blockers` (nearest the open end first). Absent: unless
   * every blocker is expected to leave first.
   */
  prestageWorth?(ctx: PolicyContext, car: number, blockers: readonly number[]): boolean;
  /**
   * When a pre-staged car's first blocker has nowhere else to go (or `keepsPlace` keeps it), whether to reorder its one-end lane
   * instead: the car comes to the front, its blockers go behind it in their order. Absent: never.
   */
  reordersLane?(ctx: PolicyContext, car: number): boolean;
  /**
   * A last look this many minutes before each declared departure (after the looks at
   * `prestageLeadMinutes` and at 20): by then a blocker expected to leave first that has not is less
   * likely to, and blockers put there since are seen. Absent: none.
   */
  readonly prestageLastLookMinutes?: number;
  /** Pre-stage on habit estimates too (cars more likely to leave than not), not only declared departures. */
  readonly prestageEstimated: boolean;
  /**
   * Pre-stage declared departures of the next morning during the night too (just before the re-sort, after
   * the last arrivals), when the night shift is idle, rather than only in the morning peak. Absent: no.
   */
  readonly prestageDeclaredAtNight?: boolean;
  /** Moves the night shift may spend re-sorting lanes; 0 for none. */
  readonly nightResortBudget: number;
  /** The next re-sort move, or null when no move lowers tomorrow's blocking. */
  resortMove(ctx: PolicyContext, avoid: ReadonlySet<number>): ResortMove | null;
  /** Swap charged EVs off the chargers for EVs still waiting. */
  readonly rotatesChargers: boolean;
  /**
   * Cars in front of an EV that a charger swap may shift one place deeper (held on the road while
   * the EV drives out); 0: only EVs that can drive off are taken.
   */
  readonly chargeShifts: number;
  /** A charger swap whose car on the charger has no place elsewhere trades it into the EV's freed place. */
  readonly tradesChargers: boolean;
  /** When a car has no legal position, move a car out of a bay of its own to make one. */
  readonly makesRoom: boolean;
  /** Send a car to the partner lot when the compound has no place (or an EV when every charger is taken). */
  readonly allocatesPartner: boolean;
}

/** Legal positions for `car`, skipping lanes in `avoid`. */
export function legalPositions(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number[] {
  const { lot } = ctx;
  const traits = ctx.cars[car] as SimCar;
  const movable = (c: number): boolean => (ctx.cars[c] as SimCar).movable;
  const out: number[] = [];
  for (let p = 0; p < lot.positions.length; p++) {
    if (avoid.has(lot.pos(p).lane)) continue;
    if (lot.at(p) !== -1) continue;
    if (lot.illegal(p, traits, movable) === null) out.push(p);
  }
  return out;
}

/**
 * The legal position for `car` (outside the lanes in `avoid`) with the least `key`, compared
 * element by element; the first such position on a tie. The placement loop of the guard policies
 * that rank positions by a rule of thumb.
 */
export function leastByKey(
  ctx: PolicyContext,
  car: number,
  avoid: ReadonlySet<number>,
  key: (p: number) => readonly number[],
): number | null {
  let best: number | null = null;
  let bestKey: readonly number[] = [];
  for (const p of legalPositions(ctx, car, avoid)) {
    const k = key(p);
    if (best === null || lexLess(k, bestKey)) {
      best = p;
      bestKey = k;
    }
  }
  return best;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}
