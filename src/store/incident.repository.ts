/**
 * @module Incidents in tables (`incidents`, `incident_photos`), and the reads an incident's story
 * is told from: its car's household's cars and the ledger events around it. Plain Kysely, the same
 * on SQLite and PostgreSQL.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { LedgerEvent } from '../core/events.js';
import type { IncidentKind, IncidentStatus } from '../core/statuses.js';
import { rowToEvent } from './ledger.js';
import type { Database, IncidentPhotosTable, IncidentsTable } from './schema.js';

export type IncidentRow = Selectable<IncidentsTable>;

export async function insertIncident(db: Kysely<Database>, row: Insertable<IncidentsTable>): Promise<void> {
  await db.insertInto('incidents').values(row).execute();
}

export async function incidentById(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
): Promise<IncidentRow | undefined> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function incidentStatus(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
): Promise<IncidentStatus | undefined> {
  const row = await db
    .selectFrom('incidents')
    .select('status')
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.status;
}

/** Writes what a manager changed on an incident. */
export async function updateIncidentRow(
  db: Kysely<Database>,
  compoundId: string,
  id: string,
  changes: Pick<IncidentRow, 'owner' | 'status' | 'resolution' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('incidents').set(changes).where('compound_id', '=', compoundId).where('id', '=', id).execute();
}

/** The incident changed at `at` (a photo was added). */
export async function touchIncident(db: Kysely<Database>, compoundId: string, id: string, at: number): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ updated_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .execute();
}

export interface IncidentQuery {
  status?: IncidentStatus | undefined;
  kind?: IncidentKind | undefined;
  /** Only those this user opened or owns. */
  openedOrOwnedBy?: string | undefined;
  /** Only those about one of these cars. */
  vehicleIds?: readonly string[] | undefined;
}

/** The compound's incidents that match, newest first. */
export async function incidentsOf(
  db: Kysely<Database>,
  compoundId: string,
  query: IncidentQuery,
): Promise<IncidentRow[]> {
  let select = db.selectFrom('incidents').selectAll().where('compound_id', '=', compoundId);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  const user = query.openedOrOwnedBy;
  if (user !== undefined) select = select.where((eb) => eb.or([eb('opened_by', '=', user), eb('owner', '=', user)]));
  if (query.vehicleIds !== undefined) select = select.where('vehicle_id', 'in', query.vehicleIds);
  return select.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** The ids of a household's cars. */
export async function householdVehicleIds(
  db: Kysely<Database>,
  compoundId: string,
  householdId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('vehicles')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .execute();
  return rows.map((r) => r.id);
}

/** Photos and stored bytes so far: of one incident, or uploaded by the residents of one household. */
export async function photoUsage(
  db: Kysely<Database>,
  compoundId: string,
  scope: { incidentId: string } | { householdId: string },
): Promise<{ photos: number; bytes: number }> {
  let q = db
    .selectFrom('incident_photos as p')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('p.bytes').as('b')])
    .where('p.compound_id', '=', compoundId);
  q =
    'incidentId' in scope
      ? q.where('p.incident_id', '=', scope.incidentId)
      : q.where('p.uploaded_by', 'in', (eb) =>
          eb
            .selectFrom('users')
            .select('id')
            .where('compound_id', '=', compoundId)
            .where('household_id', '=', scope.householdId),
        );
  const row = await q.executeTakeFirstOrThrow();
  return { photos: Number(row.n), bytes: Number(row.b ?? 0) };
}

export async function insertIncidentPhoto(db: Kysely<Database>, row: Insertable<IncidentPhotosTable>): Promise<void> {
  await db.insertInto('incident_photos').values(row).execute();
}

/** An incident's photos without their bytes, oldest first. */
export async function incidentPhotosOf(
  db: Kysely<Database>,
  compoundId: string,
  incidentId: string,
): Promise<Omit<Selectable<IncidentPhotosTable>, 'compound_id' | 'incident_id' | 'data'>[]> {
  return db
    .selectFrom('incident_photos')
    .select(['id', 'content_type', 'bytes', 'sha256', 'uploaded_by', 'created_at'])
    .where('compound_id', '=', compoundId)
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function incidentPhotoData(
  db: Kysely<Database>,
  compoundId: string,
  incidentId: string,
  photoId: string,
): Promise<Pick<Selectable<IncidentPhotosTable>, 'content_type' | 'data'> | undefined> {
  return db
    .selectFrom('incident_photos')
    .select(['content_type', 'data'])
    .where('compound_id', '=', compoundId)
    .where('incident_id', '=', incidentId)
    .where('id', '=', photoId)
    .executeTakeFirst();
}

/**
 * The latest 20 `key.checked-out` events from `from` to `to` whose payload may name the key (a
 * text match; the caller checks the parsed payload), newest first.
 */
export async function keyCheckoutsBetween(
  db: Kysely<Database>,
  compoundId: string,
  keyTag: string,
  from: number,
  to: number,
): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('ledger_events')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('type', '=', 'key.checked-out')
    .where('at', '<=', to)
    .where('at', '>=', from)
    .where('payload', 'like', `%"keyTag":${JSON.stringify(keyTag)}%`)
    .orderBy('seq', 'desc')
    .limit(20)
    .execute();
  return rows.map(rowToEvent);
}

/**
 * The first 5000 events from `from` to `to`, and the records whose payload may name `refId` (a text
 * match; the caller checks the parsed payload), in ledger order.
 */
export async function eventsBetweenOrAbout(
  db: Kysely<Database>,
  compoundId: string,
  from: number,
  to: number,
  refId: string,
): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('ledger_events')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where((eb) =>
      eb.or([
        eb.and([eb('at', '>=', from), eb('at', '<=', to)]),
        eb.and([eb('type', '=', 'record'), eb('payload', 'like', `%"refId":${JSON.stringify(refId)}%`)]),
      ]),
    )
    .orderBy('seq')
    .limit(5000)
    .execute();
  return rows.map(rowToEvent);
}
