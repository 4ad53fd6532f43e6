/**
 * @module The simulator driving the product: the seeded residents of `src/sim/behaviour.ts` and the
 * rostered guards play their days through the real use cases of `src/app`, as the API would — the
 * gate check-in, the guards taking their queued tasks in order (start, key checkout, complete, key
 * return), residents declaring tomorrow's departures at noon and asking for the car "now" when it is
 * blocked, the periodic planning pass, departures, and the shift hand-overs at the roster's times.
 * Everything lands in the store and its ledger, so the product's figures are the simulator's.
 *
 * Events run in time order on the residents' timeline (ties in the order they were scheduled), and
 * each waits for the one before it, so a run on a virtual timeline is a function of the scenario,
 * the seed and the ids it is given. Modelling choices beyond the behaviour's own:
 * - The gate guard is the on-duty guard with the fewest open tasks (ties by id); a car the planner
 *   finds no place for is turned away (it departs from the gate).
 * - A task takes the scenario's minutes: a park the walk to the cabinet, the drive, the parking and
 *   the walk back; a move or a delivery the walk to the car, two parkings and the drive.
 * - A blocked resident asks for the car "now", and asks again every 15 minutes while still blocked
 *   (a failed relocation is not planned again by itself); a car still blocked after 12 hours stays.
 * - An EV's resident asks for the evening's energy as the car is checked in (by tomorrow's
 *   departure); the planning pass rotates the chargers.
 * - Partner-lot evenings are not played yet: those residents come home to the compound like the
 *   others.
 */
import type { EpochMs, KeyTag, TaskId, UserId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { blockersOf } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import type { Scenario } from '../core/scenario.js';
import type { Principal } from '../app/actor.js';
import type { AppContext } from '../app/context.js';
import { requestCharging } from '../app/charging.js';
import { guardsOnDutyAt } from '../app/demo.js';
import { checkIn, checkoutKey, declareDeparture, depart, planAhead, returnKey, setDuty } from '../app/operations.js';
import { confirmHandover, openHandover } from '../app/shifts.js';
import type { Task } from '../app/tasks.js';
import { completeTask, failTask, listTasks, startTask } from '../app/tasks.js';
import type { Behaviour, CarDay } from '../sim/behaviour.js';
import { DAY, abs, drawBehaviour } from '../sim/behaviour.js';
import type { Store } from '../store/store.js';
import type { Timeline } from './timeline.js';
import { Agenda } from './timeline.js';

/** A decision of the product, as the conformance test compares it with the engine's. */
export type Decision =
  | { kind: 'check-in'; minute: number; vehicleId: string; positionId: string | null }
  | {
      kind: 'task';
      minute: number;
      guardId: string;
      task: Task['kind'];
      reason: string;
      vehicleId: string;
      from: string | null;
      to: string | null;
    }
  | { kind: 'departed'; minute: number; vehicleId: string; waited: number };

export interface DriverOptions {
  scenario: Scenario;
  seed: number;
  store: Store;
  timeline: Timeline;
  /** The first simulated day (behaviour day 0); minute 0 is midnight of the day before. */
  startDate: string;
  /** Days of behaviour drawn after the warm-up day (the run may stop earlier). */
  days: number;
  /** Ids for new rows; random UUIDs by default (pass a counter for a repeatable trace). */
  newId: () => string;
  /** Minutes between planning passes (`planAhead`), hand-over checks and idle guards looking again. */
  tickMinutes?: number;
  onDecision?: (decision: Decision) => void;
}

export interface DriverStats {
  checkIns: number;
  turnedAway: number;
  departures: number;
  nowRequests: number;
  declarations: number;
  /** EV charging requests made at check-in. */
  chargingRequests: number;
  tasksDone: number;
  tasksFailed: number;
  handovers: number;
  /** Use-case calls refused with a domain error the driver expected and worked around. */
  refusals: number;
}

type LiveEvent =
  | { kind: 'day'; k: number; from: number }
  | { kind: 'arrive'; car: number; k: number | null }
  | { kind: 'depart'; car: number; since: number; asked: number }
  | { kind: 'declare'; k: number }
  | { kind: 'tick' }
  | { kind: 'done'; guardId: UserId; task: Task; keyTag: KeyTag | null };

const RETRY_MINUTES = 1;
const ASK_AGAIN_MINUTES = 15;
const GIVE_UP_MINUTES = 12 * 60;

export class LiveDriver {
  readonly ctx: AppContext;
  readonly behaviour: Behaviour;
  readonly stats: DriverStats = {
    checkIns: 0,
    turnedAway: 0,
    departures: 0,
    nowRequests: 0,
    declarations: 0,
    chargingRequests: 0,
    tasksDone: 0,
    tasksFailed: 0,
    handovers: 0,
    refusals: 0,
  };
  private readonly agenda = new Agenda<LiveEvent>();
  private readonly compoundId: string;
  private readonly residents = new Map<string, Principal>();
  private readonly staff: Principal;
  private readonly busy = new Map<UserId, { task: Task; keyTag: KeyTag | null }>();
  private readonly tick: number;
  private minute = 0;
  private scheduledTo = -Infinity;
  private timeline: Timeline;

  constructor(private readonly options: DriverOptions) {
    const { scenario, store } = options;
    this.timeline = options.timeline;
    this.compoundId = scenario.compound.id;
    this.ctx = { store, now: () => this.timeline.now(), newId: options.newId };
    this.behaviour = drawBehaviour(scenario, options.startDate, options.days, options.seed);
    this.tick = options.tickMinutes ?? 5;
    const principal = (u: Scenario['users'][number]): Principal => ({
      compoundId: this.compoundId,
      userId: u.id as UserId,
      role: u.role,
      name: u.name,
      householdId: (u.householdId ?? null) as Principal['householdId'],
      partnerLotId: (u.partnerLotId ?? null) as Principal['partnerLotId'],
    });
    const manager = scenario.users.find((u) => u.role === 'manager');
    if (manager === undefined) throw new DomainError('VALIDATION', 'scenario.users: the driver needs a manager');
    // A household without an account is served by the manager, as staff do for residents without a phone.
    this.staff = principal(manager);
    for (const u of scenario.users)
      if (u.role === 'resident' && u.householdId !== undefined && !this.residents.has(u.householdId))
        this.residents.set(u.householdId, principal(u));
  }

  /**
   * Leaves every queued task to a person on the phone for `ms` on the clock before a simulated
   * guard takes it (live, the simulated guards are slower than a real one); tasks someone else
   * started are theirs. 0 (the default): the simulated guards take a task as soon as it is due.
   */
  humanGrace(ms: number): void {
    this.graceMs = ms;
  }

  private graceMs = 0;
  private stopping = false;

  /** Goes on with the same residents on another clock (e.g. live after the history was played virtually). */
  follow(timeline: Timeline): void {
    this.timeline = timeline;
    this.known = null;
  }

  /** The current minute of the residents' timeline. */
  get now(): number {
    return this.minute;
  }

  /**
   * Plays the residents' timeline up to `to` (exclusive), waiting for each event's instant on the
   * timeline; the first call starts at `from`, later calls go on where the last one stopped. Stops
   * early when `signal` aborts.
   */
  async run(from: number, to: number, signal?: AbortSignal): Promise<void> {
    if (this.scheduledTo === -Infinity) {
      this.minute = from;
      this.agenda.push(from, { kind: 'day', k: Math.floor(from / DAY) - 1, from });
      this.agenda.push(from, { kind: 'tick' });
    }
    this.scheduledTo = Math.max(this.scheduledTo, to);
    for (let next = this.agenda.peek(); next !== null && next < to; next = this.agenda.peek()) {
      await this.timeline.reach(next, signal);
      if (signal?.aborted === true) {
        // Stopped (the server shuts down): the guards finish the tasks in hand, so no key stays out.
        this.stopping = true;
        for (const [guardId, { task, keyTag }] of [...this.busy]) await this.finish(guardId, task, keyTag);
        return;
      }
      const item = this.agenda.shift();
      if (item === undefined) break;
      this.minute = item.minute;
      if (!this.timeline.virtual) this.known = null;
      await this.handle(item.event);
    }
    this.minute = Math.max(this.minute, to);
  }

  private plan(k: number, car: number): CarDay | undefined {
    return this.behaviour.days[k + 1]?.[car];
  }

  private vehicle(car: number): Scenario['vehicles'][number] {
    return this.options.scenario.vehicles[car] as Scenario['vehicles'][number];
  }

  private residentOf(car: number): Principal {
    const h = this.vehicle(car).householdId;
    return (h === null ? undefined : this.residents.get(h)) ?? this.staff;
  }

  private guard(id: string): Principal {
    const u = this.options.scenario.users.find((x) => x.id === id);
    return {
      compoundId: this.compoundId,
      userId: id as UserId,
      role: 'guard',
      name: u?.name ?? id,
      householdId: null,
      partnerLotId: null,
    };
  }

  /**
   * The compound's state as the driver last read it. Read again after every use case the driver
   * calls, and at every event (someone else, a person on the phone or the server's jobs, may have
   * changed it meanwhile); between two of the driver's own calls within one event it cannot change
   * on a virtual timeline, and reading it costs a query per table.
   */
  private state(): Promise<CompoundState> {
    this.known ??= this.options.store.state(this.compoundId);
    return this.known;
  }

  private known: Promise<CompoundState> | null = null;

  /** Runs a use case; a domain error is a refusal the caller expects and handles (counted, not thrown). */
  private async attempt<T>(work: () => Promise<T>): Promise<T | DomainError> {
    this.known = null;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.stats.refusals++;
      return error;
    } finally {
      this.known = null;
    }
  }

  private async handle(e: LiveEvent): Promise<void> {
    switch (e.kind) {
      case 'day':
        this.scheduleDay(e.k, e.from);
        return;
      case 'arrive':
        await this.arrive(e.car, e.k);
        return;
      case 'depart':
        await this.leave(e.car, e.since, e.asked);
        return;
      case 'declare':
        await this.declare(e.k);
        return;
      case 'tick':
        this.agenda.push(this.minute + this.tick, { kind: 'tick' });
        await this.attempt(() => planAhead(this.ctx, this.compoundId));
        await this.handOver();
        await this.wakeGuards();
        return;
      case 'done':
        await this.finish(e.guardId, e.task, e.keyTag);
        return;
    }
  }

  /** Day k's residents: departures, arrivals, tomorrow's declarations at noon, the night's emergencies. */
  private scheduleDay(k: number, from: number): void {
    const n = this.options.scenario.vehicles.length;
    const at = (minute: number, event: LiveEvent): void => {
      if (minute >= from) this.agenda.push(minute, event);
    };
    if (k < this.options.days) this.agenda.push(abs(k + 1, 0), { kind: 'day', k: k + 1, from: abs(k + 1, 0) });
    at(abs(k, 12 * 60) - 1, { kind: 'declare', k });
    for (let c = 0; c < n; c++) {
      const today = this.plan(k, c);
      if (today === undefined) continue;
      if (k >= 0 && today.leaves) at(today.departAt, { kind: 'depart', car: c, since: today.departAt, asked: -1 });
      const wasAway = k >= 0 && this.plan(k - 1, c)?.awayTonight === true;
      if ((today.leaves && !today.awayTonight) || wasAway) at(today.returnAt, { kind: 'arrive', car: c, k });
    }
    for (const em of this.behaviour.emergencies) {
      if (em.at < abs(k, 0) || em.at >= abs(k + 1, 0)) continue;
      at(em.at, { kind: 'depart', car: em.car, since: em.at, asked: -1 });
      at(em.returnAt, { kind: 'arrive', car: em.car, k: null });
    }
  }

  /** The on-duty guard with the fewest open tasks (ties by id): the one at the gate. */
  private async gateGuard(state: CompoundState): Promise<Principal | null> {
    const guards = [...state.onDuty].sort();
    if (guards.length === 0) return null;
    const open = await listTasks(this.ctx, this.staff, {});
    const load = (g: string): number => open.filter((t) => t.guardId === g).length;
    return this.guard(guards.reduce((best, g) => (load(g) < load(best) ? g : best)));
  }

  private async arrive(car: number, k: number | null): Promise<void> {
    const v = this.vehicle(car);
    const state = await this.state();
    if (state.vehicles.get(v.id as VehicleId)?.location.kind !== 'away') return;
    const gate = await this.gateGuard(state);
    if (gate === null) return;
    const result = await this.attempt(() => checkIn(this.ctx, gate, v.plate));
    if (result instanceof DomainError) return;
    this.stats.checkIns++;
    this.options.onDecision?.({
      kind: 'check-in',
      minute: this.minute,
      vehicleId: v.id,
      positionId: result.task?.to ?? null,
    });
    if (result.task === null) {
      // No place: the resident takes the car away again.
      this.stats.turnedAway++;
      await this.attempt(() => depart(this.ctx, gate, result.vehicleId));
      return;
    }
    if (k !== null) await this.askCharge(car, k);
    await this.wakeGuards();
  }

  /** An EV's resident asks for the evening's energy, by tomorrow's departure (or in 12 hours). */
  private async askCharge(car: number, k: number): Promise<void> {
    const energyKwh = this.plan(k, car)?.energyKwh ?? 0;
    if (!this.vehicle(car).ev || energyKwh <= 0) return;
    const now = this.ctx.now();
    const next = this.plan(k + 1, car);
    const leaves = next?.leaves === true ? this.timeline.instant(next.departAt) : null;
    const departureAt = leaves !== null && leaves > now && leaves - now <= DAY * 60_000 ? leaves : now + 12 * 3_600_000;
    const asked = await this.attempt(() =>
      requestCharging(this.ctx, this.residentOf(car), this.vehicle(car).id as VehicleId, {
        energyKwh: Math.round(energyKwh * 10) / 10,
        departureAt,
      }),
    );
    if (!(asked instanceof DomainError)) this.stats.chargingRequests++;
  }

  /** The resident comes for the car: drives off when nothing is in the way, else asks for it "now" and waits. */
  private async leave(car: number, since: number, asked: number): Promise<void> {
    const vehicleId = this.vehicle(car).id as VehicleId;
    const state = await this.state();
    const v = state.vehicles.get(vehicleId);
    if (v === undefined || v.location.kind === 'away' || v.location.kind === 'at-partner') return;
    const resident = this.residentOf(car);
    const inHand = [...this.busy.values()].some((b) => b.task.vehicleId === vehicleId);
    const blocked = v.location.kind === 'parked' && blockersOf(state, vehicleId).length > 0;
    if (!inHand && !blocked) {
      const left = await this.attempt(() => depart(this.ctx, resident, vehicleId));
      if (!(left instanceof DomainError)) {
        this.stats.departures++;
        this.options.onDecision?.({ kind: 'departed', minute: this.minute, vehicleId, waited: this.minute - since });
        return;
      }
    }
    if (this.minute - since >= GIVE_UP_MINUTES) return;
    let askedAt = asked;
    if (blocked && (asked < 0 || this.minute - asked >= ASK_AGAIN_MINUTES)) {
      askedAt = this.minute;
      const declared = await this.attempt(() => declareDeparture(this.ctx, resident, vehicleId, { kind: 'now' }));
      if (!(declared instanceof DomainError)) this.stats.nowRequests++;
      await this.wakeGuards();
    }
    this.agenda.push(this.minute + RETRY_MINUTES, { kind: 'depart', car, since, asked: askedAt });
  }

  /** At noon the residents who know tomorrow's time say it. */
  private async declare(k: number): Promise<void> {
    const now = this.ctx.now();
    for (let c = 0; c < this.options.scenario.vehicles.length; c++) {
      const declared = this.plan(k + 1, c)?.declared ?? null;
      if (declared === null || !Number.isFinite(declared)) continue;
      const at = this.timeline.instant(declared);
      if (at <= now) continue;
      const result = await this.attempt(() =>
        declareDeparture(this.ctx, this.residentOf(c), this.vehicle(c).id as VehicleId, { kind: 'once', at }),
      );
      if (!(result instanceof DomainError)) this.stats.declarations++;
    }
    await this.wakeGuards();
  }

  /** Every idle simulated guard on duty takes the first of their queued tasks that is due. */
  private async wakeGuards(): Promise<void> {
    const state = await this.state();
    for (const g of [...state.onDuty].sort()) if (!this.busy.has(g)) await this.work(g, state);
  }

  private async work(guardId: UserId, state: CompoundState): Promise<void> {
    if (this.draining.has(guardId) || this.stopping) return;
    const me = this.guard(guardId);
    const now = this.ctx.now();
    const queued = await listTasks(this.ctx, me, { mine: true, status: ['queued'] });
    const task = queued.find((t) => t.dueAt <= now && t.createdAt <= now - this.graceMs);
    if (task === undefined) return;
    const started = await this.attempt(() => startTask(this.ctx, me, task.id as TaskId));
    if (started instanceof DomainError) return;
    const v = state.vehicles.get(task.vehicleId as VehicleId);
    const key = v?.keyTag === null || v === undefined ? undefined : state.keys.get(v.keyTag);
    let keyTag: KeyTag | null = null;
    if (key?.custody.kind === 'in-cabinet') {
      const out = await this.attempt(() => checkoutKey(this.ctx, me, key.tag, task.id));
      if (!(out instanceof DomainError)) keyTag = key.tag;
    }
    this.busy.set(guardId, { task: started, keyTag });
    this.options.onDecision?.({
      kind: 'task',
      minute: this.minute,
      guardId,
      task: started.kind,
      reason: started.reason,
      vehicleId: started.vehicleId,
      from: started.from,
      to: started.to,
    });
    this.agenda.push(this.minute + this.minutesOf(started), { kind: 'done', guardId, task: started, keyTag });
  }

  private minutesOf(task: Task): number {
    const d = this.options.scenario.taskDurations;
    return task.kind === 'park'
      ? d.walkToCabinet + d.drive + d.park + d.walkToCar
      : d.walkToCar + d.park + d.drive + d.park;
  }

  private async finish(guardId: UserId, task: Task, keyTag: KeyTag | null): Promise<void> {
    const me = this.guard(guardId);
    const done = await this.attempt(() => completeTask(this.ctx, me, task.id as TaskId, {}));
    if (done instanceof DomainError) {
      // A task cancelled meanwhile (its car left) is simply over; any other refusal fails it.
      if (done.code !== 'TASK_NOT_OPEN') {
        const failed = await this.attempt(() => failTask(this.ctx, me, task.id as TaskId, done.message));
        if (!(failed instanceof DomainError)) this.stats.tasksFailed++;
      }
    } else this.stats.tasksDone++;
    if (keyTag !== null) await this.attempt(() => returnKey(this.ctx, me, keyTag));
    this.busy.delete(guardId);
    if (this.draining.size > 0) await this.handOver();
    await this.wakeGuards();
  }

  /** Outgoing guards who finish their current task and take no new one, until the hand-over. */
  private readonly draining = new Set<UserId>();

  /**
   * When the roster says other guards are on now: the outgoing guards finish the task in hand,
   * count the keys in the cabinet and the cars on site and open the hand-over; the first incoming
   * guard confirms it with the same count (going on duty as the outgoing go off), the others go on
   * duty; the queued tasks left with the outgoing guards pass to the incoming ones.
   */
  private async handOver(): Promise<void> {
    const state = await this.state();
    const rostered = new Set(guardsOnDutyAt(this.options.scenario, this.ctx.now()) as UserId[]);
    const outgoing = [...state.onDuty].filter((g) => !rostered.has(g)).sort();
    const incoming = [...rostered].filter((g) => !state.onDuty.has(g)).sort();
    this.draining.clear();
    if (incoming.length === 0) return;
    const first = incoming[0] as UserId;
    if (outgoing.length > 0) {
      for (const g of outgoing) this.draining.add(g);
      if (outgoing.some((g) => this.busy.has(g))) return;
      const counted = {
        keys: [...state.keys.values()].filter((k) => k.custody.kind === 'in-cabinet').length,
        cars: [...state.vehicles.values()].filter((v) => v.location.kind === 'parked' || v.location.kind === 'at-gate')
          .length,
      };
      const opened = await this.attempt(() => openHandover(this.ctx, this.guard(outgoing[0] as UserId), counted));
      if (opened instanceof DomainError) return;
      const confirmed = await this.attempt(() => confirmHandover(this.ctx, this.guard(first), opened.id, counted));
      if (confirmed instanceof DomainError) return;
      this.draining.clear();
      this.stats.handovers++;
    } else await this.attempt(() => setDuty(this.ctx, this.guard(first), first, true));
    for (const g of incoming.slice(1)) await this.attempt(() => setDuty(this.ctx, this.guard(g), g, true));
  }
}

/** Minute 0 of the behaviour timeline for a first simulated day: midnight (Asia/Shanghai) the day before. */
export function originOf(startDate: string): EpochMs {
  return (Date.parse(`${startDate}T00:00:00+08:00`) - DAY * 60_000) as EpochMs;
}
