/** EV charging requests: the energy a resident asks for tonight and the departure it is needed by. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('charging_requests')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('night', 'text', (c) => c.notNull())
    .addColumn('energy_kwh', 'real', (c) => c.notNull())
    .addColumn('target_percent', 'integer')
    .addColumn('departure_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .addPrimaryKeyConstraint('charging_requests_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('charging_requests_night')
    .on('charging_requests')
    .columns(['compound_id', 'night'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('charging_requests').execute();
}
