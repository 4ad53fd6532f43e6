/** The custody state projected from the ledger: layout, households, vehicles, keys, guards on duty. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compound_state')
    .addColumn('compound_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .execute();
  await db.schema
    .createTable('lanes')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('lanes_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('positions')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('lane_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('charger_kw', 'real')
    .addColumn('max_size', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('positions_pk', ['compound_id', 'id'])
    .addUniqueConstraint('positions_lane_idx', ['compound_id', 'lane_id', 'idx'])
    .execute();
  await db.schema
    .createTable('closures')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('position_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('closures_pk', ['compound_id', 'position_id', 'seq'])
    .execute();
  await db.schema
    .createTable('fire_lanes')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fire_lanes_pk', ['compound_id', 'area'])
    .execute();
  await db.schema
    .createTable('households')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('households_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('vehicles')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text')
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('ev', 'integer', (c) => c.notNull())
    .addColumn('consent', 'text')
    .addColumn('key_tag', 'text')
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('position_id', 'text')
    .addColumn('partner_lot_id', 'text')
    .addColumn('since', 'bigint')
    .addPrimaryKeyConstraint('vehicles_pk', ['compound_id', 'id'])
    .execute();
  // One car per position: the database refuses a double booking even if a bug let one through.
  await db.schema
    .createIndex('vehicles_position_once')
    .on('vehicles')
    .columns(['compound_id', 'position_id'])
    .unique()
    .execute();
  await db.schema
    .createTable('keys')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('custody', 'text', (c) => c.notNull())
    .addColumn('guard_id', 'text')
    .addColumn('task_id', 'text')
    .addColumn('since', 'bigint')
    .addPrimaryKeyConstraint('keys_pk', ['compound_id', 'tag'])
    .execute();
  await db.schema
    .createTable('guards_on_duty')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('guard_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('guards_on_duty_pk', ['compound_id', 'guard_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'guards_on_duty',
    'keys',
    'vehicles',
    'households',
    'fire_lanes',
    'closures',
    'positions',
    'lanes',
    'compound_state',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
