/**
 * @module The SQLite adapter (better-sqlite3): a file under the data directory in WAL mode, or
 * `:memory:` for tests. better-sqlite3 is synchronous and Kysely runs it on one connection, so
 * transactions are already serialised; `BEGIN IMMEDIATE` semantics come from that single writer.
 *
 * Durability is a group commit: SQLite writes each commit to the write-ahead log without waiting
 * for the disk (`synchronous = NORMAL`), and `durable()` waits until one `fdatasync` of the log,
 * started after the caller's commit, has finished. The sync runs on libuv's thread pool, so the
 * server goes on with other requests meanwhile, and the commits of every request that waits at the
 * same time share one sync. The store awaits `durable()` before a transaction returns and before a
 * reply leaves, so what was acknowledged is on disk as with `synchronous = FULL`, which synced the
 * log inside every COMMIT on the one thread that serves all requests (3.5 ms at the median on this
 * machine's disk, tens of ms under load).
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { mkdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database, LedgerEventsTable } from '../schema.js';
import type { DialectAdapter } from './adapter.js';

export function openSqlite(file: string): DialectAdapter {
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL: a commit is written to the log but not synced; `durable()` syncs it (see the module comment).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const commits = new CommitCounter(sqlite);
  const group = inMemory ? null : new GroupSync(`${file}-wal`, dirname(file), () => commits.count);
  const database = cachingStatements(sqlite, commits, () => group?.close());
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    kind: 'sqlite',
    db,
    // The single connection already serialises writers; nothing to lock.
    lockHead: (trx, compoundId) =>
      trx.selectFrom('ledger_heads').select(['seq', 'hash']).where('compound_id', '=', compoundId).executeTakeFirst(),
    // Statements are calls into the process, not round trips: one each, on the connection itself
    // (see APPEND), which the caller's transaction holds until it commits.
    appendEvent: async (_trx, row, subjects) => {
      if (!sqlite.inTransaction) throw new Error('a ledger append runs inside its transaction');
      database.prepare(APPEND.event).run(EVENT_COLUMNS.map((column) => row[column]));
      for (const subject of subjects) database.prepare(APPEND.subject).run([row.compound_id, subject, row.seq]);
      database.prepare(APPEND.head).run([row.seq, row.hash, row.compound_id]);
    },
    exclusive: (_name, work) => work(),
    backup: async (target: string) => {
      mkdirSync(dirname(target), { recursive: true });
      await sqlite.backup(target);
    },
    durable: () => group?.durable() ?? Promise.resolve(),
  };
}

const EVENT_COLUMNS: readonly (keyof LedgerEventsTable)[] = [
  'compound_id',
  'seq',
  'at',
  'actor',
  'type',
  'payload',
  'prev_hash',
  'hash',
];

/**
 * An append's statements as fixed SQL, run through the statement cache without Kysely: it would
 * build and compile each anew, and an append is three of a mutation's ~19 statements, two appends a
 * mutation on average (bench:api).
 */
const APPEND = {
  event: `insert into "ledger_events" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
  subject: 'insert into "ledger_subjects" ("compound_id", "subject", "seq") values (?, ?, ?)',
  head: 'update "ledger_heads" set "seq" = ?, "hash" = ? where "compound_id" = ?',
};

/**
 * Counts the commits that wrote something: a transaction that ran a writing statement and ended,
 * or a writing statement outside a transaction. A rolled-back transaction counts too (one sync
 * more, never one less).
 */
class CommitCounter {
  count = 0;
  private wrote = false;

  constructor(private readonly sqlite: SQLite.Database) {}

  ran(statement: SQLite.Statement): void {
    if (!statement.readonly) this.wrote = true;
    if (this.wrote && !this.sqlite.inTransaction) {
      this.count++;
      this.wrote = false;
    }
  }
}

/** One `fdatasync` of the log at a time, shared by everyone who waits while it is due. */
class GroupSync {
  /** The commit count the last finished sync covers. */
  private synced = 0;
  private running: Promise<void> | null = null;
  private directorySynced = false;
  private log: FileHandle | null = null;

  constructor(
    private readonly wal: string,
    private readonly directory: string,
    private readonly commits: () => number,
  ) {}

  /** Resolves once every commit made before the call is on disk. */
  async durable(): Promise<void> {
    const target = this.commits();
    while (this.synced < target) {
      // A sync that started before this commit does not cover it: wait for it, then start the next.
      this.running ??= this.sync();
      await this.running;
    }
  }

  /** Lets go of the log (the database closed). */
  close(): void {
    const log = this.log;
    this.log = null;
    void log?.close().catch(() => undefined);
  }

  private async sync(): Promise<void> {
    const covers = this.commits();
    try {
      // The log stays while the connection is open (SQLite truncates it in place, never deletes it).
      this.log ??= await open(this.wal, 'r');
      await this.log.datasync();
      // The log's directory entry once, so a log created by this process is found after a crash.
      if (!this.directorySynced) {
        const directory = await open(this.directory, 'r');
        try {
          await directory.datasync();
        } finally {
          await directory.close();
        }
        this.directorySynced = true;
      }
      this.synced = Math.max(this.synced, covers);
    } catch (error) {
      const log = this.log;
      this.log = null;
      await log?.close().catch(() => undefined);
      throw error;
    } finally {
      this.running = null;
    }
  }
}

/** How many prepared statements are kept; the app has a few hundred distinct queries. */
const STATEMENTS = 1000;

/**
 * Kysely prepares every query anew; preparing costs about as much as running a small one. The one
 * connection runs one statement at a time, so a prepared statement can be kept and used again for
 * the same SQL text (the parameters are bound on each run). Each run is reported to `commits`.
 */
function cachingStatements(sqlite: SQLite.Database, commits: CommitCounter, onClose: () => void): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      sqlite.close();
      onClose();
    },
    prepare: (sql) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = counted(sqlite.prepare(sql), commits);
        if (cache.size >= STATEMENTS) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function counted(statement: SQLite.Statement, commits: CommitCounter): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => {
      const rows = statement.all(parameters);
      commits.ran(statement);
      return rows;
    },
    run: (parameters) => {
      const result = statement.run(parameters);
      commits.ran(statement);
      return result;
    },
    // Kysely streams only selects.
    iterate: (parameters) => statement.iterate(parameters),
  };
}
