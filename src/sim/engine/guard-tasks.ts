/**
 * @module Guard tasks: the queue, the order free guards take tasks in (`TASK_RANK`, then the
 * departure a pre-stage prepares for, then first come first served), and each kind's work —
 * parking at the gate (making room or turning the car away when there is no place), retrieving a
 * waiting resident's car, pre-staging, moving a car off a place that closes, charger swaps, the
 * night re-sort. A started task holds every lane it touches until it ends.
 */
import { abs } from '../behaviour.js';
import type { SimCar } from '../policy.js';
import { believedDeparture } from '../policy.js';
import { chargerSwap, idleChargers } from '../../planner/compound/index.js';
import { DECLARED_FIRST_MARGIN, STREET_MINUTES, TASK_RANK, UNDECLARED_URGENCY_MINUTES } from './constants.js';
import { addBusy, nightOf, tallyAt, violation } from './measurements.js';
import { toPartner } from './partner.js';
import { makeRoom, reorderLane } from './room.js';
import type { EngineState, Task } from './state.js';
import {
  avoidSet,
  depart,
  enqueue,
  known,
  leaveGate,
  liftCar,
  placeCar,
  putBack,
  recordLeaving,
  releaseWaiting,
} from './state.js';

type Outcome = 'started' | 'dropped' | 'deferred';

/** Every free guard takes the first queued task he can start, in the order the tasks rank. */
export function dispatch(s: EngineState): void {
  const { tasks } = s;
  // Pre-staging goes by the departure it prepares for, soonest first.
  const urgency = (t: Task): number => {
    if (t.kind !== 'prestage') return 0;
    const k = known(s, t.subject);
    return k.declared !== null ? k.declared : k.estimate + UNDECLARED_URGENCY_MINUTES;
  };
  tasks.sort((a, b) => TASK_RANK[a.kind] - TASK_RANK[b.kind] || urgency(a) - urgency(b) || a.seq - b.seq);
  for (let g = 0; g < s.guards; g++) {
    if (!s.guardFree[g]) continue;
    for (let i = 0; i < tasks.length;) {
      const task = tasks[i] as Task;
      const outcome = start(s, task, g);
      if (outcome === 'deferred') {
        i++;
        continue;
      }
      tasks.splice(i, 1);
      s.queuedSubjects.delete(`${task.kind}:${task.subject}`);
      if (outcome === 'started') break;
    }
  }
}

/** The night re-sort: the policy's budget of moves, queued as tasks. */
export function queueResort(s: EngineState): void {
  for (let i = 0; i < s.policy.nightResortBudget; i++) s.tasks.push({ kind: 'resort', subject: i, seq: s.taskSeq++ });
}

/** A charger round: a swap is queued for every charger the planner finds idle (`idleChargers`). */
export function queueChargerSwaps(s: EngineState): void {
  for (const p of idleChargers(s.ctx)) enqueue(s, 'charge', p);
}

/** The work a task does once started: the lanes it holds, its minutes, and what happens as it ends. */
interface Work {
  lanes: Set<number>;
  minutes: number;
  after: () => void;
  /** Pre-staging: the lane of the car it is for is clear this many minutes after the start. */
  sourceClear: { lane: number; after: number } | null;
  /** The task's car (see `TaskTrace.car`). */
  car: number;
}

/**
 * Tries to start `task` with `guard`. Returns 'started', 'dropped' (nothing to do any more) or
 * 'deferred' (a lane it needs is held by another guard).
 */
function start(s: EngineState, task: Task, guard: number): Outcome {
  const work: Work = { lanes: new Set(), minutes: 0, after: () => undefined, sourceClear: null, car: task.subject };
  // Where the task's car stands now (a charge's subject is a position, a re-sort's an index: -1).
  const from = task.kind === 'charge' || task.kind === 'resort' ? -1 : s.lot.where(task.subject);
  if (s.options.onTask !== undefined) s.trail = new Map();
  let outcome: Outcome;
  switch (task.kind) {
    case 'park':
      outcome = park(s, task.subject, work);
      if (outcome !== 'deferred') leaveGate(s, task.subject, s.now + work.minutes);
      break;
    case 'retrieve':
    case 'prestage':
      outcome = retrieve(s, task, work);
      break;
    case 'vacate':
      outcome = vacate(s, task.subject, work);
      break;
    case 'resort':
      outcome = resort(s, task, work);
      break;
    case 'charge':
      outcome = swapCharger(s, task.subject, work);
      break;
    default: {
      const never: never = task.kind;
      throw new Error(`unknown task ${String(never)}`);
    }
  }
  const trail = s.trail;
  s.trail = null;
  if (outcome !== 'started') return outcome;
  const { lot, durations, now } = s;
  const { lanes, minutes, after, sourceClear } = work;
  for (const l of lanes) {
    if (s.lockedLanes.has(l)) throw new Error(`lane ${lot.lane(l).id} is held by another guard`);
    s.lockedLanes.set(l, guard);
    s.laneBusyFrom[l] = now + Math.min(minutes, durations.walkToCabinet + durations.walkToCar);
    s.laneClearAt[l] = now + minutes;
  }
  if (sourceClear !== null && sourceClear.after < minutes) {
    s.laneClearAt[sourceClear.lane] = now + sourceClear.after;
    s.events.push(now + sourceClear.after, { kind: 'laneClear', lane: sourceClear.lane });
  }
  s.guardFree[guard] = false;
  if (s.options.onTask !== undefined && trail !== null) {
    const id = (p: number): string | null => (p === -1 ? null : lot.pos(p).id);
    const car = work.car;
    const before = trail.get(car) ?? (from === -1 ? lot.where(car) : from);
    const moves = [...trail]
      .filter(([c, was]) => was !== lot.where(c))
      .map(([c, was]) => ({ vehicleId: (s.cars[c] as SimCar).id, from: id(was), to: id(lot.where(c)) }));
    s.options.onTask({
      guard,
      kind: task.kind,
      start: now,
      end: now + minutes,
      lanes: [...lanes].map((l) => lot.lane(l).id),
      car: (s.cars[car] as SimCar).id,
      from: id(before),
      to: task.kind === 'retrieve' ? null : id(lot.where(car)),
      moves,
    });
  }
  addBusy(s.m, now, now + minutes);
  s.events.push(now + minutes, {
    kind: 'taskDone',
    guard,
    finish: () => {
      for (const l of lanes) s.lockedLanes.delete(l);
      after();
      for (const l of lanes) releaseWaiting(s, l);
    },
  });
  return 'started';
}

/** Parks a car from the gate: where the policy says, else the partner lot, room made, or turned away. */
function park(s: EngineState, car: number, work: Work): Outcome {
  const { lot, policy, ctx, loc, durations } = s;
  if (loc[car] !== 'gate') return 'dropped';
  let p = policy.park(ctx, car, avoidSet(s));
  let made = 0;
  let then: (() => void) | undefined;
  if (p === null) {
    if (policy.park(ctx, car, new Set()) !== null) return 'deferred';
    if (policy.allocatesPartner && toPartner(s, car)) return 'dropped';
    const room = policy.makesRoom ? makeRoom(s, car) : null;
    // Room may be made once the other guard's lanes are free again: the car waits at the gate.
    if (room === null && policy.makesRoom && s.lockedLanes.size > 0) return 'deferred';
    if (room === null) {
      turnAway(s, car);
      return 'dropped';
    }
    p = room.bay;
    for (const l of room.lanes) work.lanes.add(l);
    made = room.moves;
    const a = tallyAt(s.m, s.now);
    if (a) a.relocations.onDemand += made;
    then = room.then;
  }
  if (!placeCar(s, car, p)) {
    loc[car] = 'outside';
    return 'dropped';
  }
  then?.();
  loc[car] = 'compound';
  work.lanes.add(lot.pos(p).lane);
  work.minutes =
    durations.walkToCabinet + durations.walkToCar + durations.drive + durations.park + made * s.moveMinutes;
  return 'started';
}

/**
 * No place for `car`: on the street tonight; back at the gate at its usual time tomorrow if it is
 * still there (a car that leaves in the morning comes back as usual). Never at once: a car whose
 * usual time is less than `STREET_MINUTES` away comes back a day later, so a full lot cannot turn
 * one car away over and over at the same minute.
 */
function turnAway(s: EngineState, car: number): void {
  const { now, behaviour } = s;
  s.options.onTurnedAway?.(car, now);
  // The product records the car driven off from the gate.
  recordLeaving(s, car);
  s.loc[car] = 'outside';
  let day = nightOf(now) + 1;
  while (abs(day, behaviour.habitArrival[car] as number) < now + STREET_MINUTES) day++;
  s.comeBackAt[car] = abs(day, behaviour.habitArrival[car] as number);
  s.events.push(s.comeBackAt[car] as number, { kind: 'comeBack', car, k: day });
  const a = tallyAt(s.m, now);
  if (a) a.turnedAway++;
}

/**
 * Moves the blockers out of a car's way: for its waiting resident (retrieve), or ahead of its
 * departure (prestage, when the policy finds it worth it).
 */
function retrieve(s: EngineState, task: Task, work: Work): Outcome {
  const { lot, cars, movable, policy, ctx, loc, waitingSince, lifted, durations } = s;
  const { lanes } = work;
  const car = task.subject;
  if (loc[car] !== 'compound' || lot.where(car) === -1) return 'dropped';
  if (task.kind === 'retrieve' && (waitingSince[car] as number) < 0) return 'dropped';
  if (task.kind === 'prestage' && (waitingSince[car] as number) >= 0) return 'dropped';
  const p = lot.where(car);
  const source = lot.pos(p).lane;
  if (s.lockedLanes.has(source)) return 'deferred';
  const blockers = lot.blockersOf(p, movable);
  if (blockers === null) {
    // Every way out holds a car without a key: the rules were broken earlier.
    violation(s, 'shut-in', car);
    if (task.kind === 'retrieve') depart(s, car);
    return 'dropped';
  }
  if (blockers.length === 0) {
    if (task.kind === 'retrieve') depart(s, car);
    return 'dropped';
  }
  if (task.kind === 'prestage') {
    const mine = believedDeparture(known(s, car));
    const goesFirst = (b: number): boolean => {
      const k = known(s, b);
      return k.declared !== null ? k.declared + DECLARED_FIRST_MARGIN <= mine : k.estimate + k.spread <= mine;
    };
    if (policy.prestageWorth !== undefined ? !policy.prestageWorth(ctx, car, blockers) : blockers.every(goesFirst))
      return 'dropped';
  }
  lanes.add(source);
  const backIn: { car: number; p: number }[] = [];
  let moved = 0;
  let reordered = false;
  for (const b of blockers) {
    const from = liftCar(s, b);
    const elsewhere = policy.relocate(ctx, b, avoidSet(s, [source]));
    // The policy may rather keep a blocker where it stands: back in once the car has left
    // (retrieval), or not moved yet (pre-staging).
    const to =
      elsewhere !== null && policy.keepsPlace?.(ctx, b, car, from, elsewhere, task.kind === 'retrieve') === true
        ? null
        : elsewhere;
    if (to !== null && placeCar(s, b, to)) {
      lanes.add(lot.pos(to).lane);
      moved++;
    } else if (task.kind === 'retrieve') {
      // Nowhere to go: out on the road and back in once the car has left.
      lifted.add(b);
      backIn.push({ car: b, p: from });
      moved++;
    } else {
      putBack(s, b, from);
      if (moved === 0 && policy.reordersLane?.(ctx, car) === true) {
        moved = reorderLane(s, car);
        reordered = moved > 0;
      }
      break;
    }
  }
  if (moved === 0) return task.kind === 'prestage' ? 'dropped' : 'deferred';
  const a = tallyAt(s.m, s.now);
  if (a) a.relocations[task.kind === 'retrieve' ? 'onDemand' : 'prestage'] += moved;
  work.minutes = durations.walkToCabinet + moved * s.moveMinutes + backIn.length * (durations.park + durations.drive);
  if (task.kind === 'prestage' && !reordered) {
    work.sourceClear = {
      lane: source,
      after: durations.walkToCabinet + (moved - 1) * s.moveMinutes + durations.walkToCar + durations.park,
    };
  }
  work.after = () => {
    if (task.kind === 'retrieve' && loc[car] === 'compound') depart(s, car);
    const laneOf = lot.lane(source);
    for (const { car: b, p: from } of [...backIn].reverse()) {
      if (!lifted.has(b)) continue;
      lifted.delete(b);
      // Back into its lane: where it stood, or with `putBackDeep` as deep as it goes in a
      // one-end lane (the cars keep their order and no hole is left behind them).
      const deep = policy.putBackDeep && laneOf.access === 'one-end';
      const spot = deep
        ? [...laneOf.positions].reverse().find((q) => lot.illegal(q, cars[b] as SimCar, movable) === null)
        : from;
      if (spot !== undefined && lot.at(spot) === -1 && lot.illegal(spot, cars[b] as SimCar, movable) === null) {
        putBack(s, b, spot);
      } else {
        const to = policy.relocate(ctx, b, avoidSet(s));
        if (to === null || !placeCar(s, b, to)) {
          if (to === null) violation(s, 'no-place-back', b);
          loc[b] = 'outside';
        }
      }
    }
  };
  return 'started';
}

/**
 * A car on a position that closes tomorrow (closed from noon on) moves before the closure
 * starts: its blockers and then the car go where the policy relocates them. A car without
 * a key is moved by its resident when the guards call, in the same minutes.
 */
function vacate(s: EngineState, car: number, work: Work): Outcome {
  const { lot, cars, movable, policy, ctx, loc, waitingSince, durations } = s;
  const p = lot.where(car);
  if (loc[car] !== 'compound' || p === -1 || !lot.pos(p).closed) return 'dropped';
  if ((waitingSince[car] as number) >= 0) return 'dropped';
  const source = lot.pos(p).lane;
  if (s.lockedLanes.has(source)) return 'deferred';
  // A car without a key in the way, or no place for every car: try again later.
  const blockers = lot.blockersOf(p, movable);
  if (blockers === null) return 'deferred';
  const done: { car: number; from: number }[] = [];
  for (const c of [...blockers, car]) {
    const from = liftCar(s, c);
    const to = policy.relocate(ctx, c, avoidSet(s, [source]));
    if (to === null || lot.illegal(to, cars[c] as SimCar, movable) !== null) {
      putBack(s, c, from);
      break;
    }
    placeCar(s, c, to);
    work.lanes.add(lot.pos(to).lane);
    done.push({ car: c, from });
  }
  if (lot.where(car) === p) {
    // Undo: the lot is as it was, and the task waits for room.
    for (const { car: c, from } of done.reverse()) {
      liftCar(s, c);
      putBack(s, c, from);
    }
    return 'deferred';
  }
  work.lanes.add(source);
  const a = tallyAt(s.m, s.now);
  if (a) a.relocations.closure += done.length;
  work.minutes = durations.walkToCabinet + done.length * s.moveMinutes;
  return 'started';
}

/** One move of the night re-sort, as the policy chooses it; none left drops the rest of the budget. */
function resort(s: EngineState, task: Task, work: Work): Outcome {
  const { lot, policy, ctx, tasks, lockedLanes, durations } = s;
  const move = policy.resortMove(ctx, avoidSet(s));
  if (move === null) {
    // The other guard's lanes may hide the next move: wait for them.
    if (lockedLanes.size > 0) return 'deferred';
    // Nothing left to gain tonight: drop the rest of the budget.
    for (let i = tasks.length - 1; i >= 0; i--)
      if ((tasks[i] as Task).kind === 'resort' && tasks[i] !== task) tasks.splice(i, 1);
    return 'dropped';
  }
  const from = lot.where(move.car);
  work.car = move.car;
  if (from === -1 || lockedLanes.has(lot.pos(from).lane) || lockedLanes.has(lot.pos(move.to).lane)) return 'dropped';
  liftCar(s, move.car);
  if (!placeCar(s, move.car, move.to)) {
    lot.place(move.car, from);
    return 'dropped';
  }
  work.lanes.add(lot.pos(from).lane).add(lot.pos(move.to).lane);
  const a = tallyAt(s.m, s.now);
  if (a) a.relocations.resort++;
  work.minutes = durations.walkToCabinet + s.moveMinutes;
  return 'started';
}

/**
 * A charger swap on charger position `p`: its car (wanting no charge) makes way for the EV the
 * planner picks. The car moved off goes where the policy relocates it, or, with no place for it
 * elsewhere and a policy that `tradesChargers`, into the place the swap frees in the EV's lane (the
 * one nearest its open end): the two cars trade places.
 */
function swapCharger(s: EngineState, p: number, work: Work): Outcome {
  const { lot, cars, movable, policy, ctx, durations, waitingSince } = s;
  const lane = lot.pos(p).lane;
  if (s.lockedLanes.has(lane)) return 'deferred';
  const swap = chargerSwap(ctx, p, new Set(s.lockedLanes.keys()), policy.chargeShifts);
  // The EV to take the charger may stand in a lane another guard holds: wait for him.
  if (swap === null && s.lockedLanes.size > 0 && chargerSwap(ctx, p, new Set(), policy.chargeShifts) !== null)
    return 'deferred';
  // A resident already waiting for the EV is served by a retrieval, not a charger.
  if (swap === null || (waitingSince[swap.ev] as number) >= 0) return 'dropped';
  const { ev, occupant, shifted } = swap;
  work.car = ev;
  let moved = 0;
  let trades = false;
  if (occupant !== -1) {
    liftCar(s, occupant);
    const to = policy.relocate(ctx, occupant, avoidSet(s, [lane, lot.pos(lot.where(ev)).lane]));
    if (to !== null && placeCar(s, occupant, to)) work.lanes.add(lot.pos(to).lane);
    else if (policy.tradesChargers) trades = true;
    else {
      putBack(s, occupant, p);
      return 'dropped';
    }
    moved++;
  }
  // The cars in front of the EV each shift into the place of the one after them (the last into the EV's).
  const places = shifted.map((b) => liftCar(s, b));
  const from = liftCar(s, ev);
  places.push(from);
  shifted.forEach((b, i) => putBack(s, b, places[i + 1] as number));
  moved += shifted.length;
  const freed = places[0] as number;
  const traded = (): boolean =>
    !trades || (lot.illegal(freed, cars[occupant] as SimCar, movable) === null && placeCar(s, occupant, freed));
  if (lot.illegal(p, cars[ev] as SimCar, movable) !== null) {
    undoSwap(s, p, swap, places, trades);
    return 'dropped';
  }
  placeCar(s, ev, p);
  if (!traded()) {
    liftCar(s, ev);
    undoSwap(s, p, swap, places, trades);
    return 'dropped';
  }
  moved++;
  work.lanes.add(lane).add(lot.pos(from).lane);
  const a = tallyAt(s.m, s.now);
  if (a) a.relocations.charger += moved;
  work.minutes = durations.walkToCabinet + moved * s.moveMinutes;
  return 'started';
}

/** Puts the cars of a swap that cannot be made back where they stood (the EV is off the lot). */
function undoSwap(
  s: EngineState,
  p: number,
  swap: { ev: number; occupant: number; shifted: number[] },
  places: number[],
  occupantLifted: boolean,
): void {
  const { lot } = s;
  swap.shifted.forEach((b) => lot.remove(b));
  swap.shifted.forEach((b, i) => putBack(s, b, places[i] as number));
  putBack(s, swap.ev, places[places.length - 1] as number);
  if (occupantLifted) putBack(s, swap.occupant, p);
}
