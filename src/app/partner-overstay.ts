/**
 * @module The partner lots' periodic check: residents are reminded before leave-by; a car still there
 * after leave-by is an **overstay**: the partner and the managers are alerted, the household gets a
 * strike, and too many strikes suspend its booking rights for a while.
 */
import { MS_PER_DAY, MS_PER_MINUTE } from '../core/calendar.js';
import { partnerUserIdsOf } from '../store/account.repository.js';
import {
  anyCheckedInDue,
  bookingsWithStatus,
  countStrikesSince,
  insertStrike,
  insertSuspension,
  partnerLotsOf,
} from '../store/partner-lot.repository.js';
import type { AppContext } from './context.js';
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
  const lots = await partnerLotsOf(ctx.store.db, compoundId);
  if (lots.length === 0) return { reminded: [], overstays: [], suspended: [] };
  const maxReminder = Math.max(...lots.map((l) => l.reminder_minutes));
  const due = await anyCheckedInDue(ctx.store.db, compoundId, now + maxReminder * MS_PER_MINUTE, now);
  if (!due) return { reminded: [], overstays: [], suspended: [] };
  const result = await ctx.store.transaction(compoundId, async (uow) => {
    const out: PartnerCheckResult = { reminded: [], overstays: [], suspended: [] };
    const lotById = new Map(lots.map((l) => [l.id, lotOf(l)]));
    const rows = await bookingsWithStatus(uow.trx, compoundId, 'checked-in');
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
        const partners = await partnerUserIdsOf(uow.trx, compoundId, row.lot_id);
        const leaveBy = new Date(row.leave_by_at + 8 * 3_600_000).toISOString().slice(11, 16);
        await notify(
          uow,
          {
            userIds: [...partners, ...managers, ...residents],
            kind: 'partner.overstay',
            title: '共享停车超时 overstay',
            body: `${lot.name} 车位 ${row.space}: 车辆未在 ${leaveBy} 前驶离 (still there after leave-by)`,
            ref: row.id,
          },
          ctx,
        );
        out.overstays.push(row.id);
        if (row.household_id !== null) {
          await insertStrike(uow.trx, compoundId, row.id, row.household_id, now);
          const strikes = await countStrikesSince(
            uow.trx,
            compoundId,
            row.household_id,
            now - lot.policy.strikeDays * MS_PER_DAY,
          );
          if (strikes >= lot.policy.strikeLimit && (await suspensionOf(uow, row.household_id, now)) === null) {
            const until = now + lot.policy.suspensionDays * MS_PER_DAY;
            await insertSuspension(uow.trx, {
              compound_id: compoundId,
              household_id: row.household_id,
              from_at: now,
              until_at: until,
              reason: `${strikes} overstays in ${lot.policy.strikeDays} days`,
            });
            await notify(
              uow,
              {
                userIds: [...residents, ...managers],
                kind: 'partner.suspended',
                title: '共享停车预约权暂停 booking rights suspended',
                body: `${lot.policy.strikeDays} 天内超时 ${strikes} 次，${lot.policy.suspensionDays} 天内不能预约共享车位`,
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
  return result;
}
