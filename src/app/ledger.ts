/** @module Ledger checks for the CLI and the API: verify each compound's chain, replay it against the stored state. */
import { DomainError } from '../core/errors.js';
import type { VerifyResult } from '../store/ledger.js';
import type { Store } from '../store/store.js';

export interface CompoundVerification {
  compoundId: string;
  result: VerifyResult;
}

async function compoundsToCheck(store: Store, compoundId?: string): Promise<string[]> {
  const all = await store.compoundIds();
  if (compoundId === undefined) return all;
  if (!all.includes(compoundId))
    throw new DomainError('NOT_FOUND', `compound: no compound "${compoundId}"`, { field: 'compound' });
  return [compoundId];
}

export async function verifyLedgers(store: Store, compoundId?: string): Promise<CompoundVerification[]> {
  const ids = await compoundsToCheck(store, compoundId);
  return Promise.all(ids.map(async (id) => ({ compoundId: id, result: await store.verify(id) })));
}

export interface CompoundReplay {
  compoundId: string;
  events: number;
  equal: boolean;
  /** The first differences, as paths, when the replay does not match. */
  differences: string[];
}

/** Paths at which two JSON values differ, at most `limit` of them. */
export function jsonDifferences(a: unknown, b: unknown, path = '', limit = 10, out: string[] = []): string[] {
  if (out.length >= limit) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${path || '(root)'}: replay ${JSON.stringify(a)} ≠ stored ${JSON.stringify(b)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const sub = Array.isArray(a) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    jsonDifferences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], sub, limit, out);
  }
  return out;
}

export async function replayLedgers(store: Store, compoundId?: string): Promise<CompoundReplay[]> {
  const ids = await compoundsToCheck(store, compoundId);
  const results: CompoundReplay[] = [];
  for (const id of ids) {
    const r = await store.replay(id);
    results.push({
      compoundId: id,
      events: r.events,
      equal: r.equal,
      differences: r.equal ? [] : jsonDifferences(r.replayed, r.stored),
    });
  }
  return results;
}
