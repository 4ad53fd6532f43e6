/**
 * A visitor without a host household pays its temporary parking (临停) at the exit (issue 15): the
 * exit read that holds the barrier for the fee keeps the sum due, in fen.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gate_reads').addColumn('fee_fen', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gate_reads').dropColumn('fee_fen').execute();
}
