/**
 * @module What a partner booking records when its car arrives: the booking checked in (for a car a
 * guard drove there, when the guard completes the task) and the night counted for the household's
 * monthly rotation. Kept apart from `partner-lots.ts` so the task use cases can call it.
 */
import { addRotationNight, bookedBookingOfTask, updateBooking } from '../store/partner-lot.repository.js';
import type { UnitOfWork } from '../store/store.js';

/** Counts a night at a partner lot for the household's monthly rotation (`YYYY-MM` of the night). */
export async function countRotationNight(uow: UnitOfWork, householdId: string, night: string): Promise<void> {
  await addRotationNight(uow.trx, uow.compoundId, householdId, night.slice(0, 7));
}

/** A guard completed the valet task `taskId`: its booking is checked in and the night counted. */
export async function valetArrived(uow: UnitOfWork, taskId: string, at: number): Promise<void> {
  const booking = await bookedBookingOfTask(uow.trx, uow.compoundId, taskId);
  if (booking === undefined) return;
  await updateBooking(uow.trx, uow.compoundId, booking.id, { status: 'checked-in', checked_in_at: at });
  if (booking.household_id !== null) await countRotationNight(uow, booking.household_id, booking.night);
}
