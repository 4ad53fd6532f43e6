/**
 * @module Residents' declared departures in tables. Reads take the database or the caller's
 * transaction; writes take the unit of work, which keeps the active departures in memory with the
 * compound's state (`activeDeparturesTable`), so a mutation does not read them from the table
 * each time.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DepartureStatus } from '../core/statuses.js';
import type { Database, DeparturesTable } from './schema.js';
import type { KeptTable } from './state-cache.js';
import type { UnitOfWork } from './store.js';

type Db = Kysely<Database>;

export type DepartureRow = Selectable<DeparturesTable>;

/** The compound's active departures by id, kept with its state; a row is replaced, never changed. */
const activeDeparturesTable: KeptTable<Map<string, DepartureRow>> = {
  load: async (trx, compoundId) =>
    new Map(
      (
        await trx
          .selectFrom('departures')
          .selectAll()
          .where('compound_id', '=', compoundId)
          .where('status', '=', 'active')
          .orderBy('created_at')
          .execute()
      ).map((row) => [row.id, row]),
    ),
  copy: (rows) => new Map(rows),
};

/** Oldest first; ties (one clock reading) keep the order of the table, then of insertion (sorted stably). */
function oldestFirst(a: DepartureRow, b: DepartureRow): number {
  return a.created_at - b.created_at;
}

export async function insertDeparture(uow: UnitOfWork, row: DepartureRow): Promise<void> {
  await uow.trx.insertInto('departures').values(row).execute();
  await uow.changed(activeDeparturesTable, (active) => {
    if (row.status === 'active') active.set(row.id, row);
  });
}

export async function findDeparture(
  db: Db,
  compoundId: string,
  departureId: string,
): Promise<DepartureRow | undefined> {
  return db
    .selectFrom('departures')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', departureId)
    .executeTakeFirst();
}

/** The compound's active departures, or the car `vehicleId`'s when given; oldest first. */
export async function activeDepartureRows(db: Db, compoundId: string, vehicleId?: string): Promise<DepartureRow[]> {
  let query = db
    .selectFrom('departures')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'active');
  if (vehicleId !== undefined) query = query.where('vehicle_id', '=', vehicleId);
  return query.orderBy('created_at').execute();
}

/** The transaction's compound's active departures, or the car `vehicleId`'s when given; oldest first. */
export async function activeDepartureRowsIn(uow: UnitOfWork, vehicleId?: string): Promise<DepartureRow[]> {
  const rows = [...(await uow.rows(activeDeparturesTable)).values()];
  return (vehicleId === undefined ? rows : rows.filter((d) => d.vehicle_id === vehicleId)).sort(oldestFirst);
}

export async function setDepartureStatus(
  uow: UnitOfWork,
  departureIds: readonly string[],
  status: DepartureStatus,
): Promise<void> {
  await uow.trx
    .updateTable('departures')
    .set({ status })
    .where('compound_id', '=', uow.compoundId)
    .where('id', 'in', departureIds)
    .execute();
  // A departure that becomes active again is read as the table now holds it.
  const reactivated =
    status === 'active'
      ? await uow.trx
          .selectFrom('departures')
          .selectAll()
          .where('compound_id', '=', uow.compoundId)
          .where('id', 'in', departureIds)
          .execute()
      : [];
  await uow.changed(activeDeparturesTable, (active) => {
    for (const id of departureIds) active.delete(id);
    for (const row of reactivated) active.set(row.id, row);
  });
}
