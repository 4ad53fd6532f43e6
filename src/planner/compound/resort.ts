/**
 * @module The night re-sort, one move at a time: while the night shift is idle, the cars that cost
 * most in expected blocking tomorrow are moved to where the placement would put them (the
 * pre-marshalling problem, solved greedily under the mixture beliefs).
 */
import { laneCost } from '../placement/index.js';
import type { PlanningContext, PlannedCar } from './context.js';
import { mixtureBeliefs, place } from './place.js';
import { laneView } from './view.js';

/** A re-sort move: car `car` to position number `to`. */
export interface ResortMove {
  car: number;
  to: number;
}

/** Moves the night shift may spend re-sorting in one night. */
export const NIGHT_RESORT_BUDGET = 40;

/**
 * Expected relocations a night move must save to be worth making: the move itself is a sure
 * relocation, but it is made at night, while a saved one would keep a resident waiting (0.35 and 1
 * were no better over seeds 1–4).
 */
const RESORT_MIN_GAIN = 0.5;

/** Candidates tried per move, most expected blocking saved first. */
const RESORT_CANDIDATES = 8;

/**
 * The next re-sort move, or null when none saves enough: of the cars that can be driven out and
 * stand in others' way (outside the lanes in `avoid`), the few that cost most in expected blocking
 * are each tried where the placement would put them; the move that saves the most expected
 * blocking is made, if it saves at least `RESORT_MIN_GAIN`.
 */
export function resortMove(ctx: PlanningContext, avoid: ReadonlySet<number>): ResortMove | null {
  const { lot } = ctx;
  const cost = mixtureBeliefs(ctx).pairCost;
  const candidates: { car: number; saves: number }[] = [];
  lot.lanes.forEach((lane, l) => {
    if (avoid.has(l) || lane.positions.length < 2) return;
    const view = laneView(ctx, l);
    const total = laneCost(view, cost);
    if (total < RESORT_MIN_GAIN) return;
    for (const position of view.positions) {
      const q = lane.positions[position.index] as number;
      const car = lot.at(q);
      if (car === -1 || !(ctx.cars[car] as PlannedCar).movable || !lot.reachable(q)) continue;
      const without = {
        ...view,
        positions: view.positions.map((x) => (x.index === position.index ? { ...x, car: null } : x)),
      };
      const saves = total - laneCost(without, cost);
      if (saves >= RESORT_MIN_GAIN) candidates.push({ car, saves });
    }
  });
  candidates.sort((a, b) => b.saves - a.saves || a.car - b.car);
  let best: ResortMove | null = null;
  let bestGain = RESORT_MIN_GAIN - 1e-9;
  for (const { car, saves } of candidates.slice(0, RESORT_CANDIDATES)) {
    if (saves <= bestGain) break;
    const from = lot.where(car);
    lot.remove(car);
    const to = place(ctx, car, new Set([...avoid, lot.pos(from).lane]));
    lot.place(car, from);
    if (to !== null && saves - to.blocking > bestGain) {
      bestGain = saves - to.blocking;
      best = { car, to: to.p };
    }
  }
  return best;
}
