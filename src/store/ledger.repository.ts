/**
 * @module Reads of the ledger's tables that use cases make besides appending (`ledger_events`,
 * `ledger_heads`, `ledger_published_heads`). Each function takes the database or the caller's
 * transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, LedgerEventsTable, LedgerPublishedHeadsTable } from './schema.js';

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

/**
 * The compound's event `seq` and its events of `type` after it, up to event `lastSeq`, in ledger
 * order.
 */
export async function eventAndLaterOfType(
  db: Db,
  compoundId: string,
  seq: number,
  type: string,
  lastSeq: number,
): Promise<Pick<Selectable<LedgerEventsTable>, 'seq' | 'hash' | 'type' | 'at' | 'payload'>[]> {
  return db
    .selectFrom('ledger_events')
    .select(['seq', 'hash', 'type', 'at', 'payload'])
    .where('compound_id', '=', compoundId)
    .where('seq', '>=', seq)
    .where('seq', '<=', lastSeq)
    .where((eb) => eb.or([eb('seq', '=', seq), eb('type', '=', type)]))
    .orderBy('seq')
    .execute();
}

/** The compound's events of `type` recorded from `from` until `to`, up to event `lastSeq`, in ledger order. */
export async function eventsOfTypeBetween(
  db: Db,
  compoundId: string,
  type: string,
  from: number,
  to: number,
  lastSeq: number,
): Promise<Pick<Selectable<LedgerEventsTable>, 'at' | 'payload'>[]> {
  return db
    .selectFrom('ledger_events')
    .select(['at', 'payload'])
    .where('compound_id', '=', compoundId)
    .where('type', '=', type)
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('seq', '<=', lastSeq)
    .orderBy('seq')
    .execute();
}

/** The hash of the compound's event `seq`, or undefined when there is none. */
export async function hashOfEvent(db: Db, compoundId: string, seq: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('ledger_events')
    .select('hash')
    .where('compound_id', '=', compoundId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.hash;
}

/** The compound's head: its latest event's number and hash. */
export async function ledgerHeadOf(db: Db, compoundId: string): Promise<{ seq: number; hash: string }> {
  return db
    .selectFrom('ledger_heads')
    .select(['seq', 'hash'])
    .where('compound_id', '=', compoundId)
    .executeTakeFirstOrThrow();
}

export async function isHeadPublishedOn(db: Db, compoundId: string, day: string): Promise<boolean> {
  const row = await db
    .selectFrom('ledger_published_heads')
    .select('seq')
    .where('compound_id', '=', compoundId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPublishedHead(db: Db, row: Insertable<LedgerPublishedHeadsTable>): Promise<void> {
  await db.insertInto('ledger_published_heads').values(row).execute();
}
