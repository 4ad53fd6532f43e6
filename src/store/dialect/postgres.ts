/**
 * @module The PostgreSQL adapter (pg). Appends to a compound's ledger are serialised by locking
 * that compound's ledger head row (`SELECT … FOR UPDATE`), so compounds never wait for each other.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
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
    lockHead: (trx, compoundId) =>
      trx
        .selectFrom('ledger_heads')
        .select(['seq', 'hash'])
        .where('compound_id', '=', compoundId)
        .forUpdate()
        .executeTakeFirst(),
    // One round trip: the event, its subject rows and the head, as data-modifying CTEs of one statement.
    appendEvent: async (trx, row, subjects) => {
      const event = trx.with('event', (db) => db.insertInto('ledger_events').values(row));
      const statement =
        subjects.length === 0
          ? event.updateTable('ledger_heads')
          : event
              .with('subjects', (db) =>
                db
                  .insertInto('ledger_subjects')
                  .values(subjects.map((subject) => ({ compound_id: row.compound_id, subject, seq: row.seq }))),
              )
              .updateTable('ledger_heads');
      await statement.set({ seq: row.seq, hash: row.hash }).where('compound_id', '=', row.compound_id).execute();
    },
    backup: () => Promise.reject(new Error('backup: use pg_dump for PostgreSQL (see README)')),
    exclusive: (name, work) =>
      // A session lock on one pooled connection; `work` itself may use the others.
      db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(hashtext(${name}))`.execute(conn);
        try {
          return await work();
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
        }
      }),
    listen: async (channel, onMessage, onError) => {
      // LISTEN needs a connection of its own, outside the pool, for as long as it listens.
      const client = new pg.Client({
        connectionString: options.connectionString,
        ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
      });
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
      });
      client.on('error', onError);
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      return () => client.end();
    },
    notify: async (channel, payload) => {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
  };
}
