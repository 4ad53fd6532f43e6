/**
 * @module Households' addresses in tables (building, unit, room): personal data kept off the ledger,
 * so it can be erased without breaking the chain. Each function takes the database or the caller's
 * transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, HouseholdAddressesTable } from './schema.js';

type Db = Kysely<Database>;

export type HouseholdAddressRow = Selectable<HouseholdAddressesTable>;
export type Address = Pick<HouseholdAddressRow, 'building' | 'unit' | 'room'>;

export async function householdAddresses(db: Db, compoundId: string): Promise<HouseholdAddressRow[]> {
  return db.selectFrom('household_addresses').selectAll().where('compound_id', '=', compoundId).execute();
}

export async function addressOf(db: Db, compoundId: string, householdId: string): Promise<Address | undefined> {
  return db
    .selectFrom('household_addresses')
    .select(['building', 'unit', 'room'])
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
}

/** The household living at the address, if any. */
export async function householdAt(db: Db, compoundId: string, address: Address): Promise<string | undefined> {
  const row = await db
    .selectFrom('household_addresses')
    .select('household_id')
    .where('compound_id', '=', compoundId)
    .where('building', '=', address.building)
    .where('unit', '=', address.unit)
    .where('room', '=', address.room)
    .executeTakeFirst();
  return row?.household_id;
}

export async function insertHouseholdAddress(db: Db, row: Insertable<HouseholdAddressesTable>): Promise<void> {
  await db.insertInto('household_addresses').values(row).execute();
}

export async function deleteAddressOf(db: Db, compoundId: string, householdId: string): Promise<void> {
  await db
    .deleteFrom('household_addresses')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .execute();
}
