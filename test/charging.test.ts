/**
 * Issue 6, EV charging through the API: residents state tonight's charge, the night's plan meets
 * every request the compound's chargers allow with few swaps, and the swaps due soon become guard
 * `move` tasks with reason `charging` that a guard carries out (the ledger records `car.moved`
 * with reason `charging`). Bad requests name the field and change nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import type { Scenario } from '../src/core/scenario.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiClient, startDemoApi } from './support/api-client.js';

let clock: number = shanghaiInstant('2026-11-30', '20:00');
let app: FastifyInstance;
let ctx: AppContext;
let scenario: Scenario;
let manager: string;
const guards = new Map<string, string>();

const { call, signIn } = apiClient(() => app);

interface Task {
  id: string;
  kind: string;
  vehicleId: string;
  from: string | null;
  to: string | null;
  reason: string;
  guardId: string | null;
}

/** The guard the task is for starts it, takes the key, completes it and returns the key. */
async function work(task: Task): Promise<void> {
  const token = guards.get(task.guardId!)!;
  await call(token, 'POST', `/api/tasks/${task.id}/start`);
  await call(token, 'POST', `/api/keys/K-${task.vehicleId}/checkout`, { taskId: task.id });
  await call(token, 'POST', `/api/tasks/${task.id}/complete`, {});
  await call(token, 'POST', `/api/keys/K-${task.vehicleId}/return`);
}

const evs = () => scenario.vehicles.filter((v) => v.ev && v.keyConsent && v.householdId !== null);

beforeAll(async () => {
  ({ app, ctx, scenario } = await startDemoApi(() => clock));
  manager = await signIn('13800000001');
  const { onDuty } = await call<{ onDuty: string[] }>(manager, 'GET', '/api/shifts');
  for (const id of onDuty) guards.set(id, await signIn(scenario.users.find((u) => u.id === id)!.phone));
  // Eight EVs arrive and are parked where the planner proposes.
  const gate = guards.values().next().value!;
  for (const v of evs().slice(0, 8)) {
    const r = await call<{ task: Task }>(gate, 'POST', '/api/compounds/jinfang/check-ins', { plate: v.plate });
    await work(r.task);
  }
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

async function fingerprint(): Promise<string> {
  const rows = await ctx.store.db.selectFrom('charging_requests').selectAll().execute();
  const head = await ctx.store.db
    .selectFrom('ledger_heads')
    .selectAll()
    .where('compound_id', '=', 'jinfang')
    .executeTakeFirstOrThrow();
  return JSON.stringify({ rows, head });
}

describe('EV charging over HTTP', () => {
  it('refuses bad charging requests with the field and the rule, changing nothing', async () => {
    const r001 = await signIn('13800000101');
    const r002 = await signIn('13800000102');
    const before = await fingerprint();
    const cases: [string, string, unknown, number, string, string][] = [
      [r001, 'v003', { energyKwh: 10, departureAt: '2026-12-01T07:30:00+08:00' }, 400, 'VALIDATION', 'vehicleId'],
      [
        r002,
        'v029',
        { energyKwh: 10, targetPercent: 80, departureAt: '2026-12-01T07:30:00+08:00' },
        400,
        'VALIDATION',
        'body.energyKwh',
      ],
      [
        r002,
        'v029',
        { targetPercent: 80, departureAt: '2026-12-01T07:30:00+08:00' },
        400,
        'VALIDATION',
        'body.currentPercent',
      ],
      [
        r002,
        'v029',
        { energyKwh: 10, departureAt: '2026-11-30T19:00:00+08:00' },
        400,
        'DEPARTURE_IN_PAST',
        'body.departureAt',
      ],
      [r002, 'v029', { energyKwh: -3, departureAt: '2026-12-01T07:30:00+08:00' }, 400, 'VALIDATION', 'energyKwh'],
      [r002, 'v029', { energyKwh: 10, departureAt: 'tomorrow' }, 400, 'VALIDATION', 'departureAt'],
      [r001, 'v029', { energyKwh: 10, departureAt: '2026-12-01T07:30:00+08:00' }, 404, 'NOT_FOUND', 'vehicleId'],
    ];
    for (const [token, vehicle, body, status, code, field] of cases) {
      const r = await call<{ error: { code: string; field?: string; message: string } }>(
        token,
        'POST',
        `/api/vehicles/${vehicle}/charging-requests`,
        body,
        status,
      );
      expect(r.error.code, JSON.stringify(body)).toBe(code);
      expect(r.error.field ?? r.error.message).toContain(field);
    }
    expect(await fingerprint()).toBe(before);
  });

  it('plans the night so every request is met by its departure, and turns the swaps due soon into guard tasks', async () => {
    const r002 = await signIn('13800000102');
    await call(r002, 'POST', '/api/vehicles/v029/charging-requests', {
      targetPercent: 80,
      currentPercent: 40,
      departureAt: '2026-12-01T07:30:00+08:00',
    });
    const needs = [5, 30, 12, 20, 8, 25, 15];
    const others = evs()
      .filter((v) => v.id !== 'v029')
      .slice(0, 7);
    for (const [i, v] of others.entries()) {
      await call(manager, 'POST', `/api/vehicles/${v.id}/charging-requests`, {
        energyKwh: needs[i],
        departureAt: `2026-12-01T0${7 + (i % 2)}:00:00+08:00`,
      });
    }
    const preview = await call<{
      status: string;
      chargers: string[];
      outcomes: { vehicleId: string; met: boolean }[];
      swaps: { dueAt: number; vehicleId: string; displaced: string | null }[];
      lowerBound: number;
      tasks: Task[];
    }>(manager, 'POST', '/api/compounds/jinfang/charging-plan', {});
    expect(preview.chargers).toHaveLength(6);
    expect(preview.outcomes).toHaveLength(8);
    expect(preview.status).toBe('all-met');
    expect(preview.outcomes.every((o) => o.met)).toBe(true);
    expect(preview.swaps.length).toBeGreaterThanOrEqual(preview.lowerBound);
    expect(preview.swaps.length).toBeLessThanOrEqual(preview.lowerBound + preview.chargers.length - 1);
    expect(preview.tasks).toEqual([]);

    const applied = await call<{ tasks: Task[]; swaps: { dueAt: number }[] }>(
      guards.values().next().value!,
      'POST',
      '/api/compounds/jinfang/charging-plan',
      { apply: true },
    );
    const soon = applied.swaps.filter((s) => s.dueAt <= clock + 60 * 60_000);
    expect(soon.length).toBeGreaterThan(0);
    expect(applied.tasks.length).toBeGreaterThanOrEqual(soon.length);
    expect(applied.tasks.every((t) => t.kind === 'move' && t.reason === 'charging')).toBe(true);
    for (const t of applied.tasks) {
      clock += 2 * 60_000;
      await work(t);
    }
    const moved = (await ctx.store.events('jinfang')).filter(
      (e) => e.type === 'car.moved' && e.payload.reason === 'charging',
    );
    expect(moved).toHaveLength(applied.tasks.length);
    const state = await ctx.store.state('jinfang');
    const onChargers = applied.tasks
      .filter((t) => preview.chargers.includes(t.to!))
      .map((t) => state.occupancy.get(t.to as never));
    expect(onChargers).toEqual(applied.tasks.filter((t) => preview.chargers.includes(t.to!)).map((t) => t.vehicleId));
    expect((await ctx.store.verify('jinfang')).ok).toBe(true);
  });

  it('rotates the chargers in the planning pass: an EV whose charge is met makes way for one still waiting', async () => {
    const requests = await ctx.store.db
      .selectFrom('charging_requests')
      .select(['vehicle_id', 'energy_kwh'])
      .where('cancelled_at', 'is', null)
      .execute();
    const need = new Map(requests.map((r) => [r.vehicle_id, r.energy_kwh]));
    const chargers = new Set(
      scenario.layout.lanes
        .flatMap((l) => l.positions.filter((p) => p.chargerKw !== undefined && p.chargerKw !== null))
        .map((p) => p.id),
    );
    // Two hours on: the EVs put on a charger with a small need have had it.
    clock += 120 * 60_000;
    const before = await ctx.store.state('jinfang');
    const { tasks } = await call<{ tasks: Task[] }>(manager, 'POST', '/api/compounds/jinfang/plan');
    const charging = tasks.filter((t) => t.reason === 'charging');
    expect(charging.length).toBeGreaterThan(0);
    const onto = charging.filter((t) => chargers.has(t.to!));
    expect(onto).toHaveLength(1);
    const ev = onto[0]!;
    expect(need.has(ev.vehicleId)).toBe(true);
    expect(chargers.has(ev.from!)).toBe(false);
    // The car moved off the charger first is one whose request is met or that asked for none.
    const off = charging.filter((t) => chargers.has(t.from!));
    expect(off.every((t) => t.from === ev.to && before.occupancy.get(t.from as never) === t.vehicleId)).toBe(true);
    // One swap at a time: the next pass adds no charging task while these are open.
    const again = await call<{ tasks: Task[] }>(manager, 'POST', '/api/compounds/jinfang/plan');
    expect(again.tasks.filter((t) => t.reason === 'charging')).toEqual([]);
    for (const t of charging) {
      clock += 2 * 60_000;
      await work(t);
    }
    expect((await ctx.store.state('jinfang')).occupancy.get(ev.to as never)).toBe(ev.vehicleId);
    expect((await ctx.store.verify('jinfang')).ok).toBe(true);
  });
});
