/**
 * @module The engine's state, one typed object every part of the engine receives: where each car
 * is, what the guards know of its next departure, the guards' queue and the lanes they hold, the
 * partner lots' counts, EV charging, the event queue and the measurements. Also the moves every
 * part makes the same way: placing and lifting a car (with its charging), a car driving off, and
 * queueing a guard task.
 */
import type { Scenario } from '../../core/scenario.js';
import { validateLayout } from '../../core/layout.js';
import {
  DepartureSpread,
  ESTIMATE_SPREAD,
  DECLARED_SLIP,
  departureProfile,
  knowledgeAt,
  knowledgeOf,
  learnHabit,
} from '../../planner/compound/index.js';
import { UNKNOWN_DEPARTURE } from '../../planner/placement/index.js';
import type { Behaviour, CarDay } from '../behaviour.js';
import { DAY, abs, drawBehaviour } from '../behaviour.js';
import { Lot } from '../lot.js';
import type { DepartureKnowledge, Policy, PolicyContext, SimCar } from '../policy.js';
import { CHARGED_KWH, type TaskKind } from './constants.js';
import { EventQueue } from './event-queue.js';
import type { Measurements } from './measurements.js';
import { createMeasurements, recordDeparture, tallyAt, violation } from './measurements.js';
import type { DepartureTrace, SimOptions } from './types.js';

/**
 * Where a car is: out (away from the compound), at the gate waiting to be parked, parked in the
 * compound, at a partner lot, or outside (turned away, on the street).
 */
export type Loc = 'out' | 'gate' | 'compound' | 'partner' | 'outside';

/** A queued guard task. */
export interface Task {
  kind: TaskKind;
  /** The car (retrieve, prestage, vacate, park), the charger position (charge), the budget's index (resort). */
  subject: number;
  /** The order it was queued in. */
  seq: number;
}

export interface EngineState {
  readonly scenario: Scenario;
  readonly policy: Policy;
  readonly options: SimOptions;
  readonly behaviour: Behaviour;
  readonly startDate: string;
  readonly days: number;
  readonly durations: Scenario['taskDurations'];
  /** Minutes a guard takes to move one car: walk to it, pull it out, drive, park it. */
  readonly moveMinutes: number;
  /** Guards on duty at once. */
  readonly guards: number;
  readonly cars: readonly SimCar[];
  /** The number of cars. */
  readonly n: number;
  readonly lot: Lot;
  readonly movable: (car: number) => boolean;
  /** Car `car`'s day `k` as the behaviour drew it. */
  readonly plan: (k: number, car: number) => CarDay;
  /** The policy's view of this state. */
  readonly ctx: PolicyContext;
  readonly events: EventQueue;
  readonly m: Measurements;

  /** The current minute (absolute: minute 0 is midnight before the warm-up day). */
  now: number;
  /** Midnight (absolute minute) of the day whose next morning the guards plan for. */
  nightBase: number;

  // Cars.
  readonly loc: Loc[];
  /** When a resident began waiting for the car (absolute minute), or -1. */
  readonly waitingSince: Float64Array;
  /** When a car turned away at the gate comes back (absolute minute), or -1. */
  readonly comeBackAt: Float64Array;
  /** When a car was handed over at the gate (absolute minute), or -1 when it is not at the gate. */
  readonly gateSince: Float64Array;
  /** Why a resident waits (for `onDeparture`), while they wait. */
  readonly blockedAs: Map<number, NonNullable<DepartureTrace['blocked']>>;
  /** The declared time of the departure under way (NaN when not declared, or an emergency). */
  readonly declaredNow: Float64Array;
  /** Blockers on the road during a retrieval, to go back in once the car has left. */
  readonly lifted: Set<number>;

  // Departure knowledge.
  /** How far departures fall from the habit (undeclared) and from the declared time, as seen so far. */
  readonly habitSpread: DepartureSpread;
  readonly declaredSlip: DepartureSpread;
  /**
   * With `guardsKnow: 'ledger'`, each car's departures as the product's ledger records them: day
   * → the minute (absolute) of the car's first departure that day. Null otherwise.
   */
  readonly departureRecord: Map<number, number>[] | null;
  /** What the guards knew of each car's next departure when they last looked (at noon). */
  readonly knowledge: DepartureKnowledge[];
  /** The departure profile of the cars still to come, cached for one minute. */
  profileCache: { base: number; profile: number[] };

  // EV charging: energy still wanted (kWh), the charger's power (kW), charging since (minute, -1: not).
  readonly needKwh: Float64Array;
  readonly chargeKw: Float64Array;
  readonly chargingSince: Float64Array;
  /** The night whose request the energy a car takes meets (the night it came home for), or -1 outside the measured nights. */
  readonly chargeNight: Int32Array;

  // Guards.
  readonly tasks: Task[];
  /** `kind:subject` of every queued task (a subject is queued once per kind). */
  readonly queuedSubjects: Set<string>;
  /** Minutes at which a charger round is already scheduled because a charging car will be full then. */
  readonly chargeTicks: Set<number>;
  taskSeq: number;
  readonly guardFree: boolean[];
  /** The lanes a running task holds → its guard. */
  readonly lockedLanes: Map<number, number>;
  /**
   * When a guard is in each lane: from his first arrival at a car (after fetching the key and
   * walking over) until the lane is clear again; a resident cannot drive out meanwhile. Minutes.
   */
  readonly laneBusyFrom: Float64Array;
  readonly laneClearAt: Float64Array;

  // Partner lots: cars and charging EVs at each lot now, and the lot each car is at (-1: none).
  readonly partnerCars: Int32Array;
  readonly partnerChargers: Int32Array;
  readonly partnerLotOf: Int32Array;

  /**
   * While a task starts and `onTask` listens: each car touched, in the order first touched, with
   * the position it stood on then (-1: not on the lot). Null otherwise.
   */
  trail: Map<number, number> | null;
}

/** The state at minute 0 of a run: every car out, the lot empty, the knowledge the habits'. */
export function createState(scenario: Scenario, policy: Policy, options: SimOptions): EngineState {
  const { days } = options;
  const startDate = options.startDate ?? scenario.roster.rotation.startDate;
  const behaviour = options.behaviour ?? drawBehaviour(scenario, startDate, days, options.seed);
  const durations = scenario.taskDurations;
  const cars: SimCar[] = scenario.vehicles.map((v) => ({ id: v.id, size: v.size, movable: v.keyConsent, ev: v.ev }));
  const n = cars.length;
  const lot = new Lot(validateLayout(scenario.layout), n);
  const s: EngineState = {
    scenario,
    policy,
    options,
    behaviour,
    startDate,
    days,
    durations,
    moveMinutes: durations.walkToCar + durations.park + durations.drive + durations.park,
    guards: scenario.roster.guardsPerShift,
    cars,
    n,
    lot,
    movable: (c) => (cars[c] as SimCar).movable,
    plan: (k, car) => (behaviour.days[k + 1] as CarDay[])[car] as CarDay,
    ctx: undefined as unknown as PolicyContext,
    events: new EventQueue(),
    m: createMeasurements(days),
    now: 0,
    nightBase: 0,
    loc: new Array<Loc>(n).fill('out'),
    waitingSince: new Float64Array(n).fill(-1),
    comeBackAt: new Float64Array(n).fill(-1),
    gateSince: new Float64Array(n).fill(-1),
    blockedAs: new Map(),
    declaredNow: new Float64Array(n).fill(Number.NaN),
    lifted: new Set(),
    habitSpread: new DepartureSpread(n, ESTIMATE_SPREAD),
    declaredSlip: new DepartureSpread(n, DECLARED_SLIP),
    departureRecord: options.guardsKnow === 'ledger' ? cars.map(() => new Map()) : null,
    knowledge: behaviour.habitDeparture.map((h) =>
      options.guardsKnow === 'ledger'
        ? knowledgeOf(abs(0, 0), learnHabit([], 0), null, UNKNOWN_DEPARTURE.spread, DECLARED_SLIP)
        : {
            declared: null,
            estimate: abs(0, h),
            spread: ESTIMATE_SPREAD,
            leaves: 1,
            at: abs(0, h),
            atSpread: ESTIMATE_SPREAD,
          },
    ),
    profileCache: { base: -1, profile: [] },
    needKwh: new Float64Array(n),
    chargeNight: new Int32Array(n).fill(-1),
    chargeKw: new Float64Array(n),
    chargingSince: new Float64Array(n).fill(-1),
    tasks: [],
    queuedSubjects: new Set(),
    chargeTicks: new Set(),
    taskSeq: 0,
    guardFree: new Array<boolean>(scenario.roster.guardsPerShift).fill(true),
    lockedLanes: new Map(),
    laneBusyFrom: new Float64Array(lot.lanes.length),
    laneClearAt: new Float64Array(lot.lanes.length),
    partnerCars: new Int32Array(scenario.partnerLots.length),
    partnerChargers: new Int32Array(scenario.partnerLots.length),
    partnerLotOf: new Int32Array(n).fill(-1),
    trail: null,
  };
  (s as { ctx: PolicyContext }).ctx = policyContext(s);
  return s;
}

/** The policy's view of the state: the lot, the cars, the time and what is known of departures. */
function policyContext(s: EngineState): PolicyContext {
  const { lot, cars, loc, n } = s;
  return {
    lot,
    cars,
    get now() {
      return s.now;
    },
    get nightBase() {
      return s.nightBase;
    },
    knowledge: (car) => known(s, car),
    keylessToCome: () => {
      let count = 0;
      for (let c = 0; c < n; c++) if (!(cars[c] as SimCar).movable && (loc[c] === 'out' || loc[c] === 'gate')) count++;
      return count;
    },
    wantsCharge: (car) => {
      settle(s, car);
      return (cars[car] as SimCar).ev && (s.needKwh[car] as number) > CHARGED_KWH;
    },
    get departureProfile() {
      if (s.profileCache.base !== s.now) {
        // The cars still to come tonight: out, or at the gate.
        const coming: DepartureKnowledge[] = [];
        for (let c = 0; c < n; c++) if (loc[c] === 'out' || loc[c] === 'gate') coming.push(known(s, c));
        s.profileCache = { base: s.now, profile: departureProfile(coming, s.nightBase) };
      }
      return s.profileCache.profile;
    },
  };
}

/** What is known of a car's next departure now (`knowledgeAt`: stale guesses and Bayes' rule). */
export function known(s: EngineState, car: number): DepartureKnowledge {
  return knowledgeAt(s.knowledge[car] as DepartureKnowledge, s.now);
}

/** Books the energy a charging car took since it was last settled. */
export function settle(s: EngineState, car: number): void {
  const since = s.chargingSince[car] as number;
  if (since < 0) return;
  const got = Math.min(s.needKwh[car] as number, ((s.chargeKw[car] as number) * (s.now - since)) / 60);
  s.needKwh[car] = (s.needKwh[car] as number) - got;
  // Delivered energy counts for the night that asked for it, so no night (nor the run) meets more than was asked.
  const a = s.m.nights[s.chargeNight[car] as number];
  if (a) a.delivered += got;
  s.chargingSince[car] = s.now;
}

/** An EV starts charging at `kw` (null: no charger there). */
export function startCharging(s: EngineState, car: number, kw: number | null): void {
  if (kw === null || !(s.cars[car] as SimCar).ev) return;
  s.chargeKw[car] = kw;
  s.chargingSince[car] = s.now;
  // A policy that rotates chargers looks again when this car is full.
  if (!s.policy.rotatesChargers || (s.needKwh[car] as number) <= CHARGED_KWH) return;
  const full = s.now + Math.ceil(((s.needKwh[car] as number) * 60) / kw);
  if (s.chargeTicks.has(full)) return;
  s.chargeTicks.add(full);
  s.events.push(full, { kind: 'chargeTick' });
}

export function stopCharging(s: EngineState, car: number): void {
  settle(s, car);
  s.chargingSince[car] = -1;
}

/** Places `car` on `p` if the rules allow it (else a violation, and false). */
export function placeCar(s: EngineState, car: number, p: number): boolean {
  const why = s.lot.illegal(p, s.cars[car] as SimCar, s.movable);
  if (why !== null) {
    violation(s, why, car);
    return false;
  }
  touch(s, car, -1);
  s.lot.place(car, p);
  startCharging(s, car, s.lot.pos(p).chargerKw);
  return true;
}

/** Notes in the trail where `car` stood when a starting task first touched it. */
function touch(s: EngineState, car: number, from: number): void {
  if (s.trail !== null && !s.trail.has(car)) s.trail.set(car, from);
}

/** Puts `car` back on `p`, where it stood, unchecked. */
export function putBack(s: EngineState, car: number, p: number): void {
  touch(s, car, -1);
  s.lot.place(car, p);
  startCharging(s, car, s.lot.pos(p).chargerKw);
}

/** Lifts `car` off the lot; returns where it stood. */
export function liftCar(s: EngineState, car: number): number {
  stopCharging(s, car);
  const from = s.lot.remove(car);
  touch(s, car, from);
  return from;
}

/** Lanes every running task holds, plus `extra`. */
export function avoidSet(s: EngineState, extra: number[] = []): Set<number> {
  const set = new Set(s.lockedLanes.keys());
  for (const l of extra) set.add(l);
  return set;
}

/** Queues a guard task, once per kind and subject. */
/** `car` is handed over at the gate: it waits there for a guard to park it. */
export function toGate(s: EngineState, car: number): void {
  s.loc[car] = 'gate';
  s.gateSince[car] = s.now;
  enqueue(s, 'park', car);
}

/**
 * `car`, handed over at the gate, is done with at minute `at`: parked in its place, turned away,
 * sent to the partner lot or driven off by its resident. The minutes from the hand-over count for
 * the night it came in.
 */
export function leaveGate(s: EngineState, car: number, at: number): void {
  const since = s.gateSince[car] as number;
  if (since < 0) return;
  s.gateSince[car] = -1;
  tallyAt(s.m, since)?.gateWaits.push(at - since);
}

export function enqueue(s: EngineState, kind: TaskKind, subject: number): void {
  const key = `${kind}:${subject}`;
  if (s.queuedSubjects.has(key)) return;
  s.queuedSubjects.add(key);
  s.tasks.push({ kind, subject, seq: s.taskSeq++ });
}

/** `car` drives off now: its wait and departure are measured, it leaves the lot. */
export function depart(s: EngineState, car: number): void {
  recordLeaving(s, car);
  const t = s.now;
  const since = s.waitingSince[car] as number;
  const wait = since >= 0 ? t - since : 0;
  s.waitingSince[car] = -1;
  const came = since >= 0 ? since : t;
  const a = tallyAt(s.m, came);
  if (a) {
    const declared = s.declaredNow[car] as number;
    s.options.onDeparture?.({
      car,
      at: came,
      wait,
      declared: Number.isFinite(declared) ? declared : null,
      blocked: s.blockedAs.get(car),
    });
    s.blockedAs.delete(car);
    recordDeparture(s.m, a, came, wait, declared, t);
  }
  if (s.lot.where(car) !== -1) liftCar(s, car);
  s.lifted.delete(car);
  s.needKwh[car] = 0;
  s.loc[car] = 'out';
}

/** `car` leaves the compound now (driven off, or turned away at the gate): the departure record notes it. */
export function recordLeaving(s: EngineState, car: number): void {
  const mine = s.departureRecord?.[car];
  const day = Math.floor(s.now / DAY) - 1;
  if (mine !== undefined && !mine.has(day)) mine.set(day, s.now);
}

/**
 * True while a guard's task holds the lane `car` stands in: cars are being pulled out of it or
 * driven into it (the car itself may be the one being moved), so its resident waits for the guard.
 */
export function inWorkedLane(s: EngineState, car: number): boolean {
  const p = s.lot.where(car);
  if (p === -1) return false;
  const l = s.lot.pos(p).lane;
  return (s.laneBusyFrom[l] as number) <= s.now && (s.laneClearAt[l] as number) > s.now;
}

/** Residents waiting by cars of lane `l` that nothing blocks any more drive off once the guard is clear of it. */
export function releaseWaiting(s: EngineState, l: number): void {
  if ((s.laneClearAt[l] as number) > s.now) return;
  for (const p of s.lot.lane(l).positions) {
    const c = s.lot.at(p);
    if (c !== -1 && (s.waitingSince[c] as number) >= 0 && s.lot.blockersOf(p, s.movable)?.length === 0) depart(s, c);
  }
}
