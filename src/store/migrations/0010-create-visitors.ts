/** Visits: a visitor's car (a vehicle without a household), its host household, its window and its overstay flag. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('visitors')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('host_household_id', 'text')
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('to_at', 'bigint', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('registered_seq', 'integer', (c) => c.notNull())
    .addColumn('arrived_at', 'bigint')
    .addColumn('overstay_flagged_at', 'bigint')
    .addPrimaryKeyConstraint('visitors_pk', ['compound_id', 'id'])
    .execute();
  await db.schema.createIndex('visitors_vehicle').on('visitors').columns(['compound_id', 'vehicle_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('visitors').execute();
}
