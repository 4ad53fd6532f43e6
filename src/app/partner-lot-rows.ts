/**
 * @module A partner lot's records (错峰共享停车): the lot, its weekly **window** with dated exceptions
 * and hard leave-by time, its rules, and its bookings, as the use cases read and write them.
 */
import type { BookingStatus } from '../core/statuses.js';
import type { IsoDate } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { MS_PER_MINUTE, windowOnNight, type WeeklyWindow } from '../core/calendar.js';
import { shanghaiDate, shanghaiInstant } from '../core/time.js';
import type { BookingsTable, PartnerLotsTable } from '../store/schema.js';
import {
  lotBookingsOnNight,
  lotExceptionsOf,
  partnerLotById,
  suspendedUntil,
  updateBooking,
} from '../store/partner-lot.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';

/** A weekly window: on each of `days` the lot opens at `from`; it closes at `to`, the next morning when `to` ≤ `from`. */
export type PartnerWindow = WeeklyWindow;

export interface PartnerContact {
  name: string;
  role: string;
  phone: string;
}

/** The rules of a lot: reminder before leave-by, and strikes that suspend booking rights. */
export interface PartnerPolicy {
  reminderMinutes: number;
  /** This many overstays within `strikeDays` days suspend the household's booking rights … */
  strikeLimit: number;
  strikeDays: number;
  /** … for this many days. */
  suspensionDays: number;
}

export const DEFAULT_PARTNER_POLICY: PartnerPolicy = {
  reminderMinutes: 30,
  strikeLimit: 3,
  strikeDays: 30,
  suspensionDays: 14,
};

export interface PartnerLot {
  id: string;
  name: string;
  organisation: string;
  spaces: number;
  chargerSpaces: number;
  chargerKw: number | null;
  windows: PartnerWindow[];
  walkMinutes: number;
  leaveBy: string;
  contacts: PartnerContact[];
  policy: PartnerPolicy;
}

export interface PartnerException {
  night: string;
  /** null when the lot is closed that night. */
  from: string | null;
  to: string | null;
  reason: string;
}

export const ACTIVE_BOOKING: readonly BookingStatus[] = ['booked', 'checked-in', 'overstay'];

export interface Booking {
  id: string;
  lotId: string;
  vehicleId: string;
  householdId: string | null;
  night: string;
  space: number;
  charger: boolean;
  standingId: string | null;
  valet: boolean;
  taskId: string | null;
  status: BookingStatus;
  startAt: number;
  leaveByAt: number;
  checkedInAt: number | null;
  checkedOutAt: number | null;
  overstayAt: number | null;
}

export function lotOf(row: PartnerLotsTable): PartnerLot {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation,
    spaces: row.spaces,
    chargerSpaces: row.charger_spaces,
    chargerKw: row.charger_kw,
    windows: JSON.parse(row.windows) as PartnerWindow[],
    walkMinutes: row.walk_minutes,
    leaveBy: row.leave_by,
    contacts: JSON.parse(row.contacts) as PartnerContact[],
    policy: {
      reminderMinutes: row.reminder_minutes,
      strikeLimit: row.strike_limit,
      strikeDays: row.strike_days,
      suspensionDays: row.suspension_days,
    },
  };
}

export function bookingOf(row: BookingsTable): Booking {
  return {
    id: row.id,
    lotId: row.lot_id,
    vehicleId: row.vehicle_id,
    householdId: row.household_id,
    night: row.night,
    space: row.space,
    charger: row.charger === 1,
    standingId: row.standing_id,
    valet: row.valet === 1,
    taskId: row.task_id,
    status: row.status,
    startAt: row.start_at,
    leaveByAt: row.leave_by_at,
    checkedInAt: row.checked_in_at,
    checkedOutAt: row.checked_out_at,
    overstayAt: row.overstay_at,
  };
}

/**
 * The night's opening and leave-by instants, or null when the lot is closed that night (the rule is
 * `windowOnNight`'s, shared with the simulator).
 */
export function nightWindow(
  lot: Pick<PartnerLot, 'windows' | 'leaveBy'>,
  exception: PartnerException | undefined,
  night: string,
): { startAt: number; leaveByAt: number } | null {
  const w = windowOnNight(lot, exception, night);
  if (w === null) return null;
  const midnight = shanghaiInstant(night, '00:00');
  return { startAt: midnight + w.from * MS_PER_MINUTE, leaveByAt: midnight + w.leaveBy * MS_PER_MINUTE };
}

/** The day whose evening starts the night `at` belongs to (a night runs noon to noon). */
export function nightOf(at: number): IsoDate {
  return shanghaiDate(at - 12 * 3_600_000);
}

export async function lotRow(ctx: AppContext, compoundId: string, lotId: string, field: string): Promise<PartnerLot> {
  const row = await partnerLotById(ctx.store.db, compoundId, lotId);
  if (row === undefined) throw new DomainError('NOT_FOUND', `${field}: no partner lot "${lotId}"`, { field });
  return lotOf(row);
}

/** A partner sees only its own lot; another lot is answered as absent. */
export function requireLotAccess(principal: Principal, lotId: string, field: string): void {
  if (principal.role === 'partner' && principal.partnerLotId !== lotId)
    throw new DomainError('NOT_FOUND', `${field}: no partner lot "${lotId}"`, { field });
}

/** The lot's dated exceptions; `db` is the store or the caller's transaction. */
export async function exceptionsOf(
  db: AppContext['store']['db'],
  compoundId: string,
  lotId: string,
): Promise<PartnerException[]> {
  const rows = await lotExceptionsOf(db, compoundId, lotId);
  return rows.map((r) => ({ night: r.night, from: r.open_from, to: r.open_to, reason: r.reason }));
}

export async function activeBookings(
  db: AppContext['store']['db'],
  compoundId: string,
  lotId: string,
  night: string,
): Promise<BookingsTable[]> {
  return lotBookingsOnNight(db, compoundId, lotId, night, ACTIVE_BOOKING);
}

export async function suspensionOf(uow: UnitOfWork, householdId: string, now: number): Promise<number | null> {
  return suspendedUntil(uow.trx, uow.compoundId, householdId, now);
}

export async function setBookingStatus(
  uow: UnitOfWork,
  bookingId: string,
  values: Partial<BookingsTable>,
): Promise<void> {
  await updateBooking(uow.trx, uow.compoundId, bookingId, values);
}
