/**
 * @module The PostgreSQL adapter (pg). Appends to a compound's ledger are serialised by locking
 * that compound's ledger head row (`SELECT … FOR UPDATE`), so compounds never wait for each other.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.js';
import type { DialectAdapter } from './adapter.js';

// int8 (bigint) columns hold millisecond instants, well within Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.FLOAT4, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.FLOAT8, (value) => Number(value));

export interface PostgresOptions {
  connectionString: string;
  /** A schema to use instead of `public` (tests use one schema per suite). */
  schema?: string;
  maxConnections?: number;
}

export function openPostgres(options: PostgresOptions): DialectAdapter {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    lockHead: async (trx, compoundId) => {
      await trx.selectFrom('ledger_heads').select('seq').where('compound_id', '=', compoundId).forUpdate().execute();
    },
    backup: () => Promise.reject(new Error('backup: use pg_dump for PostgreSQL (see README)')),
  };
}
