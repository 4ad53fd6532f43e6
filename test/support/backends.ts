/**
 * The store backends every contract test runs against: SQLite in memory always, PostgreSQL when
 * `DATABASE_URL` is set (CI sets it). Each PostgreSQL store gets a schema of its own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  /** Drops what `open` created (PostgreSQL schemas). */
  cleanup(): Promise<void>;
}

function postgresBackend(url: string): Backend {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    open: async () => {
      const schema = `pbt_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.end();
      schemas.push(schema);
      return openStore({ databaseUrl: url, pgSchema: schema });
    },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export const BACKENDS: Backend[] = [
  { name: 'sqlite', open: () => openStore({ dataDir: ':memory:' }), cleanup: async () => {} },
  ...(process.env.DATABASE_URL ? [postgresBackend(process.env.DATABASE_URL)] : []),
];
