/** The guards' roster (who is on which shift on which day) and shift hand-overs. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('roster')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('shift_id', 'text', (c) => c.notNull())
    .addColumn('guard_ids', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roster_pk', ['compound_id', 'day', 'shift_id'])
    .execute();
  await db.schema
    .createTable('shift_definitions')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('end', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('shift_definitions_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('handovers')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('from_guard_ids', 'text', (c) => c.notNull())
    .addColumn('to_guard_ids', 'text')
    .addColumn('expected_keys', 'integer', (c) => c.notNull())
    .addColumn('expected_cars', 'integer', (c) => c.notNull())
    .addColumn('out_keys', 'integer', (c) => c.notNull())
    .addColumn('out_cars', 'integer', (c) => c.notNull())
    .addColumn('in_keys', 'integer')
    .addColumn('in_cars', 'integer')
    .addColumn('mismatch', 'text')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addPrimaryKeyConstraint('handovers_pk', ['compound_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('handovers').execute();
  await db.schema.dropTable('shift_definitions').execute();
  await db.schema.dropTable('roster').execute();
}
