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

/** Figures of the last `nights` nights up to the current one, oldest first. */
export function nightlyFigures(events: readonly LedgerEvent[], now: number, nights: number): NightFigures[] {
  const last = nightDayOf(now);
  const first = new Date(Date.parse(last) - (nights - 1) * 86_400_000).toISOString().slice(0, 10);
  const byNight = new Map<string, NightFigures>();
  for (let i = 0; i < nights; i++) {
    const day = new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10);
    byNight.set(day, emptyNight(day));
  }
  const waits = new Map<string, number[]>();
  for (const r of retrievalsOf(events)) {
    const night = byNight.get(nightDayOf(r.leftAt));
    if (night === undefined) continue;
    const list = waits.get(night.night) ?? [];
    list.push((r.leftAt - r.askedAt) / 60_000);
    waits.set(night.night, list);
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
  for (const [night, list] of waits) {
    const figures = byNight.get(night);
    if (figures === undefined || list.length === 0) continue;
    figures.waitMeanMin = Math.round((list.reduce((a, b) => a + b, 0) / list.length) * 10) / 10;
    figures.waitMaxMin = Math.round(Math.max(...list) * 10) / 10;
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

/**
 * Profiles over the last `nights` nights (noon to noon, as `nightlyFigures`) up to `now`, from the
 * night of the first event on. `events` is the whole ledger, oldest first: the cars on site and the
 * tasks running when the window opens come from the events before it.
 */
export function dayProfiles(events: readonly LedgerEvent[], now: number, nights: number): DayProfiles {
  // Nights before the compound's first event would only dilute the means.
  const opened = events[0] === undefined ? now : midnightOf(nightDayOf(events[0].at)) + 12 * 3_600_000;
  const from = Math.max(opened, midnightOf(nightDayOf(now)) + 12 * 3_600_000 - (nights - 1) * 86_400_000);
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
  const pendingNow = new Map<string, number>();
  const started = new Map<string, number>();
  const onSite = new Set<string>();
  let since = Number.NEGATIVE_INFINITY;
  const changeOnSite = (at: number, vehicleId: string, present: boolean): void => {
    if (onSite.has(vehicleId) === present) return;
    spread(carMinutes, since, at, onSite.size);
    since = at;
    if (present) onSite.add(vehicleId);
    else onSite.delete(vehicleId);
  };
  for (const e of events) {
    switch (e.type) {
      case 'car.checked-in':
        changeOnSite(e.at, e.payload.vehicleId, true);
        break;
      case 'car.departed': {
        changeOnSite(e.at, e.payload.vehicleId, false);
        const asked = pendingNow.get(e.payload.vehicleId);
        pendingNow.delete(e.payload.vehicleId);
        if (asked !== undefined && asked >= from && e.at <= now) {
          const hour = Math.floor(shanghaiMinuteOfDay(asked) / 60);
          waitSum[hour] = (waitSum[hour] ?? 0) + (e.at - asked) / 60_000;
          waitCount[hour] = (waitCount[hour] ?? 0) + 1;
        }
        break;
      }
      case 'car.sent-to-partner':
        changeOnSite(e.at, e.payload.vehicleId, false);
        break;
      case 'record': {
        const p = e.payload;
        if (p.kind === 'departure.declared' && p.detail.kind === 'now' && p.vehicleId !== undefined)
          pendingNow.set(p.vehicleId, e.at);
        if (p.kind === 'task.started' && !started.has(p.refId)) started.set(p.refId, e.at);
        if (p.kind === 'task.completed' || p.kind === 'task.failed' || p.kind === 'task.cancelled') {
          const begun = started.get(p.refId);
          started.delete(p.refId);
          if (begun !== undefined) spread(busy, begun, e.at, 1);
        }
        break;
      }
      default:
        break;
    }
  }
  spread(carMinutes, since, to, onSite.size);
  for (const begun of started.values()) spread(busy, begun, to, 1);
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

/** The nights' figures and the day profiles of a compound, from one read of its ledger. */
export async function compoundFigures(
  ctx: AppContext,
  compoundId: string,
  nights: number,
): Promise<{ nights: NightFigures[]; profiles: DayProfiles }> {
  const now = ctx.now();
  const events = await ctx.store.events(compoundId);
  const since = Date.parse(nightDayOf(now)) - nights * 86_400_000;
  return {
    nights: nightlyFigures(
      events.filter((e) => e.at >= since - 86_400_000),
      now,
      nights,
    ),
    profiles: dayProfiles(events, now, nights),
  };
}
