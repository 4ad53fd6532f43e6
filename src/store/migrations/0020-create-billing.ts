/**
 * Fees and bills: fee-rule versions (JSON, by the day they take effect), monthly cards (月卡) and
 * their pauses (报停), monthly bills with their lines, and payments with their receipt numbers.
 * Amounts are integer fen; no card data of any payment is stored.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fee_rules')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('fee_rules_pk', ['compound_id', 'effective_from'])
    .execute();
  await db.schema
    .createTable('monthly_cards')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('place_kind', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('monthly_cards_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('card_pauses')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('card_pauses_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('bills')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('reminded_at', 'bigint')
    .addPrimaryKeyConstraint('bills_pk', ['compound_id', 'id'])
    .addUniqueConstraint('bills_household_month', ['compound_id', 'household_id', 'month'])
    .execute();
  await db.schema
    .createTable('bill_lines')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('bill_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('for_month', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('fen', 'bigint', (c) => c.notNull())
    .addColumn('days_charged', 'integer', (c) => c.notNull())
    .addColumn('days_paused', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('bill_lines_pk', ['compound_id', 'bill_id', 'line_no'])
    .execute();
  await db.schema
    .createTable('payments')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('fen', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payments_pk', ['compound_id', 'id'])
    .addUniqueConstraint('payments_reference', ['compound_id', 'method', 'reference'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['payments', 'bill_lines', 'bills', 'card_pauses', 'monthly_cards', 'fee_rules'])
    await db.schema.dropTable(table).execute();
}
