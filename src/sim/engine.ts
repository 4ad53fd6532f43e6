/**
 * @module The discrete-event engine: residents arrive at the gate and hand over the car, guards
 * park it, residents walk to the car in the morning and drive off when nothing stands in the way,
 * or wait while a guard relocates the blockers; night emergencies; pre-staging, re-sort and charger
 * rotation when the policy asks for them. Events run in time order (ties in the order they were
 * scheduled), so a run is a pure function of scenario, policy, days and seed.
 *
 * Rules the engine enforces for every policy: only `roster.guardsPerShift` guards work at once; a
 * guard's task holds every lane it touches, and no other task may touch those lanes until it ends;
 * a task takes the scenario's task durations; a resident cannot drive out of a lane while a guard
 * is in it (from his arrival at the first car, after the key and the walk, until the task ends, or
 * for a pre-stage's own lane until its last blocker is pulled out); every placement is checked (free, open, not a fire
 * lane, large enough, reachable, no keyless car in another's way) and a failed check is a violation.
 * Tasks are taken in this order: a waiting resident's car, pre-staging, moving a car off a place
 * that closes, parking at the gate, charger swaps, re-sort moves (`TASK_RANK`); first come first
 * served within each.
 *
 * The parts, each in `./engine/`, all working on one `EngineState` passed to them:
 * - `event-queue.ts`: the events and their queue;
 * - `state.ts`: the state, and the moves every part makes the same way (place, lift, drive off, queue a task);
 * - `residents.ts`: arrivals, residents coming for their cars, emergencies;
 * - `guard-tasks.ts`: the guards' queue and each kind of task;
 * - `room.ts`: making room for a car that has no legal place;
 * - `departure-knowledge.ts`: what the guards know of departures, and the pre-staging looks;
 * - `partner.ts`: partner lots;
 * - `measurements.ts`: night tallies, profiles and the run's figures;
 * - `constants.ts`: the engine's fixed numbers, named.
 */
import type { IsoDate } from '../core/brand.js';
import type { Scenario } from '../core/scenario.js';
import { NIGHT_WORK_MINUTE, rotatesAt } from '../planner/compound/index.js';
import { addDays } from '../core/time.js';
import { DAY, abs } from './behaviour.js';
import {
  BOUND_FROM_MINUTE,
  CHARGER_ROUND_MINUTES,
  KNOWLEDGE_MINUTE,
  NIGHT_COUNT_MINUTE,
  NIGHT_START_MINUTE,
  SLOT_MINUTES,
} from './engine/constants.js';
import { prestageLook, updateKnowledge } from './engine/departure-knowledge.js';
import { dispatch, queueChargerSwaps, queueResort } from './engine/guard-tasks.js';
import { boundNight, countNight, figures, nightOf, sampleOccupancy } from './engine/measurements.js';
import { leavePartner } from './engine/partner.js';
import { arrive, comeBack, comeForCar, emergency } from './engine/residents.js';
import type { EngineState } from './engine/state.js';
import { createState, enqueue, releaseWaiting } from './engine/state.js';
import type { SimOptions, SimResult } from './engine/types.js';
import type { Policy } from './policy.js';

export type {
  DepartureTrace,
  MoveTrace,
  SimOptions,
  SimProfiles,
  SimResult,
  TaskTrace,
  ViolationTrace,
} from './engine/types.js';

export function simulate(scenario: Scenario, policy: Policy, options: SimOptions): SimResult {
  const s = createState(scenario, policy, options);
  schedule(s);
  run(s);
  return {
    policy: policy.name,
    startDate: s.startDate,
    days: s.days,
    seed: options.seed,
    positions: s.lot.positions.length,
    guardsOnDuty: s.guards,
    ...figures(s),
  };
}

/** The run's events known from the start: every day's noon knowledge, departures and arrivals, counts, re-sorts, emergencies, samples, charger rounds. */
function schedule(s: EngineState): void {
  const { lot, events, policy, behaviour, days, startDate, n } = s;
  lot.setDay(addDays(startDate, -1) as IsoDate);
  for (let k = -1; k < days; k++) {
    events.push(abs(k, KNOWLEDGE_MINUTE) - 1, { kind: 'knowledge', k });
    for (let c = 0; c < n; c++) {
      const today = s.plan(k, c);
      if (k >= 0 && today.leaves) events.push(today.departAt, { kind: 'depart', car: c, k });
      const wasAway = k >= 0 && s.plan(k - 1, c).awayTonight;
      if ((today.leaves && !today.awayTonight) || wasAway) events.push(today.returnAt, { kind: 'arrive', car: c, k });
    }
    if (k >= 0) {
      events.push(abs(k + 1, NIGHT_COUNT_MINUTE), { kind: 'snapshot', k });
      // The re-sort runs after the last arrivals (a second pass at 05:00 was tried: no better).
      if (policy.nightResortBudget > 0) events.push(abs(k, NIGHT_WORK_MINUTE), { kind: 'resort', k });
    }
  }
  // The last morning's departures.
  for (let c = 0; c < n; c++) {
    const last = s.plan(days, c);
    if (last.leaves) events.push(last.departAt, { kind: 'depart', car: c, k: days });
  }
  for (const e of behaviour.emergencies) events.push(e.at, { kind: 'emergency', car: e.car, returnAt: e.returnAt });
  for (let t = 0; t < end(s); t += SLOT_MINUTES) events.push(t, { kind: 'sample' });
  if (policy.rotatesChargers)
    for (let k = 0; k < days; k++)
      for (let t = NIGHT_START_MINUTE; t < NIGHT_START_MINUTE + DAY; t += CHARGER_ROUND_MINUTES)
        if (rotatesAt(t)) events.push(abs(k, t), { kind: 'chargeTick' });
}

/** Whether minute `t` lies between the evening's `BOUND_FROM_MINUTE` and the night's count. */
function inBoundWindow(t: number): boolean {
  const minute = t % DAY;
  return minute >= BOUND_FROM_MINUTE || minute < NIGHT_COUNT_MINUTE;
}

/** The run ends at noon after the last night. */
function end(s: EngineState): number {
  return abs(s.days, NIGHT_START_MINUTE);
}

/** Runs the events in time order until the end; after each, the free guards take their tasks. */
function run(s: EngineState): void {
  const { lot, events, startDate } = s;
  const stop = end(s);
  let lastDay = -2;
  for (let q = events.pop(); q !== undefined && q.t < stop; q = events.pop()) {
    s.now = q.t;
    const day = Math.floor(s.now / DAY) - 1;
    if (day !== lastDay) {
      lot.setDay(addDays(startDate, day) as IsoDate);
      lastDay = day;
    }
    const e = q.event;
    switch (e.kind) {
      case 'depart':
        comeForCar(s, e.car, e.k);
        break;
      case 'arrive':
        arrive(s, e.car, e.k);
        break;
      case 'comeBack':
        comeBack(s, e.car, e.k);
        break;
      case 'partnerLeave':
        leavePartner(s, e.car, e.k);
        break;
      case 'emergency':
        emergency(s, e.car, e.returnAt);
        break;
      case 'knowledge':
        // From noon, what closes tomorrow is closed already: no car is parked there, and the cars
        // standing there are moved before midnight.
        lot.setDay(addDays(startDate, e.k) as IsoDate, addDays(startDate, e.k + 1) as IsoDate);
        for (let p = 0; p < lot.positions.length; p++) {
          const c = lot.at(p);
          if (c !== -1 && lot.pos(p).closed) enqueue(s, 'vacate', c);
        }
        updateKnowledge(s, e.k);
        break;
      case 'prestage':
        prestageLook(s, e.car, e.departure);
        break;
      case 'resort':
        queueResort(s);
        break;
      case 'chargeTick':
        queueChargerSwaps(s);
        break;
      case 'snapshot':
        countNight(s, e.k);
        s.options.onProgress?.(e.k + 1);
        break;
      case 'sample':
        sampleOccupancy(s);
        if (inBoundWindow(s.now)) boundNight(s, nightOf(s.now));
        break;
      case 'taskDone':
        s.guardFree[e.guard] = true;
        e.finish();
        break;
      case 'laneClear':
        releaseWaiting(s, e.lane);
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
    dispatch(s);
  }
}
