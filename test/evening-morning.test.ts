/**
 * Issue 4, acceptance 1: one evening and morning of the demo compound over HTTP, for 120 cars:
 * check-ins with the planner's proposal, park tasks, declared departures, a "now" request,
 * relocations, key checkouts and returns, a shift hand-over. At the end every car's position in the
 * API equals a replay of the ledger, every key is accounted for, and the ledger verifies.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { replay } from '../src/core/compound-state.js';
import type { Scenario } from '../src/core/scenario.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiClient, startDemoApi } from './support/api-client.js';

// Monday evening 2026-11-30 in Shanghai; the night shift of that day starts at 19:00.
let clock: number = shanghaiInstant('2026-11-30', '17:00');
let app: FastifyInstance;
let ctx: AppContext;
let scenario: Scenario;

beforeAll(async () => {
  ({ app, ctx, scenario } = await startDemoApi(() => clock));
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

const at = (day: string, hhmm: string) => shanghaiInstant(day, hhmm);

const { call, signIn } = apiClient(() => app);

interface Task {
  id: string;
  kind: string;
  vehicleId: string;
  to: string | null;
  guardId: string | null;
}

/** A guard works through their queue: start, take the key, do it, bring the key back. */
async function workQueue(token: string): Promise<number> {
  const { tasks } = await call<{ tasks: Task[] }>(token, 'GET', '/api/tasks?mine=true');
  for (const task of tasks) {
    await call(token, 'POST', `/api/tasks/${task.id}/start`);
    const vehicle = await call<{ key: { tag: string } | null }>(token, 'GET', `/api/vehicles/${task.vehicleId}`);
    const tag = vehicle.key?.tag;
    if (tag !== undefined) await call(token, 'POST', `/api/keys/${tag}/checkout`, { taskId: task.id });
    clock += 3 * 60_000;
    await call(token, 'POST', `/api/tasks/${task.id}/complete`, {});
    if (tag !== undefined) await call(token, 'POST', `/api/keys/${tag}/return`);
  }
  return tasks.length;
}

/** How many resident accounts a household has (the demo gives only a few households one). */
async function accountsOf(householdId: string | null): Promise<number> {
  if (householdId === null) return 0;
  const rows = await ctx.store.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'resident')
    .where('household_id', '=', householdId)
    .execute();
  return rows.length;
}

/**
 * The last car of the evening is parked (a guard's override) straight in front of a car whose resident
 * declared nothing: with room to spare the planner blocks no one, and the morning's "now" request
 * must find a blocker to move.
 */
async function parkInFront(guard: string, manager: string, declared: Map<string, number>): Promise<number> {
  const { tasks } = await call<{ tasks: Task[] }>(guard, 'GET', '/api/tasks?mine=true');
  const task = tasks.find((t) => t.kind === 'park')!;
  const lot = await call<{
    lanes: { access: string; positions: { id: string; closedToday: boolean; vehicle: { id: string } | null }[] }[];
  }>(manager, 'GET', '/api/compounds/jinfang/lot');
  const fronts = lot.lanes.flatMap((lane) =>
    lane.access === 'one-end'
      ? lane.positions.flatMap((p, k) => {
          const behind = lane.positions[k + 1]?.vehicle;
          return p.vehicle === null && !p.closedToday && behind != null && !declared.has(behind.id) ? [p.id] : [];
        })
      : [],
  );
  expect(fronts.length, 'a free place in front of an undeclared car').toBeGreaterThan(0);
  await call(guard, 'POST', `/api/tasks/${task.id}/start`);
  const vehicle = await call<{ key: { tag: string } | null }>(guard, 'GET', `/api/vehicles/${task.vehicleId}`);
  const tag = vehicle.key!.tag;
  await call(guard, 'POST', `/api/keys/${tag}/checkout`, { taskId: task.id });
  clock += 3 * 60_000;
  await call(guard, 'POST', `/api/tasks/${task.id}/complete`, {
    positionId: fronts[0],
    overrideReason: '住户要求停在门口',
  });
  await call(guard, 'POST', `/api/keys/${tag}/return`);
  return 1;
}

async function onDutyNow(manager: string): Promise<string[]> {
  return (await call<{ onDuty: string[] }>(manager, 'GET', '/api/shifts')).onDuty;
}

/** The outgoing guards count keys and cars, the first incoming guard confirms with the same count, the second comes on duty. */
async function handOver(outgoing: string[], incoming: string[], manager: string): Promise<void> {
  const keys = await call<{ counts: { inCabinet: number } }>(outgoing[0]!, 'GET', '/api/keys');
  const { counts } = await call<{ counts: { onSite: number } }>(manager, 'GET', '/api/compounds/jinfang/lot');
  const handover = await call<{ id: string }>(outgoing[0]!, 'POST', '/api/shifts/handover', {
    keysCounted: keys.counts.inCabinet,
    carsCounted: counts.onSite,
  });
  const closed = await call<{ mismatch: string | null; fromGuardIds: string[]; toGuardIds: string[] }>(
    incoming[0]!,
    'POST',
    `/api/shifts/handover/${handover.id}/confirm`,
    {
      keysCounted: keys.counts.inCabinet,
      carsCounted: counts.onSite,
    },
  );
  expect(closed.mismatch).toBeNull();
  for (const token of incoming.slice(1)) await call(token, 'POST', '/api/shifts/duty', { onDuty: true });
  expect((await onDutyNow(manager)).sort()).toEqual(
    (
      await Promise.all(incoming.map(async (t) => (await call<{ userId: string }>(t, 'GET', '/api/auth/me')).userId))
    ).sort(),
  );
}

describe('one evening and morning of the 金纺 compound over HTTP', () => {
  it('houses, plans, relocates and releases 120 cars with every key and move accounted for', async () => {
    const manager = await signIn('13800000001');
    const phoneOf = (id: string) => scenario.users.find((u) => u.id === id)!.phone;

    // 19:00: the night shift goes on duty.
    clock = at('2026-11-30', '19:00');
    const night = (
      await call<{ roster: { day: string; shiftId: string; guardIds: string[] }[] }>(
        manager,
        'GET',
        '/api/shifts?from=2026-11-30&days=1',
      )
    ).roster.find((r) => r.shiftId === 'night')!.guardIds;
    const nightTokens = await Promise.all(night.map((g) => signIn(phoneOf(g))));
    await handOver(await Promise.all((await onDutyNow(manager)).map((g) => signIn(phoneOf(g)))), nightTokens, manager);

    // 120 cars come home over the evening; most residents declare tomorrow's departure first.
    const cars = scenario.vehicles.slice(0, 120);
    const departures = new Map<string, number>();
    let parkTasks = 0;
    for (const [i, car] of cars.entries()) {
      clock = at('2026-11-30', '19:00') + i * 90_000;
      const leave = at('2026-12-01', car.habits.departure);
      if (i % 5 !== 0 && leave > clock) {
        await call(manager, 'POST', `/api/vehicles/${car.id}/departures`, {
          kind: 'once',
          at: new Date(leave).toISOString(),
        });
        departures.set(car.id, leave);
      }
      const guard = nightTokens[i % nightTokens.length]!;
      const checkIn = await call<{ task: Task | null; proposal: { status: string; reason: string } }>(
        guard,
        'POST',
        '/api/compounds/jinfang/check-ins',
        { plate: car.plate },
      );
      expect(checkIn.proposal.reason.length).toBeGreaterThan(0);
      if (checkIn.task !== null && i === cars.length - 1) parkTasks += await parkInFront(guard, manager, departures);
      else if (checkIn.task !== null) parkTasks += await workQueue(guard);
    }
    const lot = await call<{ counts: { onSite: number; occupied: number; atGate: number } }>(
      manager,
      'GET',
      '/api/compounds/jinfang/lot',
    );
    expect(lot.counts.occupied).toBeGreaterThanOrEqual(115);

    // 06:00–09:00: the planner schedules the relocations before each declared departure; guards work them; cars leave on time.
    let relocations = 0;
    let handedOver = false;
    const dayGuards = (
      await call<{ roster: { shiftId: string; guardIds: string[] }[] }>(
        manager,
        'GET',
        '/api/shifts?from=2026-12-01&days=1',
      )
    ).roster.find((r) => r.shiftId === 'day')!.guardIds;
    const dayTokens = await Promise.all(dayGuards.map((g) => signIn(phoneOf(g))));
    let onDuty = nightTokens;
    const left = new Set<string>();
    // 05:50: a resident who did not declare asks for the car now; the blockers are moved at once.
    clock = at('2026-12-01', '05:50');
    const undeclared = cars.filter((c) => !departures.has(c.id));
    let nowServed = false;
    for (const car of undeclared) {
      const v = await call<{ blockedBy: unknown[]; location: { kind: string } }>(
        manager,
        'GET',
        `/api/vehicles/${car.id}`,
      );
      if (v.location.kind !== 'parked') continue;
      if (v.blockedBy.length > 0 && (await accountsOf(car.householdId)) === 0) {
        // Few demo households have an account; give this one a resident, to be told the car is ready.
        await ctx.store.db
          .insertInto('users')
          .values({
            compound_id: 'jinfang',
            id: 'u-owner-of-' + car.id,
            role: 'resident',
            name: '车主',
            phone: '13900000999',
            password_hash: null,
            household_id: car.householdId,
            partner_lot_id: null,
            disabled_at: null,
          })
          .execute();
      }
      const r = await call<{ readyAt: number; tasks: Task[]; blockedBy: string[] }>(
        manager,
        'POST',
        `/api/vehicles/${car.id}/departures`,
        { kind: 'now' },
      );
      expect(r.readyAt).toBeGreaterThanOrEqual(clock);
      expect(r.tasks.length).toBe(r.blockedBy.length);
      for (const token of onDuty) relocations += await workQueue(token);
      if (r.blockedBy.length > 0) {
        // Once its last blocker is moved, the household hears the car is ready where it stands.
        const ready = await ctx.store.db
          .selectFrom('notifications')
          .innerJoin('users', (j) =>
            j
              .onRef('users.id', '=', 'notifications.user_id')
              .onRef('users.compound_id', '=', 'notifications.compound_id'),
          )
          .select(['notifications.body', 'users.household_id'])
          .where('notifications.kind', '=', 'car.ready')
          .where('notifications.ref', '=', car.id)
          .execute();
        expect(ready.length, `${car.id}'s household is told once per account`).toBe(await accountsOf(car.householdId));
        expect(ready.length).toBeGreaterThan(0);
        for (const n of ready) {
          expect(n.household_id).toBe(car.householdId);
          expect(n.body).toMatch(/第 \d+ 位/);
        }
      }
      await call(onDuty[0]!, 'POST', `/api/vehicles/${car.id}/depart`);
      left.add(car.id);
      nowServed = true;
      if (r.blockedBy.length > 0) break;
    }
    expect(nowServed).toBe(true);

    for (let minute = 6 * 60; minute <= 9 * 60; minute += 10) {
      clock = at('2026-12-01', '00:00') + minute * 60_000;
      if (!handedOver && minute >= 7 * 60) {
        // 07:00 hand-over from the night guards to the day guards.
        await handOver(onDuty, dayTokens, manager);
        onDuty = dayTokens;
        handedOver = true;
      }
      await call(onDuty[0]!, 'POST', '/api/compounds/jinfang/plan');
      for (const token of onDuty) relocations += await workQueue(token);
      // Residents leave in the order of their times: a blocker declared to leave first is not moved
      // (the planner judges the move not worth it), it drives off first.
      for (const [vehicleId, leave] of [...departures].sort((a, b) => a[1] - b[1])) {
        if (left.has(vehicleId) || leave > clock) continue;
        const v = await call<{ blockedBy: unknown[] }>(manager, 'GET', `/api/vehicles/${vehicleId}`);
        expect(v.blockedBy, `${vehicleId} is free at its declared departure`).toEqual([]);
        await call(onDuty[0]!, 'POST', `/api/vehicles/${vehicleId}/depart`);
        left.add(vehicleId);
      }
    }
    expect(handedOver).toBe(true);
    expect(left.size).toBeGreaterThan(40);

    // The end: positions in the API equal the replay, every key is accounted for, the chain verifies.
    const replayed = replay(await ctx.store.events('jinfang'));
    for (const car of cars) {
      const v = await call<{ location: unknown }>(manager, 'GET', `/api/vehicles/${car.id}`);
      expect(v.location).toEqual(replayed.vehicles.get(car.id as never)?.location);
    }
    const keys = await call<{ keys: { custody: { kind: string } }[]; counts: { out: number; lost: number } }>(
      manager,
      'GET',
      '/api/keys',
    );
    expect(keys.counts).toMatchObject({ out: 0, lost: 0 });
    expect(keys.keys.length).toBe(scenario.vehicles.filter((v) => v.keyConsent).length);
    const verify = await call<{ ok: boolean; replayMatches: boolean }>(manager, 'GET', '/api/ledger/verify');
    expect(verify).toMatchObject({ ok: true, replayMatches: true });
    expect(relocations).toBeGreaterThan(0);

    // The committee's figures count the same night.
    const committee = await signIn('13800000301');
    const { nights, profiles } = await call<{
      nights: {
        night: string;
        checkIns: number;
        relocations: number;
        nowRequests: number;
        waitMeanMin: number | null;
        waitMaxMin: number | null;
      }[];
      profiles: {
        waitByHour: (number | null)[];
        guardBusyMinByHalfHour: (number | null)[];
        occupancyByHalfHour: (number | null)[];
      };
    }>(committee, 'GET', '/api/reports/nights?nights=2');
    const monday = nights.find((n) => n.night === '2026-11-30')!;
    expect(monday.checkIns).toBe(120);
    expect(monday.relocations).toBe(relocations);
    expect(monday.nowRequests).toBeGreaterThan(0);
    expect(monday.waitMaxMin).not.toBeNull();
    // And the same by time of day over the one night since the compound was created: every park task took 3 minutes between
    // 19:00 and 22:30, all 120 cars were in by 23:00, the "now" request came at 05:50.
    expect(profiles.guardBusyMinByHalfHour.slice(38, 45).reduce<number>((s, v) => s + (v ?? 0), 0)).toBeCloseTo(
      3 * parkTasks,
      0,
    );
    expect(profiles.occupancyByHalfHour[46]).toBe(120);
    expect(profiles.waitByHour[5]).toBe(monday.waitMeanMin);
  }, 300_000);
});

describe('where is my car', () => {
  it("tells the car's residents where it was parked", async () => {
    const resident = scenario.users.find(
      (u) => u.role === 'resident' && scenario.vehicles.slice(0, 120).some((v) => v.householdId === u.householdId),
    )!;
    const token = await signIn(resident.phone);
    const feed = await call<{ notifications: { kind: string; body: string; ref: string | null }[] }>(
      token,
      'GET',
      '/api/notifications',
    );
    const mine = scenario.vehicles.filter((v) => v.householdId === resident.householdId).map((v): string => v.id);
    const parked = feed.notifications.filter((n) => n.kind === 'car.parked' && n.ref !== null && mine.includes(n.ref));
    expect(parked.length).toBeGreaterThan(0);
    expect(parked[0]!.body).toMatch(/车辆现停在 .+第 \d+ 位/);
  });
});
