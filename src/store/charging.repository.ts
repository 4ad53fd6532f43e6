/**
 * @module EV charging in tables: the nights' charging requests and the metered sessions. Each
 * function takes the database or the caller's transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** The cars with a charging request for the night that is not cancelled. */
export async function vehiclesRequestingCharge(db: Db, compoundId: string, night: string): Promise<string[]> {
  const rows = await db
    .selectFrom('charging_requests')
    .select('vehicle_id')
    .where('compound_id', '=', compoundId)
    .where('night', '=', night)
    .where('cancelled_at', 'is', null)
    .execute();
  return rows.map((r) => r.vehicle_id);
}
