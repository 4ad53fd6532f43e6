/**
 * @module What a partner booking records when its car arrives: the booking checked in (for a car a
 * guard drove there, when the guard completes the task) and the night counted for the household's
 * monthly rotation. Kept apart from `partner-lots.ts` so the task use cases can call it.
 */
import type { UnitOfWork } from '../store/store.js';

/** Counts a night at a partner lot for the household's monthly rotation (`YYYY-MM` of the night). */
export async function countRotationNight(uow: UnitOfWork, householdId: string, night: string): Promise<void> {
  const month = night.slice(0, 7);
  const row = await uow.trx
    .selectFrom('partner_rotation')
    .select('nights')
    .where('compound_id', '=', uow.compoundId)
    .where('household_id', '=', householdId)
    .where('month', '=', month)
    .executeTakeFirst();
  if (row === undefined) {
    await uow.trx
      .insertInto('partner_rotation')
      .values({ compound_id: uow.compoundId, household_id: householdId, month, nights: 1 })
      .execute();
  } else {
    await uow.trx
      .updateTable('partner_rotation')
      .set({ nights: row.nights + 1 })
      .where('compound_id', '=', uow.compoundId)
      .where('household_id', '=', householdId)
      .where('month', '=', month)
      .execute();
  }
}

/** A guard completed the valet task `taskId`: its booking is checked in and the night counted. */
export async function valetArrived(uow: UnitOfWork, taskId: string, at: number): Promise<void> {
  const booking = await uow.trx
    .selectFrom('bookings')
    .select(['id', 'household_id', 'night'])
    .where('compound_id', '=', uow.compoundId)
    .where('task_id', '=', taskId)
    .where('status', '=', 'booked')
    .executeTakeFirst();
  if (booking === undefined) return;
  await uow.trx
    .updateTable('bookings')
    .set({ status: 'checked-in', checked_in_at: at })
    .where('compound_id', '=', uow.compoundId)
    .where('id', '=', booking.id)
    .execute();
  if (booking.household_id !== null) await countRotationNight(uow, booking.household_id, booking.night);
}
