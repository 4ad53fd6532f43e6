import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs, PositionId, VehicleId } from '../core/brand.js';
import type { EventBody } from '../core/events.js';
import { PRESTAGE_FIRST_LOOK, PRESTAGE_LAST_LOOK } from '../planner/compound/index.js';
import type { Store } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { declareDeparture, planAhead } from './operations.js';
import { openTasks, planRelease, proposeParking } from './tasks.js';

const MIN = 60_000;
const DAY = 1440 * MIN;
/** 19:00 in Shanghai on the evening `d` days after T0's. */
const evening = (d: number): number => T0 + d * DAY;
/** `hh`:`mm` in Shanghai on the morning after the evening `d` days after T0's. */
const morning = (d: number, hh: number, mm = 0): number => T0 + d * DAY + (hh + 5) * 60 * MIN + mm * MIN;

type Clocked = AppContext & { clock: { now: number } };

async function compound(store: Store, cars = 3): Promise<Clocked> {
  await store.createCompound('c1', '测试小区', T0);
  await store.transaction('c1', async (uow) => {
    for (const event of setupEvents(cars)) await uow.append(event);
  });
  const clock = { now: T0 + 10 * MIN };
  let n = 0;
  return { store, clock, now: () => clock.now as EpochMs, newId: () => `id-${++n}` };
}

async function append(ctx: Clocked, at: number, body: EventBody): Promise<void> {
  await ctx.store.transaction('c1', (uow) => uow.append({ ...body, at: at as EpochMs, actor: id.guard(1) }));
}

async function park(ctx: Clocked, at: number, vehicleId: VehicleId, positionId: string): Promise<void> {
  await append(ctx, at, { type: 'car.checked-in', payload: { vehicleId } });
  await append(ctx, at + MIN, {
    type: 'car.parked',
    payload: { vehicleId, positionId: positionId as PositionId, taskId: null },
  });
}

/**
 * A week of evenings and mornings: v1 leaves at 07:00, v2 at 10:00, v3 at 06:40, none of them
 * ever declaring; each stands where it blocks no one.
 */
async function aWeekOfHabits(ctx: Clocked): Promise<void> {
  const habits: [VehicleId, string, number, number?][] = [
    [id.vehicle(1), 'A-0', 7],
    [id.vehicle(2), 'B-0', 10],
    [id.vehicle(3), 'B-2', 6, 40],
  ];
  for (let d = 1; d <= 7; d++) {
    for (const [i, [v, p]] of habits.entries()) await park(ctx, evening(d) + i * 10 * MIN, v, p);
    for (const [v, , hh, mm] of [...habits].sort((a, b) => a[2] - b[2]))
      await append(ctx, morning(d, hh, mm), { type: 'car.departed', payload: { vehicleId: v, by: 'resident' } });
  }
}

/** After the week of habits, tonight: the 07:00 leaver v1 at A-1, `front` in its way at A-0. */
async function v1Behind(store: Store, front: VehicleId): Promise<Clocked> {
  const ctx = await compound(store);
  await aWeekOfHabits(ctx);
  await park(ctx, evening(8), id.vehicle(1), 'A-1');
  await park(ctx, evening(8) + 10 * MIN, front, 'A-0');
  return ctx;
}

/**
 * Tonight, every car declared: v1 (leaves 07:00) at A-1 behind v2 (11:30) at A-0; in the through
 * lane B, v3 (10:00, too late for its way out to be kept free this morning) at B-1 with v4 (12:00)
 * at B-2; v5 in the single bay C-0. The only place v2 can make way to is B-0, in front of v3,
 * which leaves before it.
 */
async function v2MustBlockV3(store: Store): Promise<Clocked> {
  const ctx = await compound(store, 5);
  const staff: Principal = {
    compoundId: 'c1',
    userId: id.guard(1),
    role: 'guard',
    name: 'g1',
    householdId: null,
    partnerLotId: null,
  };
  const places: [number, string, number, number?][] = [
    [1, 'A-1', 7],
    [2, 'A-0', 11, 30],
    [3, 'B-1', 10],
    [4, 'B-2', 12],
    [5, 'C-0', 12],
  ];
  for (const [i, [n, p, hh, mm]] of places.entries()) {
    await park(ctx, evening(1) + i * 10 * MIN, id.vehicle(n), p);
    ctx.clock.now = evening(1) + i * 10 * MIN + 2 * MIN;
    await declareDeparture(ctx, staff, id.vehicle(n), { kind: 'once', at: morning(1, hh, mm) });
  }
  return ctx;
}

/** The pre-staging relocations planned now for v1's departure. */
async function prestageV1(
  ctx: Clocked,
  at: number,
): Promise<{ vehicleId: string; from: string | null; to: string | null }[]> {
  ctx.clock.now = at;
  const tasks = await ctx.store.transaction('c1', (uow) =>
    planRelease(ctx, uow, 'system', id.vehicle(1), at, 'pre-staging', null),
  );
  return tasks.map(({ vehicleId, from, to }) => ({ vehicleId, from, to }));
}

for (const backend of BACKENDS) {
  describe(`the server's compound planner on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('pre-stages before a departure nobody declared, on the habit the ledger shows', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      // Tonight the 10:00 leaver stands in front of the 07:00 leaver.
      const ctx = await v1Behind(store, id.vehicle(2));

      // 40 minutes before 07:00, within the first look: the blocker moves (the pass's re-sort, which
      // would have moved it too, waits for the guards' free time).
      ctx.clock.now = morning(8, 6, 20);
      const tasks = await planAhead(ctx, 'c1');
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        kind: 'move',
        vehicleId: 'v2',
        from: 'A-0',
        reason: 'pre-staging',
        departureId: null,
      });
      expect(tasks[0]?.to?.startsWith('A-')).toBe(false);
    });

    it('does not pre-stage a blocker the habit says leaves first', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      // The 06:40 leaver stands in front of the 07:00 leaver: it drives off first.
      const ctx = await v1Behind(store, id.vehicle(3));
      ctx.clock.now = morning(8, 6, 20);
      expect(await planAhead(ctx, 'c1')).toEqual([]);
      expect(await ctx.store.transaction('c1', (uow) => openTasks(uow))).toEqual([]);
    });

    it("re-sorts at night in the guards' free time, one move at a time", async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await v1Behind(store, id.vehicle(2));
      // Before 01:00 the night shift still parks the evening's cars.
      ctx.clock.now = morning(8, 0, 50);
      expect(await planAhead(ctx, 'c1')).toEqual([]);
      ctx.clock.now = morning(8, 1, 10);
      const [move, ...more] = await planAhead(ctx, 'c1');
      expect(more).toEqual([]);
      expect(move).toMatchObject({ kind: 'move', vehicleId: 'v2', from: 'A-0', reason: 'night-resort' });
      expect(move?.to?.startsWith('A-')).toBe(false);
      // While that move is open, no other.
      ctx.clock.now = morning(8, 1, 12);
      expect(await planAhead(ctx, 'c1')).toEqual([]);
    });

    it("leaves a pre-staging move into another leaver's way to a later look (keepsPlace)", async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await v2MustBlockV3(store);
      // At the first look a later look remains: v2 stays rather than block v3.
      expect(await prestageV1(ctx, morning(1, 7) - PRESTAGE_FIRST_LOOK * MIN)).toEqual([]);
      // At the last look none remains: the move is made.
      expect(await prestageV1(ctx, morning(1, 7) - PRESTAGE_LAST_LOOK * MIN)).toEqual([
        { vehicleId: 'v2', from: 'A-0', to: 'B-0' },
      ]);
    });

    it('proposes a place at the gate by the habit the ledger shows', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await compound(store);
      await aWeekOfHabits(ctx);
      ctx.clock.now = evening(8);
      const proposal = await ctx.store.transaction('c1', (uow) => proposeParking(ctx, uow, id.vehicle(3)));
      expect(proposal.status).toBe('placed');
      expect(proposal.reason).toMatch(/leaves ~06:40 \(estimated/);
    });

    it('learns from departures appended after its last look, and forgets those rolled back', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await compound(store);
      ctx.clock.now = evening(8);
      const propose = () => ctx.store.transaction('c1', (uow) => proposeParking(ctx, uow, id.vehicle(3)));
      const habitOf3 = /leaves ~06:40 \(estimated/;
      expect((await propose()).reason).not.toMatch(habitOf3);
      // A week of departures written in a transaction that then fails: planned with inside it, gone after.
      const failed = ctx.store.transaction('c1', async (uow) => {
        for (let d = 1; d <= 7; d++) {
          for (const [type, at] of [
            ['car.checked-in', evening(d)],
            ['car.parked', evening(d) + MIN],
            ['car.departed', morning(d, 6, 40)],
          ] as const) {
            const vehicleId = id.vehicle(3);
            const payload =
              type === 'car.parked'
                ? { vehicleId, positionId: 'B-2' as PositionId, taskId: null }
                : type === 'car.departed'
                  ? { vehicleId, by: 'resident' as const }
                  : { vehicleId };
            await uow.append({ type, payload, at: at as EpochMs, actor: id.guard(1) } as never);
          }
        }
        expect((await proposeParking(ctx, uow, id.vehicle(3))).reason).toMatch(habitOf3);
        throw new Error('rolled back');
      });
      await expect(failed).rejects.toThrow('rolled back');
      // Other events take those numbers and more before the next look: the ledger there is another chain.
      for (let d = 1; d <= 8; d++) {
        await park(ctx, evening(d), id.vehicle(1), 'A-0');
        await append(ctx, morning(d, 7), {
          type: 'car.departed',
          payload: { vehicleId: id.vehicle(1), by: 'resident' },
        });
      }
      expect((await propose()).reason).not.toMatch(habitOf3);
      // Appended since the last look (by this server or another: only the ledger tells), they count.
      await aWeekOfHabits(ctx);
      ctx.clock.now = evening(8);
      expect((await propose()).reason).toMatch(habitOf3);
    });
  });
}
