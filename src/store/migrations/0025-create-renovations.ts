/**
 * Renovations (装修登记), waste points (统一堆放点), waste declarations and collections, and stray waste
 * reports with their photos (blobs, bytea on PostgreSQL, as incident photos are).
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('renovations')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('contractor_name', 'text', (c) => c.notNull())
    .addColumn('contractor_phone', 'text', (c) => c.notNull())
    .addColumn('workers', 'integer', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('hours_from', 'text', (c) => c.notNull())
    .addColumn('hours_to', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('refusal', 'text')
    .addColumn('deposit_fen', 'integer', (c) => c.notNull())
    .addColumn('deposit_status', 'text', (c) => c.notNull())
    .addColumn('deducted_fen', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addPrimaryKeyConstraint('renovations_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('waste_points')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('building', 'text')
    .addColumn('capacity_bags', 'integer', (c) => c.notNull())
    .addColumn('hauler_id', 'text', (c) => c.notNull())
    .addColumn('collect_every_hours', 'integer')
    .addColumn('last_collected_at', 'bigint')
    .addPrimaryKeyConstraint('waste_points_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('waste_declarations')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('renovation_id', 'text', (c) => c.notNull())
    .addColumn('bags', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('fee_fen', 'integer', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'bigint', (c) => c.notNull())
    .addColumn('collection_id', 'text')
    .addPrimaryKeyConstraint('waste_declarations_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('waste_declarations_point')
    .on('waste_declarations')
    .columns(['compound_id', 'point_id', 'collection_id'])
    .execute();
  await db.schema
    .createTable('waste_collections')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('hauler_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('bags', 'integer')
    .addColumn('photo_id', 'text')
    .addPrimaryKeyConstraint('waste_collections_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('waste_photos')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('waste_photos_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('stray_reports')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('building', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('photo_id', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'bigint', (c) => c.notNull())
    .addColumn('renovation_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reminded_at', 'bigint')
    .addColumn('escalated_at', 'bigint')
    .addColumn('cleared_at', 'bigint')
    .addColumn('cleared_by', 'text')
    .addColumn('deducted_fen', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stray_reports_pk', ['compound_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'stray_reports',
    'waste_photos',
    'waste_collections',
    'waste_declarations',
    'waste_points',
    'renovations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
