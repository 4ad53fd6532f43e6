/**
 * Gate plate cameras (registered per gate and direction, with a secret's hash or an address
 * allow-list), the compound's gate rule for unknown plates, and every plate read with its outcome,
 * the barrier answer and the guard's decision.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gate_cameras')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('gate', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('serial_no', 'text')
    .addColumn('secret_hash', 'text')
    .addColumn('allowed_ips', 'text')
    .addColumn('heartbeat_seconds', 'integer', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .addColumn('silent_alarmed_at', 'bigint')
    .addColumn('open_pending', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('gate_cameras_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('gate_settings')
    .addColumn('compound_id', 'text', (c) => c.notNull().primaryKey())
    .addColumn('unknown_plate', 'text', (c) => c.notNull())
    .addColumn('dedup_seconds', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('gate_reads')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('camera_id', 'text', (c) => c.notNull())
    .addColumn('gate', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('plate', 'text', (c) => c.notNull())
    .addColumn('confidence', 'integer')
    .addColumn('read_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('barrier', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('duplicate_of', 'text')
    .addColumn('proposals', 'text')
    .addColumn('alarm', 'text')
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addPrimaryKeyConstraint('gate_reads_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createIndex('gate_reads_recent')
    .on('gate_reads')
    .columns(['compound_id', 'gate', 'direction', 'read_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gate_reads').execute();
  await db.schema.dropTable('gate_settings').execute();
  await db.schema.dropTable('gate_cameras').execute();
}
