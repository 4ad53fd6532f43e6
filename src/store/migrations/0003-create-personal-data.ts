/** Personal data kept beside the ledger (never in it), so it can be erased: addresses and plates. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('household_addresses')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('building', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('room', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('household_addresses_pk', ['compound_id', 'household_id'])
    .execute();
  await db.schema
    .createTable('vehicle_plates')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('plate', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vehicle_plates_pk', ['compound_id', 'vehicle_id'])
    .addUniqueConstraint('vehicle_plates_plate', ['compound_id', 'plate'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('vehicle_plates').execute();
  await db.schema.dropTable('household_addresses').execute();
}
