/**
 * @module The store: opens SQLite (default) or PostgreSQL (`DATABASE_URL`), runs migrations, and
 * runs every mutation as one unit of work: lock the compound's ledger head, check the event against
 * the current state, write the state change and the hash-chained event in one transaction.
 */
import { Migrator } from 'kysely';
import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import type { EpochMs } from '../core/brand.js';
import type { CompoundState, StateSnapshot } from '../core/compound-state.js';
import { applyEvent, replay, snapshot } from '../core/compound-state.js';
import { DomainError, isDomainError } from '../core/errors.js';
import type { LedgerEvent, NewEvent } from '../core/events.js';
import type { DialectAdapter } from './dialect/adapter.js';
import type { VerifyResult } from './ledger.js';
import { GENESIS_HASH, canonicalJson, chainEvent, rowToEvent, subjectsOf, verifyChain } from './ledger.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import type { Head, LabelledState } from './state-cache.js';
import { StateCache } from './state-cache.js';
import { namedRefusal } from './refusal-names.js';
import { loadState, projectEvent } from './state.repository.js';

export interface StoreConfig {
  /** PostgreSQL connection string; when absent, SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite database file (`parkbutler.sqlite`); `:memory:` for an in-memory one. */
  dataDir?: string;
  /** PostgreSQL schema (tests use one per suite). */
  pgSchema?: string;
}

/** One mutation in progress: its transaction, the compound's state, and the ledger append. */
export interface UnitOfWork {
  readonly trx: Transaction<Database>;
  readonly compoundId: string;
  /** The compound's state as of this transaction, including events appended so far. */
  state(): Promise<CompoundState>;
  /** Checks the event against the state, applies it, writes its projection and chains it. */
  append(event: NewEvent): Promise<LedgerEvent>;
  /** The compound's ledger head as of this transaction (its last event, appends so far included). */
  head(): Head;
  /** Runs `fn` once this transaction (inside a request's: that one) has committed and is on disk; never if it rolls back. */
  afterCommit(fn: () => void): void;
}

/**
 * A request's own transaction, held open from before its handler runs until its reply is written
 * (see `Store.beginRequest`): the idempotency key, the mutation and the stored reply commit together.
 */
export interface RequestTransaction {
  /** Runs `fn` so that `store.db` and `store.transaction` inside it use this transaction. */
  run<T>(fn: () => T): T;
  /** The transaction itself, for the writes of the one who opened it. */
  readonly trx: Transaction<Database>;
  /** Commits, then runs what was deferred with `afterCommit`. */
  commit(): Promise<void>;
  /** Rolls back everything written in it; deferred work is dropped. */
  rollback(): Promise<void>;
}

interface Scope {
  trx: ControlledTransaction<Database>;
  /** `trx` as `store.db`: its `transaction()` opens a savepoint instead of failing. */
  view: Kysely<Database>;
  open: boolean;
  savepoints: number;
  /** Run at once after the commit, before it is on disk (see `inTransaction`). */
  committed: (() => void)[];
  afterCommit: (() => void)[];
}

export class Store {
  readonly kind: 'sqlite' | 'postgres';
  /** The database outside any request transaction. */
  readonly root: Kysely<Database>;
  private readonly scopes = new AsyncLocalStorage<Scope>();
  /** Compound states as of their ledger heads, so transactions and reads need not reload them. */
  readonly states = new StateCache();

  constructor(
    private readonly adapter: DialectAdapter,
    /** The PostgreSQL schema the tables live in, when it is not the default one. */
    private readonly schema?: string,
  ) {
    this.root = adapter.db;
    this.kind = adapter.kind;
  }

  /** The database; inside `RequestTransaction.run`, that request's transaction. */
  get db(): Kysely<Database> {
    return this.activeScope()?.view ?? this.root;
  }

  private activeScope(): Scope | undefined {
    const scope = this.scopes.getStore();
    return scope?.open === true ? scope : undefined;
  }

  /** Opens a transaction that the caller commits or rolls back (the HTTP layer's idempotent requests). */
  async beginRequest(): Promise<RequestTransaction> {
    const trx = await this.root.startTransaction().execute();
    const scope: Scope = { trx, view: trx, open: true, savepoints: 0, committed: [], afterCommit: [] };
    scope.view = new Proxy(trx, {
      get: (target, prop) => {
        if (prop === 'transaction')
          return () => ({
            execute: <T>(work: (t: Transaction<Database>) => Promise<T>) => this.nested(scope, work),
          });
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const close = async (commit: boolean): Promise<void> => {
      if (!scope.open) return;
      scope.open = false;
      if (!commit) {
        scope.committed = [];
        scope.afterCommit = [];
        await trx.rollback().execute();
        return;
      }
      await trx.commit().execute();
      for (const fn of scope.committed.splice(0)) fn();
      await this.durable();
      const deferred = scope.afterCommit;
      scope.afterCommit = [];
      for (const fn of deferred) this.scopes.exit(fn);
    };
    return {
      run: (fn) => this.scopes.run(scope, fn),
      trx,
      commit: () => close(true),
      rollback: () => close(false),
    };
  }

  /** Runs `fn` after the current request transaction commits, or now when there is none. */
  afterCommit(fn: () => void): void {
    const scope = this.activeScope();
    if (scope === undefined) fn();
    else scope.afterCommit.push(fn);
  }

  /** A savepoint in the request's transaction: `work` either writes all it wrote or nothing. */
  private async nested<T>(scope: Scope, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const name = `uow_${++scope.savepoints}`;
    const sp = await scope.trx.savepoint(name).execute();
    try {
      const result = await work(sp);
      await sp.releaseSavepoint(name).execute();
      return result;
    } catch (error) {
      await sp.rollbackToSavepoint(name).execute();
      throw error;
    }
  }

  /**
   * One transaction: the request's savepoint inside its transaction, or a transaction of its own,
   * which returns once its commit is on disk. `committed` runs as soon as the commit is made (the
   * request's, for a savepoint), before it is on disk: what it keeps is what every reader of the
   * tables sees from then on, and the next transaction, which may start while the disk syncs,
   * finds it.
   */
  private async inTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>, committed?: () => void): Promise<T> {
    const scope = this.activeScope();
    if (scope !== undefined) {
      const result = await this.nested(scope, work);
      if (committed !== undefined) scope.committed.push(committed);
      return result;
    }
    const result = await this.root.transaction().execute(work);
    committed?.();
    await this.durable();
    return result;
  }

  /**
   * Resolves once every commit made so far, by anyone on this store, is on disk. A reply waits for
   * it before it leaves, so no one is told of a change that a power cut could still undo.
   */
  durable(): Promise<void> {
    return this.adapter.durable?.() ?? Promise.resolve();
  }

  /** Brings the schema up to date; returns the names of the migrations it ran. */
  async migrate(): Promise<string[]> {
    const migrator = new Migrator({
      db: this.root,
      provider: migrationProvider,
      // Kysely looks for its own tables across all schemas; name ours so suites in other schemas don't confuse it.
      ...(this.schema === undefined ? {} : { migrationTableSchema: this.schema }),
    });
    // Several servers started together on an empty database migrate one after the other.
    const { error, results } = await this.exclusively('migrate', () => migrator.migrateToLatest());
    if (error !== undefined) throw new Error('migration failed', { cause: error });
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /** Runs `work` while no other process on this database runs work of the same `name` (see `DialectAdapter.exclusive`). */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.adapter.exclusive(`parkbutler.${this.schema ?? 'public'}.${name}`, work);
  }

  /**
   * Hears what every process on this database sends on `topic` (PostgreSQL LISTEN); null where
   * there is one process only (SQLite). Returns the function that stops listening.
   */
  async listen(
    topic: string,
    onMessage: (payload: string) => void,
    onError: (error: Error) => void,
  ): Promise<(() => Promise<void>) | null> {
    return this.adapter.listen === undefined ? null : this.adapter.listen(this.channel(topic), onMessage, onError);
  }

  /** Sends `payload` to every listener of `topic` (PostgreSQL NOTIFY, after the current transaction commits if any). */
  async notify(topic: string, payload: string): Promise<void> {
    await this.adapter.notify?.(this.channel(topic), payload);
  }

  private channel(topic: string): string {
    return this.schema === undefined ? `parkbutler_${topic}` : `parkbutler_${topic}_${this.schema}`;
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }

  async backup(target: string): Promise<void> {
    await this.adapter.backup(target);
  }

  async compoundIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('compounds').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Creates a compound with its genesis event `compound.created`. */
  async createCompound(compoundId: string, name: string, at: number): Promise<void> {
    await this.inTransaction(async (trx) => {
      const exists = await trx.selectFrom('compounds').select('id').where('id', '=', compoundId).executeTakeFirst();
      if (exists !== undefined)
        throw new DomainError('COMPOUND_EXISTS', `compoundId: compound "${compoundId}" exists`, {
          field: 'compoundId',
        });
      await trx.insertInto('compounds').values({ id: compoundId, name, created_at: at }).execute();
      await trx.insertInto('ledger_heads').values({ compound_id: compoundId, seq: 0, hash: GENESIS_HASH }).execute();
    });
    await this.transaction(compoundId, (uow) =>
      uow.append({ type: 'compound.created', payload: { name }, at: at as EpochMs, actor: 'system' }),
    );
  }

  /**
   * Runs `work` in one transaction for one compound. Appends are serialised per compound; if `work`
   * throws, nothing it wrote stays, neither state nor events.
   */
  async transaction<T>(compoundId: string, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    let toKeep: LabelledState | undefined;
    const deferred: (() => void)[] = [];
    // Kept once committed: inside a request's transaction, when that one commits.
    const keep = (): void => {
      if (toKeep !== undefined) this.states.keep(compoundId, toKeep);
    };
    const result = await this.inTransaction(async (trx) => {
      const head = await this.adapter.lockHead(trx, compoundId);
      if (head === undefined)
        throw new DomainError('NOT_FOUND', `compoundId: no compound "${compoundId}"`, { field: 'compoundId' });
      let state: CompoundState | undefined;
      // Set when an event was applied to `state` but its writes failed: `state` is then not the state at any head.
      let torn = false;
      const current = { seq: head.seq, hash: head.hash };
      const uow: UnitOfWork = {
        trx,
        compoundId,
        // Holding the head lock, the tables are the state at `head`: kept or fresh, it is that state.
        state: async () =>
          (state ??= (await this.states.at(trx, compoundId, head, true))?.state ?? (await loadState(trx, compoundId))),
        append: async (event) => {
          const s = await uow.state();
          try {
            applyEvent(s, event);
          } catch (error) {
            throw isDomainError(error) ? await namedRefusal(trx, compoundId, s, error) : error;
          }
          torn = true;
          await projectEvent(trx, compoundId, s, event);
          const row = chainEvent(compoundId, current, event);
          await this.adapter.appendEvent(trx, row, subjectsOf(event.payload));
          current.seq = row.seq;
          current.hash = row.hash;
          torn = false;
          return rowToEvent(row);
        },
        head: () => ({ ...current }),
        afterCommit: (fn) => deferred.push(fn),
      };
      const result = await work(uow);
      if (state !== undefined && !torn) toKeep = { seq: current.seq, hash: current.hash, state };
      return result;
    }, keep);
    for (const fn of deferred) this.afterCommit(fn);
    return result;
  }

  /** Deletes every row of a compound from every table that has a `compound_id` column, in one transaction. */
  async deleteCompound(compoundId: string): Promise<void> {
    const tables = (await this.db.introspection.getTables())
      .filter((t) => t.columns.some((c) => c.name === 'compound_id'))
      .filter((t) => this.schema === undefined || t.schema === undefined || t.schema === this.schema)
      .map((t) => t.name);
    await this.inTransaction(async (trx) => {
      for (const table of tables)
        await trx
          .deleteFrom(table as 'ledger_events')
          .where('compound_id', '=', compoundId)
          .execute();
      await trx.deleteFrom('compounds').where('id', '=', compoundId).execute();
    });
    this.states.drop(compoundId);
  }

  /**
   * The compound's state as stored in its tables, at its ledger head now (from the kept state when
   * it is current, see `StateCache`). The object may be shared with other readers: do not change it.
   */
  async state(compoundId: string): Promise<CompoundState> {
    const db = this.db;
    const inRequest = this.activeScope() !== undefined;
    const head = await this.headOf(db, compoundId);
    if (head === undefined) return loadState(db, compoundId);
    const found = await this.states.at(db, compoundId, head, false);
    if (found !== undefined) {
      // Inside a request's transaction the head may hold its own uncommitted events: not kept.
      if (!inRequest) this.states.keep(compoundId, found);
      return found.state;
    }
    if (inRequest) return loadState(db, compoundId);
    // Head and tables read in one snapshot, so the state loaded is the state at that head.
    const loaded = await this.root
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const at = await this.headOf(trx, compoundId);
        return at === undefined ? undefined : { ...at, state: await loadState(trx, compoundId) };
      });
    if (loaded === undefined) return loadState(db, compoundId);
    this.states.keep(compoundId, loaded);
    return loaded.state;
  }

  /** The compound's ledger head (last event's number and hash), or undefined for no such compound. */
  head(compoundId: string): Promise<Head | undefined> {
    return this.headOf(this.db, compoundId);
  }

  private headOf(db: Kysely<Database> | Transaction<Database>, compoundId: string): Promise<Head | undefined> {
    return db
      .selectFrom('ledger_heads')
      .select(['seq', 'hash'])
      .where('compound_id', '=', compoundId)
      .executeTakeFirst();
  }

  /** The compound's events from `fromSeq` up to `toSeq` (default: the last), oldest first. */
  async events(compoundId: string, fromSeq = 1, toSeq?: number): Promise<LedgerEvent[]> {
    let query = this.db
      .selectFrom('ledger_events')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('seq', '>=', fromSeq);
    if (toSeq !== undefined) query = query.where('seq', '<=', toSeq);
    const rows = await query.orderBy('seq').execute();
    return rows.map(rowToEvent);
  }

  /** The number of the compound's first event at or after `at` (by the time index), or null when none is. */
  async firstSeqAt(compoundId: string, at: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('ledger_events')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('compound_id', '=', compoundId)
      .where('at', '>=', at)
      .executeTakeFirst();
    return row?.seq ?? null;
  }

  /** The events about any of `subjects` (`vehicle:ID`, `key:TAG`; see `subjectsOf`), oldest first. */
  async eventsAbout(compoundId: string, subjects: string[]): Promise<LedgerEvent[]> {
    if (subjects.length === 0) return [];
    const rows = await this.db
      .selectFrom('ledger_events')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('seq', 'in', (eb) =>
        eb
          .selectFrom('ledger_subjects')
          .select('seq')
          .where('compound_id', '=', compoundId)
          .where('subject', 'in', subjects),
      )
      .orderBy('seq')
      .execute();
    return rows.map(rowToEvent);
  }

  /**
   * Recomputes the compound's hash chain and names the first bad event. With `fromCheckpoint`, it
   * goes on from the last point a verification found sound (when that event still has the hash it
   * had then) and moves the checkpoint to the head; the full check from the first event is the
   * default, and what `ledger verify` does.
   */
  async verify(compoundId: string, options: { fromCheckpoint?: boolean; now?: number } = {}): Promise<VerifyResult> {
    const head = await this.db
      .selectFrom('ledger_heads')
      .select(['seq', 'hash'])
      .where('compound_id', '=', compoundId)
      .executeTakeFirst();
    if (head === undefined)
      throw new DomainError('NOT_FOUND', `compoundId: no compound "${compoundId}"`, { field: 'compoundId' });
    const checkpoint =
      options.fromCheckpoint === true
        ? await this.db
            .selectFrom('ledger_checkpoints')
            .select(['seq', 'hash'])
            .where('compound_id', '=', compoundId)
            .executeTakeFirst()
        : undefined;
    // From the checkpoint's own event, so its content is checked against its hash again.
    let rows = await this.db
      .selectFrom('ledger_events')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('seq', '>=', checkpoint?.seq ?? 1)
      .orderBy('seq')
      .execute();
    let start = { seq: 0, hash: GENESIS_HASH };
    const from = rows[0];
    if (checkpoint !== undefined && from?.seq === checkpoint.seq && from.hash === checkpoint.hash)
      start = { seq: checkpoint.seq - 1, hash: from.prev_hash };
    else if (checkpoint !== undefined)
      rows = await this.db
        .selectFrom('ledger_events')
        .selectAll()
        .where('compound_id', '=', compoundId)
        .orderBy('seq')
        .execute();
    const result = verifyChain(compoundId, rows, head, start);
    if (result.ok && options.fromCheckpoint === true && head.seq !== checkpoint?.seq) {
      const checkpoint = { seq: head.seq, hash: head.hash, verified_at: options.now ?? Date.now() };
      await this.db
        .insertInto('ledger_checkpoints')
        .values({ compound_id: compoundId, ...checkpoint })
        .onConflict((oc) => oc.column('compound_id').doUpdateSet(checkpoint))
        .execute();
    }
    return result;
  }

  /** Rebuilds the state from the ledger and compares it with the stored state. */
  async replay(
    compoundId: string,
  ): Promise<{ equal: boolean; replayed: StateSnapshot; stored: StateSnapshot; events: number }> {
    const events = await this.events(compoundId);
    const replayed = snapshot(replay(events));
    // The tables themselves, never the kept state: this is the check that they match the ledger.
    const stored = snapshot(await loadState(this.db, compoundId));
    return { equal: canonicalJson(replayed) === canonicalJson(stored), replayed, stored, events: events.length };
  }
}

/**
 * Opens the configured database and brings its schema up to date. Only the adapter in use is
 * loaded: the PostgreSQL driver adds about 17 MB to a process that serves SQLite.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const adapter =
    config.databaseUrl !== undefined && config.databaseUrl !== ''
      ? (await import('./dialect/postgres.js')).openPostgres({
          connectionString: config.databaseUrl,
          ...(config.pgSchema === undefined ? {} : { schema: config.pgSchema }),
        })
      : (await import('./dialect/sqlite.js')).openSqlite(
          config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir ?? './data', 'parkbutler.sqlite'),
        );
  const store = new Store(adapter, adapter.kind === 'postgres' ? config.pgSchema : undefined);
  await store.migrate();
  return store;
}
