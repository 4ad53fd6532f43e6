/**
 * Issue 13 item 7 and issue 14 item 2, over HTTP: open tasks pass from a guard going off duty to
 * the guards on duty (and a manager can reassign one); leaving now keeps departures declared for
 * later days; one ETA in the "now" reply and the car's view; a guard goes on duty only in a shift
 * he is rostered for (or by a manager); a swap needs the other guard's consent and is told to the
 * managers.
 *
 * The demo compound on Monday 2026-11-30: the night shift (19:00–07:00) is g05+g06, the next day
 * shift (07:00–19:00 on 12-01) g09+g10; g01 has no shift on either.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiClient, startDemoApi } from './support/api-client.js';
import type { Backend } from './support/backends.js';
import { BACKENDS } from './support/backends.js';

let clock = 0;
let app: FastifyInstance;
let ctx: AppContext;
let backend: Backend = BACKENDS[0]!;
const { call, signIn } = apiClient(() => app);

const at = (day: string, hhmm: string) => shanghaiInstant(day, hhmm);
const PHONE: Record<string, string> = {
  manager: '13800000001',
  g01: '13800000011',
  g02: '13800000012',
  g05: '13800000015',
  g06: '13800000016',
  g07: '13800000017',
  g09: '13800000019',
};

interface Task {
  id: string;
  guardId: string | null;
  status: string;
  vehicleId: string;
  dueAt: number;
}

async function fresh(): Promise<Record<string, string>> {
  clock = at('2026-11-30', '20:00');
  ({ app, ctx } = await startDemoApi(
    () => clock,
    () => backend.open(),
  ));
  const tokens: Record<string, string> = {};
  for (const [who, phone] of Object.entries(PHONE)) tokens[who] = await signIn(phone);
  return tokens;
}

afterEach(async () => {
  await app.close();
  await ctx.store.close();
});

async function onDuty(manager: string): Promise<string[]> {
  return (await call<{ onDuty: string[] }>(manager, 'GET', '/api/shifts')).onDuty;
}

async function errorCode(token: string, method: 'POST', url: string, payload: object, status: number) {
  return (await call<{ error: { code: string } }>(token, method, url, payload, status)).error.code;
}

/** Checks a car in; returns its park task (given to the guard at the gate). */
async function checkIn(guard: string, plate: string): Promise<Task> {
  return (await call<{ task: Task }>(guard, 'POST', '/api/compounds/jinfang/check-ins', { plate })).task;
}

/** Checks a car in and parks it on `positionId`. */
async function parkAt(guard: string, plate: string, positionId: string): Promise<void> {
  const task = await checkIn(guard, plate);
  await call(guard, 'POST', `/api/tasks/${task.id}/complete`, { positionId, overrideReason: 'test layout' });
}

for (const b of BACKENDS) {
  describe(`on ${b.name}`, () => {
    afterAll(() => b.cleanup());
    beforeAll(() => {
      backend = b;
    });
    describe('duty as an access rule', () => {
      it('puts a rostered guard on duty in his shift, from 30 minutes before it, and refuses others with 403 NOT_ROSTERED', async () => {
        const t = await fresh();
        // g01 has no shift tonight; g07 worked the day shift, which ended at 19:00.
        expect(await errorCode(t.g01!, 'POST', '/api/shifts/duty', { onDuty: true }, 403)).toBe('NOT_ROSTERED');
        expect(await errorCode(t.g07!, 'POST', '/api/shifts/duty', { onDuty: true }, 403)).toBe('NOT_ROSTERED');
        expect(await onDuty(t.manager!)).toEqual(['g05', 'g06']);
        // The night shift's guard, off and on again after midnight: the shift belongs to the day it started.
        clock = at('2026-12-01', '06:20');
        await call(t.g05!, 'POST', '/api/shifts/duty', { onDuty: false });
        await call(t.g05!, 'POST', '/api/shifts/duty', { onDuty: true });
        // The day shift's guard: not at 06:20, yes from 06:30.
        expect(await errorCode(t.g09!, 'POST', '/api/shifts/duty', { onDuty: true }, 403)).toBe('NOT_ROSTERED');
        clock = at('2026-12-01', '06:30');
        await call(t.g09!, 'POST', '/api/shifts/duty', { onDuty: true });
        expect(await onDuty(t.manager!)).toEqual(['g05', 'g06', 'g09']);
      });

      it("lets a manager put an unrostered guard on duty (the manager's approval)", async () => {
        const t = await fresh();
        await call(t.manager!, 'POST', '/api/shifts/duty', { onDuty: true, guardId: 'g01' });
        expect(await onDuty(t.manager!)).toEqual(['g01', 'g05', 'g06']);
        await call(t.g01!, 'POST', '/api/compounds/jinfang/check-ins', { plate: '沪E21171' });
      });

      it('refuses the confirmation of a hand-over by an unrostered guard with 403 NOT_ROSTERED', async () => {
        const t = await fresh();
        const keys = await call<{ counts: { inCabinet: number } }>(t.g05!, 'GET', '/api/keys');
        const lot = await call<{ counts: { onSite: number } }>(t.manager!, 'GET', '/api/compounds/jinfang/lot');
        const counts = { keysCounted: keys.counts.inCabinet, carsCounted: lot.counts.onSite };
        const handover = await call<{ id: string }>(t.g05!, 'POST', '/api/shifts/handover', counts);
        const url = `/api/shifts/handover/${handover.id}/confirm`;
        expect(await errorCode(t.g01!, 'POST', url, counts, 403)).toBe('NOT_ROSTERED');
        expect(await onDuty(t.manager!)).toEqual(['g05', 'g06']);
      });
    });

    describe('shift swaps', () => {
      const swap = { day: '2026-12-01', shiftId: 'day', guardId: 'g09', withGuardId: 'g01' };
      const dayShift = async (manager: string) =>
        (
          await call<{ roster: { shiftId: string; guardIds: string[] }[] }>(
            manager,
            'GET',
            '/api/shifts?from=2026-12-01&days=1',
          )
        ).roster.find((r) => r.shiftId === 'day')!.guardIds;

      it("waits for the other guard's consent, then takes effect and tells the managers", async () => {
        const t = await fresh();
        // g01 asks to take g09's shift: nothing changes until g09 agrees.
        const asked = await call<{ swap: { id: string; status: string } }>(t.g01!, 'POST', '/api/shifts/swap', swap);
        expect(asked.swap.status).toBe('pending');
        expect(await dayShift(t.manager!)).toEqual(['g09', 'g10']);
        const pending = await call<{ swaps: { id: string }[] }>(t.manager!, 'GET', '/api/shifts');
        expect(pending.swaps.map((s) => s.id)).toEqual([asked.swap.id]);
        // Neither the guard who asked nor a third guard can consent for g09.
        const accept = `/api/shifts/swap/${asked.swap.id}/accept`;
        expect(await errorCode(t.g01!, 'POST', accept, {}, 403)).toBe('SWAP_NEEDS_CONSENT');
        expect(await errorCode(t.g02!, 'POST', accept, {}, 403)).toBe('SWAP_NEEDS_CONSENT');
        expect(await dayShift(t.manager!)).toEqual(['g09', 'g10']);

        const g09 = await signIn('13800000019');
        const done = await call<{ swap: { status: string }; roster: { guardIds: string[] } }>(g09, 'POST', accept, {});
        expect(done.swap.status).toBe('accepted');
        expect(await dayShift(t.manager!)).toEqual(['g01', 'g10']);
        expect(await errorCode(g09, 'POST', accept, {}, 409)).toBe('SWAP_NOT_PENDING');
        const feed = await call<{ notifications: { kind: string; ref: string | null }[] }>(
          t.manager!,
          'GET',
          '/api/notifications',
        );
        expect(feed.notifications.filter((n) => n.kind === 'roster.swapped').map((n) => n.ref)).toEqual([
          asked.swap.id,
        ]);
        // The new rota is the access rule: g01 may go on duty in that shift, g09 may not.
        clock = at('2026-12-01', '07:00');
        await call(t.g01!, 'POST', '/api/shifts/duty', { onDuty: true });
        expect(await errorCode(g09, 'POST', '/api/shifts/duty', { onDuty: true }, 403)).toBe('NOT_ROSTERED');
      });

      it('changes nothing when the other guard declines', async () => {
        const t = await fresh();
        const asked = await call<{ swap: { id: string } }>(t.g01!, 'POST', '/api/shifts/swap', swap);
        const declined = await call<{ swap: { status: string } }>(
          t.g09!,
          'POST',
          `/api/shifts/swap/${asked.swap.id}/decline`,
          {},
        );
        expect(declined.swap.status).toBe('declined');
        expect(await dayShift(t.manager!)).toEqual(['g09', 'g10']);
      });

      it("applies a manager's swap at once", async () => {
        const t = await fresh();
        const r = await call<{ swap: { status: string } }>(t.manager!, 'POST', '/api/shifts/swap', swap);
        expect(r.swap.status).toBe('accepted');
        expect(await dayShift(t.manager!)).toEqual(['g01', 'g10']);
      });
    });

    describe('open tasks pass to the guards on duty', () => {
      it('passes the park task of a guard who goes off duty to the guard still on duty, who does it', async () => {
        const t = await fresh();
        const task = await checkIn(t.g05!, '沪E21171');
        expect(task.guardId).toBe('g05');
        const off = await call<{ passed: string[] }>(t.g05!, 'POST', '/api/shifts/duty', { onDuty: false });
        expect(off.passed).toEqual([task.id]);
        const mine = await call<{ tasks: Task[] }>(t.g06!, 'GET', '/api/tasks?mine=true');
        expect(mine.tasks.map((x) => x.id)).toEqual([task.id]);
        await call(t.g06!, 'POST', `/api/tasks/${task.id}/start`);
        await call(t.g06!, 'POST', `/api/tasks/${task.id}/complete`, {});
        const history = await call<{ events: { type: string; payload: { kind?: string; refId?: string } }[] }>(
          t.manager!,
          'GET',
          `/api/vehicles/v001/history`,
        );
        expect(history.events.some((e) => e.payload.kind === 'task.assigned' && e.payload.refId === task.id)).toBe(
          true,
        );
      });

      it('passes the outgoing shift’s open tasks to the incoming guards at the hand-over', async () => {
        const t = await fresh();
        const task = await checkIn(t.g06!, '沪E21171');
        clock = at('2026-12-01', '07:00');
        const keys = await call<{ counts: { inCabinet: number } }>(t.g05!, 'GET', '/api/keys');
        const lot = await call<{ counts: { onSite: number } }>(t.manager!, 'GET', '/api/compounds/jinfang/lot');
        const counts = { keysCounted: keys.counts.inCabinet, carsCounted: lot.counts.onSite };
        const handover = await call<{ id: string }>(t.g05!, 'POST', '/api/shifts/handover', counts);
        await call(t.g09!, 'POST', `/api/shifts/handover/${handover.id}/confirm`, counts);
        expect(await onDuty(t.manager!)).toEqual(['g09']);
        const mine = await call<{ tasks: Task[] }>(t.g09!, 'GET', '/api/tasks?mine=true');
        expect(mine.tasks.map((x) => x.id)).toEqual([task.id]);
        await call(t.g09!, 'POST', `/api/tasks/${task.id}/complete`, {});
      });

      it('lets an on-duty guard take a queued task left with a guard who is off duty', async () => {
        const t = await fresh();
        const task = await checkIn(t.g05!, '沪E21171');
        // A task left with g01, who is not on duty (as one written before tasks passed on at hand-over).
        await ctx.store.db.updateTable('tasks').set({ guard_id: 'g01' }).where('id', '=', task.id).execute();
        const started = await call<{ guardId: string; status: string }>(t.g06!, 'POST', `/api/tasks/${task.id}/start`);
        expect(started).toMatchObject({ guardId: 'g06', status: 'started' });
        // A task of a guard on duty stays his.
        const other = await checkIn(t.g05!, '沪E55356');
        expect(await errorCode(t.g06!, 'POST', `/api/tasks/${other.id}/start`, {}, 409)).toBe('TASK_OF_OTHER');
      });

      it('lets a manager reassign a task to an on-duty guard, but not one mid-move nor to a guard off duty', async () => {
        const t = await fresh();
        const task = await checkIn(t.g05!, '沪E21171');
        const url = `/api/tasks/${task.id}/reassign`;
        expect(await errorCode(t.manager!, 'POST', url, { guardId: 'g01' }, 409)).toBe('NOT_ON_DUTY');
        expect(await errorCode(t.manager!, 'POST', url, { guardId: 'g99' }, 404)).toBe('NOT_FOUND');
        const r = await call<{ task: Task }>(t.manager!, 'POST', url, { guardId: 'g06' });
        expect(r.task).toMatchObject({ guardId: 'g06', status: 'queued' });
        await call(t.g06!, 'POST', `/api/tasks/${task.id}/start`);
        await call(t.g06!, 'POST', '/api/keys/K-v001/checkout', { taskId: task.id });
        // The key is out with g06 for this task: the car is his until it is back.
        expect(await errorCode(t.manager!, 'POST', url, { guardId: 'g05' }, 409)).toBe('KEY_HELD_BY_OTHER');
        const feed = await call<{ notifications: { kind: string; ref: string | null }[] }>(
          t.g06!,
          'GET',
          '/api/notifications',
        );
        expect(feed.notifications.some((n) => n.kind === 'task.assigned' && n.ref === task.id)).toBe(true);
      });
    });

    describe('leaving now', () => {
      it("keeps the departures declared for later days and closes today's", async () => {
        const t = await fresh();
        await parkAt(t.g05!, '沪E21171', 'L89-0');
        const declare = (body: object) => call(t.manager!, 'POST', '/api/vehicles/v001/departures', body);
        await declare({ kind: 'once', at: '2026-11-30T22:00:00+08:00' });
        await declare({ kind: 'once', at: '2026-12-01T07:30:00+08:00' });
        await declare({ kind: 'standing', time: '08:00', weekdays: [1, 2, 3, 4, 5] });
        await declare({ kind: 'now' });
        await call(t.g05!, 'POST', '/api/vehicles/v001/depart');
        const { departures } = await call<{ departures: { kind: string; at: number | null }[] }>(
          t.manager!,
          'GET',
          '/api/vehicles/v001/departures',
        );
        expect(departures.map((d) => [d.kind, d.at])).toEqual([
          ['once', at('2026-12-01', '07:30')],
          ['standing', null],
        ]);
      });
    });

    describe('declaring again', () => {
      it('replaces the earlier routine, the same day\'s one-off and "now", keeping each in the ledger', async () => {
        const t = await fresh();
        // v001 deepest in the dead-end row L89, v002 in front of it.
        await parkAt(t.g05!, '沪E21171', 'L89-1');
        await parkAt(t.g05!, '沪E55356', 'L89-0');
        const declare = (body: object) =>
          call<{ departure: { id: string }; tasks: Task[] }>(t.manager!, 'POST', '/api/vehicles/v001/departures', body);
        await declare({ kind: 'standing', time: '08:00', weekdays: [1, 2, 3, 4, 5] });
        await declare({ kind: 'standing', time: '07:30', weekdays: [1, 2, 3, 4, 5] });
        await declare({ kind: 'once', at: '2026-12-01T07:30:00+08:00' });
        await declare({ kind: 'once', at: '2026-12-01T09:00:00+08:00' });
        await declare({ kind: 'once', at: '2026-12-02T09:00:00+08:00' });
        const first = await declare({ kind: 'now' });
        expect(first.tasks).toHaveLength(1);
        const again = await declare({ kind: 'now' });
        const { departures } = await call<{
          departures: { id: string; kind: string; at: number | null; time: string }[];
        }>(t.manager!, 'GET', '/api/vehicles/v001/departures');
        expect(departures.map((d) => [d.kind, d.at ?? d.time])).toEqual([
          ['standing', '07:30'],
          ['once', at('2026-12-01', '09:00')],
          ['once', at('2026-12-02', '09:00')],
          ['now', clock],
        ]);
        // The move planned for the first "now" stays and now serves the second.
        const tasks = await ctx.store.db.selectFrom('tasks').select(['id', 'departure_id', 'status']).execute();
        expect(tasks.filter((x) => x.status === 'queued')).toEqual([
          { id: first.tasks[0]!.id, departure_id: again.departure.id, status: 'queued' },
        ]);
        const declared = (await ctx.store.events('jinfang')).flatMap((e) =>
          e.type === 'record' && e.payload.kind === 'departure.declared' ? [e.payload] : [],
        );
        expect(declared).toHaveLength(7);
        expect(declared.map((p) => p.detail.replaces ?? null)).toEqual([
          null,
          declared[0]!.refId,
          null,
          declared[2]!.refId,
          null,
          null,
          declared[5]!.refId,
        ]);
      });
    });

    describe('one ETA', () => {
      it('gives the same ready time in the "now" reply and the car\'s view when one lane holds three blockers', async () => {
        const t = await fresh();
        // L89 is a dead-end row of five bays: v001 deepest, three cars in front of it.
        await parkAt(t.g05!, '沪E21171', 'L89-3');
        await parkAt(t.g05!, '沪E55356', 'L89-2');
        await parkAt(t.g05!, '沪B38463', 'L89-1');
        await parkAt(t.g05!, '沪AEQ128', 'L89-0');
        clock += 60_000;
        const reply = await call<{ readyAt: number; blockedBy: string[]; tasks: Task[] }>(
          t.manager!,
          'POST',
          '/api/vehicles/v001/departures',
          { kind: 'now' },
        );
        expect(reply.blockedBy).toHaveLength(3);
        expect(reply.tasks).toHaveLength(3);
        // The lane is emptied one car after another (two guards on duty do not halve it): 3 × 5 minutes.
        expect(reply.readyAt).toBe(clock + 15 * 60_000);
        const view = await call<{ readyAt: number | null }>(t.manager!, 'GET', '/api/vehicles/v001');
        expect(view.readyAt).toBe(reply.readyAt);
      });
    });
  });
}
