/** Reads are compressed for a client that accepts it; changes, small replies and streams are not. */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseEncoding, COMPRESS_MIN_BYTES, compressReads } from './compression.js';

const big = { cars: Array.from({ length: 200 }, (_, i) => ({ id: `v${i}`, plate: `沪A${10000 + i}` })) };

async function server() {
  const app = Fastify();
  app.addHook('onSend', compressReads);
  app.get('/big', () => big);
  app.post('/big', () => big);
  app.get('/small', () => ({ ok: true }));
  app.get('/events', (_request, reply) =>
    reply.header('content-type', 'application/json').header('cache-control', 'no-transform').send(big),
  );
  app.get('/svg', (_request, reply) => reply.type('image/svg+xml').send('<svg/>'.repeat(500)));
  await app.ready();
  return app;
}

describe('compressed reads', async () => {
  const app = await server();
  afterAll(() => app.close());

  it('sends a large read as brotli, which decodes to the same JSON', async () => {
    const r = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers.vary).toBe('accept-encoding');
    expect(r.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 3);
    expect(JSON.parse(brotliDecompressSync(r.rawPayload).toString('utf8'))).toEqual(big);
  });

  it('falls back to gzip, and to none for a client that takes neither', async () => {
    const g = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip' } });
    expect(g.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(g.rawPayload).toString('utf8'))).toEqual(big);
    const none = await app.inject({ method: 'GET', url: '/big' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.json()).toEqual(big);
  });

  it('leaves changes, small replies, no-transform replies and other types as they are', async () => {
    const headers = { 'accept-encoding': 'br, gzip' };
    for (const [method, url] of [
      ['POST', '/big'],
      ['GET', '/small'],
      ['GET', '/events'],
      ['GET', '/svg'],
    ] as const) {
      const r = await app.inject({ method, url, headers });
      expect(r.headers['content-encoding'], `${method} ${url}`).toBeUndefined();
    }
    expect(JSON.stringify({ ok: true }).length).toBeLessThan(COMPRESS_MIN_BYTES);
  });

  it('honours q=0 in Accept-Encoding', () => {
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0.0')).toBeNull();
    expect(chooseEncoding('BR;q=0.5')).toBe('br');
    expect(chooseEncoding(undefined)).toBeNull();
  });
});
