/** Guard tasks (park, move, deliver) and residents' declared departures (one-off, standing, now). */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('from_position', 'text')
    .addColumn('to_position', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('guard_id', 'text')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('note', 'text')
    .addColumn('departure_id', 'text')
    .addPrimaryKeyConstraint('tasks_pk', ['compound_id', 'id'])
    .execute();
  await db.schema.createIndex('tasks_open').on('tasks').columns(['compound_id', 'status', 'due_at']).execute();
  await db.schema
    .createTable('departures')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint')
    .addColumn('time_of_day', 'text')
    .addColumn('weekdays', 'text')
    .addColumn('exceptions', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('departures_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('departures_vehicle')
    .on('departures')
    .columns(['compound_id', 'vehicle_id', 'status'])
    .execute();
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['compound_id', 'user_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('departures').execute();
  await db.schema.dropTable('tasks').execute();
}
