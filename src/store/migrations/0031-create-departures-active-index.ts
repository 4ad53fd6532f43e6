/**
 * Active departures by compound (issue 14, item 10): every planning pass reads a compound's active
 * declarations, which the only index so far (by car) found by reading every declaration the
 * compound ever had, done and cancelled ones too.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('departures_active')
    .on('departures')
    .columns(['compound_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('departures_active').execute();
}
