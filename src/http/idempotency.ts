/**
 * @module `Idempotency-Key` for mutating requests: a phone on a weak connection retries with the
 * same key, and the request is applied once. The first request claims the key (a row with no
 * status yet); its reply is stored when it is sent; a retry gets the stored reply with the header
 * `Idempotent-Replayed: true`. A retry while the first still runs gets 409. Keys are per user and
 * kept for 24 hours.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../core/errors.js';

const HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const KEEP_MS = 24 * 3600_000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

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

/** preHandler: claim the key, or answer a retry with the stored reply. */
export function idempotencyClaim(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const key = keyOf(request);
    const principal = request.principal;
    if (key === null || principal === null) return undefined;
    const path = request.url;
    const now = ctx.now();
    const where = { compound_id: principal.compoundId, user_id: principal.userId, key };
    const existing = await ctx.store.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('compound_id', '=', where.compound_id)
      .where('user_id', '=', where.user_id)
      .where('key', '=', key)
      .executeTakeFirst();
    if (existing !== undefined && existing.created_at < now - KEEP_MS) {
      await ctx.store.db
        .deleteFrom('idempotency_keys')
        .where('compound_id', '=', where.compound_id)
        .where('user_id', '=', where.user_id)
        .where('key', '=', key)
        .execute();
    } else if (existing !== undefined) {
      if (existing.method !== request.method || existing.path !== path) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          `headers.idempotency-key: this key was used for ${existing.method} ${existing.path}`,
          { field: 'headers.idempotency-key' },
        );
      }
      if (existing.status_code === null) {
        throw new DomainError(
          'IDEMPOTENCY_IN_PROGRESS',
          'headers.idempotency-key: the first request with this key has not finished; look at the state before trying again',
          {
            field: 'headers.idempotency-key',
          },
        );
      }
      return reply
        .code(existing.status_code)
        .header('content-type', 'application/json; charset=utf-8')
        .header('idempotent-replayed', 'true')
        .send(existing.body ?? '');
    }
    try {
      await ctx.store.db
        .insertInto('idempotency_keys')
        .values({ ...where, method: request.method, path, status_code: null, body: null, created_at: now })
        .execute();
    } catch (error) {
      // Another request with the same key claimed it a moment ago.
      throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'headers.idempotency-key: a request with this key is running', {
        field: 'headers.idempotency-key',
        cause: error,
      });
    }
    request.idempotencyKey = key;
    return undefined;
  };
}

/** onSend: store the reply of a request that claimed a key; a server error frees the key for a retry. */
export function idempotencyStore(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const key = request.idempotencyKey;
    const principal = request.principal;
    if (key === null || principal === null) return payload;
    if (reply.statusCode >= 500) {
      await ctx.store.db
        .deleteFrom('idempotency_keys')
        .where('compound_id', '=', principal.compoundId)
        .where('user_id', '=', principal.userId)
        .where('key', '=', key)
        .execute();
      return payload;
    }
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : JSON.stringify(payload ?? null);
    await ctx.store.db
      .updateTable('idempotency_keys')
      .set({ status_code: reply.statusCode, body })
      .where('compound_id', '=', principal.compoundId)
      .where('user_id', '=', principal.userId)
      .where('key', '=', key)
      .execute();
    return payload;
  };
}
