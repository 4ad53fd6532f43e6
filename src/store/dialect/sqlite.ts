/**
 * @module The SQLite adapter (better-sqlite3): a file under the data directory in WAL mode, or
 * `:memory:` for tests. better-sqlite3 is synchronous and Kysely runs it on one connection, so
 * transactions are already serialised; `BEGIN IMMEDIATE` semantics come from that single writer.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SqliteDatabase } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from '../schema.js';
import type { DialectAdapter } from './adapter.js';

export function openSqlite(file: string): DialectAdapter {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction that returned is on disk, even if the machine loses power right after.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  return {
    kind: 'sqlite',
    db,
    // The single connection already serialises writers; nothing to lock.
    lockHead: async () => {},
    exclusive: (_name, work) => work(),
    backup: async (target: string) => {
      mkdirSync(dirname(target), { recursive: true });
      await sqlite.backup(target);
    },
  };
}

/** How many prepared statements are kept; the app has a few hundred distinct queries. */
const STATEMENTS = 1000;

/**
 * Kysely prepares every query anew; preparing costs about as much as running a small one. The one
 * connection runs one statement at a time, so a prepared statement can be kept and used again for
 * the same SQL text (the parameters are bound on each run).
 */
function cachingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENTS) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
