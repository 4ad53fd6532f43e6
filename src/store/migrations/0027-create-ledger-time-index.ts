/**
 * The ledger by time (issue 14, item 8): reports find the first event of their window by its time
 * instead of reading the chain from its start.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('ledger_events_at').on('ledger_events').columns(['compound_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ledger_events_at').execute();
}
