/**
 * Household bills of every kind of fee (issue 15, the money and the channels):
 * - `bill_lines` gain what a usage line is about (`ref_id`: a visit, a partner booking, a charging
 *   session, a waste declaration), the ledger seqs it was computed from (`events`, JSON) and its
 *   quantity (minutes, hours over, watt-hours, bags); a thing is billed once (index by kind and ref);
 * - `charging_sessions`: the energy a car took, as metered at the charger;
 * - `ledger_subjects` gain `ref:ID` for every record already stored (see `subjectsOf`);
 * - `resident_channels`: the channels a resident is told on (微信, 短信, 站内) and quiet hours;
 * - notifications carry their template and named parameters, and each outbox row its channel.
 */
import type { Kysely } from 'kysely';

const BATCH = 2000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('bill_lines').addColumn('ref_id', 'text').execute();
  await db.schema.alterTable('bill_lines').addColumn('events', 'text').execute();
  await db.schema.alterTable('bill_lines').addColumn('quantity', 'bigint').execute();
  await db.schema.createIndex('bill_lines_ref').on('bill_lines').columns(['compound_id', 'kind', 'ref_id']).execute();
  await db.schema
    .createTable('charging_sessions')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('charger_position_id', 'text')
    .addColumn('watt_hours', 'bigint', (c) => c.notNull())
    .addColumn('fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('metered_at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('charging_sessions_pk', ['compound_id', 'id'])
    .execute();
  await db.schema
    .createTable('resident_channels')
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('quiet_from', 'text')
    .addColumn('quiet_to', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_channels_pk', ['compound_id', 'user_id'])
    .execute();
  await db.schema.alterTable('notifications').addColumn('template', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('params', 'text').execute();
  await db.schema.alterTable('notification_outbox').addColumn('channel', 'text').execute();

  // Records already stored get their `ref:` subject (0017 may have written some with today's subjectsOf).
  const subjects = db as Kysely<{ ledger_subjects: { compound_id: string; subject: string; seq: number } }>;
  await subjects.deleteFrom('ledger_subjects').where('subject', 'like', 'ref:%').execute();
  const events = (
    db as Kysely<{ ledger_events: { compound_id: string; seq: number; type: string; payload: string } }>
  ).selectFrom('ledger_events');
  let after = { compound_id: '', seq: 0 };
  for (;;) {
    const rows = await events
      .select(['compound_id', 'seq', 'type', 'payload'])
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
    const values = rows.flatMap((r) => {
      if (r.type !== 'record') return [];
      const refId = (JSON.parse(r.payload) as { refId?: unknown }).refId;
      return typeof refId === 'string' ? [{ compound_id: r.compound_id, subject: `ref:${refId}`, seq: r.seq }] : [];
    });
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
  const subjects = db as Kysely<{ ledger_subjects: { subject: string } }>;
  await subjects.deleteFrom('ledger_subjects').where('subject', 'like', 'ref:%').execute();
  await db.schema.alterTable('notification_outbox').dropColumn('channel').execute();
  await db.schema.alterTable('notifications').dropColumn('params').execute();
  await db.schema.alterTable('notifications').dropColumn('template').execute();
  await db.schema.dropTable('resident_channels').execute();
  await db.schema.dropTable('charging_sessions').execute();
  await db.schema.dropIndex('bill_lines_ref').execute();
  await db.schema.alterTable('bill_lines').dropColumn('quantity').execute();
  await db.schema.alterTable('bill_lines').dropColumn('events').execute();
  await db.schema.alterTable('bill_lines').dropColumn('ref_id').execute();
}
