/**
 * Idempotency keys live in the request's own transaction: a server error leaves nothing of the
 * mutation and frees the key, two requests with one key at once apply once, old keys are swept.
 * (That a retry after a SIGKILL settles is test/crash-retry.test.ts.)
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../app/actor.js';
import type { AppContext } from '../app/context.js';
import type { EpochMs } from '../core/brand.js';
import type { Store } from '../store/store.js';
import { BACKENDS } from '../../test/support/backends.js';
import {
  IDEMPOTENCY_KEEP_MS,
  idempotencyClaim,
  idempotencyRelease,
  idempotencyScope,
  idempotencyStore,
  sweepIdempotencyKeys,
} from './idempotency.js';

const T0 = 1_760_000_000_000;

/** A server with the idempotency hooks and one route that adds a household in a unit of work, then maybe fails. */
async function server(store: Store): Promise<FastifyInstance> {
  const ctx: AppContext = { store, now: () => T0 as EpochMs, newId: () => 'x' };
  const app = Fastify();
  app.decorateRequest('principal', null);
  app.decorateRequest('idempotencyKey', null);
  app.addHook('onRequest', async (request) => {
    request.principal = { compoundId: 'c1', userId: 'u1', role: 'manager' } as Principal;
  });
  app.addHook('preHandler', idempotencyClaim(ctx));
  app.addHook('onSend', idempotencyStore());
  app.addHook('onResponse', idempotencyRelease);
  app.addHook('onRoute', idempotencyScope);
  app.post<{ Params: { id: string }; Querystring: { fail?: string } }>('/households/:id', async (request, reply) => {
    const event = await store.transaction('c1', (uow) =>
      uow.append({
        type: 'household.added',
        payload: { householdId: request.params.id as never },
        at: T0 as EpochMs,
        actor: 'system',
      }),
    );
    // The reply is shaped after the unit of work, as routes do; a failure here is a server error.
    if (request.query.fail === '1') throw new Error('the reply could not be shaped');
    return reply.send({ seq: event.seq });
  });
  return app;
}

describe.each(BACKENDS)('Idempotency-Key in the request transaction ($name)', (backend) => {
  afterAll(() => backend.cleanup());

  it('keeps nothing of a mutation whose request ends in a server error, and frees its key', async () => {
    const store = await backend.open();
    await store.createCompound('c1', 'test', T0);
    const app = await server(store);
    const failed = await app.inject({
      method: 'POST',
      url: '/households/h1?fail=1',
      headers: { 'idempotency-key': 'key-0000-0001' },
    });
    expect(failed.statusCode).toBe(500);
    expect((await store.events('c1')).map((e) => e.type)).toEqual(['compound.created']);
    const retry = await app.inject({
      method: 'POST',
      url: '/households/h1?fail=1',
      headers: { 'idempotency-key': 'key-0000-0001' },
    });
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const ok = await app.inject({
      method: 'POST',
      url: '/households/h2',
      headers: { 'idempotency-key': 'key-0000-0002' },
    });
    expect(ok.json()).toEqual({ seq: 2 });
    await app.close();
    await store.close();
  });

  it('answers a retry of a finished request from its stored reply, without opening a transaction', async () => {
    const store = await backend.open();
    await store.createCompound('c1', 'test', T0);
    const app = await server(store);
    const first = await app.inject({
      method: 'POST',
      url: '/households/h1',
      headers: { 'idempotency-key': 'key-0000-0003' },
    });
    let opened = 0;
    const begin = store.beginRequest.bind(store);
    store.beginRequest = () => {
      opened++;
      return begin();
    };
    const retry = await app.inject({
      method: 'POST',
      url: '/households/h1',
      headers: { 'idempotency-key': 'key-0000-0003' },
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(opened).toBe(0);
    expect((await store.events('c1')).map((e) => e.type)).toEqual(['compound.created', 'household.added']);
    await app.close();
    await store.close();
  });

  it('applies two requests with one key sent at once only once', async () => {
    const store = await backend.open();
    await store.createCompound('c1', 'test', T0);
    const app = await server(store);
    const send = () =>
      app.inject({ method: 'POST', url: '/households/h1', headers: { 'idempotency-key': 'key-0000-0003' } });
    const replies = await Promise.all([send(), send(), send()]);
    const codes = replies.map((r) => r.statusCode).sort();
    // Each is the first reply again or a "still running"; never a second application (409 HOUSEHOLD_EXISTS would be one).
    for (const r of replies) {
      if (r.statusCode === 200) expect(r.json()).toEqual({ seq: 2 });
      else expect(r.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_IN_PROGRESS' } });
    }
    expect(codes).toContain(200);
    expect((await store.events('c1')).length).toBe(2);
    await app.close();
    await store.close();
  });

  it('sweeps the keys older than a day and keeps the others', async () => {
    const store = await backend.open();
    await store.createCompound('c1', 'test', T0);
    const row = { compound_id: 'c1', user_id: 'u1', method: 'POST', path: '/x', status_code: 200, body: '{}' };
    await store.db
      .insertInto('idempotency_keys')
      .values([
        { ...row, key: 'old', created_at: T0 - IDEMPOTENCY_KEEP_MS - 1 },
        { ...row, key: 'fresh', created_at: T0 - 1000 },
      ])
      .execute();
    expect(await sweepIdempotencyKeys(store, 'c1', T0)).toBe(1);
    const left = await store.db.selectFrom('idempotency_keys').select('key').execute();
    expect(left.map((r) => r.key)).toEqual(['fresh']);
    await store.close();
  });
});
