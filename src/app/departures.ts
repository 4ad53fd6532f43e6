/**
 * @module Declared departures: one-off ("tomorrow 07:30"), standing ("weekdays 07:30", with dated
 * exceptions) and "now". The next departure of each car feeds the planner's placement and the
 * relocations scheduled before it.
 */
import type { DepartureKind, DepartureStatus } from '../core/statuses.js';
import type { EpochMs, IsoDate, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { addDays, shanghaiDate, shanghaiInstant } from '../core/time.js';
import type { DepartureRow } from '../store/departure.repository.js';
import { activeDepartureRows } from '../store/departure.repository.js';
import type { Database } from '../store/schema.js';
import type { Kysely, Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

export type DepartureInput =
  | { kind: 'once'; at: number }
  | { kind: 'standing'; time: string; weekdays: number[]; exceptions?: string[] }
  | { kind: 'now' };

export interface Departure {
  id: string;
  vehicleId: string;
  kind: DepartureKind;
  at: number | null;
  time: string | null;
  weekdays: number[];
  exceptions: string[];
  status: DepartureStatus;
}

export function departureOf(row: DepartureRow): Departure {
  return {
    id: row.id,
    vehicleId: row.vehicle_id,
    kind: row.kind,
    at: row.at,
    time: row.time_of_day,
    weekdays: row.weekdays === null || row.weekdays === '' ? [] : row.weekdays.split(',').map(Number),
    exceptions: row.exceptions === null ? [] : (JSON.parse(row.exceptions) as string[]),
    status: row.status,
  };
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a date. */
function isoWeekday(day: IsoDate): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The next instant at or after `now` at which a departure applies, or null. */
export function nextOccurrence(d: Departure, now: number): EpochMs | null {
  if (d.status !== 'active') return null;
  // A one-off departure that has passed by more than three hours is over, whether or not it was marked done.
  if (d.kind === 'once' || d.kind === 'now')
    return d.at === null || d.at < now - 3 * 3600_000 ? null : (d.at as EpochMs);
  const today = shanghaiDate(now);
  for (let i = 0; i < 8; i++) {
    const day = addDays(today, i);
    if (!d.weekdays.includes(isoWeekday(day)) || d.exceptions.includes(day)) continue;
    const at = shanghaiInstant(day, d.time ?? '00:00');
    if (at >= now) return at;
  }
  return null;
}

/**
 * Whether a car driving off at `now` fulfils a declaration: a "now" one, and a one-off due today
 * (Asia/Shanghai) or earlier. A one-off for a later day and a standing one stay active: the car
 * comes back and leaves again then.
 */
export function fulfilledBy(d: Departure, now: number): boolean {
  if (d.kind === 'now') return true;
  return d.kind === 'once' && d.at !== null && shanghaiDate(d.at) <= shanghaiDate(now);
}

/**
 * Whether declaring `next` withdraws the earlier active declaration `earlier` of the same car: a
 * car has one weekly routine (standing), one one-off time per day and one "now". Declaring again
 * corrects the time; a one-off for another day and a routine beside one-offs stay.
 */
export function replaces(next: Departure, earlier: Departure): boolean {
  if (earlier.id === next.id || earlier.vehicleId !== next.vehicleId || earlier.kind !== next.kind) return false;
  if (next.kind !== 'once') return true;
  return earlier.at !== null && next.at !== null && shanghaiDate(earlier.at) === shanghaiDate(next.at);
}

/** Checks a declaration: a one-off departure lies in the future; a standing one has a valid time and weekdays. */
export function validateDeparture(input: DepartureInput, now: number): void {
  if (input.kind === 'once' && input.at <= now) {
    throw new DomainError(
      'DEPARTURE_IN_PAST',
      `body.at: ${new Date(input.at).toISOString()} is in the past; a departure lies in the future`,
      { field: 'body.at' },
    );
  }
  if (input.kind === 'once' && input.at > now + 14 * 86_400_000) {
    throw new DomainError(
      'VALIDATION',
      'body.at: a one-off departure is at most 14 days ahead; use a standing departure',
      { field: 'body.at' },
    );
  }
  if (input.kind === 'standing') {
    if (!/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(input.time))
      throw new DomainError('VALIDATION', 'body.time: a time is "HH:MM"', { field: 'body.time' });
    if (input.weekdays.length === 0 || input.weekdays.some((w) => !Number.isInteger(w) || w < 1 || w > 7)) {
      throw new DomainError('VALIDATION', 'body.weekdays: one or more ISO weekdays 1 (Monday) … 7 (Sunday)', {
        field: 'body.weekdays',
      });
    }
    for (const [i, day] of (input.exceptions ?? []).entries()) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
        throw new DomainError('VALIDATION', `body.exceptions[${i}]: a date is "YYYY-MM-DD"`, {
          field: `body.exceptions[${i}]`,
        });
      }
    }
  }
}

export async function activeDepartures(db: Db, compoundId: string, vehicleId?: string): Promise<Departure[]> {
  return (await activeDepartureRows(db, compoundId, { vehicleId, oldestFirst: true })).map(departureOf);
}

/**
 * Each car's next declared departure at or after `now` (the earliest of its active declarations);
 * with `vehicleId`, that car's only.
 */
export async function nextDepartures(
  db: Db,
  compoundId: string,
  now: number,
  vehicleId?: string,
): Promise<Map<VehicleId, { at: EpochMs; departureId: string }>> {
  const map = new Map<VehicleId, { at: EpochMs; departureId: string }>();
  for (const d of await activeDepartures(db, compoundId, vehicleId)) {
    const at = nextOccurrence(d, now);
    if (at === null) continue;
    const current = map.get(d.vehicleId as VehicleId);
    if (current === undefined || at < current.at) map.set(d.vehicleId as VehicleId, { at, departureId: d.id });
  }
  return map;
}
