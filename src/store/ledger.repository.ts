/**
 * @module Reads of the ledger's tables that use cases make besides appending (`ledger_events`,
 * `ledger_heads`, `ledger_published_heads`). Each function takes the database or the caller's
 * transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, LedgerEventsTable } from './schema.js';

type Db = Kysely<Database>;

/** The compound's events of the types recorded from `since` on, in ledger order. */
export async function eventsOfTypesSince(
  db: Db,
  compoundId: string,
  types: readonly string[],
  since: number,
): Promise<Pick<Selectable<LedgerEventsTable>, 'at' | 'type' | 'payload'>[]> {
  return db
    .selectFrom('ledger_events')
    .select(['at', 'type', 'payload'])
    .where('compound_id', '=', compoundId)
    .where('type', 'in', types)
    .where('at', '>=', since)
    .orderBy('seq')
    .execute();
}
