/**
 * @module Sessions and tokens in tables: one row per browser session, access token or refresh
 * token, keyed by the SHA-256 of its secret. Each function takes the database or the caller's
 * transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable, UsersTable } from './schema.js';

type Db = Kysely<Database>;

export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(db: Db, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** A session with the account it signs in (no phone or password). */
export type SessionWithUser = Pick<
  Selectable<UsersTable>,
  'compound_id' | 'id' | 'role' | 'name' | 'household_id' | 'partner_lot_id' | 'disabled_at'
> &
  Pick<SessionRow, 'expires_at' | 'kind'>;

export async function findSessionWithUser(
  db: Db,
  compoundId: string,
  tokenHash: string,
): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', (j) =>
      j.onRef('users.compound_id', '=', 'sessions.compound_id').onRef('users.id', '=', 'sessions.user_id'),
    )
    .select([
      'users.compound_id',
      'users.id',
      'users.role',
      'users.name',
      'users.household_id',
      'users.partner_lot_id',
      'users.disabled_at',
      'sessions.expires_at',
      'sessions.kind',
    ])
    .where('sessions.compound_id', '=', compoundId)
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Deletes a refresh token that has not expired at `now` and tells whose it was, in one statement,
 * so two uses of one token cannot both succeed.
 */
export async function takeRefreshToken(
  db: Db,
  compoundId: string,
  tokenHash: string,
  now: number,
): Promise<string | undefined> {
  const used = await db
    .deleteFrom('sessions')
    .where('compound_id', '=', compoundId)
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', 'refresh')
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return used?.user_id;
}

export async function deleteSession(db: Db, compoundId: string, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('compound_id', '=', compoundId).where('token_hash', '=', tokenHash).execute();
}

/** A user's sessions and tokens that have not expired at `now`, newest first. */
export async function liveSessionsOf(db: Db, compoundId: string, userId: string, now: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Deletes every session and token of a user but the one `keepTokenHash` names; returns how many went. */
export async function deleteSessionsOf(
  db: Db,
  compoundId: string,
  userId: string,
  keepTokenHash: string | null,
): Promise<number> {
  let query = db.deleteFrom('sessions').where('compound_id', '=', compoundId).where('user_id', '=', userId);
  if (keepTokenHash !== null) query = query.where('token_hash', '!=', keepTokenHash);
  const deleted = await query.executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Deletes the compound's sessions and tokens expired at `now`; returns how many went. */
export async function deleteExpiredSessions(db: Db, compoundId: string, now: number): Promise<number> {
  const deleted = await db
    .deleteFrom('sessions')
    .where('compound_id', '=', compoundId)
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
