/** @module What a database adapter provides; the rest of the store never knows which database runs. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

export interface DialectAdapter {
  kind: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  /** Serialises appends to one compound's ledger inside a transaction. */
  lockHead(trx: Transaction<Database>, compoundId: string): Promise<void>;
  /** Writes a consistent copy of the database to a file (SQLite online backup). */
  backup(target: string): Promise<void>;
}
