/**
 * @module The gate's tables: its cameras (`gate_cameras`), the compound's rule for unknown plates
 * (`gate_settings`) and every plate read with what came of it (`gate_reads`), plus the reads of
 * visits and check-ins the gate decides by. Plain Kysely, the same on SQLite and PostgreSQL.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { GateDecision, GateDirection } from '../core/statuses.js';
import type { Database, GateCamerasTable, GateReadsTable, GateSettingsTable, VisitorsTable } from './schema.js';

export type GateCameraRow = Selectable<GateCamerasTable>;
export type GateReadRow = Selectable<GateReadsTable>;

/** Registers a camera, replacing one of the same id. */
export async function replaceCamera(db: Kysely<Database>, row: Insertable<GateCamerasTable>): Promise<void> {
  await db.deleteFrom('gate_cameras').where('compound_id', '=', row.compound_id).where('id', '=', row.id).execute();
  await db.insertInto('gate_cameras').values(row).execute();
}

/** The compound's cameras by id. */
export async function camerasOf(db: Kysely<Database>, compoundId: string): Promise<GateCameraRow[]> {
  return db.selectFrom('gate_cameras').selectAll().where('compound_id', '=', compoundId).orderBy('id').execute();
}

export async function cameraById(
  db: Kysely<Database>,
  compoundId: string,
  cameraId: string,
): Promise<GateCameraRow | undefined> {
  return db
    .selectFrom('gate_cameras')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', cameraId)
    .executeTakeFirst();
}

/** The cameras not yet alarmed as silent. */
export async function camerasNotAlarmedSilent(db: Kysely<Database>, compoundId: string): Promise<GateCameraRow[]> {
  return db
    .selectFrom('gate_cameras')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('silent_alarmed_at', 'is', null)
    .execute();
}

/** The camera was heard from at `at`: it is no longer silent. */
export async function markCameraSeen(
  db: Kysely<Database>,
  compoundId: string,
  cameraId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('gate_cameras')
    .set({ last_seen_at: at, silent_alarmed_at: null })
    .where('compound_id', '=', compoundId)
    .where('id', '=', cameraId)
    .execute();
}

export async function markCameraSilent(
  db: Kysely<Database>,
  compoundId: string,
  cameraId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('gate_cameras')
    .set({ silent_alarmed_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', cameraId)
    .execute();
}

/** The camera is to open its barrier on its next poll. */
export async function markOpenPending(db: Kysely<Database>, compoundId: string, cameraId: string): Promise<void> {
  await db
    .updateTable('gate_cameras')
    .set({ open_pending: 1 })
    .where('compound_id', '=', compoundId)
    .where('id', '=', cameraId)
    .execute();
}

/**
 * A poll of the camera at `at`: marks it seen and clears its pending opening; true when one was
 * pending. Run it in a transaction so an opening is answered once.
 */
export async function takeOpenPending(
  db: Kysely<Database>,
  compoundId: string,
  cameraId: string,
  at: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('gate_cameras')
    .select('open_pending')
    .where('compound_id', '=', compoundId)
    .where('id', '=', cameraId)
    .executeTakeFirst();
  await db
    .updateTable('gate_cameras')
    .set({ last_seen_at: at, silent_alarmed_at: null, open_pending: 0 })
    .where('compound_id', '=', compoundId)
    .where('id', '=', cameraId)
    .execute();
  return row?.open_pending === 1;
}

export async function gateSettingsOf(
  db: Kysely<Database>,
  compoundId: string,
): Promise<Selectable<GateSettingsTable> | undefined> {
  return db.selectFrom('gate_settings').selectAll().where('compound_id', '=', compoundId).executeTakeFirst();
}

export async function replaceGateSettings(db: Kysely<Database>, row: Insertable<GateSettingsTable>): Promise<void> {
  await db.deleteFrom('gate_settings').where('compound_id', '=', row.compound_id).execute();
  await db.insertInto('gate_settings').values(row).execute();
}

export async function insertRead(db: Kysely<Database>, row: Insertable<GateReadsTable>): Promise<void> {
  await db.insertInto('gate_reads').values(row).execute();
}

/** The reads at a gate and direction since `since` that were not duplicates, newest first. */
export async function firstReadsSince(
  db: Kysely<Database>,
  compoundId: string,
  gate: string,
  direction: GateDirection,
  since: number,
): Promise<GateReadRow[]> {
  return db
    .selectFrom('gate_reads')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('gate', '=', gate)
    .where('direction', '=', direction)
    .where('duplicate_of', 'is', null)
    .where('read_at', '>=', since)
    .orderBy('read_at', 'desc')
    .execute();
}

/** Reads waiting for a guard (unknown plates, near reads, fees due at the exit), oldest first. */
export async function readsAwaitingDecision(db: Kysely<Database>, compoundId: string): Promise<GateReadRow[]> {
  return db
    .selectFrom('gate_reads')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('outcome', 'in', ['unknown', 'proposed', 'fee-due'])
    .where('decision', 'is', null)
    .orderBy('read_at')
    .execute();
}

/** The latest `limit` reads, newest first. */
export async function latestReads(db: Kysely<Database>, compoundId: string, limit: number): Promise<GateReadRow[]> {
  return db
    .selectFrom('gate_reads')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .orderBy('read_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function readById(
  db: Kysely<Database>,
  compoundId: string,
  readId: string,
): Promise<GateReadRow | undefined> {
  return db
    .selectFrom('gate_reads')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', readId)
    .executeTakeFirst();
}

/** A guard's decision on a read, and the car it turned out to be. */
export interface ReadDecision {
  decision: GateDecision;
  decided_by: string;
  decided_at: number;
  vehicle_id: string | null;
}

export async function decideReadRow(
  db: Kysely<Database>,
  compoundId: string,
  readId: string,
  decision: ReadDecision,
): Promise<void> {
  await db
    .updateTable('gate_reads')
    .set(decision)
    .where('compound_id', '=', compoundId)
    .where('id', '=', readId)
    .execute();
}

/** The visit of a visitor's car whose window holds `at`, the latest registered; undefined when none. */
export async function visitAt(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
  at: number,
): Promise<Selectable<VisitorsTable> | undefined> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where('from_at', '<=', at)
    .where('to_at', '>', at)
    .orderBy('registered_seq', 'desc')
    .executeTakeFirst();
}

/** A car's latest visit, its host household (null: none) and window's end; undefined when it never visited. */
export async function latestVisit(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
): Promise<{ host_household_id: string | null; to_at: number } | undefined> {
  return db
    .selectFrom('visitors')
    .select(['host_household_id', 'to_at'])
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .orderBy('registered_seq', 'desc')
    .executeTakeFirst();
}

/** When the car last checked in (its latest `car.checked-in` event), or undefined. */
export async function lastCheckInAt(
  db: Kysely<Database>,
  compoundId: string,
  vehicleId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('ledger_events')
    .select('at')
    .where('compound_id', '=', compoundId)
    .where('type', '=', 'car.checked-in')
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('ledger_subjects')
        .select('seq')
        .where('compound_id', '=', compoundId)
        .where('subject', '=', `vehicle:${vehicleId}`),
    )
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.at);
}
