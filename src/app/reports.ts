/**
 * @module Figures for the manager and the committee, from the ledger alone: per night (noon to
 * noon, Asia/Shanghai) the cars checked in and out, the relocations, the waits of residents who
 * asked for their car "now", key alarms and incidents; and over the same nights, by time of day,
 * the waits, the guards' busy minutes and the cars on site (the simulator's day charts for the live
 * compound). Aggregates only: no car, key or person.
 */
import type { LedgerEvent } from '../core/events.js';
import type { AppContext } from './context.js';
import { shanghaiMinuteOfDay } from '../core/time.js';
import { midnightOf, nightDayOf } from './night.js';

export interface NightFigures {
  night: string;
  checkIns: number;
  departures: number;
  relocations: number;
  /** Moves before a declared departure (pre-staging) among the relocations. */
  preStaging: number;
  nowRequests: number;
  /** Minutes from a "now" request to the car leaving: mean and max, null when there were none. */
  waitMeanMin: number | null;
  waitMaxMin: number | null;
  /** Minutes from a car's hand-over at the gate until it stood in its place: mean and max, null without check-ins. */
  gateWaitMeanMin: number | null;
  gateWaitMaxMin: number | null;
  keyAlarms: number;
  incidents: number;
}

function emptyNight(night: string): NightFigures {
  return {
    night,
    checkIns: 0,
    departures: 0,
    relocations: 0,
    preStaging: 0,
    nowRequests: 0,
    waitMeanMin: null,
    waitMaxMin: null,
    gateWaitMeanMin: null,
    gateWaitMaxMin: null,
    keyAlarms: 0,
    incidents: 0,
  };
}

/** A resident's "now" request and the car leaving after it: the retrieval time valet operators report. */
export interface Retrieval {
  vehicleId: string;
  askedAt: number;
  leftAt: number;
}

/** The "now" requests of a stretch of ledger that ended with the car leaving, in order of leaving. */
export function retrievalsOf(events: readonly LedgerEvent[]): Retrieval[] {
  const pending = new Map<string, number>();
  const done: Retrieval[] = [];
  for (const e of events) {
    if (e.type === 'car.departed') {
      const askedAt = pending.get(e.payload.vehicleId);
      if (askedAt === undefined) continue;
      pending.delete(e.payload.vehicleId);
      done.push({ vehicleId: e.payload.vehicleId, askedAt, leftAt: e.at });
    } else if (
      e.type === 'record' &&
      e.payload.kind === 'departure.declared' &&
      e.payload.detail.kind === 'now' &&
      e.payload.vehicleId !== undefined
    ) {
      pending.set(e.payload.vehicleId, e.at);
    }
  }
  return done;
}

/** A car handed over at the gate and done with there: parked, sent to a partner lot or driven off. */
export interface GateWait {
  vehicleId: string;
  checkedInAt: number;
  doneAt: number;
}

/**
 * The gate waits of a stretch of ledger: from each check-in to the car standing in its place (or
 * leaving the gate otherwise), the simulator's `gateWait` figures for the live compound.
 */
export function gateWaitsOf(events: readonly LedgerEvent[]): GateWait[] {
  const atGate = new Map<string, number>();
  const done: GateWait[] = [];
  for (const e of events) {
    if (e.type === 'car.checked-in') atGate.set(e.payload.vehicleId, e.at);
    else if (e.type === 'car.parked' || e.type === 'car.sent-to-partner' || e.type === 'car.departed') {
      const checkedInAt = atGate.get(e.payload.vehicleId);
      if (checkedInAt === undefined) continue;
      atGate.delete(e.payload.vehicleId);
      done.push({ vehicleId: e.payload.vehicleId, checkedInAt, doneAt: e.at });
    }
  }
  return done;
}

/**
 * The mean and max minutes (to a tenth) of spans, each counted for the night its instant `at` falls
 * in, for the nights of `byNight` that have any.
 */
function minutesByNight<T>(
  byNight: ReadonlyMap<string, NightFigures>,
  spans: readonly T[],
  at: (span: T) => number,
  minutes: (span: T) => number,
): Map<NightFigures, { mean: number; max: number }> {
  const lists = new Map<NightFigures, number[]>();
  for (const span of spans) {
    const night = byNight.get(nightDayOf(at(span)));
    if (night === undefined) continue;
    const list = lists.get(night) ?? [];
    list.push(minutes(span));
    lists.set(night, list);
  }
  const tenth = (x: number): number => Math.round(x * 10) / 10;
  return new Map(
    [...lists].map(([night, list]) => [
      night,
      { mean: tenth(list.reduce((a, b) => a + b, 0) / list.length), max: tenth(Math.max(...list)) },
    ]),
  );
}

/** Figures of the last `nights` nights up to the current one, oldest first. */
export function nightlyFigures(events: readonly LedgerEvent[], now: number, nights: number): NightFigures[] {
  const last = nightDayOf(now);
  const first = new Date(Date.parse(last) - (nights - 1) * 86_400_000).toISOString().slice(0, 10);
  const byNight = new Map<string, NightFigures>();
  for (let i = 0; i < nights; i++) {
    const day = new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10);
    byNight.set(day, emptyNight(day));
  }
  for (const e of events) {
    const night = byNight.get(nightDayOf(e.at));
    switch (e.type) {
      case 'car.checked-in':
        if (night) night.checkIns++;
        break;
      case 'car.departed':
        if (night) night.departures++;
        break;
      case 'car.moved':
        if (night) {
          night.relocations++;
          if (e.payload.reason === 'pre-staging') night.preStaging++;
        }
        break;
      case 'record':
        if (
          e.payload.kind === 'departure.declared' &&
          e.payload.detail.kind === 'now' &&
          e.payload.vehicleId !== undefined &&
          night
        )
          night.nowRequests++;
        if (e.payload.kind === 'key.alarm' && night) night.keyAlarms++;
        if (e.payload.kind === 'incident.opened' && night) night.incidents++;
        break;
      default:
        break;
    }
  }
  // A retrieval counts for the night the car left in; a gate wait for the night it came in.
  const retrievals = minutesByNight(
    byNight,
    retrievalsOf(events),
    (r) => r.leftAt,
    (r) => (r.leftAt - r.askedAt) / 60_000,
  );
  for (const [night, { mean, max }] of retrievals) {
    night.waitMeanMin = mean;
    night.waitMaxMin = max;
  }
  const gate = minutesByNight(
    byNight,
    gateWaitsOf(events),
    (w) => w.checkedInAt,
    (w) => (w.doneAt - w.checkedInAt) / 60_000,
  );
  for (const [night, { mean, max }] of gate) {
    night.gateWaitMeanMin = mean;
    night.gateWaitMaxMin = max;
  }
  return [...byNight.values()];
}

/** Half hours in a day; slot 0 is 00:00–00:30 local time. */
const HALF_HOURS = 48;
const HALF_HOUR_MS = 1_800_000;

/**
 * The live compound's day profiles, the counterparts of the simulator's day charts: means over the
 * half hours (hours for waits) of the window that have fully passed, by local time of day.
 */
export interface DayProfiles {
  /** Mean minutes from a "now" request to the car leaving, by local hour of the request (0..23); null without requests. */
  waitByHour: (number | null)[];
  /** Mean guard-minutes busy on tasks (started to completed or failed) per half hour (0 = 00:00); null before any such half hour passed. */
  guardBusyMinByHalfHour: (number | null)[];
  /** Mean cars on site (checked in, not yet gone or sent to a partner lot) per half hour, time-weighted. */
  occupancyByHalfHour: (number | null)[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** What the profiles carry from the events before their window: cars on site, "now" requests waiting, tasks running. */
export interface ProfileCarry {
  onSite: Set<string>;
  /** Vehicle → when its resident asked for it "now". */
  pendingNow: Map<string, number>;
  /** Task → when it was first started. */
  started: Map<string, number>;
}

export function emptyCarry(): ProfileCarry {
  return { onSite: new Set(), pendingNow: new Map(), started: new Map() };
}

function cloneCarry(c: ProfileCarry): ProfileCarry {
  return { onSite: new Set(c.onSite), pendingNow: new Map(c.pendingNow), started: new Map(c.started) };
}

/** What an event ends, for the window's counts; absent for the events before the window. */
interface ProfileHooks {
  /** Cars on site change at `at`; `before` were on site until then. */
  onSiteChanges(at: number, before: number): void;
  waitEnded(asked: number, at: number): void;
  taskEnded(begun: number, at: number): void;
}

/** Advances `carry` by one event (the one rule of what the profiles follow), telling `hooks` what it ends. */
function step(carry: ProfileCarry, e: LedgerEvent, hooks?: ProfileHooks): void {
  const changeOnSite = (vehicleId: string, present: boolean): void => {
    if (carry.onSite.has(vehicleId) === present) return;
    hooks?.onSiteChanges(e.at, carry.onSite.size);
    if (present) carry.onSite.add(vehicleId);
    else carry.onSite.delete(vehicleId);
  };
  switch (e.type) {
    case 'car.checked-in':
      changeOnSite(e.payload.vehicleId, true);
      break;
    case 'car.departed': {
      changeOnSite(e.payload.vehicleId, false);
      const asked = carry.pendingNow.get(e.payload.vehicleId);
      carry.pendingNow.delete(e.payload.vehicleId);
      if (asked !== undefined) hooks?.waitEnded(asked, e.at);
      break;
    }
    case 'car.sent-to-partner':
      changeOnSite(e.payload.vehicleId, false);
      break;
    case 'record': {
      const p = e.payload;
      if (p.kind === 'departure.declared' && p.detail.kind === 'now' && p.vehicleId !== undefined)
        carry.pendingNow.set(p.vehicleId, e.at);
      if (p.kind === 'task.started' && !carry.started.has(p.refId)) carry.started.set(p.refId, e.at);
      if (p.kind === 'task.completed' || p.kind === 'task.failed' || p.kind === 'task.cancelled') {
        const begun = carry.started.get(p.refId);
        carry.started.delete(p.refId);
        if (begun !== undefined) hooks?.taskEnded(begun, e.at);
      }
      break;
    }
    default:
      break;
  }
}

/** Advances `carry` over events that all happened before the window: they count for nothing in it. */
export function carryForward(carry: ProfileCarry, events: readonly LedgerEvent[]): void {
  for (const e of events) step(carry, e);
}

/** The earliest the profiles' window of `nights` nights up to `now` opens (noon of its first night). */
function windowOpens(now: number, nights: number): number {
  return midnightOf(nightDayOf(now)) + 12 * 3_600_000 - (nights - 1) * 86_400_000;
}

/**
 * Profiles over the last `nights` nights (noon to noon, as `nightlyFigures`) up to `now`, from the
 * night of the first event on. `events` is the ledger, oldest first: the whole of it, or with
 * `before` the events after those folded into `before.carry` (which must all be older than the
 * window) and the time of the compound's first event.
 */
export function dayProfiles(
  events: readonly LedgerEvent[],
  now: number,
  nights: number,
  before?: { carry: ProfileCarry; firstAt: number | null },
): DayProfiles {
  const firstAt = before === undefined ? (events[0]?.at ?? null) : before.firstAt;
  // Nights before the compound's first event would only dilute the means.
  const opened = firstAt === null ? now : midnightOf(nightDayOf(firstAt)) + 12 * 3_600_000;
  const from = Math.max(opened, windowOpens(now, nights));
  const slots = Math.max(0, Math.floor((now - from) / HALF_HOUR_MS));
  const to = from + slots * HALF_HOUR_MS;
  const busy = new Array<number>(slots).fill(0);
  const carMinutes = new Array<number>(slots).fill(0);
  /** Adds `weight` per minute of [a, b) clipped to the passed half hours of the window. */
  const spread = (into: number[], a: number, b: number, weight: number): void => {
    let t = Math.max(a, from);
    const end = Math.min(b, to);
    while (t < end) {
      const k = Math.floor((t - from) / HALF_HOUR_MS);
      const next = Math.min(end, from + (k + 1) * HALF_HOUR_MS);
      into[k] = (into[k] ?? 0) + (weight * (next - t)) / 60_000;
      t = next;
    }
  };
  const waitSum = new Array<number>(24).fill(0);
  const waitCount = new Array<number>(24).fill(0);
  const carry = before === undefined ? emptyCarry() : cloneCarry(before.carry);
  // Before the first change seen here the cars on site stood there since before the window.
  let since = Number.NEGATIVE_INFINITY;
  const hooks: ProfileHooks = {
    onSiteChanges: (at, count) => {
      spread(carMinutes, since, at, count);
      since = at;
    },
    waitEnded: (asked, at) => {
      if (asked < from || at > now) return;
      const hour = Math.floor(shanghaiMinuteOfDay(asked) / 60);
      waitSum[hour] = (waitSum[hour] ?? 0) + (at - asked) / 60_000;
      waitCount[hour] = (waitCount[hour] ?? 0) + 1;
    },
    taskEnded: (begun, at) => spread(busy, begun, at, 1),
  };
  for (const e of events) step(carry, e, hooks);
  spread(carMinutes, since, to, carry.onSite.size);
  for (const begun of carry.started.values()) spread(busy, begun, to, 1);
  // The window opens at noon, so its slot k falls at half hour (k + 24) mod 48 of the day.
  const byTimeOfDay = (perSlot: number[], scale: number): (number | null)[] => {
    const sum = new Array<number>(HALF_HOURS).fill(0);
    const count = new Array<number>(HALF_HOURS).fill(0);
    perSlot.forEach((v, k) => {
      const s = (k + 24) % HALF_HOURS;
      sum[s] = (sum[s] ?? 0) + v;
      count[s] = (count[s] ?? 0) + 1;
    });
    return sum.map((v, s) => ((count[s] ?? 0) === 0 ? null : round1(v / scale / (count[s] ?? 1))));
  };
  return {
    waitByHour: waitSum.map((v, h) => ((waitCount[h] ?? 0) === 0 ? null : round1(v / (waitCount[h] ?? 1)))),
    guardBusyMinByHalfHour: byTimeOfDay(busy, 1),
    occupancyByHalfHour: byTimeOfDay(carMinutes, 30),
  };
}

/** The carry of the profiles at some event of each compound (see `compoundFigures`), per store. */
const carries = new WeakMap<object, Map<string, { seq: number; hash: string; carry: ProfileCarry }>>();

/**
 * The profiles' carry after event `seq`: from the one kept for the compound, advanced by the events
 * since (when they link to it by hash), else folded from the first event.
 */
async function carryAt(ctx: AppContext, compoundId: string, seq: number): Promise<ProfileCarry> {
  let kept = carries.get(ctx.store);
  if (kept === undefined) carries.set(ctx.store, (kept = new Map()));
  const last = kept.get(compoundId);
  if (last !== undefined && last.seq === seq) return last.carry;
  let events = last !== undefined && last.seq < seq ? await ctx.store.events(compoundId, last.seq + 1, seq) : [];
  const linked = last !== undefined && events.length > 0 && events[0]?.prevHash === last.hash;
  if (!linked) events = await ctx.store.events(compoundId, 1, seq);
  const carry = linked ? cloneCarry(last.carry) : emptyCarry();
  carryForward(carry, events);
  const end = events.at(-1);
  if (end !== undefined && end.seq === seq) kept.set(compoundId, { seq, hash: end.hash, carry });
  return carry;
}

/**
 * The nights' figures and the day profiles of a compound. Reads only the events from the window
 * on (found by the time index) and the ones added since the last request: what the profiles carry
 * from before the window (cars on site, tasks running) is kept per compound and advanced.
 */
export async function compoundFigures(
  ctx: AppContext,
  compoundId: string,
  nights: number,
): Promise<{ nights: NightFigures[]; profiles: DayProfiles }> {
  const now = ctx.now();
  const since = Date.parse(nightDayOf(now)) - nights * 86_400_000;
  const nightsFrom = since - 86_400_000;
  // Every event older than both windows comes before `first`: none of them counts in a window.
  const first = await ctx.store.firstSeqAt(compoundId, Math.min(nightsFrom, windowOpens(now, nights)));
  const carryEnd = first === null ? ((await ctx.store.head(compoundId))?.seq ?? 0) : first - 1;
  const events = first === null ? [] : await ctx.store.events(compoundId, first);
  const carry = carryEnd === 0 ? emptyCarry() : await carryAt(ctx, compoundId, carryEnd);
  const firstAt =
    carryEnd === 0 ? (events[0]?.at ?? null) : ((await ctx.store.events(compoundId, 1, 1))[0]?.at ?? null);
  return {
    nights: nightlyFigures(
      events.filter((e) => e.at >= nightsFrom),
      now,
      nights,
    ),
    profiles: dayProfiles(events, now, nights, { carry, firstAt }),
  };
}
