/**
 * @module Shifts in tables: the compound's shift definitions, the roster (one row per day and shift,
 * its guards as a JSON array), shift swaps and hand-overs. Each function takes the database or the
 * caller's transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { SwapStatus } from '../core/statuses.js';
import type { Database, HandoversTable, RosterTable, ShiftDefinitionsTable, ShiftSwapsTable } from './schema.js';

type Db = Kysely<Database>;

export type ShiftDefinitionRow = Selectable<ShiftDefinitionsTable>;
export type RosterRow = Selectable<RosterTable>;
export type ShiftSwapRow = Selectable<ShiftSwapsTable>;
export type HandoverRow = Selectable<HandoversTable>;

/** The compound's shifts by start time. */
export async function insertShiftDefinition(db: Db, row: Insertable<ShiftDefinitionsTable>): Promise<void> {
  await db.insertInto('shift_definitions').values(row).execute();
}

export async function shiftDefinitionsOf(db: Db, compoundId: string): Promise<ShiftDefinitionRow[]> {
  return db
    .selectFrom('shift_definitions')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .orderBy('start')
    .execute();
}

/** Writes a day's shift of the roster, replacing its guards if it was there. */
export async function saveRosterEntry(db: Db, row: Insertable<RosterTable>): Promise<void> {
  await db
    .insertInto('roster')
    .values(row)
    .onConflict((oc) => oc.columns(['compound_id', 'day', 'shift_id']).doUpdateSet({ guard_ids: row.guard_ids }))
    .execute();
}

/** The roster from day `from` up to, not including, day `to`, by day and shift. */
export async function rosterRowsBetween(db: Db, compoundId: string, from: string, to: string): Promise<RosterRow[]> {
  return db
    .selectFrom('roster')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('day', '>=', from)
    .where('day', '<', to)
    .orderBy('day')
    .orderBy('shift_id')
    .execute();
}

export async function findRosterEntry(
  db: Db,
  compoundId: string,
  day: string,
  shiftId: string,
): Promise<RosterRow | undefined> {
  return db
    .selectFrom('roster')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('day', '=', day)
    .where('shift_id', '=', shiftId)
    .executeTakeFirst();
}

export async function insertSwap(db: Db, row: Insertable<ShiftSwapsTable>): Promise<void> {
  await db.insertInto('shift_swaps').values(row).execute();
}

export async function findSwap(db: Db, compoundId: string, swapId: string): Promise<ShiftSwapRow | undefined> {
  return db
    .selectFrom('shift_swaps')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', swapId)
    .executeTakeFirst();
}

export async function recordSwapDecision(
  db: Db,
  compoundId: string,
  swapId: string,
  status: SwapStatus,
  decidedAt: number,
): Promise<void> {
  await db
    .updateTable('shift_swaps')
    .set({ status, decided_at: decidedAt })
    .where('compound_id', '=', compoundId)
    .where('id', '=', swapId)
    .execute();
}

/** The compound's pending swaps, oldest first. */
export async function pendingSwapsOf(db: Db, compoundId: string): Promise<ShiftSwapRow[]> {
  return db
    .selectFrom('shift_swaps')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .execute();
}

/** The compound's open hand-over; there is at most one. */
export async function findOpenHandover(db: Db, compoundId: string): Promise<HandoverRow | undefined> {
  return db
    .selectFrom('handovers')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

export async function findHandover(db: Db, compoundId: string, handoverId: string): Promise<HandoverRow | undefined> {
  return db
    .selectFrom('handovers')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', handoverId)
    .executeTakeFirst();
}

export async function insertHandover(db: Db, row: Insertable<HandoversTable>): Promise<void> {
  await db.insertInto('handovers').values(row).execute();
}

/** Closes a hand-over with the incoming guards and their count. */
export async function closeHandover(
  db: Db,
  compoundId: string,
  handoverId: string,
  close: Pick<HandoverRow, 'to_guard_ids' | 'in_keys' | 'in_cars' | 'mismatch' | 'closed_at'>,
): Promise<void> {
  await db
    .updateTable('handovers')
    .set({ status: 'closed', ...close })
    .where('compound_id', '=', compoundId)
    .where('id', '=', handoverId)
    .execute();
}
