/**
 * Two stores on one database, as two servers would open it (each with its own kept states): SQLite
 * in a file always, PostgreSQL in a schema of its own when `DATABASE_URL` is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';

export interface Pair {
  a: Store;
  b: Store;
  close(): Promise<void>;
}

async function sqlitePair(): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'api-state-cache-'));
  const a = await openStore({ dataDir: dir });
  const b = await openStore({ dataDir: dir });
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresPair(url: string): Promise<Pair> {
  const schema = `api_cache_${randomBytes(5).toString('hex')}`;
  const admin = async (query: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const a = await openStore({ databaseUrl: url, pgSchema: schema });
  const b = await openStore({ databaseUrl: url, pgSchema: schema });
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

export const PAIR_BACKENDS: { name: string; pair: () => Promise<Pair> }[] = [
  { name: 'sqlite', pair: sqlitePair },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres', pair: () => postgresPair(process.env.DATABASE_URL!) }] : []),
];
