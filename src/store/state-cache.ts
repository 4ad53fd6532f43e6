/**
 * @module Compound states kept in memory between transactions, so a mutation or a read does not
 * reload the whole state from the tables. Each kept state is labelled with the ledger head it is
 * the state of, `(seq, hash)`. A user first reads the compound's head (one cheap query): when the
 * label is that head, the kept state is current; when the head is further on (another server on the
 * same PostgreSQL appended), the events after the label are read and applied to a copy; anything
 * else (the head behind or on another chain: a compound deleted and created again, a restore) drops
 * the kept state and the tables are read afresh.
 *
 * Why this equals a fresh load: the tables are the projection of the ledger written in the same
 * transaction as each event (`projectEvent`), so the state at head `(seq, hash)` is the state the
 * events up to `seq` produce through `applyEvent`, and a hash names its whole chain. A state is
 * kept only when it is known to be the state at its label: one loaded or brought up to date in a
 * transaction that holds the head lock, kept after that transaction committed, or one brought up
 * to date from a kept state with the events the chain links to it. Kept states are never changed
 * in place: a mutation works on a copy, and a read gets the kept object, which it must not change.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CompoundState } from '../core/compound-state.js';
import { applyEvent, cloneState } from '../core/compound-state.js';
import { rowToEvent } from './ledger.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A ledger head: the last event's number and hash. */
export interface Head {
  seq: number;
  hash: string;
}

/** A state and the head it is the state at. */
export interface LabelledState extends Head {
  state: CompoundState;
}

/** The most events a kept state is brought forward by; further behind, the tables are read instead. */
const MAX_CATCH_UP = 500;

export class StateCache {
  private readonly kept = new Map<string, LabelledState>();
  /** How states were found, for tests and the bench: kept as is, brought forward, or not usable. */
  readonly counts = { hits: 0, caughtUp: 0, misses: 0 };

  /**
   * The state at `head`, from the kept state when it is usable (see the module comment), else
   * undefined. `mutable` gives a copy of its own to the caller, which may then change it.
   */
  async at(db: Db, compoundId: string, head: Head, mutable: boolean): Promise<LabelledState | undefined> {
    const kept = this.kept.get(compoundId);
    if (kept === undefined) {
      this.counts.misses++;
      return undefined;
    }
    if (kept.seq === head.seq && kept.hash === head.hash) {
      this.counts.hits++;
      return { ...head, state: mutable ? cloneState(kept.state) : kept.state };
    }
    const forward =
      kept.seq < head.seq && head.seq - kept.seq <= MAX_CATCH_UP
        ? await this.forward(db, compoundId, kept, head)
        : undefined;
    if (forward === undefined) {
      if (this.kept.get(compoundId) === kept) this.kept.delete(compoundId);
      this.counts.misses++;
      return undefined;
    }
    this.counts.caughtUp++;
    return forward;
  }

  /** The kept state brought to `head` on a copy, or undefined when the ledger does not link them. */
  private async forward(
    db: Db,
    compoundId: string,
    kept: LabelledState,
    head: Head,
  ): Promise<LabelledState | undefined> {
    const rows = await db
      .selectFrom('ledger_events')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('seq', '>', kept.seq)
      .where('seq', '<=', head.seq)
      .orderBy('seq')
      .execute();
    let link: Head = kept;
    for (const row of rows) {
      if (row.seq !== link.seq + 1 || row.prev_hash !== link.hash) return undefined;
      link = { seq: row.seq, hash: row.hash };
    }
    if (link.seq !== head.seq || link.hash !== head.hash) return undefined;
    const state = cloneState(kept.state);
    try {
      for (const row of rows) applyEvent(state, rowToEvent(row));
    } catch {
      // An event the kept state refuses: it is not the state its label says; read the tables.
      return undefined;
    }
    return { ...head, state };
  }

  /**
   * Keeps `labelled` (the state at its head, committed) unless a state further on is kept. The
   * caller gives up the object: it must not change it afterwards.
   */
  keep(compoundId: string, labelled: LabelledState): void {
    const kept = this.kept.get(compoundId);
    if (kept !== undefined && kept.seq > labelled.seq) return;
    this.kept.set(compoundId, labelled);
  }

  /** Forgets the compound's kept state (the compound was deleted). */
  drop(compoundId: string): void {
    this.kept.delete(compoundId);
  }
}
