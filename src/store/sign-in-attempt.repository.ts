/**
 * @module Failed sign-ins in tables: one row per phone (by its hash) with its count, its delay and
 * its lock. The count and the lock are single statements, so servers sharing one database never
 * lose a failure or lock twice. Each function takes the database or the caller's transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, SignInAttemptsTable } from './schema.js';

type Db = Kysely<Database>;

export type SignInAttemptsRow = Selectable<SignInAttemptsTable>;

export async function findAttempts(db: Db, phoneHash: string): Promise<SignInAttemptsRow | undefined> {
  return db.selectFrom('sign_in_attempts').selectAll().where('phone_hash', '=', phoneHash).executeTakeFirst();
}

/** Forgets a phone's failures if it is not locked and failed last before `before`. */
export async function forgetStaleFailures(db: Db, phoneHash: string, before: number): Promise<void> {
  await db
    .deleteFrom('sign_in_attempts')
    .where('phone_hash', '=', phoneHash)
    .where('locked_at', 'is', null)
    .where('last_failure_at', '<', before)
    .execute();
}

/** Adds one failure to the phone's count (one atomic upsert) and returns the new count. */
export async function countFailure(db: Db, compoundId: string, phoneHash: string, now: number): Promise<number> {
  const counted = await db
    .insertInto('sign_in_attempts')
    .values({
      compound_id: compoundId,
      phone_hash: phoneHash,
      failures: 1,
      last_failure_at: now,
      next_attempt_at: now,
      locked_at: null,
    })
    .onConflict((oc) =>
      oc.column('phone_hash').doUpdateSet((eb) => ({
        failures: eb('sign_in_attempts.failures', '+', 1),
        last_failure_at: now,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(counted.failures);
}

/** Sets the next try's earliest time, unless another failure was counted since `failures`. */
export async function delayNextAttempt(db: Db, phoneHash: string, failures: number, at: number): Promise<void> {
  await db
    .updateTable('sign_in_attempts')
    .set({ next_attempt_at: at })
    .where('phone_hash', '=', phoneHash)
    .where('failures', '=', failures)
    .execute();
}

/** Locks the phone; true only for the one call that locked it. */
export async function lockPhone(db: Db, phoneHash: string, now: number): Promise<boolean> {
  const locked = await db
    .updateTable('sign_in_attempts')
    .set({ locked_at: now })
    .where('phone_hash', '=', phoneHash)
    .where('locked_at', 'is', null)
    .returning('failures')
    .execute();
  return locked.length > 0;
}

/** Forgets the phone's failures, delay and lock; true when it was locked. */
export async function clearAttempts(db: Db, phoneHash: string): Promise<boolean> {
  const removed = await db
    .deleteFrom('sign_in_attempts')
    .where('phone_hash', '=', phoneHash)
    .returning('locked_at')
    .execute();
  return removed.some((r) => r.locked_at !== null);
}

/** Which of the phone hashes are locked. */
export async function lockedPhoneHashes(db: Db, phoneHashes: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('sign_in_attempts')
    .select('phone_hash')
    .where('phone_hash', 'in', phoneHashes)
    .where('locked_at', 'is not', null)
    .execute();
  return rows.map((r) => r.phone_hash);
}

/**
 * Deletes the unlocked failures of the compound's phones (and of phones without an account, compound
 * '') last counted before `before`; returns how many went.
 */
export async function purgeUnlockedFailures(db: Db, compoundId: string, before: number): Promise<number> {
  const deleted = await db
    .deleteFrom('sign_in_attempts')
    .where('compound_id', 'in', [compoundId, ''])
    .where('locked_at', 'is', null)
    .where('last_failure_at', '<', before)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
