/**
 * @module Figures for the manager and the committee, from the ledger alone: per night (noon to
 * noon, Asia/Shanghai) the cars checked in and out, the relocations, the waits of residents who
 * asked for their car "now", key alarms and incidents. Aggregates only: no car, key or person.
 */
import type { LedgerEvent } from '../core/events.js';
import type { AppContext } from './context.js';
import { nightDayOf } from './night.js';

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
  return { night, checkIns: 0, departures: 0, relocations: 0, preStaging: 0, nowRequests: 0, waitMeanMin: null, waitMaxMin: null, keyAlarms: 0, incidents: 0 };
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
  const pendingNow = new Map<string, number>();
  for (const e of events) {
    const night = byNight.get(nightDayOf(e.at));
    switch (e.type) {
      case 'car.checked-in':
        if (night) night.checkIns++;
        break;
      case 'car.departed': {
        if (night) night.departures++;
        const asked = pendingNow.get(e.payload.vehicleId);
        if (asked !== undefined) {
          pendingNow.delete(e.payload.vehicleId);
          if (night) {
            const list = waits.get(night.night) ?? [];
            list.push((e.at - asked) / 60_000);
            waits.set(night.night, list);
          }
        }
        break;
      }
      case 'car.moved':
        if (night) {
          night.relocations++;
          if (e.payload.reason === 'pre-staging') night.preStaging++;
        }
        break;
      case 'record':
        if (e.payload.kind === 'departure.declared' && e.payload.detail.kind === 'now' && e.payload.vehicleId !== undefined) {
          pendingNow.set(e.payload.vehicleId, e.at);
          if (night) night.nowRequests++;
        }
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

export async function compoundFigures(ctx: AppContext, compoundId: string, nights: number): Promise<NightFigures[]> {
  const since = Date.parse(nightDayOf(ctx.now())) - nights * 86_400_000;
  const events = (await ctx.store.events(compoundId)).filter((e) => e.at >= since - 86_400_000);
  return nightlyFigures(events, ctx.now(), nights);
}
