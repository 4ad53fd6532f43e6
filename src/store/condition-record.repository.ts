/**
 * @module Condition records at hand-over in tables: the records (`condition_records`) and their
 * photos (`condition_photos`). Plain Kysely, the same on SQLite and PostgreSQL.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ConditionPhotosTable, ConditionRecordsTable, Database } from './schema.js';

export type ConditionRecordRow = Selectable<ConditionRecordsTable>;

/** The id of a car's latest check-in record, if any. */
export async function latestCheckInRecord(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('condition_records')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where('stage', '=', 'check-in')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.id;
}

export async function insertConditionRecord(
  db: Kysely<Database>,
  row: Insertable<ConditionRecordsTable>,
): Promise<void> {
  await db.insertInto('condition_records').values(row).execute();
}

export async function insertConditionPhoto(db: Kysely<Database>, row: Insertable<ConditionPhotosTable>): Promise<void> {
  await db.insertInto('condition_photos').values(row).execute();
}

export async function conditionRecordById(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
): Promise<ConditionRecordRow | undefined> {
  return db
    .selectFrom('condition_records')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A car's records, newest first. */
export async function conditionRecordsOf(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
): Promise<ConditionRecordRow[]> {
  return db
    .selectFrom('condition_records')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The photos of some records without their bytes, by id. */
export async function photosOfRecords(
  db: Kysely<Database>,
  compoundId: string,
  recordIds: readonly string[],
): Promise<Pick<Selectable<ConditionPhotosTable>, 'id' | 'record_id' | 'view' | 'sha256' | 'bytes'>[]> {
  return db
    .selectFrom('condition_photos')
    .select(['id', 'record_id', 'view', 'sha256', 'bytes'])
    .where('compound_id', '=', compoundId)
    .where('record_id', 'in', recordIds)
    .orderBy('id')
    .execute();
}

export async function acknowledgeRecord(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
  by: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('condition_records')
    .set({ acknowledged_by: by, acknowledged_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .execute();
}

export async function conditionPhotoData(
  db: Kysely<Database>,
  compoundId: string,
  recordId: string,
  photoId: string,
): Promise<Pick<Selectable<ConditionPhotosTable>, 'content_type' | 'data'> | undefined> {
  return db
    .selectFrom('condition_photos')
    .select(['content_type', 'data'])
    .where('compound_id', '=', compoundId)
    .where('record_id', '=', recordId)
    .where('id', '=', photoId)
    .executeTakeFirst();
}
