/**
 * @module The partner lots' periodic check: residents are reminded before leave-by; a car still there
 * after leave-by is an **overstay**: the partner and the managers are alerted, the household gets a
 * strike, and too many strikes suspend its booking rights for a while.
 */
import { MS_PER_DAY, MS_PER_MINUTE } from '../core/calendar.js';
import type { AppContext } from './context.js';
import { notificationBusOf } from './notification-bus.js';
import { notify, residentsOf, usersWithRole } from './notifications.js';
import { record } from './tasks.js';
import { lotOf, setBookingStatus, suspensionOf } from './partner-lot-rows.js';

export interface PartnerCheckResult {
  reminded: string[];
  overstays: string[];
  suspended: string[];
}

/**
 * The periodic check: reminds the cars on a partner lot shortly before leave-by, and turns a car
 * still there after leave-by into an overstay (once): `booking.overstay` in the ledger, the
 * partner's staff and the managers alerted, a strike for the household, and a suspension of its
 * booking rights when the strikes within the lot's period reach its limit.
 */
export async function checkPartnerLots(ctx: AppContext, compoundId: string): Promise<PartnerCheckResult> {
  const now = ctx.now();
  const lots = await ctx.store.db
    .selectFrom('partner_lots')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .execute();
  if (lots.length === 0) return { reminded: [], overstays: [], suspended: [] };
  const maxReminder = Math.max(...lots.map((l) => l.reminder_minutes));
  const due = await ctx.store.db
    .selectFrom('bookings')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'checked-in')
    .where('leave_by_at', '<=', now + maxReminder * MS_PER_MINUTE)
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('leave_by_at', '<=', now)]))
    .execute();
  if (due.length === 0) return { reminded: [], overstays: [], suspended: [] };
  const result = await ctx.store.transaction(compoundId, async (uow) => {
    const out: PartnerCheckResult = { reminded: [], overstays: [], suspended: [] };
    const lotById = new Map(lots.map((l) => [l.id, lotOf(l)]));
    const rows = await uow.trx
      .selectFrom('bookings')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('status', '=', 'checked-in')
      .execute();
    const managers = await usersWithRole(uow, 'manager');
    for (const row of rows) {
      const lot = lotById.get(row.lot_id);
      if (lot === undefined) continue;
      const residents = await residentsOf(uow, row.household_id);
      if (now >= row.leave_by_at) {
        await setBookingStatus(uow, row.id, { status: 'overstay', overstay_at: now });
        await record(
          ctx,
          uow,
          'system',
          'booking.overstay',
          row.id,
          { lotId: row.lot_id, night: row.night, leaveByAt: row.leave_by_at },
          row.vehicle_id,
        );
        const partners = await uow.trx
          .selectFrom('users')
          .select('id')
          .where('compound_id', '=', compoundId)
          .where('role', '=', 'partner')
          .where('partner_lot_id', '=', row.lot_id)
          .execute();
        const leaveBy = new Date(row.leave_by_at + 8 * 3_600_000).toISOString().slice(11, 16);
        await notify(
          uow,
          {
            userIds: [...partners.map((p) => p.id), ...managers, ...residents],
            kind: 'partner.overstay',
            title: '共享停车超时 overstay',
            body: `${lot.name} 车位 ${row.space}: 车辆未在 ${leaveBy} 前驶离 (still there after leave-by)`,
            ref: row.id,
          },
          ctx,
        );
        out.overstays.push(row.id);
        if (row.household_id !== null) {
          await uow.trx
            .insertInto('booking_strikes')
            .values({ compound_id: compoundId, booking_id: row.id, household_id: row.household_id, at: now })
            .execute();
          const strikes = await uow.trx
            .selectFrom('booking_strikes')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('compound_id', '=', compoundId)
            .where('household_id', '=', row.household_id)
            .where('at', '>', now - lot.policy.strikeDays * MS_PER_DAY)
            .executeTakeFirstOrThrow();
          if (
            Number(strikes.n) >= lot.policy.strikeLimit &&
            (await suspensionOf(uow, row.household_id, now)) === null
          ) {
            const until = now + lot.policy.suspensionDays * MS_PER_DAY;
            await uow.trx
              .insertInto('booking_suspensions')
              .values({
                compound_id: compoundId,
                household_id: row.household_id,
                from_at: now,
                until_at: until,
                reason: `${Number(strikes.n)} overstays in ${lot.policy.strikeDays} days`,
              })
              .execute();
            await notify(
              uow,
              {
                userIds: [...residents, ...managers],
                kind: 'partner.suspended',
                title: '共享停车预约权暂停 booking rights suspended',
                body: `${lot.policy.strikeDays} 天内超时 ${Number(strikes.n)} 次，${lot.policy.suspensionDays} 天内不能预约共享车位`,
                ref: row.household_id,
              },
              ctx,
            );
            out.suspended.push(row.household_id);
          }
        }
      } else if (row.reminded_at === null && now >= row.leave_by_at - lot.policy.reminderMinutes * MS_PER_MINUTE) {
        await setBookingStatus(uow, row.id, { reminded_at: now });
        const leaveBy = new Date(row.leave_by_at + 8 * 3_600_000).toISOString().slice(11, 16);
        await notify(
          uow,
          {
            userIds: residents,
            kind: 'partner.leave-by',
            title: '请按时驶离共享车位',
            body: `${lot.name}: 请在 ${leaveBy} 前驶离 (leave by ${leaveBy})`,
            ref: row.id,
          },
          ctx,
        );
        out.reminded.push(row.id);
      }
    }
    return out;
  });
  if (result.overstays.length + result.reminded.length > 0) notificationBusOf(ctx.store).wake();
  return result;
}
