/**
 * The API's replies are compressed on the wire for a client that accepts it (`@fastify/compress`,
 * registered after the API's onSend hooks): a large read comes as brotli or gzip and decodes to the
 * same JSON, and a change replayed from its Idempotency-Key under another Accept-Encoding decodes to
 * the reply first sent (the idempotency store's onSend hook runs before the compression's).
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentsWorld, type ResidentsWorld } from '../../test/support/residents.js';

const MANAGER = '13800000001';

function decoded(res: LightMyRequestResponse): unknown {
  const encoding = res.headers['content-encoding'];
  const raw = res.rawPayload;
  const text =
    encoding === 'br'
      ? brotliDecompressSync(raw).toString('utf8')
      : encoding === 'gzip'
        ? gunzipSync(raw).toString('utf8')
        : raw.toString('utf8');
  return JSON.parse(text);
}

describe('compressed replies', () => {
  let world: ResidentsWorld;
  beforeAll(async () => {
    world = await residentsWorld();
  }, 60_000);
  afterAll(() => world.close());

  it('sends the lot as brotli or gzip as the client asks, the same JSON as uncompressed', async () => {
    const headers = { authorization: await world.login(MANAGER) };
    const plain = await world.app.inject({ method: 'GET', url: '/api/compounds/jinfang/lot', headers });
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const encoding of ['br', 'gzip']) {
      const res = await world.app.inject({
        method: 'GET',
        url: '/api/compounds/jinfang/lot',
        headers: { ...headers, 'accept-encoding': encoding },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
      expect(decoded(res)).toEqual(plain.json());
    }
  });

  it('replays a change from its Idempotency-Key as the reply first sent, whatever the encoding', async () => {
    // The manager's charging plan (not applied): a change, replayed with another Accept-Encoding.
    const headers = { authorization: await world.login(MANAGER), 'idempotency-key': 'compress-key-0001' };
    const body = {};
    const first = await world.app.inject({
      method: 'POST',
      url: '/api/compounds/jinfang/charging-plan',
      headers: { ...headers, 'accept-encoding': 'br' },
      payload: body,
    });
    expect(first.statusCode, first.body).toBeLessThan(300);
    const again = await world.app.inject({
      method: 'POST',
      url: '/api/compounds/jinfang/charging-plan',
      headers: { ...headers, 'accept-encoding': 'gzip' },
      payload: body,
    });
    expect(again.statusCode).toBe(first.statusCode);
    expect(decoded(again)).toEqual(decoded(first));
  });
});
