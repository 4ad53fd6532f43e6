/**
 * @module Pre-staging: which blockers move ahead of a departure, and when the planner looks. A
 * blocker stands between a car and the open end; moving it before the resident comes turns a wait
 * in the morning peak into a move made while the guards have time. The decisions are bets on
 * departures (the expected-cost view of stochastic block relocation, Ku & Arthanari 2016).
 */
import { laneCost } from '../placement/index.js';
import type { PlanningContext, PlannedCar } from './context.js';
import { believedDeparture } from './context.js';
import { blockCost, mixtureOf } from './mixture.js';
import { RELOCATION_WEIGHTS, mixtureBeliefs, place } from './place.js';
import { laneView } from './view.js';

/**
 * The first look before a known departure, minutes: early enough for two guards to clear a lane
 * of several blockers before the morning peak fills their hands.
 */
export const PRESTAGE_FIRST_LOOK = 45;

/** The second look, minutes before the departure: blockers put there since the first are seen. */
export const PRESTAGE_SECOND_LOOK = 20;

/**
 * The last look before a declared departure, minutes: time for a guard to fetch the key and move
 * one blocker (6.5 minutes in the demo compound) with a little to spare (a look at 5 minutes did
 * better only because the moved blocker is off the lot from the move's start). By then a blocker
 * expected to leave first that has not is less likely to.
 */
export const PRESTAGE_LAST_LOOK = 10;

/**
 * The minute of the night timeline from which the night shift works ahead (declared departures of
 * the morning pre-staged, then the re-sort): 01:00, after the last arrivals.
 */
export const NIGHT_WORK_MINUTE = 25 * 60;

/** The night timeline's noon: the night's work (and its re-sort budget) ends with the night. */
export const NIGHT_END_MINUTE = 36 * 60;

/**
 * The night's look at the declared departures of the morning is one look, at `NIGHT_WORK_MINUTE`:
 * a planner run periodically (the server's planning pass, every 2 minutes) makes it in the runs
 * that fall within this many minutes of it (a blocker with an open move is not planned again).
 */
export const NIGHT_LOOK_MINUTES = 5;

/** Minutes before a departure beyond which pre-staging is night work (the morning's runs at the looks above). */
export const NIGHT_LEAD = 90;

/**
 * A blocker is moved ahead of a declared departure when the car behind it is likely enough to
 * leave while it still stands there.
 */
const PRESTAGE_MIN_RISK = 0.5;

/**
 * Whether to pre-stage `car` now by moving `blockers` (nearest the open end first). A declared
 * departure is prepared when a blocker is more likely than not still in its way. For a car that
 * has not declared, the moves are weighed against the one wait they may spare: with probability
 * `risk` (the car leaves while a blocker still stands there) the resident would otherwise wait for
 * them, whatever their number (any blocker makes a wait of minutes); otherwise all n moves are
 * wasted, and each moved blocker also brings the expected blocking it adds where it goes (moves
 * that may have to be made again). Pre-stage when risk ≥ (1 − risk) · (n + added), a spared wait
 * counted as one relocation: a lone blocker with a free place is moved at even odds, two need
 * 2 : 1. (A fixed risk of 0.5 for every car moved most blockers of all; 0.7 or weighing each spared
 * move as half a relocation cut more moves but let more than one departure in twenty wait, seeds
 * 1–3.)
 */
export function prestageWorth(ctx: PlanningContext, car: number, blockers: readonly number[]): boolean {
  const k = ctx.knowledge(car);
  const mine = mixtureOf(k);
  const risk = Math.max(0, ...blockers.map((b) => blockCost(mixtureOf(ctx.knowledge(b)), mine)));
  if (k.declared !== null) return risk >= PRESTAGE_MIN_RISK;
  const { lot } = ctx;
  const source = lot.pos(lot.where(car)).lane;
  let added = 0;
  for (const b of blockers) {
    const from = lot.remove(b);
    added += place(ctx, b, new Set([source]), RELOCATION_WEIGHTS)?.blocking ?? 0;
    lot.place(b, from);
  }
  return risk >= (1 - risk) * (blockers.length + added);
}

/**
 * Whether a blocker stays where it stood rather than go to `to`, by expected blocking (mixture
 * beliefs); `blocker` is lifted off the lot (from `from`). During a retrieval (`leavingNow`) it
 * goes back in once the car has left when it would block no more there than at `to`: the lane
 * keeps its order, and the room elsewhere stays free. Pre-staging goes ahead unless `to` would
 * more likely than not put the blocker in another leaver's way and a later look remains
 * (`laterLook`): a move that makes another blocking is a second move in the morning peak, while a
 * later look finds the room the cars leaving meanwhile have made (at night, guards who reorder
 * lanes may reorder this one instead: `reordersLane`). Declining it outright (no later look)
 * saved relocations but cost more waits than it saved. Leaving it to the later look: seeds
 * 1–4 of the tandem and tight families, relocations −12% (4,405 → 3,879), declared departures on
 * time 96.7% → 96.4% (mean of the compounds). A blocker very likely gone by the second look
 * (`goneBySecondLook`) is not moved ahead of that look: the lane clears of it by itself. Seeds 1–8
 * of the generated families (tandem, through, aisle, mixed, tight): relocations per departure
 * 0.157/0.176/0.052/0.088/0.378 → 0.151/0.158/0.047/0.076/0.377, declared departures on time
 * 99.1/98.5/99.8/99.7/94.1% → 98.7/98.8/99.9/99.7/94.7% (seeds 101–108 alike).
 */
export function keepsPlace(
  ctx: PlanningContext,
  blocker: number,
  forCar: number,
  from: number,
  to: number,
  leavingNow: boolean,
): boolean {
  const { lot } = ctx;
  const cost = mixtureBeliefs(ctx).pairCost;
  const addedAt = (p: number): number => {
    const l = lot.pos(p).lane;
    const before = laneCost(laneView(ctx, l), cost);
    lot.place(blocker, p);
    const after = laneCost(laneView(ctx, l), cost);
    lot.remove(blocker);
    return after - before;
  };
  if (!leavingNow && laterLook(ctx, forCar) && goneBySecondLook(ctx, blocker, forCar)) return true;
  const there = addedAt(to);
  if (!leavingNow) {
    // A lane reorder (`reordersLane`) comes only more than `NIGHT_LEAD` ahead: a later look remains then too.
    return there >= PRESTAGE_MIN_RISK && laterLook(ctx, forCar);
  }
  const at = lot.remove(forCar);
  const back = addedAt(from);
  lot.place(forCar, at);
  return back <= there;
}

/**
 * Odds at which a blocker counts as gone by the second look: it stands in the car's way at
 * `PRESTAGE_SECOND_LOOK` minutes before the departure with at most this probability.
 */
const GONE_BY_SECOND_LOOK_RISK = 0.25;

/**
 * Whether `blocker` is very likely gone by the second look before `car`'s departure: moving it
 * ahead of that look is then most likely a wasted move, as the lane clears of it by itself, and
 * the second look still has time to move the cars deeper in.
 */
function goneBySecondLook(ctx: PlanningContext, blocker: number, car: number): boolean {
  const mine = mixtureOf(ctx.knowledge(car));
  const atSecondLook = { ...mine, at: mine.at - PRESTAGE_SECOND_LOOK };
  return blockCost(mixtureOf(ctx.knowledge(blocker)), atSecondLook) <= GONE_BY_SECOND_LOOK_RISK;
}

/**
 * Whether a later look before `car`'s departure remains (the second look, at
 * `PRESTAGE_SECOND_LOOK` minutes): a move that would put the blocker in another leaver's way is
 * then better left to that look, when the cars leaving meanwhile have made room elsewhere.
 */
function laterLook(ctx: PlanningContext, car: number): boolean {
  return believedDeparture(ctx.knowledge(car)) - ctx.now > PRESTAGE_SECOND_LOOK;
}

/**
 * In a full lot a blocker has nowhere else to go (or only into another leaver's way); at night the
 * guard may still bring the declared leaver to the front, its blockers going back behind it in
 * their order, the road serving as the buffer. That is one sure move more than the morning would
 * need (by then early leavers have made room), so it is done only at night (more than
 * `NIGHT_LEAD` before the departure), when the night shift is idle and the morning peak, with both
 * guards saturated, would keep the resident waiting; and only when every blocker is more likely
 * than not to stand there when the car leaves (a blocker that leaves first would make the extra
 * move a waste). Seeds 1–8, with the keep rule of `keepsPlace`: mean on time 0.9925 → 0.9961,
 * relocations per departure 0.1206 → 0.1191 (single blockers only before; reorders of up to three
 * blockers without the risk rule gave 0.9944 on time but 0.1274 relocations).
 */
export function reordersLane(ctx: PlanningContext, car: number): boolean {
  const { lot } = ctx;
  if (believedDeparture(ctx.knowledge(car)) - ctx.now <= NIGHT_LEAD) return false;
  const blockers = lot.blockersOf(lot.where(car), (c) => (ctx.cars[c] as PlannedCar).movable) ?? [];
  const mine = mixtureOf(ctx.knowledge(car));
  return (
    blockers.length > 0 && blockers.every((b) => blockCost(mixtureOf(ctx.knowledge(b)), mine) >= PRESTAGE_MIN_RISK)
  );
}
