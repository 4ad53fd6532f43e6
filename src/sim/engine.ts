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
 * Tasks are taken in this order: a waiting resident's car, pre-staging, parking at the gate,
 * charger swaps, re-sort moves; first come first served within each.
 */
import type { Scenario } from '../core/scenario.js';
import { VEHICLE_SIZES, validateLayout } from '../core/layout.js';
import type { IsoDate } from '../core/brand.js';
import type { LotView } from '../planner/placement/index.js';
import { morningLowerBound } from '../planner/placement/index.js';
import type { Behaviour, CarDay } from './behaviour.js';
import { DAY, abs, addDays, drawBehaviour, isWeekend, minutesOf, partnerWindows, worksNights } from './behaviour.js';
import type { NightKpi, OverallKpi } from './kpi.js';
import { mean, percentile, ratio, round } from './kpi.js';
import {
  DECLARED_SLIP,
  DepartureSpread,
  ESTIMATE_SPREAD,
  NIGHT_WORK_MINUTE,
  PRESTAGE_SECOND_LOOK,
  departureProfile,
  knowledgeAt,
  knowledgeOf,
} from '../planner/compound/index.js';
import { Lot } from './lot.js';
import type { DepartureKnowledge, Policy, PolicyContext, SimCar } from './policy.js';
import { believedDeparture } from './policy.js';

export interface SimOptions {
  days: number;
  seed: number;
  /** First simulated day; default the roster's rotation start. */
  startDate?: string;
  /** Called after each simulated night. */
  onProgress?: (nightsDone: number) => void;
  /** Behaviour drawn beforehand (shared between policies); drawn from the seed when absent. */
  behaviour?: Behaviour;
  /** Called for every guard task as it starts (for tests and traces). */
  onTask?: (task: TaskTrace) => void;
  /** Called for every departure of a car the guards housed (for diagnostics). */
  onDeparture?: (departure: DepartureTrace) => void;
  /** Called at each night's count (04:00) with the cars that needed a place (for tests and diagnostics). */
  onNightCount?: (night: number, carsNeedingPlace: number[]) => void;
  /** Called for every broken rule (for tests and diagnostics). */
  onViolation?: (violation: ViolationTrace) => void;
  /** Called for every car turned away at the gate (for diagnostics). */
  onTurnedAway?: (car: number, at: number) => void;
}

/** One departure: when the resident came for the car, how long they waited, what was declared. */
export interface DepartureTrace {
  car: number;
  /** When the resident came for the car (absolute minute). */
  at: number;
  wait: number;
  /** The declared time (absolute minute), or null (undeclared, or a night emergency). */
  declared: number | null;
  /** When blocked as the resident came: the blockers, the guards free, and whether pre-staging was queued. */
  blocked?: { blockers: number; blockerCars: number[]; guardsFree: number; prestageQueued: boolean };
}

/**
 * A broken rule: a placement `Lot.illegal` refuses (occupied, closed, fire-lane, too-small,
 * unreachable, keyless-would-block), a car standing on a closed or fire-lane position at the
 * night's count, a car whose every way out holds a car without a key (shut-in), or a blocker that
 * found no place back after a retrieval (no-place-back).
 */
export interface ViolationTrace {
  rule: string;
  car: number;
  at: number;
}

/** One guard task: who, when, what, and the lanes it held. */
export interface TaskTrace {
  guard: number;
  kind: 'retrieve' | 'prestage' | 'vacate' | 'park' | 'charge' | 'resort';
  start: number;
  end: number;
  lanes: string[];
}

/** Averages over the run for the report's charts. */
export interface SimProfiles {
  /** Mean wait (minutes) of departures in each hour of the day, 0–23; null where none. */
  waitByHour: (number | null)[];
  /** Mean guards busy in each half hour of the day (0–47). */
  guardLoadByHalfHour: number[];
  /** Mean cars in the compound in each half hour of the day (0–47). */
  occupancyByHalfHour: number[];
}

export interface SimResult {
  policy: string;
  startDate: string;
  days: number;
  seed: number;
  positions: number;
  guardsOnDuty: number;
  nights: NightKpi[];
  overall: OverallKpi;
  profiles: SimProfiles;
}

type Loc = 'out' | 'gate' | 'compound' | 'partner' | 'outside';
type TaskKind = 'retrieve' | 'prestage' | 'vacate' | 'park' | 'charge' | 'resort';
const RANK: Record<TaskKind, number> = { retrieve: 0, prestage: 1, vacate: 2, park: 3, charge: 4, resort: 5 };

interface Task {
  kind: TaskKind;
  /** The car (retrieve, prestage, park) or the charger position (charge). */
  subject: number;
  seq: number;
}

type Event =
  | { kind: 'depart'; car: number; k: number }
  | { kind: 'arrive'; car: number; k: number }
  | { kind: 'comeBack'; car: number; k: number }
  | { kind: 'partnerLeave'; car: number; k: number }
  | { kind: 'emergency'; car: number; returnAt: number }
  | { kind: 'knowledge'; k: number }
  | { kind: 'prestage'; car: number; departure: number }
  | { kind: 'resort'; k: number }
  | { kind: 'chargeTick' }
  | { kind: 'snapshot'; k: number }
  | { kind: 'sample' }
  | { kind: 'taskDone'; guard: number; finish: () => void }
  | { kind: 'laneClear'; lane: number };

/** Room made for a car: where it goes, the lanes the work holds, the moves; `then` runs once it stands. */
interface Room {
  bay: number;
  lanes: number[];
  moves: number;
  then?: () => void;
}

interface Queued {
  t: number;
  seq: number;
  event: Event;
}

/** A binary min-heap on (t, seq). */
class EventQueue {
  private heap: Queued[] = [];
  private seq = 0;
  push(t: number, event: Event): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, event });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Queued, h[parent] as Queued)) break;
      [h[i], h[parent]] = [h[parent] as Queued, h[i] as Queued];
      i = parent;
    }
  }
  pop(): Queued | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as Queued, h[m] as Queued)) m = l;
        if (r < h.length && before(h[r] as Queued, h[m] as Queued)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Queued, h[i] as Queued];
        i = m;
      }
    }
    return top;
  }
  get size(): number {
    return this.heap.length;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

const PEAKS: [number, number][] = [
  [7 * 60, 9 * 60],
  [17 * 60 + 30, 19 * 60 + 30],
];
/** A car turned away at the gate stays out at least this long before it comes back at its usual time. */
const STREET_MINUTES = 60;
/** A car that stays in tomorrow counts as leaving this much later for the lower bound. */
const FAR = 3 * DAY;

export function simulate(scenario: Scenario, policy: Policy, options: SimOptions): SimResult {
  const { days, seed } = options;
  const startDate = options.startDate ?? scenario.roster.rotation.startDate;
  const behaviour = options.behaviour ?? drawBehaviour(scenario, startDate, days, seed);
  const durations = scenario.taskDurations;
  const moveMinutes = durations.walkToCar + durations.park + durations.drive + durations.park;
  const guards = scenario.roster.guardsPerShift;
  const cars: SimCar[] = scenario.vehicles.map((v) => ({ id: v.id, size: v.size, movable: v.keyConsent, ev: v.ev }));
  const n = cars.length;
  const lot = new Lot(validateLayout(scenario.layout), n);
  const movable = (c: number): boolean => (cars[c] as SimCar).movable;
  const plan = (k: number, car: number): CarDay => (behaviour.days[k + 1] as CarDay[])[car] as CarDay;
  const end = abs(days, 12 * 60);

  // State.
  const loc: Loc[] = new Array<Loc>(n).fill('out');
  // How far departures fall from the habit (undeclared) and from the declared time, as seen so far.
  const habitSpread = new DepartureSpread(n, ESTIMATE_SPREAD);
  const declaredSlip = new DepartureSpread(n, DECLARED_SLIP);
  const knowledge: DepartureKnowledge[] = behaviour.habitDeparture.map((h) => ({
    declared: null,
    estimate: abs(0, h),
    spread: ESTIMATE_SPREAD,
    leaves: 1,
    at: abs(0, h),
    atSpread: ESTIMATE_SPREAD,
  }));
  const waitingSince = new Float64Array(n).fill(-1);
  /** When a car turned away at the gate comes back (absolute minute), or -1. */
  const comeBackAt = new Float64Array(n).fill(-1);
  const blockedAs = new Map<number, NonNullable<DepartureTrace['blocked']>>();
  /** The declared time of the departure under way (NaN when not declared, or an emergency). */
  const declaredNow = new Float64Array(n).fill(Number.NaN);
  const needKwh = new Float64Array(n);
  const chargeKw = new Float64Array(n);
  const chargingSince = new Float64Array(n).fill(-1);
  const lifted = new Set<number>();
  const tasks: Task[] = [];
  const queuedSubjects = new Set<string>();
  let taskSeq = 0;
  const guardFree: boolean[] = new Array<boolean>(guards).fill(true);
  const lockedLanes = new Map<number, number>(); // lane → guard
  /**
   * When a guard is in each lane: from his first arrival at a car (after fetching the key and
   * walking over) until the lane is clear again; a resident cannot drive out meanwhile. Minutes.
   */
  const laneBusyFrom = new Float64Array(lot.lanes.length);
  const laneClearAt = new Float64Array(lot.lanes.length);
  /** Cars and charging EVs at each partner lot now, and the lot each car is at (-1: none). */
  const partnerCars = new Int32Array(scenario.partnerLots.length);
  const partnerChargers = new Int32Array(scenario.partnerLots.length);
  const partnerLotOf = new Int32Array(n).fill(-1);
  let now = 0;
  let violations = 0;
  let nightBase = 0;
  let profileCache: { base: number; profile: number[] } = { base: -1, profile: [] };

  // Measurements.
  const nights: NightKpi[] = [];
  const nightOf = (t: number): number => Math.floor((t - 12 * 60) / DAY) - 1;
  interface Acc {
    waits: number[];
    declared: number;
    onTime: number;
    relocations: NightKpi['relocations'];
    turnedAway: number;
    requested: number;
    delivered: number;
    partner: number;
    violations: number;
    housed: number;
    needing: number;
    lowerBound: number;
  }
  const acc: Acc[] = Array.from({ length: days }, () => ({
    waits: [],
    declared: 0,
    onTime: 0,
    relocations: { onDemand: 0, prestage: 0, resort: 0, charger: 0, closure: 0 },
    turnedAway: 0,
    requested: 0,
    delivered: 0,
    partner: 0,
    violations: 0,
    housed: 0,
    needing: 0,
    lowerBound: 0,
  }));
  const accAt = (t: number): Acc | undefined => acc[nightOf(t)];
  const halfHours = (days + 2) * 48;
  const busy = new Float64Array(halfHours);
  const occupancy = new Float64Array(halfHours).fill(-1);
  const waitSum = new Float64Array(24);
  const waitCount = new Float64Array(24);

  const violation = (rule: ViolationTrace['rule'], car: number): void => {
    options.onViolation?.({ rule, car, at: now });
    violations++;
    const a = accAt(now);
    if (a) a.violations++;
  };

  const events = new EventQueue();

  const ctx: PolicyContext = {
    lot,
    cars,
    get now() {
      return now;
    },
    get nightBase() {
      return nightBase;
    },
    knowledge: (car) => known(car),
    keylessToCome: () => {
      let count = 0;
      for (let c = 0; c < n; c++) if (!(cars[c] as SimCar).movable && (loc[c] === 'out' || loc[c] === 'gate')) count++;
      return count;
    },
    wantsCharge: (car) => {
      settle(car);
      return (cars[car] as SimCar).ev && (needKwh[car] as number) > 1e-9;
    },
    get departureProfile() {
      if (profileCache.base !== now) {
        // The cars still to come tonight: out, or at the gate.
        const coming: DepartureKnowledge[] = [];
        for (let c = 0; c < n; c++) if (loc[c] === 'out' || loc[c] === 'gate') coming.push(known(c));
        profileCache = { base: now, profile: departureProfile(coming, nightBase) };
      }
      return profileCache.profile;
    },
  };

  /** What is known of a car's next departure now (`knowledgeAt`: stale guesses and Bayes' rule). */
  function known(car: number): DepartureKnowledge {
    return knowledgeAt(knowledge[car] as DepartureKnowledge, now);
  }

  // Charging.
  function settle(car: number): void {
    const since = chargingSince[car] as number;
    if (since < 0) return;
    const got = Math.min(needKwh[car] as number, ((chargeKw[car] as number) * (now - since)) / 60);
    needKwh[car] = (needKwh[car] as number) - got;
    const a = accAt(now);
    if (a) a.delivered += got;
    chargingSince[car] = now;
  }
  function startCharging(car: number, kw: number | null): void {
    if (kw === null || !(cars[car] as SimCar).ev) return;
    chargeKw[car] = kw;
    chargingSince[car] = now;
  }
  function stopCharging(car: number): void {
    settle(car);
    chargingSince[car] = -1;
  }

  function placeCar(car: number, p: number): boolean {
    const why = lot.illegal(p, cars[car] as SimCar, movable);
    if (why !== null) {
      violation(why, car);
      return false;
    }
    lot.place(car, p);
    startCharging(car, lot.pos(p).chargerKw);
    return true;
  }
  function liftCar(car: number): number {
    stopCharging(car);
    return lot.remove(car);
  }

  function addBusy(from: number, to: number): void {
    for (let t = from; t < to;) {
      const slot = Math.floor(t / 30);
      const next = Math.min(to, (slot + 1) * 30);
      if (slot < halfHours) busy[slot] = (busy[slot] as number) + (next - t);
      t = next;
    }
  }

  /**
   * True while a guard's task holds the lane `car` stands in: cars are being pulled out of it or
   * driven into it (the car itself may be the one being moved), so its resident waits for the guard.
   */
  function inWorkedLane(car: number): boolean {
    const p = lot.where(car);
    if (p === -1) return false;
    const l = lot.pos(p).lane;
    return (laneBusyFrom[l] as number) <= now && (laneClearAt[l] as number) > now;
  }

  /** Residents waiting by cars of lane `l` that nothing blocks any more drive off once the guard is clear of it. */
  function releaseWaiting(l: number): void {
    if ((laneClearAt[l] as number) > now) return;
    for (const p of lot.lane(l).positions) {
      const c = lot.at(p);
      if (c !== -1 && (waitingSince[c] as number) >= 0 && lot.blockersOf(p, movable)?.length === 0) depart(c);
    }
  }

  function enqueue(kind: TaskKind, subject: number): void {
    const key = `${kind}:${subject}`;
    if (queuedSubjects.has(key)) return;
    queuedSubjects.add(key);
    tasks.push({ kind, subject, seq: taskSeq++ });
  }

  function depart(car: number): void {
    const t = now;
    const since = waitingSince[car] as number;
    const wait = since >= 0 ? t - since : 0;
    waitingSince[car] = -1;
    const a = accAt(since >= 0 ? since : t);
    if (a) {
      const declared0 = declaredNow[car] as number;
      options.onDeparture?.({
        car,
        at: since >= 0 ? since : t,
        wait,
        declared: Number.isFinite(declared0) ? declared0 : null,
        blocked: blockedAs.get(car),
      });
      blockedAs.delete(car);
      a.waits.push(wait);
      const declared = declaredNow[car] as number;
      if (Number.isFinite(declared)) {
        a.declared++;
        if (t <= Math.max(declared, since >= 0 ? since : t)) a.onTime++;
      }
      const hour = Math.floor(((since >= 0 ? since : t) % DAY) / 60);
      waitSum[hour] = (waitSum[hour] as number) + wait;
      waitCount[hour] = (waitCount[hour] as number) + 1;
    }
    if (lot.where(car) !== -1) liftCar(car);
    lifted.delete(car);
    needKwh[car] = 0;
    loc[car] = 'out';
  }

  /** Lanes every running task holds, plus `extra`. */
  function avoidSet(extra: number[] = []): Set<number> {
    const s = new Set(lockedLanes.keys());
    for (const l of extra) s.add(l);
    return s;
  }

  /**
   * Tries to start `task` with `guard`. Returns 'started', 'dropped' (nothing to do any more) or
   * 'deferred' (a lane it needs is held by another guard).
   */
  function start(task: Task, guard: number): 'started' | 'dropped' | 'deferred' {
    const lanes = new Set<number>();
    let minutes = 0;
    let after: () => void = () => undefined;
    // Pre-staging: the lane of the car it is for is clear once the last blocker is pulled out.
    let sourceClear: { lane: number; after: number } | null = null;
    switch (task.kind) {
      case 'park': {
        const car = task.subject;
        if (loc[car] !== 'gate') return 'dropped';
        let p = policy.park(ctx, car, avoidSet());
        let made = 0;
        let then: (() => void) | undefined;
        if (p === null) {
          if (policy.park(ctx, car, new Set()) !== null) return 'deferred';
          if (policy.allocatesPartner && toPartner(car)) return 'dropped';
          const room = policy.makesRoom ? makeRoom(car) : null;
          // Room may be made once the other guard's lanes are free again: the car waits at the gate.
          if (room === null && policy.makesRoom && lockedLanes.size > 0) return 'deferred';
          if (room === null) {
            options.onTurnedAway?.(car, now);
            loc[car] = 'outside';
            // On the street tonight; back at the gate at its usual time tomorrow if it is still
            // there (a car that leaves in the morning comes back as usual). Never at once: a car
            // whose usual time is less than STREET_MINUTES away comes back a day later, so a full
            // lot cannot turn one car away over and over at the same minute.
            let day = nightOf(now) + 1;
            while (abs(day, behaviour.habitArrival[car] as number) < now + STREET_MINUTES) day++;
            comeBackAt[car] = abs(day, behaviour.habitArrival[car] as number);
            events.push(comeBackAt[car] as number, { kind: 'comeBack', car, k: day });
            const a = accAt(now);
            if (a) a.turnedAway++;
            return 'dropped';
          }
          p = room.bay;
          for (const l of room.lanes) lanes.add(l);
          made = room.moves;
          const a = accAt(now);
          if (a) a.relocations.onDemand += made;
          then = room.then;
        }
        if (!placeCar(car, p)) {
          loc[car] = 'outside';
          return 'dropped';
        }
        then?.();
        loc[car] = 'compound';
        lanes.add(lot.pos(p).lane);
        minutes = durations.walkToCabinet + durations.walkToCar + durations.drive + durations.park + made * moveMinutes;
        break;
      }
      case 'retrieve':
      case 'prestage': {
        const car = task.subject;
        if (loc[car] !== 'compound' || lot.where(car) === -1) return 'dropped';
        if (task.kind === 'retrieve' && (waitingSince[car] as number) < 0) return 'dropped';
        if (task.kind === 'prestage' && (waitingSince[car] as number) >= 0) return 'dropped';
        const p = lot.where(car);
        const source = lot.pos(p).lane;
        if (lockedLanes.has(source)) return 'deferred';
        const blockers = lot.blockersOf(p, movable);
        if (blockers === null) {
          // Every way out holds a car without a key: the rules were broken earlier.
          violation('shut-in', car);
          if (task.kind === 'retrieve') depart(car);
          return 'dropped';
        }
        if (blockers.length === 0) {
          if (task.kind === 'retrieve') depart(car);
          return 'dropped';
        }
        if (task.kind === 'prestage') {
          const mine = believedDeparture(known(car));
          const goesFirst = (b: number): boolean => {
            const k = known(b);
            return k.declared !== null ? k.declared + 5 <= mine : k.estimate + k.spread <= mine;
          };
          if (
            policy.prestageWorth !== undefined ? !policy.prestageWorth(ctx, car, blockers) : blockers.every(goesFirst)
          )
            return 'dropped';
        }
        lanes.add(source);
        const backIn: { car: number; p: number }[] = [];
        let moved = 0;
        let reordered = false;
        for (const b of blockers) {
          const from = liftCar(b);
          const elsewhere = policy.relocate(ctx, b, avoidSet([source]));
          // The policy may rather keep a blocker where it stands: back in once the car has left
          // (retrieval), or not moved yet (pre-staging).
          const to =
            elsewhere !== null && policy.keepsPlace?.(ctx, b, car, from, elsewhere, task.kind === 'retrieve') === true
              ? null
              : elsewhere;
          if (to !== null && placeCar(b, to)) {
            lanes.add(lot.pos(to).lane);
            moved++;
          } else if (task.kind === 'retrieve') {
            // Nowhere to go: out on the road and back in once the car has left.
            lifted.add(b);
            backIn.push({ car: b, p: from });
            moved++;
          } else {
            lot.place(b, from);
            startCharging(b, lot.pos(from).chargerKw);
            if (moved === 0 && policy.reordersLane?.(ctx, car) === true) {
              moved = reorderLane(car);
              reordered = moved > 0;
            }
            break;
          }
        }
        if (moved === 0) return task.kind === 'prestage' ? 'dropped' : 'deferred';
        const a = accAt(now);
        if (a) a.relocations[task.kind === 'retrieve' ? 'onDemand' : 'prestage'] += moved;
        minutes = durations.walkToCabinet + moved * moveMinutes + backIn.length * (durations.park + durations.drive);
        if (task.kind === 'prestage' && !reordered) {
          sourceClear = {
            lane: source,
            after: durations.walkToCabinet + (moved - 1) * moveMinutes + durations.walkToCar + durations.park,
          };
        }
        after = () => {
          if (task.kind === 'retrieve' && loc[car] === 'compound') depart(car);
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
              lot.place(b, spot);
              startCharging(b, lot.pos(spot).chargerKw);
            } else {
              const to = policy.relocate(ctx, b, avoidSet());
              if (to === null || !placeCar(b, to)) {
                if (to === null) violation('no-place-back', b);
                loc[b] = 'outside';
              }
            }
          }
        };
        break;
      }
      case 'vacate': {
        // A car on a position that closes tomorrow (closed from noon on) moves before the closure
        // starts: its blockers and then the car go where the policy relocates them. A car without
        // a key is moved by its resident when the guards call, in the same minutes.
        const car = task.subject;
        const p = lot.where(car);
        if (loc[car] !== 'compound' || p === -1 || !lot.pos(p).closed) return 'dropped';
        if ((waitingSince[car] as number) >= 0) return 'dropped';
        const source = lot.pos(p).lane;
        if (lockedLanes.has(source)) return 'deferred';
        // A car without a key in the way, or no place for every car: try again later.
        const blockers = lot.blockersOf(p, movable);
        if (blockers === null) return 'deferred';
        const done: { car: number; from: number }[] = [];
        for (const c of [...blockers, car]) {
          const from = liftCar(c);
          const to = policy.relocate(ctx, c, avoidSet([source]));
          if (to === null || lot.illegal(to, cars[c] as SimCar, movable) !== null) {
            lot.place(c, from);
            startCharging(c, lot.pos(from).chargerKw);
            break;
          }
          placeCar(c, to);
          lanes.add(lot.pos(to).lane);
          done.push({ car: c, from });
        }
        if (lot.where(car) === p) {
          // Undo: the lot is as it was, and the task waits for room.
          for (const { car: c, from } of done.reverse()) {
            liftCar(c);
            lot.place(c, from);
            startCharging(c, lot.pos(from).chargerKw);
          }
          return 'deferred';
        }
        lanes.add(source);
        const a = accAt(now);
        if (a) a.relocations.closure += done.length;
        minutes = durations.walkToCabinet + done.length * moveMinutes;
        break;
      }
      case 'resort': {
        const move = policy.resortMove(ctx, avoidSet());
        if (move === null) {
          // The other guard's lanes may hide the next move: wait for them.
          if (lockedLanes.size > 0) return 'deferred';
          // Nothing left to gain tonight: drop the rest of the budget.
          for (let i = tasks.length - 1; i >= 0; i--)
            if ((tasks[i] as Task).kind === 'resort' && tasks[i] !== task) tasks.splice(i, 1);
          return 'dropped';
        }
        const from = lot.where(move.car);
        if (from === -1 || lockedLanes.has(lot.pos(from).lane) || lockedLanes.has(lot.pos(move.to).lane))
          return 'dropped';
        liftCar(move.car);
        if (!placeCar(move.car, move.to)) {
          lot.place(move.car, from);
          return 'dropped';
        }
        lanes.add(lot.pos(from).lane).add(lot.pos(move.to).lane);
        const a = accAt(now);
        if (a) a.relocations.resort++;
        minutes = durations.walkToCabinet + moveMinutes;
        break;
      }
      case 'charge': {
        const p = task.subject;
        const lane = lot.pos(p).lane;
        if (lockedLanes.has(lane)) return 'deferred';
        const occupant = lot.at(p);
        if (occupant !== -1 && ctx.wantsCharge(occupant)) return 'dropped';
        const ev = chargerCandidate(p);
        if (ev === null) return 'dropped';
        let moved = 0;
        if (occupant !== -1) {
          liftCar(occupant);
          const to = policy.relocate(ctx, occupant, avoidSet([lane, lot.pos(lot.where(ev)).lane]));
          if (to === null || !placeCar(occupant, to)) {
            lot.place(occupant, p);
            return 'dropped';
          }
          lanes.add(lot.pos(to).lane);
          moved++;
        }
        const from = liftCar(ev);
        if (!placeCar(ev, p)) {
          lot.place(ev, from);
          return 'dropped';
        }
        moved++;
        lanes.add(lane).add(lot.pos(from).lane);
        const a = accAt(now);
        if (a) a.relocations.charger += moved;
        minutes = durations.walkToCabinet + moved * moveMinutes;
        break;
      }
      default: {
        const never: never = task.kind;
        throw new Error(`unknown task ${String(never)}`);
      }
    }
    for (const l of lanes) {
      if (lockedLanes.has(l)) throw new Error(`lane ${lot.lane(l).id} is held by another guard`);
      lockedLanes.set(l, guard);
      laneBusyFrom[l] = now + Math.min(minutes, durations.walkToCabinet + durations.walkToCar);
      laneClearAt[l] = now + minutes;
    }
    if (sourceClear !== null && sourceClear.after < minutes) {
      laneClearAt[sourceClear.lane] = now + sourceClear.after;
      events.push(now + sourceClear.after, { kind: 'laneClear', lane: sourceClear.lane });
    }
    guardFree[guard] = false;
    options.onTask?.({
      guard,
      kind: task.kind,
      start: now,
      end: now + minutes,
      lanes: [...lanes].map((l) => lot.lane(l).id),
    });
    addBusy(now, now + minutes);
    events.push(now + minutes, {
      kind: 'taskDone',
      guard,
      finish: () => {
        for (const l of lanes) lockedLanes.delete(l);
        after();
        for (const l of lanes) releaseWaiting(l);
      },
    });
    return 'started';
  }

  /**
   * Brings `car` to the front of its one-end lane, the cars in front of it going behind it in
   * their order (the road holds them meanwhile). Returns the moves made, 0 when the lane is not a
   * one-end lane, a car in front has no key or is wanted now, or a position is too small for its
   * new car.
   */
  function reorderLane(car: number): number {
    const p = lot.where(car);
    const lane = lot.lane(lot.pos(p).lane);
    if (lane.access !== 'one-end') return 0;
    const spots = lane.positions.slice(0, lot.pos(p).index + 1).filter((q) => lot.at(q) !== -1);
    const order = spots.map((q) => lot.at(q));
    if (order.some((c) => !movable(c) || (c !== car && (waitingSince[c] as number) >= 0))) return 0;
    const wanted = [car, ...order.filter((c) => c !== car)];
    for (const c of order) liftCar(c);
    const placed: number[] = [];
    // Deepest first, so that every place is reachable as it is taken.
    for (let i = spots.length - 1; i >= 0; i--) {
      const c = wanted[i] as number;
      const q = spots[i] as number;
      if (lot.illegal(q, cars[c] as SimCar, movable) !== null) {
        for (const x of placed) liftCar(x);
        order.forEach((x, j) => {
          lot.place(x, spots[j] as number);
          startCharging(x, lot.pos(spots[j] as number).chargerKw);
        });
        return 0;
      }
      placeCar(c, q);
      placed.push(c);
    }
    return order.length;
  }

  /**
   * Room for a car that has no legal position (a car without a key in a lot with no empty lane, a
   * large car when only small places are left): a bay of its own whose car the guards can move to
   * a place the policy chooses. Returns the freed bay and the lane the other car went to.
   */
  function makeRoom(car: number): Room | null {
    const direct = makeRoomOnce(car) ?? tuckIn(car);
    if (direct !== null || (cars[car] as SimCar).movable) return direct;
    // A car without a key needs a lane end with nothing behind it. When the only free places are
    // holes, first close one hole up (its lane's end cars move inward) and try again.
    const shifted = shiftHole(null);
    if (shifted === null) return null;
    const room = makeRoomOnce(car);
    if (room !== null) return { ...room, lanes: [...room.lanes, shifted.lane], moves: room.moves + shifted.moves };
    shifted.undo();
    return null;
  }

  /**
   * The last resort for a full lot whose only free places lie behind cars too large for them: the
   * cars in front of such a place (at most three, all movable, none of them wanted now) come out,
   * the new car goes in at the back, and they go back in front of it, deepest place first, each
   * taking the deepest car still out that fits it. `then` puts them back once the new car stands.
   * When the place is too small for the new car (a large car, and only a small-car place left), a
   * smaller car that can drive out from where it stands goes in at the back instead (the latest
   * leaver among them, as it is the one shut in), and the new car takes its place: one move more.
   */
  function tuckIn(car: number): Room | null {
    const traits = cars[car] as SimCar;
    for (const [l, lane] of lot.lanes.entries()) {
      if (lane.access !== 'one-end' || lockedLanes.has(l)) continue;
      const q = [...lane.positions]
        .reverse()
        .find((x) => lot.at(x) === -1 && !lot.pos(x).closed && !lot.pos(x).fireLane);
      if (q === undefined || lot.reachable(q)) continue;
      const index = lot.pos(q).index;
      if (lane.positions.slice(index + 1).some((x) => lot.at(x) !== -1)) continue;
      const front = lane.positions.slice(0, index);
      const prefix = front.map((x) => lot.at(x)).filter((c) => c !== -1);
      if (prefix.length > 3 || prefix.some((c) => !movable(c) || (waitingSince[c] as number) >= 0)) continue;
      const tooSmall = VEHICLE_SIZES.indexOf(traits.size) > VEHICLE_SIZES.indexOf(lot.pos(q).maxSize);
      const standIn = tooSmall ? standInFor(car, q) : null;
      if (tooSmall && standIn === null) continue;
      // Dry run of the return: deepest place first, the deepest car still out that fits it.
      const targets = front.filter((x) => !lot.pos(x).closed && !lot.pos(x).fireLane).reverse();
      const remaining = [...prefix];
      const plan: [number, number][] = [];
      for (const x of targets) {
        if (remaining.length === 0) break;
        let pick = remaining.length - 1;
        while (
          pick >= 0 &&
          VEHICLE_SIZES.indexOf((cars[remaining[pick] as number] as SimCar).size) >
            VEHICLE_SIZES.indexOf(lot.pos(x).maxSize)
        )
          pick--;
        if (pick < 0) break;
        plan.push([(remaining.splice(pick, 1) as [number])[0], x]);
      }
      if (remaining.length > 0) continue;
      for (const c of prefix) liftCar(c);
      const then = (): void => {
        for (const [c, x] of plan) if (!placeCar(c, x)) loc[c] = 'outside';
      };
      if (standIn === null) return { bay: q, lanes: [l], moves: prefix.length, then };
      const bay = liftCar(standIn);
      placeCar(standIn, q);
      return { bay, lanes: [l, lot.pos(bay).lane], moves: prefix.length + 1, then };
    }
    return null;
  }

  /**
   * A car that may stand on `q` (in place of `car`, too large for it) and can drive out now from a
   * place of another lane where `car` may then stand; the one believed to leave latest, or null.
   */
  function standInFor(car: number, q: number): number | null {
    const traits = cars[car] as SimCar;
    const lane = lot.pos(q).lane;
    let best: number | null = null;
    let latest = -Infinity;
    for (let p = 0; p < lot.positions.length; p++) {
      const x = lot.at(p);
      const l = lot.pos(p).lane;
      if (x === -1 || l === lane || lockedLanes.has(l) || !movable(x) || (waitingSince[x] as number) >= 0) continue;
      if (VEHICLE_SIZES.indexOf((cars[x] as SimCar).size) > VEHICLE_SIZES.indexOf(lot.pos(q).maxSize)) continue;
      if (lot.blockersOf(p, movable)?.length !== 0) continue;
      lot.remove(x);
      const fits = lot.illegal(p, traits, movable) === null;
      lot.place(x, p);
      const leaves = believedDeparture(known(x));
      if (fits && leaves > latest) {
        best = x;
        latest = leaves;
      }
    }
    return best;
  }

  /**
   * Closes up a hole: the cars between an open end and free places behind them move inward, in
   * order, as deep as the hole goes (a one-end lane, or either end of a through lane, where a car
   * left from the middle). The lane that needs the fewest moves is used. With `traits`, only when
   * that car may then stand at the freed end, which is returned as `spot`.
   */
  function shiftHole(traits: SimCar | null): { lane: number; moves: number; spot: number; undo: () => void } | null {
    const found: { l: number; order: number[]; cars: number; moves: number }[] = [];
    for (const [l, lane] of lot.lanes.entries()) {
      if (lockedLanes.has(l)) continue;
      for (const side of lot.sides(lane)) {
        const order = side === 'front' ? lane.positions : [...lane.positions].reverse();
        const first = order.findIndex((q) => lot.at(q) !== -1);
        if (first === -1) continue;
        let j = first;
        while (j < order.length && lot.at(order[j] as number) !== -1) j++;
        const prefix = order.slice(first, j).map((q) => lot.at(q));
        if (prefix.some((c) => !movable(c) || (waitingSince[c] as number) >= 0)) continue;
        let h = j;
        while (h < order.length && lot.at(order[h] as number) === -1) h++;
        const usable = order.slice(first, h).filter((q) => !lot.pos(q).closed);
        if (usable.length <= prefix.length || prefix.length === 0) continue;
        const moves = prefix.length;
        found.push({ l, order: order.slice(0, h), cars: first, moves });
      }
    }
    found.sort((a, b) => a.moves - b.moves);
    for (const { l, order, cars: first } of found) {
      const spots = order.slice(first).filter((q) => lot.at(q) !== -1);
      const prefix = spots.map((q) => lot.at(q));
      const usable = order.filter((q, i) => i >= first && !lot.pos(q).closed);
      for (const c of prefix) liftCar(c);
      const targets = usable.slice(usable.length - prefix.length);
      const placed: number[] = [];
      let ok = true;
      // Deepest target first, each taking the deepest car still out that fits it: the cars keep
      // their order unless a position too small for one of them forces a swap.
      const remaining = [...prefix];
      for (let i = targets.length - 1; i >= 0 && ok; i--) {
        const q = targets[i] as number;
        let pick = remaining.length - 1;
        while (pick >= 0 && lot.illegal(q, cars[remaining[pick] as number] as SimCar, movable) !== null) pick--;
        if (pick < 0) {
          ok = false;
          break;
        }
        const [c] = remaining.splice(pick, 1) as [number];
        placeCar(c, q);
        placed.push(c);
      }
      const undo = (): void => {
        for (const c of placed) liftCar(c);
        prefix.forEach((c, i) => {
          lot.place(c, spots[i] as number);
          startCharging(c, lot.pos(spots[i] as number).chargerKw);
        });
      };
      const spot = order.find((q) => lot.at(q) === -1 && (traits === null || lot.illegal(q, traits, movable) === null));
      if (ok && spot !== undefined)
        return { lane: l, spot, moves: prefix.filter((c, i) => lot.where(c) !== spots[i]).length, undo };
      undo();
    }
    return null;
  }

  function makeRoomOnce(car: number): Room | null {
    const traits = cars[car] as SimCar;
    const sizes = ['small', 'standard', 'large'];
    // First, a hole closed up so that the new car can stand at the lane's end.
    const shifted = shiftHole(traits);
    if (shifted !== null) return { bay: shifted.spot, lanes: [shifted.lane], moves: shifted.moves };
    // Then a bay of its own, whose car goes where the policy puts it.
    for (const [l, lane] of lot.lanes.entries()) {
      if (lane.positions.length !== 1 || lockedLanes.has(l)) continue;
      const bay = lane.positions[0] as number;
      const pos = lot.pos(bay);
      const occupant = lot.at(bay);
      if (
        pos.closed ||
        pos.fireLane ||
        occupant === -1 ||
        !movable(occupant) ||
        (waitingSince[occupant] as number) >= 0
      )
        continue;
      if (sizes.indexOf(traits.size) > sizes.indexOf(pos.maxSize)) continue;
      liftCar(occupant);
      const to = policy.relocate(ctx, occupant, avoidSet([l]));
      if (to !== null && lot.illegal(to, cars[occupant] as SimCar, movable) === null) {
        placeCar(occupant, to);
        return { bay, lanes: [lot.pos(to).lane], moves: 1 };
      }
      lot.place(occupant, bay);
      startCharging(occupant, pos.chargerKw);
    }
    // Last, the car nearest an open end goes where the policy puts it, and the new car takes the
    // deepest place of that lane it may use: a car without a key may stand only where nothing is
    // behind it, a large car only where the lane is wide enough.
    for (const [l, lane] of lot.lanes.entries()) {
      if (lockedLanes.has(l)) continue;
      for (const side of lot.sides(lane)) {
        const order = side === 'front' ? lane.positions : [...lane.positions].reverse();
        const spot = order.find((q) => lot.at(q) !== -1);
        if (spot === undefined) continue;
        const ahead = lot.at(spot);
        if (!movable(ahead) || (waitingSince[ahead] as number) >= 0) continue;
        liftCar(ahead);
        if (!order.some((q) => lot.illegal(q, traits, movable) === null)) {
          lot.place(ahead, spot);
          startCharging(ahead, lot.pos(spot).chargerKw);
          continue;
        }
        const to = policy.relocate(ctx, ahead, avoidSet([l]));
        if (to !== null && lot.illegal(to, cars[ahead] as SimCar, movable) === null) {
          placeCar(ahead, to);
          const deep = [...order].reverse().find((q) => lot.illegal(q, traits, movable) === null);
          if (deep !== undefined) return { bay: deep, lanes: [l, lot.pos(to).lane], moves: 1 };
          liftCar(ahead);
        }
        lot.place(ahead, spot);
        startCharging(ahead, lot.pos(spot).chargerKw);
      }
    }
    return null;
  }

  /** An EV that wants charge, can drive out now, fits, and is not on a charger. */
  function chargerCandidate(p: number): number | null {
    const pos = lot.pos(p);
    for (let c = 0; c < n; c++) {
      if (!(cars[c] as SimCar).ev || !(cars[c] as SimCar).movable || loc[c] !== 'compound') continue;
      const at = lot.where(c);
      if (at === -1 || lot.pos(at).chargerKw !== null || (waitingSince[c] as number) >= 0) continue;
      if (lockedLanes.has(lot.pos(at).lane)) continue;
      if (!ctx.wantsCharge(c)) continue;
      if (lot.blockersOf(at, movable)?.length !== 0) continue;
      const sizes = ['small', 'standard', 'large'];
      if (sizes.indexOf((cars[c] as SimCar).size) > sizes.indexOf(pos.maxSize)) continue;
      return c;
    }
    return null;
  }

  function dispatch(): void {
    // Pre-staging goes by the departure it prepares for, soonest first.
    const urgency = (t: Task): number => {
      if (t.kind !== 'prestage') return 0;
      const k = known(t.subject);
      return k.declared !== null ? k.declared : k.estimate + 15;
    };
    tasks.sort((a, b) => RANK[a.kind] - RANK[b.kind] || urgency(a) - urgency(b) || a.seq - b.seq);
    for (let g = 0; g < guards; g++) {
      if (!guardFree[g]) continue;
      for (let i = 0; i < tasks.length;) {
        const task = tasks[i] as Task;
        const outcome = start(task, g);
        if (outcome === 'deferred') {
          i++;
          continue;
        }
        tasks.splice(i, 1);
        queuedSubjects.delete(`${task.kind}:${task.subject}`);
        if (outcome === 'started') break;
      }
    }
  }

  // Partner lots.
  interface OpenLot {
    k: number;
    lot: number;
    leaveBy: number;
    kw: number | null;
    chargerSpaces: number;
    spaces: number;
  }
  /** The partner lots open now, in the scenario's order. */
  function partnerOpen(): OpenLot[] {
    const open: OpenLot[] = [];
    for (const k of [nightOf(now) + 1, nightOf(now)]) {
      for (const w of partnerWindows(scenario, addDays(startDate, k))) {
        const lotDef = scenario.partnerLots[w.lot];
        if (lotDef === undefined || open.some((o) => o.lot === w.lot)) continue;
        if (now >= abs(k, w.from) && now < abs(k, w.to)) {
          open.push({
            k,
            lot: w.lot,
            leaveBy: abs(k, w.leaveBy),
            kw: lotDef.chargerKw,
            chargerSpaces: lotDef.chargerSpaces,
            spaces: lotDef.spaces,
          });
        }
      }
    }
    return open;
  }

  /** Sends `car` to the first open partner lot with a space; false when there is none. */
  function toPartner(car: number): boolean {
    const open = partnerOpen().find((o) => (partnerCars[o.lot] as number) < o.spaces);
    if (open === undefined) return false;
    loc[car] = 'partner';
    partnerLotOf[car] = open.lot;
    partnerCars[open.lot] = (partnerCars[open.lot] as number) + 1;
    const a = accAt(now);
    if (a) a.partner++;
    if ((cars[car] as SimCar).ev && (partnerChargers[open.lot] as number) < open.chargerSpaces) {
      partnerChargers[open.lot] = (partnerChargers[open.lot] as number) + 1;
      startCharging(car, open.kw);
    }
    const next = plan(open.k + 1, car);
    const leaveAt = next.leaves ? Math.min(next.departAt, open.leaveBy) : open.leaveBy;
    events.push(Math.max(now, leaveAt), { kind: 'partnerLeave', car, k: open.k });
    return true;
  }

  function arrive(car: number, k: number): void {
    if (loc[car] !== 'out') return;
    const today = plan(k, car);
    needKwh[car] = today.energyKwh;
    const a = accAt(now);
    if (a) a.requested += today.energyKwh;
    if (today.partnerTonight && toPartner(car)) return;
    if (policy.allocatesPartner && partnerOpen().length > 0) {
      const free = lot.positions.reduce((sum, p, i) => sum + (lot.at(i) === -1 && !p.closed && !p.fireLane ? 1 : 0), 0);
      const queued = loc.reduce((sum, l) => sum + (l === 'gate' ? 1 : 0), 0);
      const chargersFree = lot.positions.some((p, i) => p.chargerKw !== null && !p.closed && lot.at(i) === -1);
      const evWaiting = (cars[car] as SimCar).ev && today.energyKwh > 0 && !chargersFree;
      if ((free - queued <= 2 || evWaiting) && toPartner(car)) return;
    }
    loc[car] = 'gate';
    enqueue('park', car);
  }

  /**
   * From 12:00 on day k, what the guards know of each car's next morning: the declared time, else
   * a guess from the car's habits. The guess weighs how likely the car is to leave at all (its
   * stay-home rate, and the weekend factor on a Saturday or Sunday): a likely leaver is expected
   * at its habitual time, an unlikely one around midday, with a spread that grows with the doubt.
   * The same knowledge is kept as a mixture (leaves with that probability, then around the habit,
   * within the spread learnt from the mornings seen so far: `departure-spread.ts`; a declared time
   * is kept with the slip learnt the same way).
   * Pre-staging is scheduled on what is known, never on what the residents will actually do: for
   * declared times and, when the policy pre-stages on estimates, for cars more likely to leave
   * than not.
   */
  function updateKnowledge(k: number): void {
    nightBase = abs(k, 0);
    for (let c = 0; c < n; c++) {
      // The next departure: tomorrow morning's, or this evening's for a car that works nights.
      const day = worksNights(behaviour.habitDeparture, behaviour.habitArrival, c) ? k : k + 1;
      const weekend = isWeekend(addDays(startDate, day));
      const next = plan(day, c);
      const stay = scenario.vehicles[c]?.habits.stayHomeRate ?? 0;
      const pLeave = weekend ? (1 - stay) * scenario.behaviour.weekendFactor : 1 - stay;
      const declared = next.declared === null ? null : Number.isFinite(next.declared) ? next.declared : Infinity;
      knowledge[c] = knowledgeOf(
        abs(day, 0),
        { minute: behaviour.habitDeparture[c] as number, leaves: pLeave },
        declared,
        habitSpread.of(c),
        declaredSlip.of(c),
      );
      if (policy.prestageLeadMinutes === null) continue;
      const known =
        declared !== null
          ? Number.isFinite(declared)
            ? declared
            : null
          : policy.prestageEstimated && pLeave >= 0.5
            ? knowledge[c]!.estimate
            : null;
      if (known === null) continue;
      const leads = [policy.prestageLeadMinutes, Math.min(PRESTAGE_SECOND_LOOK, policy.prestageLeadMinutes)];
      if (declared !== null && policy.prestageLastLookMinutes !== undefined)
        leads.push(Math.min(policy.prestageLastLookMinutes, policy.prestageLeadMinutes));
      for (const lead of leads) {
        events.push(Math.max(now, known - lead), { kind: 'prestage', car: c, departure: known });
      }
      // Declared departures of the morning are also prepared at night, at the re-sort (just before
      // its moves, which the pre-staging tasks outrank), while the night shift has time.
      const night = abs(k, NIGHT_WORK_MINUTE);
      if (policy.prestageDeclaredAtNight === true && declared !== null && known > night)
        events.push(night - 1, { kind: 'prestage', car: c, departure: known });
    }
  }

  function snapshot(k: number): void {
    const a = acc[k];
    if (a === undefined) return;
    let needing = 0;
    let housed = 0;
    const counted: number[] = [];
    for (let c = 0; c < n; c++) {
      const l = loc[c];
      if (l === 'out') continue;
      needing++;
      counted.push(c);
      if (l === 'compound' || l === 'partner') housed++;
      if (l === 'compound' && lot.where(c) !== -1) {
        const pos = lot.pos(lot.where(c));
        if (pos.closed || pos.fireLane) violation(pos.closed ? 'closed' : 'fire-lane', c);
      }
    }
    a.needing = needing;
    a.housed = housed;
    options.onNightCount?.(k, counted);
    const base = abs(k, 0);
    const view: LotView = {
      lanes: lot.lanes.map((lane) => ({
        id: lane.id,
        name: lane.id,
        access: lane.access,
        positions: lane.positions.map((p) => {
          const pos = lot.pos(p);
          const car = lot.at(p);
          const next = car === -1 ? null : plan(k + 1, car);
          return {
            id: pos.id,
            index: pos.index,
            chargerKw: pos.chargerKw,
            maxSize: pos.maxSize,
            closed: pos.closed,
            car:
              car === -1 || next === null
                ? null
                : {
                    vehicleId: (cars[car] as SimCar).id,
                    movable: movable(car),
                    departure: next.leaves ? next.departAt - base : FAR,
                  },
          };
        }),
      })),
    };
    a.lowerBound = morningLowerBound(view);
  }

  // Schedule the run.
  lot.setDay(addDays(startDate, -1) as IsoDate);
  for (let k = -1; k < days; k++) {
    events.push(abs(k, 12 * 60) - 1, { kind: 'knowledge', k });
    for (let c = 0; c < n; c++) {
      const today = plan(k, c);
      if (k >= 0 && today.leaves) events.push(today.departAt, { kind: 'depart', car: c, k });
      const wasAway = k >= 0 && plan(k - 1, c).awayTonight;
      if ((today.leaves && !today.awayTonight) || wasAway) events.push(today.returnAt, { kind: 'arrive', car: c, k });
    }
    if (k >= 0) {
      events.push(abs(k + 1, 4 * 60), { kind: 'snapshot', k });
      // The re-sort runs after the last arrivals (a second pass at 05:00 was tried: no better).
      if (policy.nightResortBudget > 0) events.push(abs(k, NIGHT_WORK_MINUTE), { kind: 'resort', k });
    }
  }
  // The last morning's departures.
  for (let c = 0; c < n; c++) {
    const last = plan(days, c);
    if (last.leaves) events.push(last.departAt, { kind: 'depart', car: c, k: days });
  }
  for (const e of behaviour.emergencies) events.push(e.at, { kind: 'emergency', car: e.car, returnAt: e.returnAt });
  for (let t = 0; t < end; t += 30) events.push(t, { kind: 'sample' });
  if (policy.rotatesChargers)
    for (let k = 0; k < days; k++) for (let h = 21; h <= 29; h++) events.push(abs(k, h * 60), { kind: 'chargeTick' });

  let lastDay = -2;
  for (let q = events.pop(); q !== undefined && q.t < end; q = events.pop()) {
    now = q.t;
    const day = Math.floor(now / DAY) - 1;
    if (day !== lastDay) {
      lot.setDay(addDays(startDate, day) as IsoDate);
      lastDay = day;
    }
    const e = q.event;
    switch (e.kind) {
      case 'depart': {
        const l = loc[e.car];
        const declared = plan(e.k, e.car).declared;
        declaredNow[e.car] = declared !== null && Number.isFinite(declared) ? declared : Number.NaN;
        if (l === 'compound' || l === 'gate') {
          if (declared === null) habitSpread.observe(e.car, now - abs(e.k, behaviour.habitDeparture[e.car] as number));
          else if (Number.isFinite(declared)) declaredSlip.observe(e.car, now - declared);
        }
        if (l === 'compound') {
          if ((waitingSince[e.car] as number) >= 0) break;
          const p = lot.where(e.car);
          const blockers = p === -1 ? [] : lot.blockersOf(p, movable);
          if (blockers !== null && blockers.length === 0 && !inWorkedLane(e.car)) depart(e.car);
          else {
            if (options.onDeparture)
              blockedAs.set(e.car, {
                blockers: blockers?.length ?? -1,
                blockerCars: blockers ?? [],
                guardsFree: guardFree.filter(Boolean).length,
                prestageQueued: queuedSubjects.has(`prestage:${e.car}`),
              });
            waitingSince[e.car] = now;
            enqueue('retrieve', e.car);
          }
        } else if (l === 'gate') {
          depart(e.car);
        } else if (l === 'outside') {
          loc[e.car] = 'out';
        }
        break;
      }
      case 'arrive':
        arrive(e.car, e.k);
        break;
      case 'comeBack':
        // Only the latest return of a car turned away more than once.
        if (loc[e.car] !== 'outside' || comeBackAt[e.car] !== now) break;
        loc[e.car] = 'out';
        arrive(e.car, e.k);
        break;
      case 'partnerLeave': {
        if (loc[e.car] !== 'partner') break;
        stopCharging(e.car);
        const at = partnerLotOf[e.car] as number;
        partnerLotOf[e.car] = -1;
        partnerCars[at] = (partnerCars[at] as number) - 1;
        if (chargeKw[e.car] !== 0 && (cars[e.car] as SimCar).ev)
          partnerChargers[at] = Math.max(0, (partnerChargers[at] as number) - 1);
        chargeKw[e.car] = 0;
        loc[e.car] = 'out';
        const next = plan(e.k + 1, e.car);
        needKwh[e.car] = 0;
        if (!(next.leaves && next.departAt <= now)) {
          // Gone by the leave-by time but not leaving yet: back to the compound gate.
          loc[e.car] = 'gate';
          enqueue('park', e.car);
        }
        break;
      }
      case 'emergency': {
        if (loc[e.car] !== 'compound' || (waitingSince[e.car] as number) >= 0 || lot.where(e.car) === -1) break;
        const blockers = lot.blockersOf(lot.where(e.car), movable);
        declaredNow[e.car] = Number.NaN;
        if (blockers !== null && blockers.length === 0 && !inWorkedLane(e.car)) depart(e.car);
        else {
          waitingSince[e.car] = now;
          enqueue('retrieve', e.car);
        }
        events.push(e.returnAt, { kind: 'arrive', car: e.car, k: nightOf(e.returnAt) });
        break;
      }
      case 'knowledge':
        // From noon, what closes tomorrow is closed already: no car is parked there, and the cars
        // standing there are moved before midnight.
        lot.setDay(addDays(startDate, e.k) as IsoDate, addDays(startDate, e.k + 1) as IsoDate);
        for (let p = 0; p < lot.positions.length; p++) {
          const c = lot.at(p);
          if (c !== -1 && lot.pos(p).closed) enqueue('vacate', c);
        }
        updateKnowledge(e.k);
        break;
      case 'prestage': {
        const k = known(e.car);
        const current = k.declared !== null && Number.isFinite(k.declared) ? k.declared : k.estimate;
        if (current !== e.departure || loc[e.car] !== 'compound') break;
        const p = lot.where(e.car);
        if (p !== -1 && (lot.blockersOf(p, movable)?.length ?? 0) > 0) enqueue('prestage', e.car);
        break;
      }
      case 'resort':
        for (let i = 0; i < policy.nightResortBudget; i++) tasks.push({ kind: 'resort', subject: i, seq: taskSeq++ });
        break;
      case 'chargeTick':
        lot.positions.forEach((pos, p) => {
          if (pos.chargerKw === null || pos.closed || lot.lane(pos.lane).positions.length !== 1) return;
          const occupant = lot.at(p);
          if (occupant === -1 || !ctx.wantsCharge(occupant)) enqueue('charge', p);
        });
        break;
      case 'snapshot':
        snapshot(e.k);
        options.onProgress?.(e.k + 1);
        break;
      case 'sample': {
        const slot = Math.floor(now / 30);
        occupancy[slot] = lot.count();
        break;
      }
      case 'taskDone':
        guardFree[e.guard] = true;
        e.finish();
        break;
      case 'laneClear':
        releaseWaiting(e.lane);
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
    dispatch();
  }

  // Figures.
  const slotRange = (k: number, from: number, to: number): number => {
    let s = 0;
    for (let t = abs(k, from); t < abs(k, to); t += 30) s += busy[Math.floor(t / 30)] ?? 0;
    return s;
  };
  const peakMinutes = PEAKS.reduce((s, [a, b]) => s + (b - a), 0);
  const peakBusy = (k: number): number => PEAKS.reduce((s, [a, b]) => s + slotRange(k + 1, a, b), 0);
  const shift = (name: 'day' | 'night'): [number, number] => {
    const sh = scenario.roster.shifts.find((s) => s.id === name) ?? scenario.roster.shifts[0];
    const from = minutesOf(sh?.start ?? '07:00');
    let to = minutesOf(sh?.end ?? '19:00');
    if (to <= from) to += DAY;
    return [from, to];
  };
  const [dayFrom, dayTo] = shift('day');
  const [nightFrom, nightTo] = shift('night');
  for (let k = 0; k < days; k++) {
    const a = acc[k] as Acc;
    nights.push({
      date: addDays(startDate, k),
      carsNeedingPlace: a.needing,
      carsHoused: a.housed,
      turnedAway: a.turnedAway,
      departures: a.waits.length,
      declaredDepartures: a.declared,
      declaredOnTime: a.onTime,
      waitMeanMin: round(mean(a.waits), 2),
      waitP95Min: round(percentile(a.waits, 0.95), 2),
      waitMaxMin: round(Math.max(0, ...a.waits), 2),
      relocations: a.relocations,
      relocationLowerBound: a.lowerBound,
      guardBusyMinutes: {
        dayShift: round(slotRange(k + 1, dayFrom, dayTo), 1),
        nightShift: round(slotRange(k, nightFrom, nightTo), 1),
      },
      guardPeakUtilization: round(peakBusy(k) / (guards * peakMinutes)),
      evEnergyRequestedKwh: round(a.requested, 2),
      evEnergyDeliveredKwh: round(a.delivered, 2),
      partnerCars: a.partner,
      violations: a.violations,
    });
  }
  const allWaits = acc.flatMap((a) => a.waits);
  const sum = (f: (a: Acc) => number): number => acc.reduce((s, a) => s + f(a), 0);
  // Charger swaps are EV service, not moves out of a departing car's way; each night lists them.
  const relocs = sum((a) => a.relocations.onDemand + a.relocations.prestage + a.relocations.resort);
  let peak = 0;
  for (let k = 0; k < days; k++) peak += peakBusy(k);
  const overall: OverallKpi = {
    housedRate: round(
      ratio(
        sum((a) => a.housed),
        sum((a) => a.needing),
      ),
    ),
    onTimeRate: round(
      ratio(
        sum((a) => a.onTime),
        sum((a) => a.declared),
      ),
    ),
    waitMeanMin: round(mean(allWaits), 2),
    waitP95Min: round(percentile(allWaits, 0.95), 2),
    waitMaxMin: round(Math.max(0, ...allWaits), 2),
    relocationsPerDeparture: round(ratio(relocs, allWaits.length, 0)),
    relocationLowerBoundPerDeparture: round(
      ratio(
        sum((a) => a.lowerBound),
        allWaits.length,
        0,
      ),
    ),
    guardPeakUtilization: round(ratio(peak, guards * peakMinutes * days, 0)),
    evEnergyMetRate: round(
      ratio(
        sum((a) => a.delivered),
        sum((a) => a.requested),
      ),
    ),
    partnerNightsUsed: sum((a) => a.partner),
    violations,
  };
  // Profiles over the measured days.
  const guardLoad: number[] = [];
  const occ: number[] = [];
  for (let s = 0; s < 48; s++) {
    let b = 0;
    let o = 0;
    let m = 0;
    for (let k = 1; k <= days; k++) {
      const slot = (k + 1) * 48 + s - 48 + 24; // from 12:00 on day k-1
      if (slot >= halfHours || (occupancy[slot] as number) < 0) continue;
      b += (busy[slot] as number) / 30;
      o += occupancy[slot] as number;
      m++;
    }
    const sod = (s + 24) % 48;
    guardLoad[sod] = round(m === 0 ? 0 : b / m, 3);
    occ[sod] = round(m === 0 ? 0 : o / m, 1);
  }
  return {
    policy: policy.name,
    startDate,
    days,
    seed,
    positions: lot.positions.length,
    guardsOnDuty: guards,
    nights,
    overall,
    profiles: {
      waitByHour: Array.from({ length: 24 }, (_, h) =>
        (waitCount[h] as number) === 0 ? null : round((waitSum[h] as number) / (waitCount[h] as number), 2),
      ),
      guardLoadByHalfHour: guardLoad,
      occupancyByHalfHour: occ,
    },
  };
}
