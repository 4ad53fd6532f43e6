/**
 * @module The tamper-evident ledger. Each event's hash is SHA-256 over a canonical encoding of
 * (compound, seq, at, actor, type, payload, previous hash), so editing, deleting or reordering any
 * stored event breaks the chain at that event. `verifyChain` names the first bad event.
 */
import { createHash } from 'node:crypto';
import type { LedgerEvent, NewEvent } from '../core/events.js';
import type { LedgerEventsTable } from './schema.js';

/** The previous hash of a compound's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted, no white space, `undefined` members dropped. Our payloads hold
 * only strings, finite numbers, booleans, null, arrays and plain objects, so this is unambiguous.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error(`canonicalJson: ${value} is not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashInput {
  compoundId: string;
  seq: number;
  at: number;
  actor: string;
  type: string;
  /** Canonical JSON of the payload, exactly as stored. */
  payload: string;
  prevHash: string;
}

export function eventHash(input: HashInput): string {
  const encoded = canonicalJson({ ...input });
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

/** Numbers and hashes a new event after the head `(seq, hash)`, giving the row to store. */
export function chainEvent(
  compoundId: string,
  head: { seq: number; hash: string },
  event: NewEvent,
): LedgerEventsTable {
  const payload = canonicalJson(event.payload);
  const seq = head.seq + 1;
  const hash = eventHash({
    compoundId,
    seq,
    at: event.at,
    actor: event.actor,
    type: event.type,
    payload,
    prevHash: head.hash,
  });
  return {
    compound_id: compoundId,
    seq,
    at: event.at,
    actor: event.actor,
    type: event.type,
    payload,
    prev_hash: head.hash,
    hash,
  };
}

/**
 * What an event is about, for the history of a car or a key: `vehicle:ID` and `key:TAG` of its
 * payload; and `ref:ID` of a record's `refId`, so what a record is about (a bill line's visit,
 * booking, charging session or waste declaration) finds its records without a scan.
 */
export function subjectsOf(payload: unknown): string[] {
  const p = payload as { vehicleId?: unknown; keyTag?: unknown; refId?: unknown } | null;
  const out: string[] = [];
  if (typeof p?.vehicleId === 'string') out.push(`vehicle:${p.vehicleId}`);
  if (typeof p?.keyTag === 'string') out.push(`key:${p.keyTag}`);
  if (typeof p?.refId === 'string') out.push(`ref:${p.refId}`);
  return out;
}

export function rowToEvent(row: LedgerEventsTable): LedgerEvent {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  } as LedgerEvent;
}

export type VerifyResult =
  | { ok: true; events: number; headHash: string }
  | {
      ok: false;
      events: number;
      badSeq: number;
      problem: 'edited' | 'missing' | 'reordered' | 'head-mismatch';
      message: string;
    };

/**
 * Recomputes a compound's chain from stored rows in `seq` order (from the first event, or after `start`). `head` is the stored head; a chain
 * whose last events were cut off is caught by comparing with it.
 */
export function verifyChain(
  compoundId: string,
  rows: readonly LedgerEventsTable[],
  head?: { seq: number; hash: string },
  /** The event the rows follow (a checkpoint); the genesis by default. */
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): VerifyResult {
  let prevHash = start.hash;
  let expectedSeq = start.seq + 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      const problem = row.seq > expectedSeq ? 'missing' : 'reordered';
      return {
        ok: false,
        events: start.seq + rows.length,
        badSeq: expectedSeq,
        problem,
        message:
          problem === 'missing'
            ? `event #${expectedSeq} is missing (deleted?): the chain jumps from #${expectedSeq - 1} to #${row.seq}`
            : `event #${row.seq} appears again after #${expectedSeq - 1}`,
      };
    }
    const recomputed = eventHash({
      compoundId,
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      type: row.type,
      payload: row.payload,
      prevHash: row.prev_hash,
    });
    if (row.prev_hash !== prevHash) {
      return {
        ok: false,
        events: start.seq + rows.length,
        badSeq: row.seq,
        problem: 'reordered',
        message: `event #${row.seq} (${row.type}) does not follow event #${row.seq - 1}: its previous hash does not match (events reordered, inserted or deleted)`,
      };
    }
    if (recomputed !== row.hash) {
      return {
        ok: false,
        events: start.seq + rows.length,
        badSeq: row.seq,
        problem: 'edited',
        message: `event #${row.seq} (${row.type}) was edited: its content does not match its hash`,
      };
    }
    prevHash = row.hash;
    expectedSeq++;
  }
  if (head !== undefined && (head.seq !== expectedSeq - 1 || head.hash !== prevHash)) {
    return {
      ok: false,
      events: start.seq + rows.length,
      badSeq: expectedSeq,
      problem: head.seq > expectedSeq - 1 ? 'missing' : 'head-mismatch',
      message: `the ledger head says #${head.seq} but the chain ends at #${expectedSeq - 1}: events after #${expectedSeq - 1} are missing or the head was changed`,
    };
  }
  return { ok: true, events: start.seq + rows.length, headHash: prevHash };
}
