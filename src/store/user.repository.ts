/** @module Who a user is, as the use cases that assign work to one check it. */
import type { Kysely } from 'kysely';
import type { Database, UsersTable } from './schema.js';

/** A user's role in the compound, or undefined when the compound has no such user. */
export async function roleOf(
  db: Kysely<Database>,
  compoundId: string,
  userId: string,
): Promise<UsersTable['role'] | undefined> {
  const row = await db
    .selectFrom('users')
    .select('role')
    .where('compound_id', '=', compoundId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}
