/**
 * @module Ledger checks for the CLI and the API: verify each compound's chain, replay it against
 * the stored state, publish each day's head outside the database and check the chain against a
 * published head.
 */
import type { AppContext } from './context.js';
import { notify } from './notifications.js';
import { shanghaiDate } from '../core/time.js';
import { DomainError } from '../core/errors.js';
import type { VerifyResult } from '../store/ledger.js';
import { usersOfRole } from '../store/account.repository.js';
import { hashOfEvent, insertPublishedHead, isHeadPublishedOn, ledgerHeadOf } from '../store/ledger.repository.js';
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

/** Verifies each chain, from its first event (the default) or from its last checkpoint (see `Store.verify`). */
export async function verifyLedgers(
  store: Store,
  compoundId?: string,
  options: { fromCheckpoint?: boolean } = {},
): Promise<CompoundVerification[]> {
  const ids = await compoundsToCheck(store, compoundId);
  return Promise.all(ids.map(async (id) => ({ compoundId: id, result: await store.verify(id, options) })));
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

/** A head as published: `SEQ:HASH`, e.g. `1042:9f86d081…` (the full 64 hex digits). */
export interface PublishedHead {
  seq: number;
  hash: string;
}

export function parsePublishedHead(text: string): PublishedHead {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (match === null)
    throw new DomainError('VALIDATION', 'against: a published head is SEQ:HASH, e.g. 1042:<64 hex digits>', {
      field: 'against',
    });
  return { seq: Number(match[1]), hash: match[2]! };
}

/**
 * Checks that the ledger still holds the published head: event #seq is there with that hash. A
 * chain whose last events were deleted and whose head was rewritten verifies by itself; it fails
 * here, against a head published before the deletion.
 */
export async function checkAgainst(
  store: Store,
  compoundId: string,
  head: PublishedHead,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const hash = await hashOfEvent(store.db, compoundId, head.seq);
  if (hash === undefined)
    return { ok: false, message: `the published head #${head.seq} is not in the ledger (events deleted?)` };
  if (hash !== head.hash)
    return { ok: false, message: `event #${head.seq} has another hash than the published head (rewritten?)` };
  return { ok: true };
}

/**
 * Publishes the compound's head once a day (Asia/Shanghai): recorded in `ledger_published_heads`
 * and sent as a notification to the committee, which goes out through the webhook too, where the
 * compound cannot rewrite it. Returns the head when it published one.
 */
export async function publishDailyHead(ctx: AppContext, compoundId: string): Promise<PublishedHead | null> {
  const now = ctx.now();
  const day = shanghaiDate(now);
  const published = await ctx.store.transaction(compoundId, async (uow) => {
    if (await isHeadPublishedOn(uow.trx, compoundId, day)) return null;
    const head = await ledgerHeadOf(uow.trx, compoundId);
    await insertPublishedHead(uow.trx, {
      compound_id: compoundId,
      day,
      seq: head.seq,
      hash: head.hash,
      published_at: now,
    });
    const committee = await usersOfRole(uow.trx, compoundId, 'committee');
    await notify(
      uow,
      {
        userIds: committee.map((u) => u.id),
        kind: 'ledger.head',
        title: `${day} 账本日终哈希`,
        body: `请留存以备核对：${head.seq}:${head.hash}（parkbutler ledger verify --against ${head.seq}:${head.hash}）`,
        ref: `${head.seq}:${head.hash}`,
      },
      ctx,
    );
    return { seq: head.seq, hash: head.hash };
  });
  return published;
}
