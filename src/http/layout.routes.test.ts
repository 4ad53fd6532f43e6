import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../app/demo.js';
import type { EpochMs } from '../core/brand.js';
import { shanghaiInstant } from '../core/time.js';
import { openStore } from '../store/store.js';
import { apiRoutes } from './api.js';
import { buildServer } from './server.js';

let app: FastifyInstance;
const tokens = new Map<string, string>();

async function call(phone: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  let token = tokens.get(phone);
  if (token === undefined) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password: 'demo1234', kind: 'token' },
    });
    token = (r.json() as { token: string }).token;
    tokens.set(phone, token);
  }
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const MANAGER = '13800000001';
const GUARD = '13800000011';
const RESIDENT = '13800000101';

interface LotLane {
  id: string;
  name: string;
  area: string;
  positions: { id: string; index: number; chargerKw: number | null; occupied: boolean }[];
}

async function lot(): Promise<{ lanes: LotLane[] }> {
  return (await call(MANAGER, 'GET', '/api/compounds/jinfang/lot')).json();
}

function body(lane: LotLane, change: Partial<{ name: string; area: string }> = {}) {
  return {
    name: change.name ?? lane.name,
    area: change.area ?? lane.area,
    positions: lane.positions.map((p) => ({ id: p.id, index: p.index, chargerKw: p.chargerKw })),
  };
}

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  let n = 0;
  const ctx: AppContext = {
    store,
    now: () => shanghaiInstant('2026-11-30', '20:00') as EpochMs,
    newId: () => `layout${++n}`,
  };
  await loadScenario(ctx, await readScenarioFile(demoScenarioPath()));
  app = await buildServer({ routes: [apiRoutes(ctx)] });
  await app.ready();
  await call(MANAGER, 'POST', '/api/shifts/duty', { onDuty: true, guardId: 'g01' });
}, 60_000);

describe('PUT /api/compounds/{id}/lanes/{laneId}', () => {
  it('renames a lane and gives a position a charger', async () => {
    const lane = (await lot()).lanes.find((l) => l.id === 'L27')!;
    const next = body(lane, { name: '3号楼南侧 施工段' });
    next.positions[1]!.chargerKw = 7;
    const r = await call(MANAGER, 'PUT', '/api/compounds/jinfang/lanes/L27', next);
    expect(r.statusCode, r.body).toBe(200);
    const after = (await lot()).lanes.find((l) => l.id === 'L27')!;
    expect(after.name).toBe('3号楼南侧 施工段');
    expect(after.positions[1]!.chargerKw).toBe(7);
  });

  it('refuses a lane on a fire lane with FIRE_LANE and changes nothing', async () => {
    const before = await lot();
    const lane = before.lanes.find((l) => l.id === 'L30')!;
    const r = await call(MANAGER, 'PUT', '/api/compounds/jinfang/lanes/L30', body(lane, { area: '主干道消防通道' }));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'FIRE_LANE' } });
    expect((r.json() as { error: { message: string } }).error.message).toContain('消防通道');
    expect(await lot()).toEqual(before);
  });

  it('refuses one position on a fire lane, and a gap in the indexes', async () => {
    const before = await lot();
    const lane = before.lanes.find((l) => l.id === 'L30')!;
    const onFire = {
      ...body(lane),
      positions: [
        ...body(lane).positions,
        { id: 'L30-X', index: lane.positions.length, chargerKw: null, area: '北侧环路消防通道' },
      ],
    };
    const fire = await call(MANAGER, 'PUT', '/api/compounds/jinfang/lanes/L30', onFire);
    expect(fire.json()).toMatchObject({ error: { code: 'FIRE_LANE' } });
    const gap = {
      ...body(lane),
      positions: [...body(lane).positions, { id: 'L30-Y', index: lane.positions.length + 1, chargerKw: null }],
    };
    const r = await call(MANAGER, 'PUT', '/api/compounds/jinfang/lanes/L30', gap);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'LANE_GAP' } });
    expect(await lot()).toEqual(before);
  });

  it('refuses removing a position that holds a car', async () => {
    const cars = (await call(RESIDENT, 'GET', '/api/vehicles')).json() as { plate: string }[];
    const checkIn = (
      await call(GUARD, 'POST', '/api/compounds/jinfang/check-ins', { plate: cars[0]!.plate })
    ).json() as { task: { id: string; to: string } };
    await call(GUARD, 'POST', `/api/tasks/${checkIn.task.id}/start`, {});
    expect((await call(GUARD, 'POST', `/api/tasks/${checkIn.task.id}/complete`, {})).statusCode).toBe(200);
    const before = await lot();
    const lane = before.lanes.find((l) => l.positions.some((p) => p.id === checkIn.task.to))!;
    const renamed = { ...body(lane), positions: body(lane).positions.map((p) => ({ ...p, id: `${p.id}n` })) };
    const r = await call(MANAGER, 'PUT', `/api/compounds/jinfang/lanes/${lane.id}`, renamed);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ error: { code: 'POSITION_OCCUPIED' } });
    expect(await lot()).toEqual(before);
  });

  it('is for managers only', async () => {
    const lane = (await lot()).lanes.find((l) => l.id === 'L01')!;
    expect((await call(GUARD, 'PUT', '/api/compounds/jinfang/lanes/L01', body(lane))).statusCode).toBe(403);
  });
});

describe('GET /api/vehicles', () => {
  it("lists a resident's household cars only, with where each is", async () => {
    const me = (await call(RESIDENT, 'GET', '/api/auth/me')).json() as { householdId: string };
    const mine = (await call(RESIDENT, 'GET', '/api/vehicles')).json() as {
      householdId: string;
      location: { kind: string };
    }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((v) => v.householdId === me.householdId)).toBe(true);
    const all = (await call(MANAGER, 'GET', '/api/vehicles')).json() as unknown[];
    expect(all.length).toBeGreaterThan(mine.length);
  });
});
