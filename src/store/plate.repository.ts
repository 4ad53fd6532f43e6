/** @module A compound's plates (`vehicle_plates`): which car a plate is, and a car's plate. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Every plate of the compound with its car. */
export async function platesOf(
  db: Kysely<Database>,
  compoundId: string,
): Promise<{ plate: string; vehicle_id: string }[]> {
  return db
    .selectFrom('vehicle_plates')
    .select(['plate', 'vehicle_id'])
    .where('compound_id', '=', compoundId)
    .execute();
}

/** A car's plate, or undefined (no such car, or its plate erased). */
export async function plateOfVehicle(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('vehicle_plates')
    .select('plate')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .executeTakeFirst();
  return row?.plate;
}
