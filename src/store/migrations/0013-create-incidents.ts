/**
 * Incidents (damage claims, lost keys, hand-over mismatches, complaints), their photos, and the
 * key-out alarms already raised (one per checkout, so the periodic check is idempotent).
 * Photos are stored in the database as blobs (bytea on PostgreSQL): a backup or a dump holds them,
 * and several servers on one PostgreSQL need no shared disk.
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('incidents')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('key_tag', 'text')
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incidents_pk', ['compound_id', 'id'])
    .execute();
  await db.schema.createIndex('incidents_vehicle').on('incidents').columns(['compound_id', 'vehicle_id']).execute();
  await db.schema
    .createTable('incident_photos')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_photos_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('incident_photos_incident')
    .on('incident_photos')
    .columns(['compound_id', 'incident_id'])
    .execute();
  await db.schema
    .createTable('key_alarms')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('key_tag', 'text', (c) => c.notNull())
    .addColumn('checked_out_at', 'bigint', (c) => c.notNull())
    .addColumn('guard_id', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('key_alarms_pk', ['compound_id', 'key_tag', 'checked_out_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('key_alarms').execute();
  await db.schema.dropTable('incident_photos').execute();
  await db.schema.dropTable('incidents').execute();
}
