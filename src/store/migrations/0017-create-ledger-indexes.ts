/**
 * Reads that stay fast as the ledger grows (issue 14, item 8):
 * - `ledger_subjects`: which events are about which car or key (`vehicle:ID`, `key:TAG`), written
 *   with each event, so a car's history reads its own events only; filled here for the events
 *   already stored;
 * - `ledger_checkpoints`: the last verified point of each chain, from which a verification goes on;
 * - `ledger_published_heads`: the head of each day as published outside the database (the
 *   committee's report, the webhook), for `ledger verify --against`;
 * - an index for the sweep of old idempotency keys.
 */
import type { Kysely } from 'kysely';
import { subjectsOf } from '../ledger.js';

const BATCH = 2000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_subjects')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_subjects_pk', ['compound_id', 'subject', 'seq'])
    .execute();
  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('compound_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ledger_published_heads')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_published_heads_pk', ['compound_id', 'day'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .columns(['compound_id', 'created_at'])
    .execute();

  const events = (db as Kysely<{ ledger_events: { compound_id: string; seq: number; payload: string } }>).selectFrom(
    'ledger_events',
  );
  const subjects = db as Kysely<{ ledger_subjects: { compound_id: string; subject: string; seq: number } }>;
  let after = { compound_id: '', seq: 0 };
  for (;;) {
    const rows = await events
      .select(['compound_id', 'seq', 'payload'])
      .where((eb) =>
        eb.or([
          eb('compound_id', '>', after.compound_id),
          eb.and([eb('compound_id', '=', after.compound_id), eb('seq', '>', after.seq)]),
        ]),
      )
      .orderBy('compound_id')
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    const values = rows.flatMap((r) =>
      subjectsOf(JSON.parse(r.payload)).map((subject) => ({ compound_id: r.compound_id, subject, seq: r.seq })),
    );
    for (let i = 0; i < values.length; i += 500)
      await subjects
        .insertInto('ledger_subjects')
        .values(values.slice(i, i + 500))
        .execute();
    const last = rows.at(-1);
    if (last === undefined || rows.length < BATCH) break;
    after = { compound_id: last.compound_id, seq: last.seq };
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_created').execute();
  await db.schema.dropTable('ledger_published_heads').execute();
  await db.schema.dropTable('ledger_checkpoints').execute();
  await db.schema.dropTable('ledger_subjects').execute();
}
