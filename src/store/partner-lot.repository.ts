/**
 * @module Partner lots in tables: the lots (`partner_lots`), their dated exceptions, the nights'
 * bookings, the overstay strikes and suspensions, and the monthly rotation counts. Each function takes
 * the database or the caller's transaction.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { BookingStatus } from '../core/statuses.js';
import type {
  BookingsTable,
  BookingSuspensionsTable,
  Database,
  PartnerLotExceptionsTable,
  PartnerLotsTable,
} from './schema.js';

type Db = Kysely<Database>;

export type PartnerLotRow = Selectable<PartnerLotsTable>;
export type PartnerLotExceptionRow = Selectable<PartnerLotExceptionsTable>;
export type BookingRow = Selectable<BookingsTable>;

export async function insertPartnerLot(db: Db, row: Insertable<PartnerLotsTable>): Promise<void> {
  await db.insertInto('partner_lots').values(row).execute();
}

export async function partnerLotById(db: Db, compoundId: string, lotId: string): Promise<PartnerLotRow | undefined> {
  return db
    .selectFrom('partner_lots')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', lotId)
    .executeTakeFirst();
}

/** The compound's partner lots by id, or only the lot `lotId` when given. */
export async function partnerLotsOf(db: Db, compoundId: string, lotId?: string): Promise<PartnerLotRow[]> {
  let query = db.selectFrom('partner_lots').selectAll().where('compound_id', '=', compoundId);
  if (lotId !== undefined) query = query.where('id', '=', lotId);
  return query.orderBy('id').execute();
}

export async function updatePartnerLotRow(
  db: Db,
  compoundId: string,
  lotId: string,
  values: Updateable<PartnerLotsTable>,
): Promise<void> {
  await db
    .updateTable('partner_lots')
    .set(values)
    .where('compound_id', '=', compoundId)
    .where('id', '=', lotId)
    .execute();
}

/** The lot's dated exceptions by night. */
export async function lotExceptionsOf(db: Db, compoundId: string, lotId: string): Promise<PartnerLotExceptionRow[]> {
  return db
    .selectFrom('partner_lot_exceptions')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('lot_id', '=', lotId)
    .orderBy('night')
    .execute();
}

/** Sets the lot's exception for the night, replacing one already set. */
export async function replaceLotException(db: Db, row: Insertable<PartnerLotExceptionsTable>): Promise<void> {
  await db
    .deleteFrom('partner_lot_exceptions')
    .where('compound_id', '=', row.compound_id)
    .where('lot_id', '=', row.lot_id)
    .where('night', '=', row.night)
    .execute();
  await db.insertInto('partner_lot_exceptions').values(row).execute();
}

export async function insertBooking(db: Db, row: Insertable<BookingsTable>): Promise<void> {
  await db.insertInto('bookings').values(row).execute();
}

export async function bookingById(db: Db, compoundId: string, bookingId: string): Promise<BookingRow | undefined> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', bookingId)
    .executeTakeFirst();
}

export async function updateBooking(
  db: Db,
  compoundId: string,
  bookingId: string,
  values: Updateable<BookingsTable>,
): Promise<void> {
  await db
    .updateTable('bookings')
    .set(values)
    .where('compound_id', '=', compoundId)
    .where('id', '=', bookingId)
    .execute();
}

/** The lot's bookings on the night in one of `statuses`. */
export async function lotBookingsOnNight(
  db: Db,
  compoundId: string,
  lotId: string,
  night: string,
  statuses: readonly BookingStatus[],
): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('lot_id', '=', lotId)
    .where('night', '=', night)
    .where('status', 'in', statuses)
    .execute();
}

/** The spaces of the lot's bookings in one of `statuses` whose leave-by is after `after`. */
export async function lotSpacesBookedAfter(
  db: Db,
  compoundId: string,
  lotId: string,
  statuses: readonly BookingStatus[],
  after: number,
): Promise<Pick<BookingRow, 'space' | 'charger'>[]> {
  return db
    .selectFrom('bookings')
    .select(['space', 'charger'])
    .where('compound_id', '=', compoundId)
    .where('lot_id', '=', lotId)
    .where('status', 'in', statuses)
    .where('leave_by_at', '>', after)
    .execute();
}

/** A booking of the car on the night in one of `statuses`, if any. */
export async function vehicleBookingOnNight(
  db: Db,
  compoundId: string,
  vehicleId: string,
  night: string,
  statuses: readonly BookingStatus[],
): Promise<Pick<BookingRow, 'id' | 'lot_id'> | undefined> {
  return db
    .selectFrom('bookings')
    .select(['id', 'lot_id'])
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where('night', '=', night)
    .where('status', 'in', statuses)
    .executeTakeFirst();
}

/** The booking a valet task drives to, while it is still booked. */
export async function bookedBookingOfTask(
  db: Db,
  compoundId: string,
  taskId: string,
): Promise<Pick<BookingRow, 'id' | 'household_id' | 'night'> | undefined> {
  return db
    .selectFrom('bookings')
    .select(['id', 'household_id', 'night'])
    .where('compound_id', '=', compoundId)
    .where('task_id', '=', taskId)
    .where('status', '=', 'booked')
    .executeTakeFirst();
}

export async function bookingsWithStatus(db: Db, compoundId: string, status: BookingStatus): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', '=', status)
    .execute();
}

/**
 * Whether a checked-in booking has a reminder or an overstay due by `remindUntil`: its leave-by is
 * then, and it was not reminded yet or its leave-by is past at `now`.
 */
export async function anyCheckedInDue(db: Db, compoundId: string, remindUntil: number, now: number): Promise<boolean> {
  const rows = await db
    .selectFrom('bookings')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'checked-in')
    .where('leave_by_at', '<=', remindUntil)
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('leave_by_at', '<=', now)]))
    .execute();
  return rows.length > 0;
}

export interface BookingFilter {
  householdId?: string | undefined;
  lotId?: string | undefined;
  night?: string | undefined;
  status?: BookingStatus | undefined;
}

/** The bookings that pass the filter, by night, lot and space; at most `limit`. */
export async function bookingsMatching(
  db: Db,
  compoundId: string,
  filter: BookingFilter,
  limit: number,
): Promise<BookingRow[]> {
  let query = db.selectFrom('bookings').selectAll().where('compound_id', '=', compoundId);
  if (filter.householdId !== undefined) query = query.where('household_id', '=', filter.householdId);
  if (filter.lotId !== undefined) query = query.where('lot_id', '=', filter.lotId);
  if (filter.night !== undefined) query = query.where('night', '=', filter.night);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.orderBy('night').orderBy('lot_id').orderBy('space').limit(limit).execute();
}

/** The lot's bookings in one of `statuses`, by leave-by then space. */
export async function lotBookingsByLeaveBy(
  db: Db,
  compoundId: string,
  lotId: string,
  statuses: readonly BookingStatus[],
): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('lot_id', '=', lotId)
    .where('status', 'in', statuses)
    .orderBy('leave_by_at')
    .orderBy('space')
    .execute();
}

export async function insertStrike(
  db: Db,
  compoundId: string,
  bookingId: string,
  householdId: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('booking_strikes')
    .values({ compound_id: compoundId, booking_id: bookingId, household_id: householdId, at })
    .execute();
}

/** The household's strikes after `since`. */
export async function countStrikesSince(
  db: Db,
  compoundId: string,
  householdId: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('booking_strikes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSuspension(db: Db, row: Insertable<BookingSuspensionsTable>): Promise<void> {
  await db.insertInto('booking_suspensions').values(row).execute();
}

/** When the household's latest suspension in force at `now` ends, or null when none is. */
export async function suspendedUntil(
  db: Db,
  compoundId: string,
  householdId: string,
  now: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('booking_suspensions')
    .select('until_at')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .where('until_at', '>', now)
    .orderBy('until_at', 'desc')
    .executeTakeFirst();
  return row?.until_at ?? null;
}

/** Counts one more night at a partner lot for the household in the month (`YYYY-MM`). */
export async function addRotationNight(db: Db, compoundId: string, householdId: string, month: string): Promise<void> {
  const row = await db
    .selectFrom('partner_rotation')
    .select('nights')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .where('month', '=', month)
    .executeTakeFirst();
  if (row === undefined) {
    await db
      .insertInto('partner_rotation')
      .values({ compound_id: compoundId, household_id: householdId, month, nights: 1 })
      .execute();
  } else {
    await db
      .updateTable('partner_rotation')
      .set({ nights: row.nights + 1 })
      .where('compound_id', '=', compoundId)
      .where('household_id', '=', householdId)
      .where('month', '=', month)
      .execute();
  }
}

/** The cars booked on the night in one of `statuses`, and whether each booking is a standing one's. */
export async function vehicleBookingsOnNight(
  db: Db,
  compoundId: string,
  night: string,
  statuses: readonly BookingStatus[],
): Promise<Pick<BookingRow, 'vehicle_id' | 'standing_id'>[]> {
  return db
    .selectFrom('bookings')
    .select(['vehicle_id', 'standing_id'])
    .where('compound_id', '=', compoundId)
    .where('night', '=', night)
    .where('status', 'in', statuses)
    .execute();
}

/** The households' nights at partner lots in the month (`YYYY-MM`). */
export async function rotationNightsOf(
  db: Db,
  compoundId: string,
  month: string,
): Promise<{ household_id: string; nights: number }[]> {
  return db
    .selectFrom('partner_rotation')
    .select(['household_id', 'nights'])
    .where('compound_id', '=', compoundId)
    .where('month', '=', month)
    .execute();
}
