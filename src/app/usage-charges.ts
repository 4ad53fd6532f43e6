/**
 * @module The usage a household pays besides its monthly cards, as bill lines: its visitors'
 * temporary parking (临停), its partner-lot nights, the EV energy its cars took, and the
 * construction waste of its renovations. Each is charged once, on the first bill issued after it
 * ended (a visit left, a booking checked out, a charging session metered, bags declared), by the
 * rule of `core/fees.ts` under the fee version in force on the day it ended; each line names what it
 * is about and the ledger events it was computed from.
 */
import type { FeeRules, Month } from '../core/fees.js';
import { partnerNightFee, rulesOn, temporaryFee } from '../core/fees.js';
import { shanghaiDate } from '../core/time.js';
import type { UsageKind } from '../core/statuses.js';
import type { UnitOfWork } from '../store/store.js';
import {
  billedRefIds,
  chargingSessionsMetered,
  householdBookingsCheckedOut,
  hostedVisitsRegistered,
  refRecordSeqs,
  wasteDeclaredByHousehold,
} from '../store/usage.repository.js';
import { visitStays } from './visitors.js';

/** Usage older than this is not looked for any more (a free stay is never billed, so it is looked at again). */
const LOOKBACK_MS = 366 * 24 * 3600_000;

export interface UsageCharge {
  householdId: string;
  kind: UsageKind;
  /** The visit, booking, charging session or waste declaration. */
  refId: string;
  vehicleId: string | null;
  /** The month it ended in (Asia/Shanghai). */
  forMonth: Month;
  endedAt: number;
  fen: number;
  /** Minutes stayed (visitor), hours past leave-by (partner), watt-hours (ev), bags (waste). */
  quantity: number;
  /** Ledger seqs the charge was computed from, ascending. */
  events: number[];
}

const HOUR = 3600_000;

/**
 * Every unbilled usage charge of the compound that ended at or before `cutoff`, oldest first.
 * Free usage (a visit within the free minutes) yields no charge.
 */
export async function usageCharges(
  uow: UnitOfWork,
  versions: readonly FeeRules[],
  cutoff: number,
): Promise<UsageCharge[]> {
  const since = cutoff - LOOKBACK_MS;
  const c = uow.compoundId;
  const charges: UsageCharge[] = [];
  const at = (ms: number) => ({ forMonth: shanghaiDate(ms).slice(0, 7), endedAt: ms });

  // Visitors' temporary parking, on the host household's bill.
  const billedVisits = await billedRefIds(uow.trx, c, 'visitor');
  const visits = await hostedVisitsRegistered(uow.trx, c, since, cutoff);
  for (const stay of await visitStays(uow.trx, uow.compoundId, visits)) {
    if (stay.leftAt > cutoff || stay.hostHouseholdId === null || billedVisits.has(stay.refId)) continue;
    const rules = rulesOn(versions, shanghaiDate(stay.leftAt));
    const fen = rules === null ? 0 : temporaryFee(stay.arrivedAt, stay.leftAt, rules.temporary);
    if (fen === 0) continue;
    charges.push({
      householdId: stay.hostHouseholdId,
      kind: 'visitor',
      refId: stay.refId,
      vehicleId: stay.vehicleId,
      ...at(stay.leftAt),
      fen,
      quantity: Math.ceil((stay.leftAt - stay.arrivedAt) / 60_000),
      events: stay.seqs,
    });
  }

  // Partner-lot nights, once the car has checked out.
  const billedBookings = await billedRefIds(uow.trx, c, 'partner');
  const bookings = (await householdBookingsCheckedOut(uow.trx, c, since, cutoff)).filter(
    (b) => !billedBookings.has(b.id),
  );
  const bookingSeqs = await refRecordSeqs(
    uow.trx,
    c,
    bookings.map((b) => b.id),
  );
  for (const b of bookings) {
    const leftAt = Number(b.checked_out_at);
    const rules = rulesOn(versions, b.night);
    if (rules === null) continue;
    const fen = partnerNightFee(b.leave_by_at, leftAt, rules.partner);
    if (fen === 0) continue;
    charges.push({
      householdId: b.household_id as string,
      kind: 'partner',
      refId: b.id,
      vehicleId: b.vehicle_id,
      ...at(leftAt),
      fen,
      quantity: Math.ceil(Math.max(0, leftAt - b.leave_by_at) / HOUR),
      events: bookingSeqs.get(b.id) ?? [],
    });
  }

  // EV energy as metered (the fee was reckoned at the tariff of the day it was metered).
  const billedSessions = await billedRefIds(uow.trx, c, 'ev');
  const sessions = (await chargingSessionsMetered(uow.trx, c, since, cutoff)).filter((s) => !billedSessions.has(s.id));
  const sessionSeqs = await refRecordSeqs(
    uow.trx,
    c,
    sessions.map((s) => s.id),
  );
  for (const s of sessions) {
    if (Number(s.fee_fen) === 0) continue;
    charges.push({
      householdId: s.household_id,
      kind: 'ev',
      refId: s.id,
      vehicleId: s.vehicle_id,
      ...at(Number(s.metered_at)),
      fen: Number(s.fee_fen),
      quantity: Number(s.watt_hours),
      events: sessionSeqs.get(s.id) ?? [],
    });
  }

  // Construction waste of the household's renovations (the fee was reckoned when declared).
  const billedWaste = await billedRefIds(uow.trx, c, 'waste');
  const declarations = (await wasteDeclaredByHousehold(uow.trx, c, since, cutoff)).filter(
    (d) => !billedWaste.has(d.id),
  );
  const wasteSeqs = await refRecordSeqs(
    uow.trx,
    c,
    declarations.map((d) => d.id),
  );
  for (const d of declarations) {
    if (Number(d.fee_fen) === 0) continue;
    charges.push({
      householdId: d.household_id,
      kind: 'waste',
      refId: d.id,
      vehicleId: null,
      ...at(Number(d.declared_at)),
      fen: Number(d.fee_fen),
      quantity: Number(d.bags),
      events: wasteSeqs.get(d.id) ?? [],
    });
  }

  return charges.sort((a, b) => a.endedAt - b.endedAt || (a.refId < b.refId ? -1 : 1));
}
