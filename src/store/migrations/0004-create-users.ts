/** People who sign in: managers, guards, residents, partner staff, committee members. Personal data, outside the ledger. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('household_id', 'text')
    .addColumn('partner_lot_id', 'text')
    .addPrimaryKeyConstraint('users_pk', ['compound_id', 'id'])
    .execute();
  // A phone number signs in to one account, whichever compound it belongs to.
  await db.schema.createIndex('users_phone_once').on('users').column('phone').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
