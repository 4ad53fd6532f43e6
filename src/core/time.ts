/**
 * @module Local time in Asia/Shanghai without a clock: instants come in as arguments. China keeps
 * UTC+8 all year (no daylight saving), so the conversion is a fixed offset.
 */
import type { EpochMs, IsoDate } from './brand.js';

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Asia/Shanghai calendar day of an instant. */
export function shanghaiDate(at: EpochMs | number): IsoDate {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) as IsoDate;
}

/** Minutes since local midnight (0..1439) of an instant in Asia/Shanghai. */
export function shanghaiMinuteOfDay(at: EpochMs | number): number {
  const d = new Date(at + SHANGHAI_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** The Asia/Shanghai time of day `HH:MM` of an instant. */
export function shanghaiHhmm(at: EpochMs | number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant of a local Asia/Shanghai date and time `HH:MM`. */
export function shanghaiInstant(day: IsoDate | string, hhmm: string): EpochMs {
  return (Date.parse(`${day}T${hhmm}:00.000Z`) - SHANGHAI_OFFSET_MS) as EpochMs;
}

/** The calendar day `n` days after `day` (before, for negative `n`). */
export function addDays(day: IsoDate | string, n: number): IsoDate {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10) as IsoDate;
}
