/**
 * @module Renovations and their construction waste in tables: registrations (`renovations`) with
 * their flats' addresses, the waste points, declarations, collections and photos (`waste_*`), and
 * stray waste reports (`stray_reports`). Plain Kysely, the same on SQLite and PostgreSQL.
 */
import type { Address } from './household.repository.js';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type {
  Database,
  RenovationsTable,
  StrayReportsTable,
  WasteCollectionsTable,
  WasteDeclarationsTable,
  WastePhotosTable,
  WastePointsTable,
} from './schema.js';

export type RenovationRow = Selectable<RenovationsTable>;
export type WastePointRow = Selectable<WastePointsTable>;
export type WasteCollectionRow = Selectable<WasteCollectionsTable>;
export type WasteDeclarationRow = Selectable<WasteDeclarationsTable>;
export type StrayReportRow = Selectable<StrayReportsTable>;

/** The households living in a building's stairway. */
export async function stairwayHouseholds(
  db: Kysely<Database>,
  compoundId: string,
  building: string,
  unit: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('household_addresses')
    .select('household_id')
    .where('compound_id', '=', compoundId)
    .where('building', '=', building)
    .where('unit', '=', unit)
    .execute();
  return rows.map((r) => r.household_id);
}

export async function renovationById(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
): Promise<RenovationRow | undefined> {
  return db
    .selectFrom('renovations')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A pending or approved renovation of the household whose dates meet `startsOn`–`endsOn`, if any. */
export async function overlappingRenovation(
  db: Kysely<Database>,
  compoundId: string,
  householdId: string,
  startsOn: string,
  endsOn: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('renovations')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .where('status', 'in', ['pending', 'approved'])
    .where('starts_on', '<=', endsOn)
    .where('ends_on', '>=', startsOn)
    .executeTakeFirst();
  return row?.id;
}

export async function insertRenovationRow(db: Kysely<Database>, row: Insertable<RenovationsTable>): Promise<void> {
  await db.insertInto('renovations').values(row).execute();
}

/** Writes a decision, the deposit's state or the closing onto a renovation. */
export async function updateRenovation(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
  changes: Updateable<RenovationsTable>,
): Promise<void> {
  await db.updateTable('renovations').set(changes).where('compound_id', '=', compoundId).where('id', '=', id).execute();
}

/** Adds `fen` to what is deducted from a renovation's deposit. */
export async function deductFromDeposit(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
  fen: number,
): Promise<void> {
  const r = await db
    .selectFrom('renovations')
    .select('deducted_fen')
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('renovations')
    .set({ deducted_fen: r.deducted_fen + fen })
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .execute();
}

/** The household of a renovation that exists. */
export async function renovationHousehold(db: Kysely<Database>, compoundId: string, id: string): Promise<string> {
  const r = await db
    .selectFrom('renovations')
    .select('household_id')
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return r.household_id;
}

/** Renovations joined with their flats' addresses. */
function withAddresses(db: Kysely<Database>) {
  return db
    .selectFrom('renovations')
    .innerJoin('household_addresses', (j) =>
      j
        .onRef('household_addresses.compound_id', '=', 'renovations.compound_id')
        .onRef('household_addresses.household_id', '=', 'renovations.household_id'),
    );
}

/** The latest 500 renovations with their addresses, newest first: all, or a household's, or by status. */
export async function renovationsWithAddresses(
  db: Kysely<Database>,
  compoundId: string,
  filter: { householdId?: string; status?: RenovationRow['status'] },
): Promise<(RenovationRow & Address)[]> {
  let q = withAddresses(db)
    .selectAll('renovations')
    .select(['household_addresses.building', 'household_addresses.unit', 'household_addresses.room'])
    .where('renovations.compound_id', '=', compoundId);
  if (filter.householdId !== undefined) q = q.where('renovations.household_id', '=', filter.householdId);
  if (filter.status !== undefined) q = q.where('renovations.status', '=', filter.status);
  return q.orderBy('renovations.created_at', 'desc').limit(500).execute();
}

/** The approved renovation under way in a building's stairway on `day`, if any (the earliest registered). */
export async function approvedRenovationIn(
  db: Kysely<Database>,
  compoundId: string,
  building: string,
  unit: string,
  day: string,
): Promise<RenovationRow | undefined> {
  return withAddresses(db)
    .selectAll('renovations')
    .where('renovations.compound_id', '=', compoundId)
    .where('renovations.status', '=', 'approved')
    .where('household_addresses.building', '=', building)
    .where('household_addresses.unit', '=', unit)
    .where('renovations.starts_on', '<=', day)
    .where('renovations.ends_on', '>=', day)
    .orderBy('renovations.created_at')
    .executeTakeFirst();
}

/** For the committee's figures: approved and closed renovations ending on `from` or later. */
export async function renovationsEndingFrom(
  db: Kysely<Database>,
  compoundId: string,
  from: string,
): Promise<Pick<RenovationRow, 'starts_on' | 'ends_on' | 'status' | 'closed_at'>[]> {
  return db
    .selectFrom('renovations')
    .select(['starts_on', 'ends_on', 'status', 'closed_at'])
    .where('compound_id', '=', compoundId)
    .where('status', 'in', ['approved', 'closed'])
    .where('ends_on', '>=', from)
    .execute();
}

/** Bags declared at a point and not yet collected. */
export async function bagsAt(db: Kysely<Database>, compoundId: string, pointId: string): Promise<number> {
  const r = await db
    .selectFrom('waste_declarations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('bags'), eb.lit(0)).as('bags'))
    .where('compound_id', '=', compoundId)
    .where('point_id', '=', pointId)
    .where('collection_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.bags);
}

/** The point's collection scheduled and not yet confirmed, if any. */
export async function scheduledCollectionAt(
  db: Kysely<Database>,
  compoundId: string,
  pointId: string,
): Promise<WasteCollectionRow | undefined> {
  return db
    .selectFrom('waste_collections')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('point_id', '=', pointId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
}

export async function wastePointById(
  db: Kysely<Database>,
  compoundId: string,
  pointId: string,
): Promise<WastePointRow | undefined> {
  return db
    .selectFrom('waste_points')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', pointId)
    .executeTakeFirst();
}

/** The compound's points by id, or those one hauler serves. */
export async function wastePointsOf(
  db: Kysely<Database>,
  compoundId: string,
  haulerId?: string,
): Promise<WastePointRow[]> {
  let q = db.selectFrom('waste_points').selectAll().where('compound_id', '=', compoundId);
  if (haulerId !== undefined) q = q.where('hauler_id', '=', haulerId);
  return q.orderBy('id').execute();
}

/** Adds a point or changes its settings; when it was last collected stays. */
export async function saveWastePointRow(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
  values: Pick<WastePointRow, 'name' | 'building' | 'capacity_bags' | 'hauler_id' | 'collect_every_hours'>,
): Promise<void> {
  const existing = await db
    .selectFrom('waste_points')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (existing === undefined) {
    await db
      .insertInto('waste_points')
      .values({ compound_id: compoundId, id, last_collected_at: null, ...values })
      .execute();
  } else {
    await db
      .updateTable('waste_points')
      .set(values)
      .where('compound_id', '=', compoundId)
      .where('id', '=', id)
      .execute();
  }
}

export async function insertCollection(db: Kysely<Database>, row: Insertable<WasteCollectionsTable>): Promise<void> {
  await db.insertInto('waste_collections').values(row).execute();
}

export async function insertDeclaration(db: Kysely<Database>, row: Insertable<WasteDeclarationsTable>): Promise<void> {
  await db.insertInto('waste_declarations').values(row).execute();
}

/** The latest 200 collections with their points' names, open ones first: all, or one hauler's. */
export async function collectionsWithPointNames(
  db: Kysely<Database>,
  compoundId: string,
  haulerId?: string,
): Promise<(WasteCollectionRow & { point_name: string })[]> {
  let q = db
    .selectFrom('waste_collections')
    .innerJoin('waste_points', (j) =>
      j
        .onRef('waste_points.compound_id', '=', 'waste_collections.compound_id')
        .onRef('waste_points.id', '=', 'waste_collections.point_id'),
    )
    .selectAll('waste_collections')
    .select('waste_points.name as point_name')
    .where('waste_collections.compound_id', '=', compoundId);
  if (haulerId !== undefined) q = q.where('waste_collections.hauler_id', '=', haulerId);
  return q
    .orderBy('waste_collections.status', 'desc')
    .orderBy('waste_collections.scheduled_at', 'desc')
    .limit(200)
    .execute();
}

export async function collectionById(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
): Promise<WasteCollectionRow | undefined> {
  return db
    .selectFrom('waste_collections')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * A collection is done: every declaration at its point not yet collected becomes its, the
 * collection takes `done`, and the point is empty as of `at`.
 */
export async function completeCollection(
  db: Kysely<Database>,
  compoundId: string,
  collection: { id: string; point_id: string },
  done: { done_at: number; bags: number; photo_id: string },
): Promise<void> {
  await db
    .updateTable('waste_declarations')
    .set({ collection_id: collection.id })
    .where('compound_id', '=', compoundId)
    .where('point_id', '=', collection.point_id)
    .where('collection_id', 'is', null)
    .execute();
  await db
    .updateTable('waste_collections')
    .set({ status: 'done', ...done })
    .where('compound_id', '=', compoundId)
    .where('id', '=', collection.id)
    .execute();
  await db
    .updateTable('waste_points')
    .set({ last_collected_at: done.done_at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', collection.point_id)
    .execute();
}

export async function insertWastePhoto(db: Kysely<Database>, row: Insertable<WastePhotosTable>): Promise<void> {
  await db.insertInto('waste_photos').values(row).execute();
}

export async function wastePhotoById(
  db: Kysely<Database>,
  compoundId: string,
  photoId: string,
): Promise<Pick<Selectable<WastePhotosTable>, 'content_type' | 'data'> | undefined> {
  return db
    .selectFrom('waste_photos')
    .select(['content_type', 'data'])
    .where('compound_id', '=', compoundId)
    .where('id', '=', photoId)
    .executeTakeFirst();
}

export async function insertStrayReport(db: Kysely<Database>, row: Insertable<StrayReportsTable>): Promise<void> {
  await db.insertInto('stray_reports').values(row).execute();
}

export async function strayReportById(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
): Promise<StrayReportRow | undefined> {
  return db
    .selectFrom('stray_reports')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An open stray report held against a renovation, if any. */
export async function openStrayAgainst(
  db: Kysely<Database>,
  compoundId: string,
  renovationId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('stray_reports')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('renovation_id', '=', renovationId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return row?.id;
}

/** The compound's open stray reports. */
export async function openStrayReports(db: Kysely<Database>, compoundId: string): Promise<StrayReportRow[]> {
  return db
    .selectFrom('stray_reports')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'open')
    .execute();
}

/** Marks a stray report cleared, reminded or escalated (with what was deducted). */
export async function updateStrayReport(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
  changes: Updateable<StrayReportsTable>,
): Promise<void> {
  await db
    .updateTable('stray_reports')
    .set(changes)
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .execute();
}

/** The latest 200 stray reports, open ones first: all, or those held against one household's renovations. */
export async function strayReportsOf(
  db: Kysely<Database>,
  compoundId: string,
  householdId?: string,
): Promise<StrayReportRow[]> {
  let q = db.selectFrom('stray_reports').selectAll('stray_reports').where('stray_reports.compound_id', '=', compoundId);
  if (householdId !== undefined) {
    q = q
      .innerJoin('renovations', (j) =>
        j
          .onRef('renovations.compound_id', '=', 'stray_reports.compound_id')
          .onRef('renovations.id', '=', 'stray_reports.renovation_id'),
      )
      .where('renovations.household_id', '=', householdId);
  }
  return q.orderBy('stray_reports.status', 'desc').orderBy('stray_reports.reported_at', 'desc').limit(200).execute();
}

/** For the committee's figures: the points, and declarations, collections and stray reports since `since`. */
export async function wasteSince(db: Kysely<Database>, compoundId: string, since: number) {
  const points = await db
    .selectFrom('waste_points')
    .select(['id', 'name'])
    .where('compound_id', '=', compoundId)
    .orderBy('id')
    .execute();
  const declarations = await db
    .selectFrom('waste_declarations')
    .select(['point_id', 'bags', 'declared_at'])
    .where('compound_id', '=', compoundId)
    .where('declared_at', '>=', since)
    .execute();
  const collections = await db
    .selectFrom('waste_collections')
    .select(['point_id', 'bags', 'done_at'])
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'done')
    .where('done_at', '>=', since)
    .execute();
  const strays = await db
    .selectFrom('stray_reports')
    .select(['reported_at', 'cleared_at', 'escalated_at'])
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or([eb('reported_at', '>=', since), eb('cleared_at', '>=', since)]))
    .execute();
  return { points, declarations, collections, strays };
}
