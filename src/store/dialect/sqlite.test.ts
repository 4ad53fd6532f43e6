import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { DialectAdapter } from './adapter.js';
import { openSqlite } from './sqlite.js';

/** Whether `promise` settles within a few microtask turns, i.e. without waiting for any I/O. */
async function settlesAtOnce(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  const atOnce = settled;
  await promise;
  return atOnce;
}

describe('SQLite group commit', () => {
  const dirs: string[] = [];
  const adapters: DialectAdapter[] = [];
  const open = (): { adapter: DialectAdapter; file: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'parkbutler-sqlite-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const adapter = openSqlite(file);
    adapters.push(adapter);
    return { adapter, file };
  };
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.db.destroy();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('waits for a sync after a commit that wrote, and not after reads', async () => {
    const { adapter } = open();
    await sql`create table t (n integer)`.execute(adapter.db);
    await adapter.durable!();
    await sql`select count(*) from t`.execute(adapter.db);
    expect(await settlesAtOnce(adapter.durable!())).toBe(true);

    await sql`insert into t values (1)`.execute(adapter.db);
    expect(await settlesAtOnce(adapter.durable!())).toBe(false);
    expect(await settlesAtOnce(adapter.durable!())).toBe(true);

    await adapter.db.transaction().execute(async (trx) => {
      await sql`insert into t values (2)`.execute(trx);
    });
    expect(await settlesAtOnce(adapter.durable!())).toBe(false);
  });

  it('counts a transaction when it ends, so a sync during it does not cover it', async () => {
    const { adapter } = open();
    await sql`create table t (n integer)`.execute(adapter.db);
    await adapter.durable!();
    const trx = await adapter.db.startTransaction().execute();
    await sql`insert into t values (1)`.execute(trx);
    // Nothing committed yet: no sync is due.
    expect(await settlesAtOnce(adapter.durable!())).toBe(true);
    await trx.commit().execute();
    expect(await settlesAtOnce(adapter.durable!())).toBe(false);
  });

  it('lets concurrent waiters share syncs and keeps every commit', async () => {
    const { adapter, file } = open();
    await sql`create table t (n integer)`.execute(adapter.db);
    await Promise.all(
      Array.from({ length: 20 }, async (_, n) => {
        await adapter.db.transaction().execute((trx) => sql`insert into t values (${n})`.execute(trx));
        await adapter.durable!();
      }),
    );
    await adapter.db.destroy();
    adapters.pop();
    const again = openSqlite(file);
    adapters.push(again);
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(again.db);
    expect(rows[0]?.n).toBe(20);
  });
});
