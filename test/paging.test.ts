/** Paging of the lists that grow with the compound: pages cover the list once, in order; the size is capped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../src/http/paging.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
let world: ResidentsWorld;
beforeAll(async () => {
  world = await residentsWorld();
}, 30_000);
afterAll(() => world.close());

async function get(url: string) {
  return world.app.inject({ method: 'GET', url, headers: { authorization: await world.login(MANAGER) } });
}

describe('paging', () => {
  it('pages GET /vehicles with limit and offset, the rest told in X-Total-Count and X-Next-Offset', async () => {
    const all = (await get('/api/vehicles')).json<{ id: string }[]>();
    expect(all.length).toBeGreaterThan(200);
    const seen: string[] = [];
    let offset: string | undefined = '0';
    while (offset !== undefined) {
      const r = await get(`/api/vehicles?limit=100&offset=${offset}`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-total-count']).toBe(String(all.length));
      const page = r.json<{ id: string }[]>();
      expect(page.length).toBeLessThanOrEqual(100);
      seen.push(...page.map((v) => v.id));
      offset = r.headers['x-next-offset'] as string | undefined;
    }
    expect(seen).toEqual(all.map((v) => v.id));
  });

  it('pages the keys with their counts over all keys, and refuses a page over the maximum', async () => {
    const all = (await get('/api/keys')).json<{ keys: { tag: string }[]; counts: object }>();
    const first = (await get('/api/keys?limit=10')).json<{
      keys: { tag: string }[];
      counts: object;
      page: { total: number; nextOffset: number | null };
    }>();
    expect(first.keys.map((k) => k.tag)).toEqual(all.keys.slice(0, 10).map((k) => k.tag));
    expect(first.counts).toEqual(all.counts);
    expect(first.page).toMatchObject({ total: all.keys.length, nextOffset: 10 });
    const last = (await get(`/api/keys?limit=10&offset=${all.keys.length - 3}`)).json<{
      keys: unknown[];
      page: { nextOffset: number | null };
    }>();
    expect([last.keys.length, last.page.nextOffset]).toEqual([3, null]);
    for (const url of [`/api/keys?limit=${MAX_PAGE_SIZE + 1}`, '/api/incidents?limit=0', '/api/tasks?offset=-1']) {
      const r = await get(url);
      expect([url, r.statusCode, r.json<{ error: { code: string } }>().error.code]).toEqual([url, 400, 'VALIDATION']);
    }
  });

  it('documents limit and offset on every paged list', async () => {
    const doc = (await world.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
    }>();
    for (const path of [
      '/api/vehicles',
      '/api/keys',
      '/api/incidents',
      '/api/bookings',
      '/api/visitors',
      '/api/tasks',
      '/api/vehicles/{vehicleId}/history',
    ]) {
      const names = (doc.paths[path]?.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect([path, names]).toEqual([path, expect.arrayContaining(['limit', 'offset'])]);
    }
  });
});
