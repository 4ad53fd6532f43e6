/**
 * @module Key alarms in tables: one row per key out with a guard past the limit, raised once per
 * checkout. Each function takes the database or the caller's transaction.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, KeyAlarmsTable } from './schema.js';

type Db = Kysely<Database>;

/** The tags of keys with a guard since `cutoff` or earlier whose checkout has no alarm yet. */
export async function keysOutUnalarmedSince(db: Db, compoundId: string, cutoff: number): Promise<string[]> {
  const rows = await db
    .selectFrom('keys')
    .leftJoin('key_alarms', (j) =>
      j
        .onRef('key_alarms.compound_id', '=', 'keys.compound_id')
        .onRef('key_alarms.key_tag', '=', 'keys.tag')
        .onRef('key_alarms.checked_out_at', '=', 'keys.since'),
    )
    .select('keys.tag')
    .where('keys.compound_id', '=', compoundId)
    .where('keys.custody', '=', 'with-guard')
    .where('keys.since', '<=', cutoff)
    .where('key_alarms.key_tag', 'is', null)
    .execute();
  return rows.map((r) => r.tag);
}

export async function insertKeyAlarm(db: Db, row: Insertable<KeyAlarmsTable>): Promise<void> {
  await db.insertInto('key_alarms').values(row).execute();
}

/** The alarms of checkouts from `since` on. */
export async function keyAlarmsSince(
  db: Db,
  compoundId: string,
  since: number,
): Promise<Pick<Selectable<KeyAlarmsTable>, 'key_tag' | 'checked_out_at' | 'raised_at'>[]> {
  return db
    .selectFrom('key_alarms')
    .select(['key_tag', 'checked_out_at', 'raised_at'])
    .where('compound_id', '=', compoundId)
    .where('checked_out_at', '>=', since)
    .execute();
}
