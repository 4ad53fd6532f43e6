/**
 * @module What a household used that its bill charges besides its cards, read across the tables
 * that record it: hosted visits, partner-lot bookings checked out, metered charging sessions and
 * waste declarations, with the bill lines that already charged them and the ledger records about
 * each. Plain Kysely, the same on SQLite and PostgreSQL.
 */
import type { Kysely, Selectable } from 'kysely';
import type { UsageKind } from '../core/statuses.js';
import type { BookingsTable, ChargingSessionsTable, Database, VisitorsTable } from './schema.js';

/** The refs (visit, booking, session, declaration) a bill line of `kind` already charged. */
export async function billedRefIds(db: Kysely<Database>, compoundId: string, kind: UsageKind): Promise<Set<string>> {
  const rows = await db
    .selectFrom('bill_lines')
    .select('ref_id')
    .where('compound_id', '=', compoundId)
    .where('kind', '=', kind)
    .where('ref_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.ref_id as string));
}

/** The seqs of the records about each ref (`ref:ID` subjects), ascending; read in chunks under the parameter limits. */
export async function refRecordSeqs(
  db: Kysely<Database>,
  compoundId: string,
  refIds: readonly string[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < refIds.length; i += 500) {
    const rows = await db
      .selectFrom('ledger_subjects')
      .select(['subject', 'seq'])
      .where('compound_id', '=', compoundId)
      .where(
        'subject',
        'in',
        refIds.slice(i, i + 500).map((id) => `ref:${id}`),
      )
      .orderBy('seq')
      .execute();
    for (const r of rows) {
      const id = r.subject.slice('ref:'.length);
      out.set(id, [...(out.get(id) ?? []), Number(r.seq)]);
    }
  }
  return out;
}

/** Visits with a host household registered from `since` to `until`. */
export async function hostedVisitsRegistered(
  db: Kysely<Database>,
  compoundId: string,
  since: number,
  until: number,
): Promise<Selectable<VisitorsTable>[]> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('host_household_id', 'is not', null)
    .where('registered_at', '>=', since)
    .where('registered_at', '<=', until)
    .execute();
}

/** A household's partner-lot bookings checked out from `since` to `until`. */
export async function householdBookingsCheckedOut(
  db: Kysely<Database>,
  compoundId: string,
  since: number,
  until: number,
): Promise<Selectable<BookingsTable>[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('household_id', 'is not', null)
    .where('checked_out_at', 'is not', null)
    .where('checked_out_at', '>=', since)
    .where('checked_out_at', '<=', until)
    .execute();
}

/** Charging sessions metered from `since` to `until`. */
export async function chargingSessionsMetered(
  db: Kysely<Database>,
  compoundId: string,
  since: number,
  until: number,
): Promise<Selectable<ChargingSessionsTable>[]> {
  return db
    .selectFrom('charging_sessions')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('metered_at', '>=', since)
    .where('metered_at', '<=', until)
    .execute();
}

/** Waste declared from `since` to `until`, with the household whose renovation declared it. */
export async function wasteDeclaredByHousehold(
  db: Kysely<Database>,
  compoundId: string,
  since: number,
  until: number,
): Promise<{ id: string; bags: number; fee_fen: number; declared_at: number; household_id: string }[]> {
  return db
    .selectFrom('waste_declarations')
    .innerJoin('renovations', (j) =>
      j
        .onRef('renovations.compound_id', '=', 'waste_declarations.compound_id')
        .onRef('renovations.id', '=', 'waste_declarations.renovation_id'),
    )
    .select([
      'waste_declarations.id as id',
      'waste_declarations.bags as bags',
      'waste_declarations.fee_fen as fee_fen',
      'waste_declarations.declared_at as declared_at',
      'renovations.household_id as household_id',
    ])
    .where('waste_declarations.compound_id', '=', compoundId)
    .where('waste_declarations.declared_at', '>=', since)
    .where('waste_declarations.declared_at', '<=', until)
    .execute();
}
