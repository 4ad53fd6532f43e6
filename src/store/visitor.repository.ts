/**
 * @module Visits in tables, and the arrivals and departures of visitors' cars as the ledger records
 * them (`car.checked-in`, `car.departed`). Each function takes the database or the caller's
 * transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, LedgerEventsTable, VisitorsTable } from './schema.js';

type Db = Kysely<Database>;

export type VisitRow = Selectable<VisitorsTable>;
/** A `car.checked-in` or `car.departed` event; its payload names the car. */
export type CarMovementRow = Pick<Selectable<LedgerEventsTable>, 'seq' | 'at' | 'type' | 'payload'>;

const MOVEMENTS = ['car.checked-in', 'car.departed'];

export async function insertVisit(db: Db, row: Insertable<VisitorsTable>): Promise<void> {
  await db.insertInto('visitors').values(row).execute();
}

/**
 * The visits whose window ends at or after `endsFrom`, and every visit of the cars `vehicleIds`,
 * in the order they were registered.
 */
export async function visitsEndingFromOrOf(
  db: Db,
  compoundId: string,
  endsFrom: number,
  vehicleIds: readonly string[],
): Promise<VisitRow[]> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where((eb) =>
      vehicleIds.length === 0
        ? eb('to_at', '>=', endsFrom)
        : eb.or([eb('to_at', '>=', endsFrom), eb('vehicle_id', 'in', vehicleIds)]),
    )
    .orderBy('registered_seq')
    .execute();
}

/** Every visit of the cars, in the order they were registered. */
export async function visitsOfVehicles(db: Db, compoundId: string, vehicleIds: readonly string[]): Promise<VisitRow[]> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .orderBy('registered_seq')
    .execute();
}

export async function flagOverstay(db: Db, compoundId: string, visitId: string, at: number): Promise<void> {
  await db
    .updateTable('visitors')
    .set({ overstay_flagged_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', visitId)
    .execute();
}

/** Every car's arrivals and departures after ledger seq `afterSeq`, in ledger order. */
export async function carMovementsAfter(db: Db, compoundId: string, afterSeq: number): Promise<CarMovementRow[]> {
  return db
    .selectFrom('ledger_events')
    .select(['seq', 'at', 'type', 'payload'])
    .where('compound_id', '=', compoundId)
    .where('seq', '>', afterSeq)
    .where('type', 'in', MOVEMENTS)
    .orderBy('seq')
    .execute();
}

/** The arrivals and departures of the cars, read through `ledger_subjects`, in ledger order. */
export async function carMovementsOf(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
): Promise<CarMovementRow[]> {
  return db
    .selectFrom('ledger_events')
    .select(['seq', 'at', 'type', 'payload'])
    .where('compound_id', '=', compoundId)
    .where('type', 'in', MOVEMENTS)
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('ledger_subjects')
        .select('seq')
        .where('compound_id', '=', compoundId)
        .where(
          'subject',
          'in',
          vehicleIds.map((v) => `vehicle:${v}`),
        ),
    )
    .orderBy('seq')
    .execute();
}
