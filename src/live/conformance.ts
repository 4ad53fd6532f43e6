/**
 * @module One form for the decisions of the fast engine (`src/sim/engine.ts`) and of the product
 * driven by the same residents (`driver.ts`), so a test can put them side by side: the cars the
 * guards are asked to park, in the order they are asked, and the position each is given; the cars
 * the guards move out of others' way, in the order they start, from where to where; the residents
 * who had to wait for a guard; the cars turned away.
 *
 * The engine decides a car's position when a guard takes the park task; the product when the car
 * is checked in at the gate (the task carries it). Both ask in the order the cars reach the gate.
 *
 * Differences that are intended, and how the engine is run so that what must be equal is compared:
 * - What the guards know. The engine's guards know each resident's habit and declared stay-home
 *   days; the product knows the declared times and learns habits from the departures in its
 *   ledger (and cannot be told a stay-home day). The engine runs with `guardsKnow: 'ledger'`: its
 *   guards learn from the departures they saw by the planner's `learntKnowledge`, as the server does.
 * - Moves the product has no task for. Holding a blocker on the road during a retrieval, a lane
 *   reordered at night, cars shifted to let an EV onto a charger: the simulator's `planner` policy
 *   makes none of them (`planner-plus` measures what they would bring). Room made for a car at
 *   the gate by moving another: the `planner` policy makes it (see `plannerPolicy`), the product
 *   turns the car away; the engine runs without it here (`makesRoom: false`).
 * - Grain of a task. An engine retrieval or pre-stage moves all the blockers in one task; the
 *   product makes one move task per blocker, the later ones starting as the earlier end. The moves
 *   are compared one by one in order, and the minute of each engine task's first move.
 */
import type { Scenario } from '../core/scenario.js';
import type { TaskTrace } from '../sim/engine.js';
import { simulate } from '../sim/engine.js';
import type { Policy } from '../sim/policy.js';
import type { Decision } from './driver.js';

/** A car given a place: when (minute of the residents' timeline), which car, where (null: no place). */
export interface Placement {
  minute: number;
  vehicleId: string;
  positionId: string | null;
}

/** A car moved by a guard out of another's way (or a re-sort move): when it started, which car, from and to. */
export interface Move {
  minute: number;
  vehicleId: string;
  from: string | null;
  to: string | null;
  /** Why, as the product's move task says it (`relocation`, `pre-staging`, `night-resort`, …). */
  reason: string;
  /** True for the first move of an engine task (its minute is the task's start); always true in the product. */
  first: boolean;
}

/** The decisions compared, up to a minute. */
export interface Decisions {
  placements: Placement[];
  moves: Move[];
  /** Cars whose resident found them blocked and waited for a guard to free them (sorted by id). */
  waited: string[];
  /** Cars turned away at the gate. */
  turnedAway: string[];
}

/** The reason a product move task would give for the moves of each kind of engine task. */
const REASON: Readonly<Record<TaskTrace['kind'], string>> = {
  retrieve: 'relocation',
  prestage: 'pre-staging',
  resort: 'night-resort',
  charge: 'charging',
  // Room made for a car at the gate, a car moved off a place that closes: the product has no such move task.
  park: 'room',
  vacate: 'closure',
};

/**
 * The engine's decisions under `policy` (run as the product plans: see the module note) up to
 * minute `until`. A placement is the policy's answer the first time the engine asks it for each
 * arrival of a car (the engine asks again when a start is deferred; that answer is not a new decision).
 */
export function engineDecisions(
  scenario: Scenario,
  policy: Policy,
  options: { seed: number; startDate: string; days: number; until: number },
): Decisions {
  const placements: Placement[] = [];
  const moves: Move[] = [];
  const waited: string[] = [];
  const turnedAway: string[] = [];
  const asked = new Set<string>();
  const idOf = (car: number): string => scenario.vehicles[car]?.id ?? String(car);
  const recording: Policy = {
    ...policy,
    makesRoom: false,
    park: (ctx, car, avoid) => {
      const p = policy.park(ctx, car, avoid);
      const vehicleId = idOf(car);
      if (ctx.now < options.until && !asked.has(vehicleId)) {
        asked.add(vehicleId);
        placements.push({ minute: ctx.now, vehicleId, positionId: p === null ? null : ctx.lot.pos(p).id });
      }
      return p;
    },
  };
  simulate(scenario, recording, {
    days: options.days,
    seed: options.seed,
    startDate: options.startDate,
    guardsKnow: 'ledger',
    onTask: (t) => {
      if (t.start >= options.until) return;
      // A car the task parks is a placement, compared as such; every other car it moves is a move.
      t.moves
        .filter((m) => !(t.kind === 'park' && m.vehicleId === t.car))
        .forEach((m, i) => moves.push({ minute: t.start, ...m, reason: REASON[t.kind], first: i === 0 }));
      if (t.kind === 'retrieve') waited.push(t.car);
      // A car parked leaves the gate: it may be asked about again on its next arrival.
      if (t.kind === 'park') asked.delete(t.car);
    },
    onTurnedAway: (car, at) => {
      if (at < options.until) turnedAway.push(idOf(car));
      asked.delete(idOf(car));
    },
  });
  return { placements, moves, waited: [...new Set(waited)].sort(), turnedAway };
}

/** The product's decisions from the driver's, up to minute `until`. */
export function productDecisions(decisions: readonly Decision[], until: number): Decisions {
  const within = decisions.filter((d) => d.minute < until);
  const out: Decisions = { placements: [], moves: [], waited: [], turnedAway: [] };
  for (const d of within) {
    if (d.kind === 'check-in') {
      out.placements.push({ minute: d.minute, vehicleId: d.vehicleId, positionId: d.positionId });
      if (d.positionId === null) out.turnedAway.push(d.vehicleId);
    } else if (d.kind === 'task' && d.task !== 'park') {
      out.moves.push({
        minute: d.minute,
        vehicleId: d.vehicleId,
        from: d.from,
        to: d.to,
        reason: d.reason,
        first: true,
      });
    }
  }
  out.waited = [...new Set(within.flatMap((d) => (d.kind === 'departed' && d.waited > 0 ? [d.vehicleId] : [])))].sort();
  return out;
}
