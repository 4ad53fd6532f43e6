import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testServer } from '../../test/support/http.js';
import type { ErrorCode, ErrorKind } from '../core/errors.js';
import { DomainError } from '../core/errors.js';
import { toHttpFailure } from './error-handler.js';
import type { RoutePlugin } from './route-helpers.js';
import { pickErrors } from './route-helpers.js';

/** One code of each kind, and the status the handler must give it. */
const KINDS: { kind: ErrorKind; code: ErrorCode; status: number }[] = [
  { kind: 'invalid', code: 'BAD_PLATE', status: 400 },
  { kind: 'unauthorized', code: 'UNAUTHENTICATED', status: 401 },
  { kind: 'forbidden', code: 'FORBIDDEN', status: 403 },
  { kind: 'not-found', code: 'NOT_FOUND', status: 404 },
  { kind: 'conflict', code: 'LANE_BLOCKED', status: 409 },
  { kind: 'rate-limited', code: 'SIGN_IN_DELAYED', status: 429 },
];

const SECRET = 'password=hunter2 at /srv/db.sqlite';

const failingRoutes: RoutePlugin = async (app) => {
  app.get('/domain/:code', { schema: { params: z.object({ code: z.string() }) } }, async (request) => {
    throw new DomainError(request.params.code as ErrorCode, `failed with ${request.params.code}`, {
      field: 'body.plate',
    });
  });
  app.get(
    '/domain-documented',
    { schema: { response: { 200: z.object({ ok: z.boolean() }), ...pickErrors(409) } } },
    async () => {
      throw new DomainError('POSITION_OCCUPIED', 'position A-0 holds 京A12345');
    },
  );
  app.get('/bug', async () => {
    throw new Error(SECRET);
  });
  app.get(
    '/bad-reply',
    { schema: { response: { 200: z.object({ ok: z.boolean() }) } } },
    async () => ({ ok: SECRET }) as never,
  );
  app.post(
    '/cars',
    {
      schema: {
        body: z.object({
          plate: z.string().max(16),
          kind: z.enum(['car', 'van']).optional(),
          lanes: z.array(z.object({ id: z.string() })).optional(),
        }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).optional() }),
      },
    },
    async () => ({ ok: true }),
  );
};

function logCollector(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe('the error handler', () => {
  for (const { kind, code, status } of KINDS) {
    it(`answers a DomainError of kind ${kind} with ${status}, its code, message and field`, async () => {
      const app = await testServer([failingRoutes]);
      const res = await app.inject({ method: 'GET', url: `/api/domain/${code}` });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({ error: { code, message: `failed with ${code}`, field: 'body.plate' } });
    });
  }

  it('sends a DomainError through the error schema a route documents', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({ method: 'GET', url: '/api/domain-documented' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: { code: 'POSITION_OCCUPIED', message: 'position A-0 holds 京A12345' } });
  });

  it('answers a body that breaks its schema with 400 VALIDATION naming the field and the rule', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({ method: 'POST', url: '/api/cars', payload: { plate: 12345 } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION');
    expect(error.field).toBe('body.plate');
    expect(error.message).toBe('body.plate: expected string, received number');
  });

  it('says which rule the field broke, and its limit, in details', async () => {
    const app = await testServer([failingRoutes]);
    const long = await app.inject({ method: 'POST', url: '/api/cars', payload: { plate: '沪A'.repeat(9) } });
    expect(long.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'body.plate',
      details: { rule: 'too_big', limit: 16, inclusive: true, origin: 'string' },
    });
    const typed = await app.inject({ method: 'POST', url: '/api/cars', payload: { plate: 12345 } });
    expect(typed.json().error.details).toEqual({ rule: 'invalid_type', expected: 'string' });
    const query = await app.inject({ method: 'POST', url: '/api/cars?limit=0', payload: { plate: '京A12345' } });
    expect(query.json().error.details).toEqual({ rule: 'too_small', limit: 1, inclusive: true, origin: 'number' });
    const kind = await app.inject({ method: 'POST', url: '/api/cars', payload: { plate: '京A12345', kind: 'boat' } });
    expect(kind.json().error).toMatchObject({
      field: 'body.kind',
      details: { rule: 'invalid_value', values: ['car', 'van'] },
    });
  });

  it('names array elements in the field path and reports every issue', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({ method: 'POST', url: '/api/cars', payload: { lanes: [{ id: 'A' }, { id: 7 }] } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.field).toBe('body.plate');
    expect(error.message).toContain('body.plate: ');
    expect(error.message).toContain('body.lanes[1].id: ');
  });

  it('calls the query string `query` in the field path', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({ method: 'POST', url: '/api/cars?limit=0', payload: { plate: '京A12345' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'query.limit' });
    expect(res.json().error.message).toMatch(/^query\.limit: .*>=1/);
  });

  it('answers a malformed JSON body with 400 BAD_JSON', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/cars',
      headers: { 'content-type': 'application/json' },
      payload: '{"plate": "京A',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BAD_JSON', field: 'body' });
  });

  it('answers a body over the size limit with 413', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({ method: 'POST', url: '/api/cars', payload: { plate: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a body of a media type no parser reads with 415', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/cars',
      headers: { 'content-type': 'text/csv' },
      payload: 'plate\n京A12345',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a thrown Error with 500 "internal error", leaks nothing, and logs it with the request id', async () => {
    const log = logCollector();
    const app = await testServer([failingRoutes], { logger: { level: 'error', stream: log.stream } });
    const res = await app.inject({ method: 'GET', url: '/api/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('at ');

    const logged = log.lines().find((line) => line.msg === 'request failed');
    expect(res.headers['x-request-id']).toMatch(/.+/);
    expect(logged?.reqId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(logged?.err)).toContain('hunter2');
  });

  it('answers a reply that breaks its own schema with 500, not with the reply', async () => {
    const app = await testServer([failingRoutes]);
    const res = await app.inject({ method: 'GET', url: '/api/bad-reply' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(res.body).not.toContain('hunter2');
  });
});

describe('toHttpFailure', () => {
  it('treats anything thrown that is not an Error as a bug', () => {
    expect(toHttpFailure('oops')).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
  });

  it('ignores a 5xx status an error carries and keeps the body generic', () => {
    const error = Object.assign(new Error('db down at 10.0.0.5'), { statusCode: 503 });
    expect(toHttpFailure(error)).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
  });
});
