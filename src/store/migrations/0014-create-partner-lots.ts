/**
 * Off-peak partner lots (错峰共享停车): the lots with their spaces, windows and rules, dated
 * exceptions to the weekly windows, night bookings (standing bookings are written out night by
 * night), overstay strikes per household, booking suspensions, and the nights each household was
 * sent to a partner lot per month (the fair rotation).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partner_lots')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('spaces', 'integer', (c) => c.notNull())
    .addColumn('charger_spaces', 'integer', (c) => c.notNull())
    .addColumn('charger_kw', 'real')
    .addColumn('windows', 'text', (c) => c.notNull())
    .addColumn('walk_minutes', 'integer', (c) => c.notNull())
    .addColumn('leave_by', 'text', (c) => c.notNull())
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('reminder_minutes', 'integer', (c) => c.notNull())
    .addColumn('strike_limit', 'integer', (c) => c.notNull())
    .addColumn('strike_days', 'integer', (c) => c.notNull())
    .addColumn('suspension_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_lots_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('partner_lot_exceptions')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('night', 'text', (c) => c.notNull())
    .addColumn('open_from', 'text')
    .addColumn('open_to', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_lot_exceptions_pk', ['compound_id', 'lot_id', 'night'])
    .execute();
  await db.schema
    .createTable('bookings')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text')
    .addColumn('night', 'text', (c) => c.notNull())
    .addColumn('space', 'integer', (c) => c.notNull())
    .addColumn('charger', 'integer', (c) => c.notNull())
    .addColumn('standing_id', 'text')
    .addColumn('valet', 'integer', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('leave_by_at', 'bigint', (c) => c.notNull())
    .addColumn('checked_in_at', 'bigint')
    .addColumn('checked_out_at', 'bigint')
    .addColumn('reminded_at', 'bigint')
    .addColumn('overstay_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bookings_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('bookings_lot_night')
    .on('bookings')
    .columns(['compound_id', 'lot_id', 'night'])
    .execute();
  await db.schema
    .createIndex('bookings_vehicle_night')
    .on('bookings')
    .columns(['compound_id', 'vehicle_id', 'night'])
    .execute();
  await db.schema
    .createTable('booking_strikes')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('booking_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('booking_strikes_pk', ['compound_id', 'booking_id'])
    .execute();
  await db.schema
    .createTable('booking_suspensions')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('until_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('booking_suspensions_pk', ['compound_id', 'household_id', 'from_at'])
    .execute();
  await db.schema
    .createTable('partner_rotation')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('nights', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_rotation_pk', ['compound_id', 'household_id', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'partner_rotation',
    'booking_suspensions',
    'booking_strikes',
    'bookings',
    'partner_lot_exceptions',
    'partner_lots',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
