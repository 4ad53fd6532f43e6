/**
 * Condition records of a car at hand-over (at check-in and at delivery): the guard's notes, the
 * resident's acknowledgement, the link between a delivery record and the check-in record before
 * it, a damage incident if any, and the re-encoded photos (blobs, bytea on PostgreSQL).
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('condition_records')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('damage', 'integer', (c) => c.notNull())
    .addColumn('check_in_record_id', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addPrimaryKeyConstraint('condition_records_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('condition_records_vehicle')
    .on('condition_records')
    .columns(['compound_id', 'vehicle_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('condition_photos')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('condition_photos_pk', ['compound_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('condition_photos').execute();
  await db.schema.dropTable('condition_records').execute();
}
