/**
 * Issue 6, acceptance 3 through the API: a closure of 30 positions for 90 days on the demo compound
 * shows in the 60-night forecast, moves the shortfall to the partner lot (the allocation proposes
 * partner spaces for it), and notifies the affected residents; a closure from today over a parked
 * car is refused with nothing written; the planner proposes no closed position, and a guard cannot
 * park on one.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import type { Scenario } from '../src/core/scenario.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiClient, startDemoApi } from './support/api-client.js';

let clock: number = shanghaiInstant('2026-11-30', '17:00');
let app: FastifyInstance;
let ctx: AppContext;
let scenario: Scenario;
let manager: string;
let guard: string;

const { call, signIn } = apiClient(() => app);

async function fingerprint(): Promise<string> {
  const head = await ctx.store.db
    .selectFrom('ledger_heads')
    .selectAll()
    .where('compound_id', '=', 'jinfang')
    .executeTakeFirstOrThrow();
  const notes = await ctx.store.db.selectFrom('notifications').select('id').execute();
  return JSON.stringify({ head, notes: notes.length });
}

interface ForecastNight {
  night: string;
  positions: number;
  closedPositions: number;
  expectedCars: number;
  partnerSpaces: number;
  shortfall: number;
  unplaced: number;
}

beforeAll(async () => {
  ({ app, ctx, scenario } = await startDemoApi(() => clock));
  manager = await signIn('13800000001');
  const { onDuty } = await call<{ onDuty: string[] }>(manager, 'GET', '/api/shifts');
  guard = await signIn(scenario.users.find((u) => u.id === onDuty[0])!.phone);
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

const plateOf = (vehicleId: string) => scenario.vehicles.find((v) => v.id === vehicleId)!.plate;
let parkedAt = '';
let closed: string[] = [];

describe('closures, forecast and partner allocation', () => {
  it('refuses a closure from today over a position where a car stands, and writes nothing', async () => {
    // v003 (household h-cc25d4, resident 13800000101) is checked in and parked where the planner proposes.
    const checkIn = await call<{ proposal: { positionId: string }; task: { id: string } }>(
      guard,
      'POST',
      '/api/compounds/jinfang/check-ins',
      {
        plate: plateOf('v003'),
      },
    );
    parkedAt = checkIn.proposal.positionId;
    await call(guard, 'POST', `/api/tasks/${checkIn.task.id}/start`);
    await call(guard, 'POST', `/api/keys/K-v003/checkout`, { taskId: checkIn.task.id });
    await call(guard, 'POST', `/api/tasks/${checkIn.task.id}/complete`, {});
    await call(guard, 'POST', `/api/keys/K-v003/return`);
    // 30 positions: v003's and the first 29 open, empty ones of the layout.
    const state = await ctx.store.state('jinfang');
    const open = state.layout.lanes
      .flatMap((l) => l.positions)
      .filter((p) => p.closures.length === 0 && p.id !== parkedAt && !state.occupancy.has(p.id));
    closed = [parkedAt, ...open.slice(0, 29).map((p) => p.id)];
    const before = await fingerprint();
    const r = await call<{ error: { code: string; field: string } }>(
      manager,
      'POST',
      '/api/compounds/jinfang/closures',
      { positionIds: closed, from: '2026-11-30', to: '2027-02-27', reason: '5号楼加装电梯施工' },
      409,
    );
    expect(r.error).toMatchObject({ code: 'POSITION_OCCUPIED', field: 'body.from' });
    expect(await fingerprint()).toBe(before);
  });

  it('answers bad closures with the field and the rule', async () => {
    const before = await fingerprint();
    const bad: [unknown, number, string, string][] = [
      [{ positionIds: [], from: '2026-12-01', to: '2026-12-31', reason: 'x' }, 400, 'VALIDATION', 'body.positionIds'],
      [{ positionIds: ['L01-0'], from: '2026-12-31', to: '2026-12-01', reason: 'x' }, 400, 'BAD_CLOSURE', 'body.to'],
      [{ positionIds: ['L01-0'], from: '2026-11-01', to: '2026-11-02', reason: 'x' }, 400, 'VALIDATION', 'body.to'],
      [
        { positionIds: ['nowhere'], from: '2026-12-01', to: '2026-12-31', reason: 'x' },
        404,
        'NOT_FOUND',
        'body.positionIds[0]',
      ],
      [
        { laneIds: ['L01', 'L999'], from: '2026-12-01', to: '2026-12-31', reason: 'x' },
        404,
        'NOT_FOUND',
        'body.laneIds[1]',
      ],
      [{ positionIds: ['L01-0'], from: '2026-12-01', to: '2026-12-31', reason: ' ' }, 400, 'VALIDATION', 'reason'],
      [{ positionIds: ['L01-0'], from: '1.12.2026', to: '2026-12-31', reason: 'x' }, 400, 'VALIDATION', 'from'],
    ];
    for (const [body, status, code, field] of bad) {
      const r = await call<{ error: { code: string; field?: string; message: string } }>(
        manager,
        'POST',
        '/api/compounds/jinfang/closures',
        body,
        status,
      );
      expect(r.error.code, JSON.stringify(body)).toBe(code);
      expect(r.error.field ?? r.error.message, JSON.stringify(body)).toContain(field);
    }
    await call(
      manager,
      'POST',
      '/api/compounds/other/closures',
      { positionIds: ['L01-0'], from: '2026-12-01', to: '2026-12-31', reason: 'x' },
      404,
    );
    expect(await fingerprint()).toBe(before);
  });

  it('closes 30 positions for 90 days from tomorrow: the forecast shows it, the affected residents are told', async () => {
    const r = await call<{
      positionIds: string[];
      carsToMove: string[];
      affectedHouseholds: string[];
      allResidents: boolean;
      notified: number;
    }>(manager, 'POST', '/api/compounds/jinfang/closures', {
      positionIds: closed,
      from: '2026-12-01',
      to: '2027-02-28',
      reason: '5号楼加装电梯施工',
    });
    expect(r.positionIds).toHaveLength(30);
    expect(r.carsToMove).toEqual(['v003']);
    expect(r.affectedHouseholds).toEqual(['h-cc25d4']);
    // 250 positions, 4 already closed (3号楼 construction), 30 more: 216 for 249 cars — the compound is short, so everyone is told.
    expect(r.allResidents).toBe(true);
    const residents = scenario.users.filter((u) => u.role === 'resident');
    expect(r.notified).toBe(residents.length);
    const own = await signIn('13800000101');
    const feed = await call<{ notifications: { kind: string; body: string }[] }>(own, 'GET', '/api/notifications');
    expect(feed.notifications.filter((n) => n.kind === 'closure.notice').map((n) => n.body)).toEqual([
      expect.stringContaining('您的车常停'),
    ]);
    const other = await signIn('13800000102');
    const otherFeed = await call<{ notifications: { kind: string; body: string }[] }>(
      other,
      'GET',
      '/api/notifications',
    );
    expect(otherFeed.notifications.filter((n) => n.kind === 'closure.notice').map((n) => n.body)).toEqual([
      expect.stringContaining('轮流停到共享停车场'),
    ]);

    const { nights } = await call<{ nights: ForecastNight[] }>(manager, 'GET', '/api/compounds/jinfang/forecast');
    expect(nights).toHaveLength(60);
    expect(nights[0]).toMatchObject({
      night: '2026-11-30',
      positions: 246,
      closedPositions: 4,
      expectedCars: 249,
      partnerSpaces: 30,
      shortfall: 3,
      unplaced: 0,
    });
    // Tuesday 2026-12-01: the closure starts; the partner lot takes 30 of the 33 cars short.
    expect(nights[1]).toMatchObject({
      night: '2026-12-01',
      positions: 216,
      closedPositions: 34,
      shortfall: 33,
      partnerSpaces: 30,
      unplaced: 3,
    });
    // Saturday 2026-12-05: the partner lot is closed at weekends.
    expect(nights[5]).toMatchObject({ night: '2026-12-05', positions: 216, partnerSpaces: 0, unplaced: 33 });
    expect(nights.every((n) => n.night === '2026-11-30' || n.positions === 216)).toBe(true);
    // The ledger has the layout and the record; the chain verifies.
    const events = await ctx.store.events('jinfang');
    const setAt = events.findIndex((e) => e.type === 'record' && e.payload.kind === 'closure.set');
    expect(events[setAt - 1]?.type).toBe('layout.set');
    expect((await ctx.store.verify('jinfang')).ok).toBe(true);
  });

  it('moves the shortfall to the partner lot: volunteers first, then the rotation, up to the partner spaces', async () => {
    const resident = await signIn('13800000102');
    await call(resident, 'POST', '/api/bookings', {
      lotId: 'hutai-bus-station',
      vehicleId: 'v029',
      night: '2026-12-01',
      charger: true,
    });
    const p = await call<{
      capacity: number;
      expected: number;
      shortfall: number;
      toPartner: { vehicleId: string; reason: string; chargerSpace: boolean }[];
      unplaced: number;
    }>(manager, 'GET', '/api/compounds/jinfang/partner-allocation?night=2026-12-01');
    expect(p).toMatchObject({ capacity: 216, expected: 249, shortfall: 33, unplaced: 3 });
    expect(p.toPartner).toHaveLength(30);
    expect(p.toPartner[0]).toMatchObject({ vehicleId: 'v029', reason: 'volunteer' });
    expect(p.toPartner.slice(1).every((a) => a.reason === 'rotation')).toBe(true);
    // The manager applies it: the 29 cars of the rotation get bookings; now all 30 go as booked cars.
    const applied = await call<{ booked: { lotId: string }[]; skipped: unknown[] }>(
      manager,
      'POST',
      '/api/compounds/jinfang/partner-allocation',
      {
        night: '2026-12-01',
      },
    );
    expect(applied.booked).toHaveLength(29);
    expect(applied.skipped).toEqual([]);
    const again = await call<{ toPartner: { reason: string }[]; unplaced: number }>(
      manager,
      'GET',
      '/api/compounds/jinfang/partner-allocation?night=2026-12-01',
    );
    expect(again.toPartner.map((a) => a.reason)).toEqual(Array(30).fill('volunteer'));
    expect(again.unplaced).toBe(3);
    const assigned = await ctx.store.db
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'partner.assigned')
      .execute();
    const rotated = new Set(
      p.toPartner.slice(1).map((a) => scenario.vehicles.find((v) => v.id === a.vehicleId)!.householdId),
    );
    expect([...new Set(assigned.map((n) => n.user_id))].sort()).toEqual(
      scenario.users
        .filter((u) => u.role === 'resident' && rotated.has(u.householdId!))
        .map((u) => u.id)
        .sort(),
    );
    // Tonight (before the closure) the compound is 3 short: three go.
    const tonight = await call<{ shortfall: number; toPartner: unknown[] }>(
      manager,
      'GET',
      '/api/compounds/jinfang/partner-allocation?night=2026-11-30',
    );
    expect(tonight.shortfall).toBe(3);
    expect(tonight.toPartner).toHaveLength(3);
  });

  it('never proposes a closed position, and refuses parking on one', async () => {
    clock = shanghaiInstant('2026-12-01', '18:00');
    const closedSet = new Set(closed);
    const cars = scenario.vehicles.filter((v) => v.householdId !== null && v.id !== 'v003').slice(0, 40);
    let firstTask: { id: string; vehicleId: string } | null = null;
    for (const v of cars) {
      const r = await call<{
        proposal: { positionId: string | null; alternatives: { positionId: string }[] };
        task: { id: string; vehicleId: string } | null;
      }>(guard, 'POST', '/api/compounds/jinfang/check-ins', { plate: v.plate });
      expect(closedSet.has(r.proposal.positionId ?? ''), `${v.id} → ${r.proposal.positionId}`).toBe(false);
      for (const a of r.proposal.alternatives) expect(closedSet.has(a.positionId)).toBe(false);
      firstTask ??= r.task;
    }
    await call(guard, 'POST', `/api/tasks/${firstTask!.id}/start`);
    await call(guard, 'POST', `/api/keys/K-${firstTask!.vehicleId}/checkout`, { taskId: firstTask!.id }, 200);
    const target = closed.find((id) => id !== parkedAt)!;
    const refusedPark = await call<{ error: { code: string } }>(
      guard,
      'POST',
      `/api/tasks/${firstTask!.id}/complete`,
      { positionId: target, overrideReason: '试试看' },
      409,
    );
    expect(refusedPark.error.code).toBe('POSITION_CLOSED');
  });
});
