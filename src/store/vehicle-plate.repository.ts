/**
 * @module Number plates in tables: one row per car, kept off the ledger so that a plate (personal
 * data) can be erased without breaking the chain. Each function takes the database or the caller's
 * transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, VehiclePlatesTable } from './schema.js';

type Db = Kysely<Database>;

export type VehiclePlateRow = Selectable<VehiclePlatesTable>;

export async function insertPlate(db: Db, row: Insertable<VehiclePlatesTable>): Promise<void> {
  await db.insertInto('vehicle_plates').values(row).execute();
}

/** The car registered with `plate`, if any. */
export async function vehicleIdOfPlate(db: Db, compoundId: string, plate: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('vehicle_plates')
    .select('vehicle_id')
    .where('compound_id', '=', compoundId)
    .where('plate', '=', plate)
    .executeTakeFirst();
  return row?.vehicle_id;
}

/** One of `plates` that is registered already, if any. */
export async function firstTakenPlate(
  db: Db,
  compoundId: string,
  plates: readonly string[],
): Promise<string | undefined> {
  const row = await db
    .selectFrom('vehicle_plates')
    .select('plate')
    .where('compound_id', '=', compoundId)
    .where('plate', 'in', plates)
    .executeTakeFirst();
  return row?.plate;
}

/** The plates of the compound's cars, or of the cars `vehicleIds` when given. */
export async function platesOf(db: Db, compoundId: string, vehicleIds?: readonly string[]): Promise<VehiclePlateRow[]> {
  let query = db.selectFrom('vehicle_plates').selectAll().where('compound_id', '=', compoundId);
  if (vehicleIds !== undefined) query = query.where('vehicle_id', 'in', vehicleIds);
  return query.execute();
}

/** Deletes the plates of the cars; their rows elsewhere keep the car ids. */
export async function deletePlatesOf(db: Db, compoundId: string, vehicleIds: readonly string[]): Promise<void> {
  await db
    .deleteFrom('vehicle_plates')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .execute();
}

/** A car's plate, or undefined (no such car, or its plate erased). */
export async function plateOfVehicle(db: Db, compoundId: string, vehicleId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('vehicle_plates')
    .select('plate')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .executeTakeFirst();
  return row?.plate;
}

/** Sets the car's plate, replacing the one it had. */
export async function setPlate(db: Db, compoundId: string, vehicleId: string, plate: string): Promise<void> {
  await db
    .insertInto('vehicle_plates')
    .values({ compound_id: compoundId, vehicle_id: vehicleId, plate })
    .onConflict((oc) => oc.columns(['compound_id', 'vehicle_id']).doUpdateSet({ plate }))
    .execute();
}
