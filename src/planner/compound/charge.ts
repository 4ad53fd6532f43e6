/**
 * @module Charger rotation: which chargers are worth a swap now, and which EV goes on each. A
 * charger is **idle** when it is open and empty, or held by a car that wants no charge; it is
 * **reachable** for a swap when the car on it can drive off (nothing in front of it on some open
 * end) or, empty, can be driven to. The EV that goes on it wants charge, fits, stands on no
 * charger, and can drive off where it stands now or once `CHARGE_BLOCKERS_MAX` movable cars in front
 * of it shift one place deeper into its lane (their order kept, so no car of the lane blocks one it
 * did not block before); of those, the EVs with the fewest such cars, and of them the one believed to
 * leave first (its charge is needed soonest). The simulator's guards and the server's planning pass
 * ask the same questions.
 */
import { fits } from '../../core/layout.js';
import type { PlanningContext } from './context.js';
import { believedDeparture } from './context.js';
import type { Lot } from './lot.js';

/**
 * Chargers rotate at every hour of the night timeline (noon to noon, minutes from the midnight
 * before the evening) but the morning peak, 05:00 to 09:00: a swap then would keep a guard from a
 * resident waiting for a car. EVs that stay in by day (retirees, night-shift workers home from
 * 07:00) need the day's chargers; with rotation from 17:00 to 05:00 only, EV energy over what the
 * chargers could deliver was 79.5 / 62.3% (through, tight; 16 compounds × 14 days, seeds 101–108),
 * and 86.3 / 65.1% with the day added.
 */
export const CHARGER_PAUSE = { from: 29 * 60, until: 33 * 60 } as const;

/** Whether chargers rotate at `minute` of the night timeline. */
export function rotatesAt(minute: number): boolean {
  return minute < CHARGER_PAUSE.from || minute >= CHARGER_PAUSE.until;
}

/** Whether chargers rotate now. */
function rotating(ctx: PlanningContext): boolean {
  return rotatesAt(ctx.now - ctx.nightBase);
}

/**
 * Cars in front of an EV that a swap may shift one place deeper to let it out. With none, the
 * EVs behind a car never charged: EV energy over what the chargers could deliver was 65.8 / 49.7 /
 * 59.5 / 64.5 / 38.5% (tandem, through, aisle, mixed, tight; 40 compounds × 14 days), and 73.7 /
 * 58.2 / 67.3 / 68.9 / 45.7% with one. With two, 81.9 / 66.7% against 79.5 / 62.3% with one
 * (through, tight; 16 compounds × 14 days, seeds 101–108).
 */
export const CHARGE_BLOCKERS_MAX = 2;

/**
 * A swap on charger position `charger`: `occupant` (-1: none) is moved off; `shifted` (the cars in
 * front of `ev`, nearest the open end first) are lifted and `ev` drives out; each shifted car then
 * takes the place of the one after it (the last takes `ev`'s); `ev` is put on the charger.
 */
export interface ChargerSwap {
  charger: number;
  ev: number;
  occupant: number;
  shifted: number[];
}

/**
 * Whether a car standing on the empty position `p` would shut an empty, open place of its lane off
 * from every open end (an EV parked on a charger at the mouth of an empty dead-end lane would).
 */
function shutsOff(lot: Lot, p: number): boolean {
  const { lane: l, index } = lot.pos(p);
  const lane = lot.lane(l);
  for (let i = 0; i < lane.positions.length; i++) {
    const q = lane.positions[i] as number;
    if (q === p || lot.at(q) !== -1 || lot.pos(q).closed) continue;
    const sides = lot.sides(lane);
    const openBefore = sides.some((side) => lot.carsToward(lane, i, side).length === 0);
    const openAfter = sides.some(
      (side) => lot.carsToward(lane, i, side).length === 0 && (side === 'front' ? index > i : index < i),
    );
    if (openBefore && !openAfter) return true;
  }
  return false;
}

/** Whether the charger on `p` is worth a swap now (see the module comment). */
function swappable(ctx: PlanningContext, p: number): boolean {
  const { lot, cars } = ctx;
  const pos = lot.pos(p);
  if (pos.chargerKw === null || pos.closed || pos.fireLane) return false;
  const occupant = lot.at(p);
  if (occupant === -1) return lot.reachable(p) && !shutsOff(lot, p);
  if (!(cars[occupant]?.movable ?? false) || ctx.wantsCharge(occupant)) return false;
  return lot.blockersOf(p, (c) => cars[c]?.movable ?? false)?.length === 0;
}

/** The chargers worth a swap now, in position order (none in `CHARGER_PAUSE`). */
export function idleChargers(ctx: PlanningContext): number[] {
  const out: number[] = [];
  if (!rotating(ctx)) return out;
  for (let p = 0; p < ctx.lot.positions.length; p++) if (swappable(ctx, p)) out.push(p);
  return out;
}

/**
 * The swap to make on charger `charger` now, or null when it is not worth one or no EV can take it;
 * EVs in a lane of `avoid` (held by another guard) are passed over, and so are EVs behind more than
 * `maxShifted` cars.
 */
export function chargerSwap(
  ctx: PlanningContext,
  charger: number,
  avoid: ReadonlySet<number> = new Set(),
  maxShifted: number = CHARGE_BLOCKERS_MAX,
): ChargerSwap | null {
  if (!rotating(ctx) || !swappable(ctx, charger)) return null;
  const { lot, cars } = ctx;
  const movable = (c: number): boolean => cars[c]?.movable ?? false;
  const occupant = lot.at(charger);
  let best = -1;
  let bestShifted: number[] = [];
  let bestAt = Infinity;
  for (let c = 0; c < cars.length; c++) {
    const car = cars[c];
    if (car === undefined || !car.ev || !car.movable) continue;
    const at = lot.where(c);
    if (at === -1 || lot.pos(at).chargerKw !== null || avoid.has(lot.pos(at).lane)) continue;
    if (!fits(lot.pos(charger), car.size) || !ctx.wantsCharge(c)) continue;
    // The charger's own car, moved off first, is in no one's way after.
    const shifted = lot.blockersOf(at, movable)?.filter((b) => b !== occupant) ?? null;
    if (shifted === null || shifted.length > maxShifted) continue;
    const leaves = believedDeparture(ctx.knowledge(c));
    if (
      best === -1 ||
      shifted.length < bestShifted.length ||
      (shifted.length === bestShifted.length && leaves < bestAt)
    ) {
      best = c;
      bestShifted = shifted;
      bestAt = leaves;
    }
  }
  return best === -1 ? null : { charger, ev: best, occupant, shifted: bestShifted };
}
