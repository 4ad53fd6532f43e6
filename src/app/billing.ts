/**
 * @module Fees and bills. The manager edits fee-rule versions (each from the day it takes effect),
 * issues monthly cards (月卡) to cars, and issues each month's bills; residents pause a card (报停)
 * from tomorrow on; payments are recorded by the manager (cash, transfer) or arrive as a signed
 * gateway callback, each with a receipt number. Payments settle the oldest bill first.
 *
 * A bill for a month holds one line per card for that month, and an **adjustment** line for an
 * earlier billed month whose charge changed since its bill (a pause or a rule version entered
 * later): across all bills, the lines of a month always add up to the month's charge as the rules
 * and pauses stand now. So a pause of days already billed extends the paid period: the days come
 * back as a credit on the next bill. Amounts are integer fen; the ledger records ids and fen only.
 *
 * A bill also carries the household's usage that ended since its last bill (see `usage-charges.ts`):
 * visitors' 临停, partner-lot nights, EV energy, construction waste, one line each, naming what it is
 * about and the ledger events it was computed from. A household with usage and no card is billed too.
 */
import type { Kysely } from 'kysely';
import type { HouseholdId, IsoDate } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { BillBalance, FeeRules, Month, MonthlyCard } from '../core/fees.js';
import { PLACE_KINDS, allocatePayments, checkFen, formatYuan, monthlyCharges, validateRules } from '../core/fees.js';
import type { PositionKind } from '../core/layout.js';
import { addDays, shanghaiDate, shanghaiInstant } from '../core/time.js';
import type { BillLineKind, PaymentMethod } from '../core/statuses.js';
import type { BillLineRow, BillRow, PaymentRow } from '../store/billing.repository.js';
import {
  billLinesOf,
  billReminders,
  billedHouseholds,
  billsOf,
  cardHeldFrom,
  cardsOf,
  countReceipts,
  endCardOn,
  feeVersions,
  householdLedger,
  householdsToRemind,
  insertBill,
  insertCard,
  insertPause,
  insertPayment,
  markBillsReminded,
  pausesOf,
  paymentById,
  paymentByReference,
  replaceFeeRules,
} from '../store/billing.repository.js';
import type { Database } from '../store/schema.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import { residentHousehold } from './actor.js';
import type { AppContext } from './context.js';
import { message } from './message-templates.js';
import { notify, residentsOf } from './notifications.js';
import { record } from './tasks.js';
import { usageCharges } from './usage-charges.js';

export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'transfer', 'gateway'];
/** A bill is due this long after it is issued. */
export const BILL_DUE_DAYS = 15;
/** Earlier months looked at for adjustments when a bill is issued. */
const ADJUSTMENT_MONTHS = 12;
/** An unpaid bill is reminded again after this long. */
export const REMINDER_INTERVAL_MS = 7 * 24 * 3600_000;

/** The month `n` months after `month` (`YYYY-MM`). */
export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The fee-rule versions, oldest first. */
export async function listFeeRules(ctx: AppContext, actor: Principal): Promise<FeeRules[]> {
  return feeVersions(ctx.store.db, actor.compoundId);
}

/** The manager sets the version that takes effect on `effectiveFrom` (replacing one of that day). */
export async function setFeeRules(ctx: AppContext, actor: Principal, rules: FeeRules): Promise<FeeRules> {
  validateRules(rules);
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    await replaceFeeRules(uow.trx, {
      compound_id: uow.compoundId,
      effective_from: rules.effectiveFrom,
      rules: JSON.stringify(rules),
      set_by: actor.userId,
      set_at: ctx.now(),
    });
    await record(ctx, uow, actor.userId, 'fees.set', rules.effectiveFrom, {
      effectiveFrom: rules.effectiveFrom,
      exemptions: rules.exemptions.length,
    });
    return rules;
  });
}

export interface CardView extends MonthlyCard {
  pauses: { id: string; from: string; to: string }[];
}

function checkDay(value: string, field: string): IsoDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new DomainError('VALIDATION', `${field}: a date YYYY-MM-DD (got "${value}")`, { field });
  return value as IsoDate;
}

/** The manager issues a monthly card to a resident's car, for a kind of place, from a day. */
export async function issueCard(
  ctx: AppContext,
  actor: Principal,
  input: { vehicleId: string; placeKind: PositionKind; from: string },
): Promise<MonthlyCard> {
  const from = checkDay(input.from, 'body.from');
  if (!PLACE_KINDS.includes(input.placeKind))
    throw new DomainError('VALIDATION', `body.placeKind: one of ${PLACE_KINDS.join(', ')}`, {
      field: 'body.placeKind',
    });
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const v = (await uow.state()).vehicles.get(input.vehicleId as never);
    if (v === undefined)
      throw new DomainError('NOT_FOUND', `body.vehicleId: no vehicle "${input.vehicleId}"`, {
        field: 'body.vehicleId',
      });
    if (v.householdId === null)
      throw new DomainError('VALIDATION', 'body.vehicleId: a monthly card is for a resident’s car', {
        field: 'body.vehicleId',
      });
    const open = await cardHeldFrom(uow.trx, uow.compoundId, input.vehicleId, from);
    if (open !== undefined)
      throw new DomainError('CARD_EXISTS', `body.vehicleId: the car holds card "${open}" on ${from}`, {
        field: 'body.vehicleId',
      });
    const card: MonthlyCard = {
      id: ctx.newId(),
      vehicleId: input.vehicleId,
      householdId: v.householdId,
      placeKind: input.placeKind,
      from,
      to: null,
    };
    await insertCard(uow.trx, {
      compound_id: uow.compoundId,
      id: card.id,
      vehicle_id: card.vehicleId,
      household_id: card.householdId,
      place_kind: card.placeKind,
      from_date: card.from,
      to_date: null,
      created_at: ctx.now(),
    });
    await record(
      ctx,
      uow,
      actor.userId,
      'card.issued',
      card.id,
      { householdId: card.householdId, placeKind: card.placeKind, from },
      card.vehicleId,
    );
    return card;
  });
}

/** Cards with their pauses: a resident sees the household's own, the manager all. */
export async function listCards(ctx: AppContext, actor: Principal): Promise<CardView[]> {
  const household = actor.role === 'resident' ? residentHousehold(actor, undefined, 'sees cards of') : undefined;
  const [cards, pauses] = await Promise.all([
    cardsOf(ctx.store.db, actor.compoundId, household),
    pausesOf(ctx.store.db, actor.compoundId),
  ]);
  return cards.map((c) => ({
    ...c,
    pauses: pauses.filter((p) => p.cardId === c.id).map((p) => ({ id: p.id, from: p.from, to: p.to })),
  }));
}

async function cardById(uow: UnitOfWork, cardId: string, actor: Principal): Promise<MonthlyCard> {
  const card = (await cardsOf(uow.trx, uow.compoundId)).find((c) => c.id === cardId);
  if (card === undefined || (actor.role === 'resident' && card.householdId !== actor.householdId))
    throw new DomainError('NOT_FOUND', `cardId: no card "${cardId}"`, { field: 'cardId' });
  return card;
}

/** The manager ends a card on a day (its last day held). */
export async function endCard(ctx: AppContext, actor: Principal, cardId: string, to: string): Promise<void> {
  const last = checkDay(to, 'body.to');
  await ctx.store.transaction(actor.compoundId, async (uow) => {
    const card = await cardById(uow, cardId, actor);
    if (last < card.from)
      throw new DomainError('VALIDATION', `body.to: a card ends on or after its first day ${card.from}`, {
        field: 'body.to',
      });
    await endCardOn(uow.trx, uow.compoundId, cardId, last);
    await record(ctx, uow, actor.userId, 'card.ended', cardId, { to: last }, card.vehicleId);
  });
}

/**
 * A resident (for their household) or the manager pauses a card (报停) for whole days, from
 * tomorrow at the earliest: no fee for those days, so the paid period extends by them.
 */
export async function pauseCard(
  ctx: AppContext,
  actor: Principal,
  cardId: string,
  input: { from: string; to: string },
): Promise<{ id: string; from: string; to: string }> {
  const from = checkDay(input.from, 'body.from');
  const to = checkDay(input.to, 'body.to');
  const tomorrow = addDays(shanghaiDate(ctx.now()), 1);
  if (from < tomorrow)
    throw new DomainError('BAD_PAUSE', `body.from: a pause starts tomorrow (${tomorrow}) or later`, {
      field: 'body.from',
    });
  if (to < from)
    throw new DomainError('BAD_PAUSE', `body.to: a pause ends on or after its start ${from}`, { field: 'body.to' });
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const card = await cardById(uow, cardId, actor);
    const id = ctx.newId();
    await insertPause(uow.trx, {
      compound_id: uow.compoundId,
      id,
      card_id: cardId,
      from_date: from,
      to_date: to,
      created_by: actor.userId,
      created_at: ctx.now(),
    });
    await record(ctx, uow, actor.userId, 'card.paused', id, { cardId, from, to }, card.vehicleId);
    return { id, from, to };
  });
}

export const BILL_LINE_KINDS: readonly BillLineKind[] = ['card', 'adjustment', 'visitor', 'partner', 'ev', 'waste'];

export interface BillLine {
  forMonth: Month;
  kind: BillLineKind;
  /** The card of a card or adjustment line; null on a usage line. */
  cardId: string | null;
  /** The car; null on a waste line. */
  vehicleId: string | null;
  fen: number;
  daysCharged: number;
  daysPaused: number;
  /** A usage line's visit, booking, charging session or waste declaration. */
  refId: string | null;
  /** Minutes (visitor), hours past leave-by (partner), watt-hours (ev), bags (waste); null on card lines. */
  quantity: number | null;
  /** The ledger seqs a usage line was computed from. */
  events: number[];
}

export interface Bill {
  id: string;
  householdId: string;
  month: Month;
  totalFen: number;
  paidFen: number;
  dueFen: number;
  status: 'paid' | 'partial' | 'unpaid';
  issuedAt: number;
  dueAt: number;
  lines: BillLine[];
}

/**
 * Issues the month's bill of every household with cards (idempotent: a household billed for the
 * month is skipped). Each bill's residents are told. Returns the bills issued now.
 */
export async function issueBills(ctx: AppContext, compoundId: string, actorId: string, month: Month): Promise<Bill[]> {
  monthlyCharges(month, [], [], []); // checks the month's format
  // Usage is billed up to the month's end, or up to now for a bill issued within its month.
  const cutoff = Math.min(ctx.now(), shanghaiInstant(`${addMonths(month, 1)}-01`, '00:00') - 1);
  const issued = await ctx.store.transaction(compoundId, async (uow) => {
    const [cards, pauses, versions] = await Promise.all([
      cardsOf(uow.trx, compoundId),
      pausesOf(uow.trx, compoundId),
      feeVersions(uow.trx, compoundId),
    ]);
    const existing = await billsOf(uow.trx, compoundId);
    const allLines = await billLinesOf(uow.trx, compoundId);
    const usage = await usageCharges(uow, versions, cutoff);
    const households = [...new Set([...cards.map((c) => c.householdId), ...usage.map((u) => u.householdId)])].sort();
    const out: Bill[] = [];
    for (const householdId of households) {
      if (existing.some((b) => b.household_id === householdId && b.month === month)) continue;
      const own = cards.filter((c) => c.householdId === householdId);
      const billIds = new Set(existing.filter((b) => b.household_id === householdId).map((b) => b.id));
      const billed = allLines.filter((l) => billIds.has(l.bill_id));
      const months = [
        ...new Set(
          billed.map((l) => l.for_month).filter((m) => m < month && m >= addMonths(month, -ADJUSTMENT_MONTHS)),
        ),
      ].sort();
      const lines: BillLine[] = [];
      for (const m of [...months, month]) {
        for (const charge of monthlyCharges(m, own, pauses, versions)) {
          const before = billed
            .filter((l) => l.for_month === m && l.card_id === charge.cardId)
            .reduce((sum, l) => sum + l.fen, 0);
          const diff = charge.fen - before;
          if (m === month ? charge.daysCharged + charge.daysPaused === 0 && diff === 0 : diff === 0) continue;
          lines.push({
            forMonth: m,
            kind: m === month ? 'card' : 'adjustment',
            cardId: charge.cardId,
            vehicleId: charge.vehicleId,
            fen: diff,
            daysCharged: charge.daysCharged,
            daysPaused: charge.daysPaused,
            refId: null,
            quantity: null,
            events: [],
          });
        }
      }
      for (const u of usage.filter((x) => x.householdId === householdId))
        lines.push({
          forMonth: u.forMonth,
          kind: u.kind,
          cardId: null,
          vehicleId: u.vehicleId,
          fen: u.fen,
          daysCharged: 0,
          daysPaused: 0,
          refId: u.refId,
          quantity: u.quantity,
          events: u.events,
        });
      if (lines.length === 0) continue;
      const total = lines.reduce((sum, l) => sum + l.fen, 0);
      const now = ctx.now();
      const bill: BillRow = {
        compound_id: compoundId,
        id: ctx.newId(),
        household_id: householdId,
        month,
        total_fen: total,
        issued_at: now,
        due_at: now + BILL_DUE_DAYS * 24 * 3600_000,
        reminded_at: null,
      };
      const rows: BillLineRow[] = lines.map((l, i) => ({
        compound_id: compoundId,
        bill_id: bill.id,
        line_no: i + 1,
        for_month: l.forMonth,
        kind: l.kind,
        card_id: l.cardId ?? '',
        vehicle_id: l.vehicleId ?? '',
        fen: l.fen,
        days_charged: l.daysCharged,
        days_paused: l.daysPaused,
        ref_id: l.refId,
        events: l.events.length === 0 ? null : JSON.stringify(l.events),
        quantity: l.quantity,
      }));
      await insertBill(uow.trx, bill, rows);
      await record(ctx, uow, actorId as never, 'bill.issued', bill.id, {
        householdId,
        month,
        totalFen: total,
        usageLines: lines.filter((l) => l.refId !== null).length,
      });
      await notify(
        uow,
        {
          userIds: await residentsOf(uow, householdId),
          kind: 'bill.issued',
          ...message('bill.issued', { month, amount: formatYuan(total), due: shanghaiDate(bill.due_at) }),
          ref: bill.id,
        },
        ctx,
      );
      out.push({ ...billOf(bill, rows), paidFen: 0, dueFen: total, status: total <= 0 ? 'paid' : 'unpaid' });
    }
    return out;
  });
  return issued;
}

function billOf(b: BillRow, lines: readonly BillLineRow[]): Omit<Bill, 'paidFen' | 'dueFen' | 'status'> {
  return {
    id: b.id,
    householdId: b.household_id,
    month: b.month,
    totalFen: b.total_fen,
    issuedAt: b.issued_at,
    dueAt: b.due_at,
    lines: lines
      .filter((l) => l.bill_id === b.id)
      .sort((x, y) => x.line_no - y.line_no)
      .map((l) => ({
        forMonth: l.for_month,
        kind: l.kind,
        cardId: l.card_id === '' ? null : l.card_id,
        vehicleId: l.vehicle_id === '' ? null : l.vehicle_id,
        fen: Number(l.fen),
        daysCharged: l.days_charged,
        daysPaused: l.days_paused,
        refId: l.ref_id ?? null,
        quantity: l.quantity === null || l.quantity === undefined ? null : Number(l.quantity),
        events: l.events === null || l.events === undefined ? [] : (JSON.parse(l.events) as number[]),
      })),
  };
}

export interface Payment {
  id: string;
  householdId: string;
  fen: number;
  method: PaymentMethod;
  reference: string | null;
  receiptNo: string;
  paidAt: number;
}

function paymentOf(r: PaymentRow): Payment {
  return {
    id: r.id,
    householdId: r.household_id,
    fen: r.fen,
    method: r.method,
    reference: r.reference,
    receiptNo: r.receipt_no,
    paidAt: r.paid_at,
  };
}

export interface Account {
  householdId: string;
  bills: Bill[];
  payments: Payment[];
  /** Billed minus paid: positive is owed, negative is credit. */
  balanceFen: number;
}

async function accountIn(db: Kysely<Database>, compoundId: string, householdId: string): Promise<Account> {
  const { bills, lines, payments } = await householdLedger(db, compoundId, householdId);
  const paid = payments.reduce((s, p) => s + p.fen, 0);
  const alloc = new Map(
    allocatePayments(
      bills.map((b): BillBalance => ({ id: b.id, month: b.month, totalFen: Math.max(0, b.total_fen) })),
      paid + bills.reduce((s, b) => s + Math.max(0, -b.total_fen), 0),
    ).map((a) => [a.id, a]),
  );
  return {
    householdId,
    bills: bills.map((b) => {
      const a = alloc.get(b.id);
      const dueFen = a?.dueFen ?? 0;
      const paidFen = a?.paidFen ?? 0;
      return {
        ...billOf(b, lines),
        paidFen,
        dueFen,
        status: dueFen === 0 ? 'paid' : paidFen > 0 ? 'partial' : 'unpaid',
      };
    }),
    payments: payments.map(paymentOf),
    balanceFen: bills.reduce((s, b) => s + b.total_fen, 0) - paid,
  };
}

/** A household's bills and payments: a resident their own, the manager any. */
export async function householdAccount(ctx: AppContext, actor: Principal, householdId?: string): Promise<Account> {
  const id =
    actor.role === 'resident' ? residentHousehold(actor, householdId, 'sees the bills of') : (householdId ?? '');
  const state = await ctx.store.state(actor.compoundId);
  if (!state.households.has(id as HouseholdId))
    throw new DomainError('NOT_FOUND', `householdId: no household "${id}"`, { field: 'householdId' });
  return accountIn(ctx.store.db, actor.compoundId, id);
}

export interface PaymentInput {
  householdId: string;
  fen: number;
  method: PaymentMethod;
  /** A transfer's or the gateway's trade number; a gateway payment is recorded once per number. */
  reference?: string | null | undefined;
  paidAt?: number | undefined;
}

/**
 * Records a payment with the next receipt number (`R` + the year + a number counting up per
 * compound). A gateway payment seen before (same trade number) is returned as it was, not recorded again.
 */
export async function recordPayment(
  ctx: AppContext,
  compoundId: string,
  actorId: string,
  input: PaymentInput,
): Promise<{ payment: Payment; replayed: boolean }> {
  checkFen(input.fen, 'body.fen');
  if (input.fen === 0)
    throw new DomainError('BAD_AMOUNT', 'body.fen: a payment is more than 0 fen', { field: 'body.fen' });
  if (input.method === 'gateway' && (input.reference ?? '') === '')
    throw new DomainError('VALIDATION', 'body.reference: a gateway payment carries its trade number', {
      field: 'body.reference',
    });
  const result = await ctx.store.transaction(compoundId, async (uow) => {
    if (!(await uow.state()).households.has(input.householdId as HouseholdId))
      throw new DomainError('NOT_FOUND', `body.householdId: no household "${input.householdId}"`, {
        field: 'body.householdId',
      });
    if (input.reference != null) {
      const seen = await paymentByReference(uow.trx, compoundId, input.method, input.reference);
      if (seen !== undefined) {
        if (seen.fen !== input.fen || seen.household_id !== input.householdId)
          throw new DomainError(
            'VALIDATION',
            `body.reference: trade number ${input.reference} was recorded with other amounts`,
            {
              field: 'body.reference',
            },
          );
        return { payment: paymentOf(seen), replayed: true };
      }
    }
    const now = ctx.now();
    const year = shanghaiDate(now).slice(0, 4);
    const count = await countReceipts(uow.trx, compoundId, `R${year}-`);
    const row: PaymentRow = {
      compound_id: compoundId,
      id: ctx.newId(),
      household_id: input.householdId,
      fen: input.fen,
      method: input.method,
      reference: input.reference ?? null,
      receipt_no: `R${year}-${String(count + 1).padStart(6, '0')}`,
      paid_at: input.paidAt ?? now,
      recorded_by: actorId,
    };
    await insertPayment(uow.trx, row);
    await record(ctx, uow, actorId as never, 'payment.recorded', row.id, {
      householdId: row.household_id,
      fen: row.fen,
      method: row.method,
      receiptNo: row.receipt_no,
    });
    await notify(
      uow,
      {
        userIds: await residentsOf(uow, row.household_id),
        kind: 'payment.recorded',
        title: '缴费成功',
        body: `已收到 ¥${formatYuan(row.fen)}，收据号 ${row.receipt_no}。`,
        ref: row.id,
      },
      ctx,
    );
    return { payment: paymentOf(row), replayed: false };
  });
  return result;
}

export interface Receipt {
  receiptNo: string;
  compoundName: string;
  householdId: string;
  fen: number;
  yuan: string;
  method: PaymentMethod;
  reference: string | null;
  paidAt: number;
  /** The household's balance after this payment (positive: still owed). */
  balanceAfterFen: number;
}

/** The receipt of a payment: the manager any, a resident their household's. */
export async function receiptOf(ctx: AppContext, actor: Principal, paymentId: string): Promise<Receipt> {
  const row = await paymentById(ctx.store.db, actor.compoundId, paymentId);
  if (row === undefined || (actor.role === 'resident' && row.household_id !== actor.householdId))
    throw new DomainError('NOT_FOUND', `paymentId: no payment "${paymentId}"`, { field: 'paymentId' });
  const account = await accountIn(ctx.store.db, actor.compoundId, row.household_id);
  const later = account.payments.filter(
    (p) => p.paidAt > row.paid_at || (p.paidAt === row.paid_at && p.receiptNo > row.receipt_no),
  );
  const state = await ctx.store.state(actor.compoundId);
  return {
    receiptNo: row.receipt_no,
    compoundName: state.name ?? actor.compoundId,
    householdId: row.household_id,
    fen: row.fen,
    yuan: formatYuan(row.fen),
    method: row.method,
    reference: row.reference,
    paidAt: row.paid_at,
    balanceAfterFen: account.balanceFen + later.reduce((s, p) => s + p.fen, 0),
  };
}

/**
 * Reminds the residents of every bill past its due date with money still due, once every 7 days.
 * Returns the ids of the bills reminded now.
 */
export async function remindArrears(ctx: AppContext, compoundId: string): Promise<string[]> {
  const now = ctx.now();
  const overdue = await householdsToRemind(ctx.store.db, compoundId, now, now - REMINDER_INTERVAL_MS);
  if (overdue.length === 0) return [];
  const reminded = await ctx.store.transaction(compoundId, async (uow) => {
    const ids: string[] = [];
    for (const household_id of overdue) {
      const account = await accountIn(uow.trx, compoundId, household_id);
      const due = account.bills.filter((b) => b.dueFen > 0 && b.dueAt < now);
      const rows = await billReminders(uow.trx, compoundId, household_id);
      const remindable = due.filter((b) => {
        const at = rows.find((r) => r.id === b.id)?.reminded_at ?? null;
        return at === null || at <= now - REMINDER_INTERVAL_MS;
      });
      if (remindable.length === 0) continue;
      const total = remindable.reduce((s, b) => s + b.dueFen, 0);
      await markBillsReminded(
        uow.trx,
        compoundId,
        remindable.map((b) => b.id),
        now,
      );
      await notify(
        uow,
        {
          userIds: await residentsOf(uow, household_id),
          kind: 'bill.overdue',
          title: '停车费欠费提醒',
          body: `${remindable.map((b) => b.month).join('、')} 尚欠 ¥${formatYuan(total)}，请尽快缴纳。`,
          ref: remindable[0]?.id ?? null,
        },
        ctx,
      );
      ids.push(...remindable.map((b) => b.id));
    }
    return ids;
  });
  return reminded;
}

export interface BillingSummary {
  month: Month;
  bills: number;
  billedFen: number;
  paidFen: number;
  dueFen: number;
  /** Households with money due on a bill past its due date. */
  householdsInArrears: number;
}

/** Totals for the committee: counts and sums only, never who. */
export async function billingSummary(ctx: AppContext, actor: Principal, month: Month): Promise<BillingSummary> {
  monthlyCharges(month, [], [], []);
  const households = await billedHouseholds(ctx.store.db, actor.compoundId);
  const now = ctx.now();
  const summary: BillingSummary = { month, bills: 0, billedFen: 0, paidFen: 0, dueFen: 0, householdsInArrears: 0 };
  for (const household_id of households) {
    const account = await accountIn(ctx.store.db, actor.compoundId, household_id);
    for (const b of account.bills.filter((x) => x.month === month)) {
      summary.bills += 1;
      summary.billedFen += b.totalFen;
      summary.paidFen += b.paidFen;
      summary.dueFen += b.dueFen;
    }
    if (account.bills.some((b) => b.dueFen > 0 && b.dueAt < now)) summary.householdsInArrears += 1;
  }
  return summary;
}
