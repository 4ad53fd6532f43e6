/**
 * @module Accounts in tables: the `users` rows (a phone is unique across compounds, so sign-in
 * finds the account before it knows the compound) and the one-time invitation codes that activate
 * them. Each function takes the database or the caller's transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Role } from '../core/statuses.js';
import type { Database, InvitationsTable, UsersTable } from './schema.js';

type Db = Kysely<Database>;

export type UserRow = Selectable<UsersTable>;
export type InvitationRow = Selectable<InvitationsTable>;

/** The account of a phone, in whichever compound it is. */
export async function findUserByPhone(db: Db, phone: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export async function findUser(db: Db, compoundId: string, userId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function isPhoneTaken(db: Db, phone: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst()) !== undefined;
}

export async function insertUser(db: Db, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function setPasswordHash(db: Db, compoundId: string, userId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('compound_id', '=', compoundId)
    .where('id', '=', userId)
    .execute();
}

/** Disables the account at `at`, or enables it again with null. */
export async function setDisabledAt(db: Db, compoundId: string, userId: string, at: number | null): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', userId)
    .execute();
}

/** One page of the compound's accounts by id, optionally of one role, and how many there are in all. */
export async function pageOfUsers(
  db: Db,
  compoundId: string,
  page: { limit: number; offset: number; role?: Role | undefined },
): Promise<{ rows: UserRow[]; total: number }> {
  let base = db.selectFrom('users').where('compound_id', '=', compoundId);
  if (page.role !== undefined) base = base.where('role', '=', page.role);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('id').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The ids and names of the compound's accounts of one role, by id. */
export async function usersOfRole(db: Db, compoundId: string, role: Role): Promise<Pick<UserRow, 'id' | 'name'>[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('compound_id', '=', compoundId)
    .where('role', '=', role)
    .orderBy('id')
    .execute();
}

/** The ids of a household's resident accounts, by id. */
export async function residentIdsOf(db: Db, compoundId: string, householdId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('household_id', '=', householdId)
    .where('role', '=', 'resident')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The ids of the accounts of a partner lot's staff. */
export async function partnerUserIdsOf(db: Db, compoundId: string, lotId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('role', '=', 'partner')
    .where('partner_lot_id', '=', lotId)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertInvitation(db: Db, row: Insertable<InvitationsTable>): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

export async function findInvitation(db: Db, compoundId: string, codeHash: string): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Marks an unused invitation used; false when it was used already (by a concurrent activation). */
export async function useInvitation(db: Db, compoundId: string, codeHash: string, at: number): Promise<boolean> {
  const used = await db
    .updateTable('invitations')
    .set({ used_at: at })
    .where('compound_id', '=', compoundId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** A user's role in the compound, or undefined when the compound has no such user. */
export async function roleOf(db: Db, compoundId: string, userId: string): Promise<UserRow['role'] | undefined> {
  return (await findUser(db, compoundId, userId))?.role;
}

/** The compound's resident accounts with their households, by id. */
export async function residentsWithHouseholds(
  db: Db,
  compoundId: string,
): Promise<Pick<UserRow, 'id' | 'household_id'>[]> {
  return db
    .selectFrom('users')
    .select(['id', 'household_id'])
    .where('compound_id', '=', compoundId)
    .where('role', '=', 'resident')
    .orderBy('id')
    .execute();
}

/** The ids and names of the accounts `userIds`. */
export async function userNamesOf(
  db: Db,
  compoundId: string,
  userIds: readonly string[],
): Promise<Pick<UserRow, 'id' | 'name'>[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('compound_id', '=', compoundId)
    .where('id', 'in', userIds)
    .execute();
}

/** The ids and names of all the compound's accounts. */
export async function userNamesInCompound(db: Db, compoundId: string): Promise<Pick<UserRow, 'id' | 'name'>[]> {
  return db.selectFrom('users').select(['id', 'name']).where('compound_id', '=', compoundId).execute();
}
