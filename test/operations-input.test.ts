/**
 * Issue 4, acceptances 3 and 4 for the gate, tasks, departures, keys and shifts: bad input gets a
 * 4xx naming the field and the rule and leaves the database unchanged; two guards completing
 * conflicting tasks at once: one succeeds, the other gets 409; a retried request with the same
 * Idempotency-Key is applied once.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../src/app/demo.js';
import type { EpochMs } from '../src/core/brand.js';
import { snapshot } from '../src/core/compound-state.js';
import type { Scenario } from '../src/core/scenario.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiRoutes } from '../src/http/api.js';
import { buildServer } from '../src/http/server.js';
import { canonicalJson } from '../src/store/ledger.js';
import { openStore } from '../src/store/store.js';
import { injectAs, remember } from './support/renewing-tokens.js';

let clock: number = shanghaiInstant('2026-11-30', '20:00');
let n = 0;
let app: FastifyInstance;
let ctx: AppContext;
let scenario: Scenario;
const token: Record<string, string> = {};

async function signIn(phone: string): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { phone, password: 'demo1234', kind: 'token' },
  });
  return remember(r.json() as { token: string; refreshToken: string });
}

function as(who: string, options: InjectOptions) {
  return injectAs(app, token[who]!, options);
}

/** Everything a mutation could change. */
async function databaseState(): Promise<string> {
  const db = ctx.store.db;
  const [tasks, departures, handovers, events] = await Promise.all([
    db.selectFrom('tasks').selectAll().orderBy('id').execute(),
    db.selectFrom('departures').selectAll().orderBy('id').execute(),
    db.selectFrom('handovers').selectAll().orderBy('id').execute(),
    ctx.store.events('jinfang'),
  ]);
  return canonicalJson({
    state: snapshot(await ctx.store.state('jinfang')),
    tasks,
    departures,
    handovers,
    events: events.length,
  });
}

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  ctx = { store, now: () => clock as EpochMs, newId: () => `op${++n}` };
  scenario = await readScenarioFile(demoScenarioPath());
  await loadScenario(ctx, scenario);
  app = await buildServer({ routes: [apiRoutes(ctx)] });
  token.manager = await signIn('13800000001');
  const onDuty = (await as('manager', { method: 'GET', url: '/api/shifts' })).json() as { onDuty: string[] };
  const phone = (id: string) => scenario.users.find((u) => u.id === id)!.phone;
  token.guardA = await signIn(phone(onDuty.onDuty[0]!));
  token.guardB = await signIn(phone(onDuty.onDuty[1]!));
  const offDuty = scenario.users.find((u) => u.role === 'guard' && !onDuty.onDuty.includes(u.id))!;
  token.offDuty = await signIn(offDuty.phone);
  const resident = scenario.users.find((u) => u.role === 'resident')!;
  token.resident = await signIn(resident.phone);
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

const plate = (i: number) => scenario.vehicles[i]!.plate;

describe('bad input leaves the database unchanged', () => {
  const cases: {
    name: string;
    who: string;
    request: () => InjectOptions;
    status: number;
    code: string;
    field?: string;
  }[] = [
    {
      name: 'a plate that is not a plate',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/compounds/jinfang/check-ins', payload: { plate: 'ABC123' } }),
      status: 400,
      code: 'BAD_PLATE',
      field: 'body.plate',
    },
    {
      name: 'a plate of the wrong type',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/compounds/jinfang/check-ins', payload: { plate: 12345 } }),
      status: 400,
      code: 'VALIDATION',
      field: 'body.plate',
    },
    {
      name: 'a plate nobody registered',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/compounds/jinfang/check-ins', payload: { plate: '沪Z99999' } }),
      status: 404,
      code: 'NOT_FOUND',
      field: 'body.plate',
    },
    {
      name: 'a check-in by a guard off duty',
      who: 'offDuty',
      request: () => ({ method: 'POST', url: '/api/compounds/jinfang/check-ins', payload: { plate: plate(5) } }),
      status: 409,
      code: 'NOT_ON_DUTY',
    },
    {
      name: 'a departure in the past',
      who: 'manager',
      request: () => ({
        method: 'POST',
        url: '/api/vehicles/v001/departures',
        payload: { kind: 'once', at: '2026-11-30T07:30:00+08:00' },
      }),
      status: 400,
      code: 'DEPARTURE_IN_PAST',
      field: 'body.at',
    },
    {
      name: 'a departure with a bad time',
      who: 'manager',
      request: () => ({
        method: 'POST',
        url: '/api/vehicles/v001/departures',
        payload: { kind: 'standing', time: '25:00', weekdays: [1] },
      }),
      status: 400,
      code: 'VALIDATION',
      field: 'body.time',
    },
    {
      name: 'a departure of an unknown kind',
      who: 'manager',
      request: () => ({ method: 'POST', url: '/api/vehicles/v001/departures', payload: { kind: 'someday' } }),
      status: 400,
      code: 'VALIDATION',
      field: 'body.kind',
    },
    {
      name: 'a departure for an unknown car',
      who: 'manager',
      request: () => ({ method: 'POST', url: '/api/vehicles/v999/departures', payload: { kind: 'now' } }),
      status: 404,
      code: 'NOT_FOUND',
      field: 'vehicleId',
    },
    {
      name: "a resident's departure for another household's car",
      who: 'resident',
      request: () => ({ method: 'POST', url: '/api/vehicles/v200/departures', payload: { kind: 'now' } }),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'a key checkout without a task',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/keys/K-v001/checkout', payload: { taskId: 'no-such-task' } }),
      status: 409,
      code: 'KEY_NEEDS_TASK',
      field: 'body.taskId',
    },
    {
      name: 'a key checkout with no task id',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/keys/K-v001/checkout', payload: {} }),
      status: 400,
      code: 'VALIDATION',
      field: 'body.taskId',
    },
    {
      name: 'a key checkout off duty',
      who: 'offDuty',
      request: () => ({ method: 'POST', url: '/api/keys/K-v001/checkout', payload: { taskId: 'x-task' } }),
      status: 409,
      code: 'KEY_NEEDS_TASK',
    },
    {
      name: 'returning a key that is in the cabinet',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/keys/K-v001/return' }),
      status: 409,
      code: 'KEY_NOT_CHECKED_OUT',
    },
    {
      name: 'an unknown key',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/keys/K-nope/return' }),
      status: 404,
      code: 'NOT_FOUND',
      field: 'keyTag',
    },
    {
      name: 'completing an unknown task',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/tasks/no-such-task/complete', payload: {} }),
      status: 404,
      code: 'NOT_FOUND',
      field: 'taskId',
    },
    {
      name: 'failing a task without a reason',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/tasks/no-such-task/fail', payload: {} }),
      status: 400,
      code: 'VALIDATION',
      field: 'body.reason',
    },
    {
      name: 'a hand-over with a negative count',
      who: 'guardA',
      request: () => ({ method: 'POST', url: '/api/shifts/handover', payload: { keysCounted: -1, carsCounted: 3 } }),
      status: 400,
      code: 'VALIDATION',
      field: 'body.keysCounted',
    },
    {
      name: 'confirming an unknown hand-over',
      who: 'offDuty',
      request: () => ({
        method: 'POST',
        url: '/api/shifts/handover/nope/confirm',
        payload: { keysCounted: 1, carsCounted: 1 },
      }),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'a swap with a guard not on the shift',
      who: 'manager',
      request: () => ({
        method: 'POST',
        url: '/api/shifts/swap',
        payload: { day: '2026-12-01', shiftId: 'day', guardId: 'g99', withGuardId: 'g01' },
      }),
      status: 400,
      code: 'VALIDATION',
    },
    {
      name: 'duty for an unknown guard',
      who: 'manager',
      request: () => ({ method: 'POST', url: '/api/shifts/duty', payload: { onDuty: true, guardId: 'g99' } }),
      status: 404,
      code: 'NOT_FOUND',
      field: 'body.guardId',
    },
    {
      name: 'a malformed Idempotency-Key',
      who: 'guardA',
      request: () => ({
        method: 'POST',
        url: '/api/compounds/jinfang/check-ins',
        headers: { 'idempotency-key': 'no spaces allowed' },
        payload: { plate: plate(5) },
      }),
      status: 400,
      code: 'VALIDATION',
      field: 'headers.idempotency-key',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status} ${c.code}`, async () => {
      const before = await databaseState();
      const r = await as(c.who, c.request());
      expect(r.statusCode, r.body).toBe(c.status);
      const body = r.json() as { error: { code: string; message: string; field?: string } };
      expect(body.error.code).toBe(c.code);
      expect(body.error.message.length).toBeGreaterThan(10);
      if (c.field !== undefined) expect(body.error.field).toBe(c.field);
      expect(await databaseState()).toBe(before);
    });
  }

  it('refuses a double check-in with 409 and keeps the first', async () => {
    const first = await as('guardA', {
      method: 'POST',
      url: '/api/compounds/jinfang/check-ins',
      payload: { plate: plate(10) },
    });
    expect(first.statusCode, first.body).toBe(200);
    const before = await databaseState();
    const again = await as('guardB', {
      method: 'POST',
      url: '/api/compounds/jinfang/check-ins',
      payload: { plate: plate(10) },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'CAR_ALREADY_ON_SITE', field: 'vehicleId' } });
    expect(await databaseState()).toBe(before);
    // Parking somewhere else than planned needs a reason.
    const task = (first.json() as { task: { id: string } }).task;
    const elsewhere = await as('guardA', {
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      payload: { positionId: 'L01-0' },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json()).toMatchObject({
      error: { code: 'OVERRIDE_REASON_REQUIRED', field: 'body.overrideReason' },
    });
    expect(await databaseState()).toBe(before);
  });
});

describe('two guards at once', () => {
  it('lets exactly one of two conflicting task completions succeed; the other gets 409', async () => {
    const a = (
      await as('guardA', { method: 'POST', url: '/api/compounds/jinfang/check-ins', payload: { plate: plate(20) } })
    ).json() as { task: { id: string; to: string } };
    const b = (
      await as('guardB', { method: 'POST', url: '/api/compounds/jinfang/check-ins', payload: { plate: plate(21) } })
    ).json() as { task: { id: string; to: string } };
    expect(a.task.to).not.toBe(b.task.to);
    // Guard B parks on the position planned for guard A's car, at the same moment A parks there.
    const [ra, rb] = await Promise.all([
      as('guardA', { method: 'POST', url: `/api/tasks/${a.task.id}/complete`, payload: {} }),
      as('guardB', {
        method: 'POST',
        url: `/api/tasks/${b.task.id}/complete`,
        payload: { positionId: a.task.to, overrideReason: '原车位被占' },
      }),
    ]);
    const statuses = [ra.statusCode, rb.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = ra.statusCode === 409 ? ra : rb;
    expect(['POSITION_OCCUPIED', 'LANE_BLOCKED']).toContain((loser.json() as { error: { code: string } }).error.code);
    const verify = (await as('manager', { method: 'GET', url: '/api/ledger/verify' })).json();
    expect(verify).toMatchObject({ ok: true, replayMatches: true });
  });
});

describe('Idempotency-Key', () => {
  it('applies a retried check-in once and replays its reply', async () => {
    clock += 60_000;
    const request: InjectOptions = {
      method: 'POST',
      url: '/api/compounds/jinfang/check-ins',
      headers: { 'idempotency-key': 'phone-7f3a-0001' },
      payload: { plate: plate(30) },
    };
    const first = await as('guardA', request);
    expect(first.statusCode, first.body).toBe(200);
    const events = (await ctx.store.events('jinfang')).length;
    const retry = await as('guardA', request);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect((await ctx.store.events('jinfang')).length).toBe(events);
    const reused = await as('guardA', { ...request, url: '/api/shifts/duty', payload: { onDuty: true } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });
});
