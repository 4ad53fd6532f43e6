/** @module What a database adapter provides; the rest of the store never knows which database runs. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, LedgerEventsTable } from '../schema.js';

export interface DialectAdapter {
  kind: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  /**
   * Serialises appends to one compound's ledger inside a transaction, and reads its head (the last
   * event's number and hash) as of the lock, in the same statement where the database allows;
   * undefined when there is no such compound.
   */
  lockHead(trx: Transaction<Database>, compoundId: string): Promise<{ seq: number; hash: string } | undefined>;
  /**
   * Writes one chained event inside the transaction that holds the head lock: its row, its rows in
   * the subject index, and the head moved to it. The head lock is held until the commit, so every
   * statement here lengthens the time other mutations of the compound wait: one statement where
   * the database allows.
   */
  appendEvent(trx: Transaction<Database>, row: LedgerEventsTable, subjects: readonly string[]): Promise<void>;
  /** Writes a consistent copy of the database to a file (SQLite online backup). */
  backup(target: string): Promise<void>;
  /**
   * Runs `work` while holding a lock named `name` across every process on this database
   * (PostgreSQL advisory lock); SQLite has one server per file, so it just runs it.
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * Hears the messages sent on `channel` by every process on this database (PostgreSQL
   * LISTEN/NOTIFY); returns the function that stops listening. Null where the database has no
   * such channel (SQLite: one process).
   */
  listen?(
    channel: string,
    onMessage: (payload: string) => void,
    onError: (error: Error) => void,
  ): Promise<() => Promise<void>>;
  /**
   * Resolves once every commit made before the call is on disk (SQLite's group commit). Where a
   * commit returns only once it is on disk (PostgreSQL), absent.
   */
  durable?(): Promise<void>;
  /** Sends `payload` to every listener of `channel` (PostgreSQL NOTIFY). */
  notify?(channel: string, payload: string): Promise<void>;
}
