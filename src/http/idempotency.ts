/**
 * @module `Idempotency-Key` for mutating requests: a phone on a weak connection retries with the
 * same key, and the request is applied once. A request with a key runs in one transaction of its
 * own, held from before its handler until its reply is written: the key, the mutation and the
 * reply commit together or not at all. So a retry after a crash either finds nothing (the first
 * never committed; the retry is applied now) or the first reply, sent again with the header
 * `Idempotent-Replayed: true`. Only a retry while the first still runs gets 409. A server error
 * rolls everything back and frees the key. Keys are per user and kept for 24 hours; a periodic job
 * sweeps older ones (`sweepIdempotencyKeys`).
 */
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../core/errors.js';
import type { RequestTransaction, Store } from '../store/store.js';

const HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
/** How long a key and its reply are kept. */
export const IDEMPOTENCY_KEEP_MS = 24 * 3600_000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

/** The open transaction of each request that claimed a key, until its reply is written. */
const open = new WeakMap<FastifyRequest, RequestTransaction>();

function keyOf(request: FastifyRequest): string | null {
  const value = request.headers[HEADER];
  if (value === undefined || !MUTATING.has(request.method)) return null;
  const key = Array.isArray(value) ? value[0] : value;
  if (key === undefined || !KEY.test(key)) {
    throw new DomainError(
      'VALIDATION',
      'headers.idempotency-key: 8 to 100 characters of letters, digits, "_", ".", ":" and "-" (a UUID is fine)',
      {
        field: 'headers.idempotency-key',
      },
    );
  }
  return key;
}

interface KeyRef {
  compound_id: string;
  user_id: string;
  key: string;
}

function findKey(store: Store, where: KeyRef, after: number) {
  return store.root
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('compound_id', '=', where.compound_id)
    .where('user_id', '=', where.user_id)
    .where('key', '=', where.key)
    .where('created_at', '>=', after)
    .executeTakeFirst();
}

/** preHandler: answer a retry with the stored reply, or open the request's transaction and claim the key in it. */
export function idempotencyClaim(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const key = keyOf(request);
    const principal = request.principal;
    if (key === null || principal === null) return undefined;
    const path = request.url;
    const now = ctx.now();
    const where = { compound_id: principal.compoundId, user_id: principal.userId, key };
    // Whether the stored reply was sent. (Not the reply itself: a Fastify reply is a thenable, so an
    // async function returning it would wait for the response to finish and yield undefined.)
    const replay = async (): Promise<boolean> => {
      const existing = await findKey(ctx.store, where, now - IDEMPOTENCY_KEEP_MS);
      if (existing === undefined) return false;
      if (existing.method !== request.method || existing.path !== path) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          `headers.idempotency-key: this key was used for ${existing.method} ${existing.path}`,
          { field: 'headers.idempotency-key' },
        );
      }
      reply
        .code(existing.status_code ?? 200)
        .header('content-type', 'application/json; charset=utf-8')
        .header('idempotent-replayed', 'true')
        .send(existing.body ?? '');
      return true;
    };
    if (await replay()) return reply;

    const txn = await ctx.store.beginRequest();
    try {
      // A key kept past its time is free again.
      await txn.trx
        .deleteFrom('idempotency_keys')
        .where('compound_id', '=', where.compound_id)
        .where('user_id', '=', where.user_id)
        .where('key', '=', key)
        .where('created_at', '<', now - IDEMPOTENCY_KEEP_MS)
        .execute();
      await txn.trx
        .insertInto('idempotency_keys')
        .values({ ...where, method: request.method, path, status_code: null, body: null, created_at: now })
        .execute();
    } catch (error) {
      await txn.rollback();
      // Another request with the same key committed a moment ago, or still runs.
      if (await replay()) return reply;
      throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'headers.idempotency-key: a request with this key is running', {
        field: 'headers.idempotency-key',
        cause: error,
      });
    }
    open.set(request, txn);
    request.idempotencyKey = key;
    return undefined;
  };
}

/** onRoute: a handler of a request that claimed a key runs inside that request's transaction. */
export function idempotencyScope(route: RouteOptions): void {
  const handler = route.handler;
  route.handler = function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
    const txn = open.get(request);
    return txn === undefined
      ? handler.call(this as never, request, reply)
      : txn.run(() => handler.call(this as never, request, reply));
  } as RouteOptions['handler'];
}

/** onSend: store the reply in the request's transaction and commit; a server error rolls it all back. */
export function idempotencyStore() {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const txn = open.get(request);
    const key = request.idempotencyKey;
    const principal = request.principal;
    if (txn === undefined || key === null || principal === null) return payload;
    open.delete(request);
    if (reply.statusCode >= 500) {
      await txn.rollback();
      return payload;
    }
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : JSON.stringify(payload ?? null);
    try {
      await txn.trx
        .updateTable('idempotency_keys')
        .set({ status_code: reply.statusCode, body })
        .where('compound_id', '=', principal.compoundId)
        .where('user_id', '=', principal.userId)
        .where('key', '=', key)
        .execute();
      await txn.commit();
    } catch (error) {
      await txn.rollback().catch(() => undefined);
      throw error;
    }
    return payload;
  };
}

/** onResponse: a request whose transaction is still open (its reply never went through onSend) is rolled back. */
export async function idempotencyRelease(request: FastifyRequest): Promise<void> {
  const txn = open.get(request);
  if (txn === undefined) return;
  open.delete(request);
  await txn.rollback();
}

/** Deletes the compound's keys older than `IDEMPOTENCY_KEEP_MS`; returns how many. */
export async function sweepIdempotencyKeys(store: Store, compoundId: string, now: number): Promise<number> {
  const result = await store.root
    .deleteFrom('idempotency_keys')
    .where('compound_id', '=', compoundId)
    .where('created_at', '<', now - IDEMPOTENCY_KEEP_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
