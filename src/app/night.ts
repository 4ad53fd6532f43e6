/**
 * @module The planner's timeline: a night runs from noon to noon, and departures are minutes from the
 * midnight that starts the night's day (07:40 the next morning is 24·60 + 460 = 1900).
 */
import type { EpochMs, IsoDate } from '../core/brand.js';
import { SHANGHAI_OFFSET_MS, shanghaiDate } from '../core/time.js';

const HOUR = 3600_000;

/** The day whose evening starts the night that `at` belongs to (noon to noon, Asia/Shanghai). */
export function nightDayOf(at: number): IsoDate {
  return shanghaiDate(at - 12 * HOUR);
}

/** The instant of local midnight at the start of `day`. */
export function midnightOf(day: IsoDate): EpochMs {
  return (Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS) as EpochMs;
}

/** Minutes of `at` on the night timeline of `day`. */
export function nightMinuteOf(at: number, day: IsoDate): number {
  return Math.round((at - midnightOf(day)) / 60_000);
}
