/**
 * Sign-in limits and account control: failed sign-ins per phone (the growing delay and the lockout a
 * manager lifts, shared by every server on one database) and the `disabled_at` of an account.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'bigint').execute();
  await db.schema
    .createTable('sign_in_attempts')
    // The compound of the account the phone signs in to; '' for a phone without an account, which is
    // counted all the same so that the answers do not tell which phones have accounts.
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_at', 'bigint')
    .addPrimaryKeyConstraint('sign_in_attempts_pk', ['compound_id', 'phone_hash'])
    .execute();
  await db.schema.createIndex('sign_in_attempts_phone').on('sign_in_attempts').column('phone_hash').unique().execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').columns(['compound_id', 'expires_at']).execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['compound_id', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sessions_user').execute();
  await db.schema.dropIndex('sessions_expiry').execute();
  await db.schema.dropTable('sign_in_attempts').execute();
  await db.schema.alterTable('users').dropColumn('disabled_at').execute();
}
