/**
 * @module What a person's data export reads and what their erasure rewrites, across the tables that
 * hold personal data (accounts, bookings, incidents and their photos, gate reads, notifications).
 * Kept together so the two lists can be read side by side; the plates and addresses go through
 * their own repositories. Each function takes the database or the caller's transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  BookingsTable,
  Database,
  DeparturesTable,
  GateReadsTable,
  IncidentPhotosTable,
  IncidentsTable,
  NotificationsTable,
  ResidentChannelsTable,
  UsersTable,
  VisitorsTable,
} from './schema.js';

type Db = Kysely<Database>;

/** An account as its export shows it: no password, no state. */
export async function accountForExport(
  db: Db,
  compoundId: string,
  userId: string,
): Promise<Pick<Selectable<UsersTable>, 'id' | 'role' | 'name' | 'phone' | 'household_id' | 'partner_lot_id'>> {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'name', 'phone', 'household_id', 'partner_lot_id'])
    .where('compound_id', '=', compoundId)
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

export async function departuresOf(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
): Promise<Selectable<DeparturesTable>[]> {
  return db
    .selectFrom('departures')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .execute();
}

/** Partner bookings of the cars or made for the household. */
export async function bookingsOf(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
  householdId: string,
): Promise<Selectable<BookingsTable>[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or([eb('vehicle_id', 'in', vehicleIds), eb('household_id', '=', householdId)]))
    .execute();
}

export async function visitsHostedBy(
  db: Db,
  compoundId: string,
  householdId: string,
): Promise<Selectable<VisitorsTable>[]> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('host_household_id', '=', householdId)
    .execute();
}

/** Incidents about the cars or opened by the user. */
export async function incidentsOf(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
  userId: string,
): Promise<Selectable<IncidentsTable>[]> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or([eb('vehicle_id', 'in', vehicleIds), eb('opened_by', '=', userId)]))
    .execute();
}

export async function notificationsOf(
  db: Db,
  compoundId: string,
  userId: string,
): Promise<Selectable<NotificationsTable>[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId)
    .execute();
}

/** What is known of the photos of the incidents or uploaded by the user; not their bytes. */
export async function incidentPhotosOf(
  db: Db,
  compoundId: string,
  incidentIds: readonly string[],
  userId: string,
): Promise<Omit<Selectable<IncidentPhotosTable>, 'compound_id' | 'data'>[]> {
  return db
    .selectFrom('incident_photos')
    .select(['id', 'incident_id', 'content_type', 'bytes', 'sha256', 'uploaded_by', 'created_at'])
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or([eb('incident_id', 'in', incidentIds), eb('uploaded_by', '=', userId)]))
    .execute();
}

/** The gate cameras' reads of the cars or of the plates, in time order. */
export async function gateReadsOf(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
  plates: readonly string[],
): Promise<Selectable<GateReadsTable>[]> {
  return db
    .selectFrom('gate_reads')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or([eb('vehicle_id', 'in', vehicleIds), eb('plate', 'in', plates)]))
    .orderBy('read_at')
    .execute();
}

export async function channelChoiceOf(
  db: Db,
  compoundId: string,
  userId: string,
): Promise<Pick<Selectable<ResidentChannelsTable>, 'channels' | 'quiet_from' | 'quiet_to' | 'updated_at'> | undefined> {
  return db
    .selectFrom('resident_channels')
    .select(['channels', 'quiet_from', 'quiet_to', 'updated_at'])
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The household's other accounts not erased yet (their name is not `erasedName`). */
export async function otherMembersOf(
  db: Db,
  compoundId: string,
  householdId: string,
  userId: string,
  erasedName: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .where('id', '!=', userId)
    .where('name', '!=', erasedName)
    .execute();
  return rows.map((r) => r.id);
}

/** A booking of the cars that is booked or checked in, if any. */
export async function openBookingOf(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
): Promise<string | undefined> {
  const row = await db
    .selectFrom('bookings')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .where('status', 'in', ['booked', 'checked-in'])
    .executeTakeFirst();
  return row?.id;
}

/** Deletes the user's sessions, invitations, stored replies and channel choice. */
export async function deleteUserRecords(db: Db, compoundId: string, userId: string): Promise<void> {
  for (const table of ['sessions', 'invitations', 'idempotency_keys', 'resident_channels'] as const)
    await db.deleteFrom(table).where('compound_id', '=', compoundId).where('user_id', '=', userId).execute();
}

/** Deletes the user's notifications and their deliveries. */
export async function deleteNotificationsOf(db: Db, compoundId: string, userId: string): Promise<void> {
  const mine = db
    .selectFrom('notifications')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId);
  await db
    .deleteFrom('notification_outbox')
    .where('compound_id', '=', compoundId)
    .where('notification_id', 'in', mine)
    .execute();
  await db.deleteFrom('notifications').where('compound_id', '=', compoundId).where('user_id', '=', userId).execute();
}

export async function incidentIdsAbout(db: Db, compoundId: string, vehicleIds: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('incidents')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .execute();
  return rows.map((r) => r.id);
}

/** Replaces title and body by `text` in notifications about one of `refs` or naming one of `words`. */
export async function blankNotifications(
  db: Db,
  compoundId: string,
  match: { refs: readonly string[]; words: readonly string[] },
  text: string,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ title: text, body: text })
    .where('compound_id', '=', compoundId)
    .where((eb) =>
      eb.or([
        ...(match.refs.length > 0 ? [eb('ref', 'in', match.refs)] : []),
        ...match.words.flatMap((w) => [eb('title', 'like', `%${w}%`), eb('body', 'like', `%${w}%`)]),
      ]),
    )
    .execute();
}

/** Replaces an account's name and phone and drops its password. */
export async function anonymiseUser(
  db: Db,
  compoundId: string,
  userId: string,
  replacement: { name: string; phone: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ name: replacement.name, phone: replacement.phone, password_hash: null })
    .where('compound_id', '=', compoundId)
    .where('id', '=', userId)
    .execute();
}

/** Deletes the incident photos the user uploaded; returns how many went. */
export async function deletePhotosUploadedBy(db: Db, compoundId: string, userId: string): Promise<number> {
  const gone = await db
    .deleteFrom('incident_photos')
    .where('compound_id', '=', compoundId)
    .where('uploaded_by', '=', userId)
    .executeTakeFirst();
  return Number(gone.numDeletedRows);
}

/** Deletes the photos of incidents about the cars; returns how many went. */
export async function deletePhotosAbout(db: Db, compoundId: string, vehicleIds: readonly string[]): Promise<number> {
  const about = db
    .selectFrom('incidents')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds);
  const gone = await db
    .deleteFrom('incident_photos')
    .where('compound_id', '=', compoundId)
    .where('incident_id', 'in', about)
    .executeTakeFirst();
  return Number(gone.numDeletedRows);
}

/** Replaces title and description by `text` and drops the resolution of incidents about the cars. */
export async function blankIncidentsAbout(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
  text: string,
): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ title: text, description: text, resolution: null })
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .execute();
}

/** Replaces by `text` the plate of the gate reads of the cars or of the plates, and drops their proposals. */
export async function blankGateReads(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
  plates: readonly string[],
  text: string,
): Promise<void> {
  await db
    .updateTable('gate_reads')
    .set({ plate: text, proposals: null })
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or([eb('vehicle_id', 'in', vehicleIds), eb('plate', 'in', plates)]))
    .execute();
}

/** Gate reads whose proposals (JSON) contain one of the plates. */
export async function gateReadsProposing(
  db: Db,
  compoundId: string,
  plates: readonly string[],
): Promise<Pick<Selectable<GateReadsTable>, 'id' | 'proposals'>[]> {
  return db
    .selectFrom('gate_reads')
    .select(['id', 'proposals'])
    .where('compound_id', '=', compoundId)
    .where((eb) => eb.or(plates.map((p) => eb('proposals', 'like', `%${p}%`))))
    .execute();
}

export async function setGateReadProposals(
  db: Db,
  compoundId: string,
  readId: string,
  proposals: string | null,
): Promise<void> {
  await db
    .updateTable('gate_reads')
    .set({ proposals })
    .where('compound_id', '=', compoundId)
    .where('id', '=', readId)
    .execute();
}
