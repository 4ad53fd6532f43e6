/**
 * @module Fees and bills in tables: fee-rule versions (`fee_rules`), monthly cards and their pauses
 * (`monthly_cards`, `card_pauses`), bills and their lines (`bills`, `bill_lines`) and payments
 * (`payments`). Cards, pauses and rule versions come back as the core's fee types; bills and
 * payments as rows. Plain Kysely, the same on SQLite and PostgreSQL.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { IsoDate } from '../core/brand.js';
import type { CardPause, FeeRules, MonthlyCard } from '../core/fees.js';
import type { PaymentMethod } from '../core/statuses.js';
import type {
  BillLinesTable,
  BillsTable,
  CardPausesTable,
  Database,
  FeeRulesTable,
  MonthlyCardsTable,
  PaymentsTable,
} from './schema.js';

export type BillRow = Selectable<BillsTable>;
export type BillLineRow = Selectable<BillLinesTable>;
export type PaymentRow = Selectable<PaymentsTable>;

/** The compound's fee-rule versions, oldest first. */
export async function feeVersions(db: Kysely<Database>, compoundId: string): Promise<FeeRules[]> {
  const rows = await db
    .selectFrom('fee_rules')
    .select('rules')
    .where('compound_id', '=', compoundId)
    .orderBy('effective_from')
    .execute();
  return rows.map((r) => JSON.parse(r.rules) as FeeRules);
}

/** Stores a fee-rule version, replacing one that takes effect the same day. */
export async function replaceFeeRules(db: Kysely<Database>, row: Insertable<FeeRulesTable>): Promise<void> {
  await db
    .deleteFrom('fee_rules')
    .where('compound_id', '=', row.compound_id)
    .where('effective_from', '=', row.effective_from)
    .execute();
  await db.insertInto('fee_rules').values(row).execute();
}

/** The id of a card the car holds on `day` or later, if any. */
export async function cardHeldFrom(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
  day: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('monthly_cards')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', day)]))
    .executeTakeFirst();
  return row?.id;
}

export async function insertCard(db: Kysely<Database>, row: Insertable<MonthlyCardsTable>): Promise<void> {
  await db.insertInto('monthly_cards').values(row).execute();
}

/** The compound's cards, or one household's, by first day then id. */
export async function cardsOf(db: Kysely<Database>, compoundId: string, householdId?: string): Promise<MonthlyCard[]> {
  let q = db.selectFrom('monthly_cards').selectAll().where('compound_id', '=', compoundId);
  if (householdId !== undefined) q = q.where('household_id', '=', householdId);
  const rows = await q.orderBy('from_date').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    vehicleId: r.vehicle_id,
    householdId: r.household_id,
    placeKind: r.place_kind,
    from: r.from_date as IsoDate,
    to: r.to_date as IsoDate | null,
  }));
}

/** Ends a card on `last`, its last day held. */
export async function endCardOn(db: Kysely<Database>, compoundId: string, cardId: string, last: string): Promise<void> {
  await db
    .updateTable('monthly_cards')
    .set({ to_date: last })
    .where('compound_id', '=', compoundId)
    .where('id', '=', cardId)
    .execute();
}

/** Every card pause of the compound, by first day. */
export async function pausesOf(db: Kysely<Database>, compoundId: string): Promise<(CardPause & { id: string })[]> {
  const rows = await db
    .selectFrom('card_pauses')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .orderBy('from_date')
    .execute();
  return rows.map((r) => ({ id: r.id, cardId: r.card_id, from: r.from_date as IsoDate, to: r.to_date as IsoDate }));
}

export async function insertPause(db: Kysely<Database>, row: Insertable<CardPausesTable>): Promise<void> {
  await db.insertInto('card_pauses').values(row).execute();
}

/** Every bill of the compound. */
export async function billsOf(db: Kysely<Database>, compoundId: string): Promise<BillRow[]> {
  return db.selectFrom('bills').selectAll().where('compound_id', '=', compoundId).execute();
}

/** Every bill line of the compound. */
export async function billLinesOf(db: Kysely<Database>, compoundId: string): Promise<BillLineRow[]> {
  return db.selectFrom('bill_lines').selectAll().where('compound_id', '=', compoundId).execute();
}

/** Stores a bill and its lines. */
export async function insertBill(
  db: Kysely<Database>,
  bill: Insertable<BillsTable>,
  lines: readonly Insertable<BillLinesTable>[],
): Promise<void> {
  await db.insertInto('bills').values(bill).execute();
  await db.insertInto('bill_lines').values(lines).execute();
}

/** A household's bills by month, their lines, and its payments in receipt order. */
export async function householdLedger(
  db: Kysely<Database>,
  compoundId: string,
  householdId: string,
): Promise<{ bills: BillRow[]; lines: BillLineRow[]; payments: PaymentRow[] }> {
  const [bills, lines, payments] = await Promise.all([
    db
      .selectFrom('bills')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('household_id', '=', householdId)
      .orderBy('month')
      .execute(),
    db
      .selectFrom('bill_lines')
      .innerJoin('bills', (j) =>
        j.onRef('bills.compound_id', '=', 'bill_lines.compound_id').onRef('bills.id', '=', 'bill_lines.bill_id'),
      )
      .selectAll('bill_lines')
      .where('bill_lines.compound_id', '=', compoundId)
      .where('bills.household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('payments')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('household_id', '=', householdId)
      .orderBy('paid_at')
      .orderBy('receipt_no')
      .execute(),
  ]);
  return { bills, lines, payments };
}

/** The households with a bill at all. */
export async function billedHouseholds(db: Kysely<Database>, compoundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('bills')
    .select('household_id')
    .distinct()
    .where('compound_id', '=', compoundId)
    .execute();
  return rows.map((r) => r.household_id);
}

/** The households with a bill due before `now` that was not reminded after `remindedBefore`. */
export async function householdsToRemind(
  db: Kysely<Database>,
  compoundId: string,
  now: number,
  remindedBefore: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('bills')
    .select('household_id')
    .distinct()
    .where('compound_id', '=', compoundId)
    .where('due_at', '<', now)
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<=', remindedBefore)]))
    .execute();
  return rows.map((r) => r.household_id);
}

/** When each of a household's bills was last reminded. */
export async function billReminders(
  db: Kysely<Database>,
  compoundId: string,
  householdId: string,
): Promise<{ id: string; reminded_at: number | null }[]> {
  return db
    .selectFrom('bills')
    .select(['id', 'reminded_at'])
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .execute();
}

export async function markBillsReminded(
  db: Kysely<Database>,
  compoundId: string,
  billIds: readonly string[],
  at: number,
): Promise<void> {
  await db
    .updateTable('bills')
    .set({ reminded_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', 'in', billIds)
    .execute();
}

/** The payment recorded with a method's trade number, if any. */
export async function paymentByReference(
  db: Kysely<Database>,
  compoundId: string,
  method: PaymentMethod,
  reference: string,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('method', '=', method)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

export async function paymentById(
  db: Kysely<Database>,
  compoundId: string,
  paymentId: string,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', paymentId)
    .executeTakeFirst();
}

/** How many receipt numbers start with `prefix`. */
export async function countReceipts(db: Kysely<Database>, compoundId: string, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('compound_id', '=', compoundId)
    .where('receipt_no', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertPayment(db: Kysely<Database>, row: Insertable<PaymentsTable>): Promise<void> {
  await db.insertInto('payments').values(row).execute();
}
