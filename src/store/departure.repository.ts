/**
 * @module Residents' declared departures in tables. Each function takes the database or the
 * caller's transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DepartureStatus } from '../core/statuses.js';
import type { Database, DeparturesTable } from './schema.js';

type Db = Kysely<Database>;

export type DepartureRow = Selectable<DeparturesTable>;

export async function insertDeparture(db: Db, row: Insertable<DeparturesTable>): Promise<void> {
  await db.insertInto('departures').values(row).execute();
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

/**
 * The compound's active departures, or the car `vehicleId`'s when given; oldest first with
 * `oldestFirst`, else in the order the database reads them.
 */
export async function activeDepartureRows(
  db: Db,
  compoundId: string,
  filter: { vehicleId?: string; oldestFirst: boolean },
): Promise<DepartureRow[]> {
  let query = db
    .selectFrom('departures')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'active');
  if (filter.vehicleId !== undefined) query = query.where('vehicle_id', '=', filter.vehicleId);
  if (filter.oldestFirst) query = query.orderBy('created_at');
  return query.execute();
}

export async function setDepartureStatus(
  db: Db,
  compoundId: string,
  departureIds: readonly string[],
  status: DepartureStatus,
): Promise<void> {
  await db
    .updateTable('departures')
    .set({ status })
    .where('compound_id', '=', compoundId)
    .where('id', 'in', departureIds)
    .execute();
}
