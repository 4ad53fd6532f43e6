/**
 * @module EV charging in tables: the nights' charging requests and the metered sessions. Each
 * function takes the database or the caller's transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ChargingRequestsTable, ChargingSessionsTable, Database } from './schema.js';

type Db = Kysely<Database>;

export type ChargingRequestRow = Selectable<ChargingRequestsTable>;

/** The night's charging requests that are not cancelled, oldest first. */
export async function chargingRequestsOn(db: Db, compoundId: string, night: string): Promise<ChargingRequestRow[]> {
  return db
    .selectFrom('charging_requests')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('night', '=', night)
    .where('cancelled_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function insertChargingRequest(db: Db, row: Insertable<ChargingRequestsTable>): Promise<void> {
  await db.insertInto('charging_requests').values(row).execute();
}

/** Cancels at `at` the car's requests for the night that stand. */
export async function cancelChargingRequests(
  db: Db,
  compoundId: string,
  vehicleId: string,
  night: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('charging_requests')
    .set({ cancelled_at: at })
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where('night', '=', night)
    .where('cancelled_at', 'is', null)
    .execute();
}

export async function insertChargingSession(db: Db, row: Insertable<ChargingSessionsTable>): Promise<void> {
  await db.insertInto('charging_sessions').values(row).execute();
}
