/** @module A use case's transaction, then a wake-up for the outbox, so its notifications go out at once. */
import type { UnitOfWork } from '../store/store.js';
import type { AppContext } from './context.js';
import { notificationBusOf } from './notification-bus.js';

/** Runs `work` in one transaction of the compound and, once it committed, wakes the notification dispatcher. */
export async function committed<T>(
  ctx: AppContext,
  compoundId: string,
  work: (uow: UnitOfWork) => Promise<T>,
): Promise<T> {
  const result = await ctx.store.transaction(compoundId, work);
  notificationBusOf(ctx.store).wake();
  return result;
}
