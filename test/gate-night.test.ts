/**
 * A night at the gate of the demo compound, played as camera pushes against the real server
 * (in-process): residents, a pre-registered visitor, unknown plates, double reads, misreads, a car
 * leaving with its key out, a silent camera. Checks the barrier answers, tasks, alarms and the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { checkCameraSilence } from '../src/app/gate.js';
import type { CameraScript, PlayedEvent } from '../src/cli/gate.command.js';
import { playScript, vzenithRead } from '../src/cli/gate.command.js';
import { DEMO_NOW, residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
/** r003, household 1号1单元201, owner of v001 沪E21171. */
const RESIDENT = '13800000103';
const SECRET = 'gate-in-secret-0123456789';
const MINUTE = 60_000;
/** 20:00 Shanghai. */
const at = (minutes: number, seconds = 0) => new Date(DEMO_NOW + minutes * MINUTE + seconds * 1000).toISOString();

let world: ResidentsWorld;
let guardPhone = '';

for (const backend of BACKENDS) describe(`on ${backend.name}`, () => nightAtTheGate(backend));

function nightAtTheGate(backend: (typeof BACKENDS)[number]): void {
  beforeAll(async () => {
    world = await residentsWorld(backend);
    guardPhone = await world.onDutyGuardPhone();
  }, 60_000);

  afterAll(async () => {
    await world.close();
    await backend.cleanup();
  });

  const call: ResidentsWorld['call'] = (...args) => world.call(...args);

  async function play(script: CameraScript): Promise<PlayedEvent[]> {
    return playScript(
      script,
      async (path, body) => {
        const res = await world.app.inject({
          method: 'POST',
          url: path,
          payload: body as object,
          remoteAddress: '127.0.0.1',
        });
        return { status: res.statusCode, body: res.json() };
      },
      async (instant) => {
        world.clock.now = instant;
      },
    );
  }

  const cameras = { 'main-in': { secret: SECRET }, 'main-out': {} };

  async function ledgerFrom(seq: number) {
    return world.ctx.store.events('jinfang', seq);
  }

  describe('a night of camera events', () => {
    let startSeq = 0;

    it('the manager registers an entry camera with a secret and an exit camera by address', async () => {
      const a = await call(MANAGER, 'PUT', '/api/gate/cameras/main-in', {
        gate: '北门',
        direction: 'in',
        secret: SECRET,
        heartbeatSeconds: 3600,
      });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body).toMatchObject({ hasSecret: true, direction: 'in' });
      expect(JSON.stringify(a.body)).not.toContain(SECRET);
      const b = await call(MANAGER, 'PUT', '/api/gate/cameras/main-out', {
        gate: '北门',
        direction: 'out',
        allowedIps: ['127.0.0.1'],
        heartbeatSeconds: 60,
      });
      expect(b.status, JSON.stringify(b.body)).toBe(200);
      const noAuth = await call(MANAGER, 'PUT', '/api/gate/cameras/bad', { gate: '北门', direction: 'in' });
      expect(noAuth.status).toBe(400);
      expect(noAuth.body.error.field).toBe('body.secret');
      // A resident pre-registers a visitor for the evening.
      const v = await call(RESIDENT, 'POST', '/api/visitors', { plate: '沪C11111', from: at(-60), to: at(180) });
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      startSeq = (await world.ctx.store.events('jinfang')).length;
    });

    it('refuses an unknown camera, a wrong secret and an address not on the list', async () => {
      const send = (url: string, remoteAddress = '127.0.0.1') =>
        world.app.inject({ method: 'POST', url, payload: vzenithRead('沪E21171'), remoteAddress });
      const unknown = await send(`/api/gate/jinfang/cameras/nope/vzenith?secret=${SECRET}`);
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json().error.code).toBe('CAMERA_REFUSED');
      expect((await send('/api/gate/jinfang/cameras/main-in/vzenith?secret=wrong-secret-0000000')).statusCode).toBe(
        401,
      );
      expect((await send('/api/gate/jinfang/cameras/main-in/vzenith')).statusCode).toBe(401);
      expect((await send('/api/gate/jinfang/cameras/main-out/vzenith', '10.9.9.9')).statusCode).toBe(401);
      expect((await send(`/api/gate/other/cameras/main-in/vzenith?secret=${SECRET}`)).statusCode).toBe(401);
      expect((await world.ctx.store.events('jinfang')).length).toBe(startSeq);
    });

    let played: PlayedEvent[] = [];
    it('plays the evening: residents in, double reads, a misread, a visitor, unknown plates', async () => {
      played = await play({
        compound: 'jinfang',
        cameras,
        events: [
          { at: at(0), camera: 'main-in', plate: '沪E21171' }, // 0 resident v001
          { at: at(0, 3), camera: 'main-in', plate: '沪E21171' }, // 1 the same read again
          { at: at(0, 6), camera: 'main-in', plate: '苏E21171' }, // 2 a misread of it, seconds later
          { at: at(5), camera: 'main-in', plate: '沪E5535G' }, // 3 v003 沪E55356 read with 6 as G
          { at: at(10), camera: 'main-in', plate: '沪C11111' }, // 4 pre-registered visitor
          { at: at(20), camera: 'main-in', plate: '沪D99999' }, // 5 unknown plate
          { at: at(25), camera: 'main-in', plate: '沪D88888' }, // 6 unknown plate
        ],
      });
      expect(played.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
      expect(played.map((p) => p.info)).toEqual(['ok', 'ok', 'ok', 'no', 'ok', 'no', 'no']);
      const outcomes = played.map(
        (p) => (p.reply as { Response_AlarmInfoPlate: { content: string } }).Response_AlarmInfoPlate.content,
      );
      expect(outcomes).toEqual(['resident', 'duplicate', 'duplicate', 'proposed', 'visitor', 'unknown', 'unknown']);
    });

    it('checked the resident’s car in as a guard would: a park task queued and the resident told', async () => {
      const state = await world.ctx.store.state('jinfang');
      expect(state.vehicles.get('v001' as never)?.location.kind).toBe('at-gate');
      const tasks = await world.ctx.store.db
        .selectFrom('tasks')
        .selectAll()
        .where('compound_id', '=', 'jinfang')
        .where('vehicle_id', '=', 'v001')
        .execute();
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ kind: 'park', status: 'queued', reason: 'arrival' });
      expect(state.onDuty.has(tasks[0]?.guard_id as never)).toBe(true);
      const feed = await call(RESIDENT, 'GET', '/api/notifications');
      const kinds = (feed.body.notifications as { kind: string }[]).map((n) => n.kind);
      expect(kinds).toContain('car.arrived');
      expect(kinds).toContain('visitor.arrived');
      // One check-in for three reads of the same car.
      const checkIns = (await ledgerFrom(startSeq + 1)).filter(
        (e) => e.type === 'car.checked-in' && e.payload.vehicleId === 'v001',
      );
      expect(checkIns).toHaveLength(1);
    });

    it('never applies a misread by itself: the guard sees the proposal and confirms it', async () => {
      const state = await world.ctx.store.state('jinfang');
      expect(state.vehicles.get('v003' as never)?.location.kind).toBe('away');
      const pending = await call(guardPhone, 'GET', '/api/gate/decisions');
      expect(pending.status).toBe(200);
      const reads = pending.body.reads as {
        id: string;
        plate: string;
        outcome: string;
        proposals: { plate: string }[];
      }[];
      expect(reads.map((r) => [r.plate, r.outcome])).toEqual([
        ['沪E5535G', 'proposed'],
        ['沪D99999', 'unknown'],
        ['沪D88888', 'unknown'],
      ]);
      expect(reads[0]?.proposals.map((p) => p.plate)).toEqual(['沪E55356']);
      const wrong = await call(guardPhone, 'POST', `/api/gate/reads/${reads[0]?.id}/decision`, {
        action: 'confirm',
        plate: '沪E21171',
      });
      expect(wrong.status).toBe(400);
      world.clock.now = DEMO_NOW + 26 * MINUTE;
      const ok = await call(guardPhone, 'POST', `/api/gate/reads/${reads[0]?.id}/decision`, {
        action: 'confirm',
        plate: '沪E55356',
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.read).toMatchObject({ decision: 'confirmed', vehicleId: 'v003' });
      expect(ok.body.taskId).not.toBeNull();
      expect((await world.ctx.store.state('jinfang')).vehicles.get('v003' as never)?.location.kind).toBe('at-gate');
      const again = await call(guardPhone, 'POST', `/api/gate/reads/${reads[0]?.id}/decision`, { action: 'refuse' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('DECISION_CLOSED');
    });

    it('the guard admits one unknown plate as a visitor and refuses the other; the camera opens once', async () => {
      const reads = (await call(guardPhone, 'GET', '/api/gate/decisions')).body.reads as {
        id: string;
        plate: string;
      }[];
      const d9 = reads.find((r) => r.plate === '沪D99999');
      const d8 = reads.find((r) => r.plate === '沪D88888');
      const admit = await call(guardPhone, 'POST', `/api/gate/reads/${d9?.id}/decision`, {
        action: 'admit',
        until: at(120),
      });
      expect(admit.status, JSON.stringify(admit.body)).toBe(200);
      expect(admit.body.read.decision).toBe('admitted');
      const refuse = await call(guardPhone, 'POST', `/api/gate/reads/${d8?.id}/decision`, { action: 'refuse' });
      expect(refuse.status).toBe(200);
      const beats = await play({
        compound: 'jinfang',
        cameras,
        events: [
          { at: at(27), camera: 'main-in' }, // heartbeat: open for the admitted car
          { at: at(27, 30), camera: 'main-in' }, // and only once
          { at: at(28), camera: 'main-in', plate: '沪D77777' }, // 7 another unknown plate
          { at: at(28, 4), camera: 'main-in', plate: '沪D77777' }, // read again: same answer
        ],
      });
      expect(beats.map((b) => b.info)).toEqual(['ok', 'no', 'no', 'no']);
      const visitors = (await call(guardPhone, 'GET', '/api/visitors')).body.visitors as {
        plate: string;
        status: string;
      }[];
      expect(visitors.find((v) => v.plate === '沪D99999')?.status).toBe('on-site');
      expect(visitors.find((v) => v.plate === '沪C11111')?.status).toBe('on-site');
      expect(visitors.some((v) => v.plate === '沪D88888')).toBe(false);
    });

    it('records departures at the exit, and alarms for a car leaving with its key out', async () => {
      // The guard takes v001's park task and its key; the car then shows up at the exit.
      const task = await world.ctx.store.db
        .selectFrom('tasks')
        .selectAll()
        .where('compound_id', '=', 'jinfang')
        .where('vehicle_id', '=', 'v001')
        .executeTakeFirstOrThrow();
      const guard = await world.ctx.store.db
        .selectFrom('users')
        .select('phone')
        .where('compound_id', '=', 'jinfang')
        .where('id', '=', task.guard_id ?? '')
        .executeTakeFirstOrThrow();
      world.clock.now = DEMO_NOW + 30 * MINUTE;
      expect((await call(guard.phone, 'POST', `/api/tasks/${task.id}/start`)).status).toBe(200);
      const key = await call(guard.phone, 'POST', '/api/keys/K-v001/checkout', { taskId: task.id });
      expect(key.status, JSON.stringify(key.body)).toBe(200);
      const out = await play({
        compound: 'jinfang',
        cameras,
        events: [
          { at: at(60), camera: 'main-out', plate: '沪C11111' }, // the visitor leaves
          { at: at(60, 2), camera: 'main-out', plate: '沪C11111' }, // read twice
          { at: at(70), camera: 'main-out', plate: '沪E21171' }, // v001 leaves while its key is out
          { at: at(71), camera: 'main-out', plate: '沪X00000' }, // a car nobody knows leaves
        ],
      });
      expect(out.map((o) => o.info)).toEqual(['ok', 'ok', 'ok', 'ok']);
      const state = await world.ctx.store.state('jinfang');
      expect(state.vehicles.get('v001' as never)?.location.kind).toBe('away');
      const events = await ledgerFrom(startSeq + 1);
      const alarms = events.filter((e) => e.type === 'record' && e.payload.kind === 'gate.alarm');
      expect(alarms.map((e) => (e.type === 'record' ? [e.payload.vehicleId, e.payload.detail.reason] : null))).toEqual([
        ['v001', 'key-out'],
      ]);
      const managerFeed = await call(MANAGER, 'GET', '/api/notifications');
      expect((managerFeed.body.notifications as { kind: string }[]).some((n) => n.kind === 'gate.alarm')).toBe(true);
      const visitors = (await call(guardPhone, 'GET', '/api/visitors?status=left')).body.visitors as {
        plate: string;
      }[];
      expect(visitors.map((v) => v.plate)).toContain('沪C11111');
    });

    it('alarms once for a camera silent past its heartbeat', async () => {
      world.clock.now = DEMO_NOW + 71 * MINUTE + 90_000;
      expect(await checkCameraSilence(world.ctx, 'jinfang')).toEqual([]);
      world.clock.now = DEMO_NOW + 75 * MINUTE;
      expect(await checkCameraSilence(world.ctx, 'jinfang')).toEqual(['main-out']);
      expect(await checkCameraSilence(world.ctx, 'jinfang')).toEqual([]);
      const cams = (await call(MANAGER, 'GET', '/api/gate/cameras')).body.cameras as {
        id: string;
        silentAlarmedAt: number | null;
      }[];
      expect(cams.find((c) => c.id === 'main-out')?.silentAlarmedAt).toBe(DEMO_NOW + 75 * MINUTE);
      expect(cams.find((c) => c.id === 'main-in')?.silentAlarmedAt).toBeNull();
    });

    it('holds a hostless visitor at the exit for its 临停 fee until the guard takes it', async () => {
      // The compound's tariff: 30 free minutes, ¥5 an hour, ¥30 a day at most.
      const rules = await call(MANAGER, 'PUT', '/api/fees/rules/2026-11-01', {
        monthly: { bay: [30000], tandem: [20000], aisle: [15000] },
        temporary: { freeMinutes: 30, perHourFen: 500, dailyCapFen: 3000 },
        partner: { nightFen: 1000, overstayPerHourFen: 2000 },
        evPerKwhFen: 80,
        exemptions: [],
      });
      expect(rules.status, JSON.stringify(rules.body)).toBe(200);
      // 沪D99999, admitted by the guard at 20:26 with no host household, leaves at 22:30: 124 minutes, 3 hours.
      const out = await play({
        compound: 'jinfang',
        cameras,
        events: [
          { at: at(150), camera: 'main-out', plate: '沪D99999' },
          { at: at(150, 3), camera: 'main-out', plate: '沪D99999' }, // read again while it waits
        ],
      });
      expect(out.map((o) => o.info)).toEqual(['no', 'no']);
      const contents = out.map(
        (p) => (p.reply as { Response_AlarmInfoPlate: { content: string } }).Response_AlarmInfoPlate.content,
      );
      expect(contents).toEqual(['fee-due', 'duplicate']);
      const car = (await call(guardPhone, 'GET', '/api/visitors')).body.visitors as {
        plate: string;
        vehicleId: string;
      }[];
      const vehicleId = car.find((v) => v.plate === '沪D99999')?.vehicleId as string;
      expect((await world.ctx.store.state('jinfang')).vehicles.get(vehicleId as never)?.location.kind).not.toBe('away');

      const pending = (await call(guardPhone, 'GET', '/api/gate/decisions')).body.reads as {
        id: string;
        plate: string;
        outcome: string;
        feeFen: number | null;
      }[];
      const due = pending.find((r) => r.outcome === 'fee-due');
      expect(due).toMatchObject({ plate: '沪D99999', feeFen: 1500 });
      // Neither admitted nor refused: the fee is taken or waived.
      const refuse = await call(guardPhone, 'POST', `/api/gate/reads/${due?.id}/decision`, { action: 'refuse' });
      expect(refuse.status).toBe(400);
      expect(refuse.body.error.field).toBe('body.action');
      const odd = await call(guardPhone, 'POST', `/api/gate/reads/${due?.id}/decision`, {
        action: 'collect',
        method: 'card',
      });
      expect(odd.status).toBe(400);
      const beforeSeq = (await world.ctx.store.events('jinfang')).length;
      world.clock.now = DEMO_NOW + 151 * MINUTE;
      const paid = await call(guardPhone, 'POST', `/api/gate/reads/${due?.id}/decision`, {
        action: 'collect',
        method: 'qr',
      });
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      expect(paid.body.read).toMatchObject({ decision: 'paid', feeFen: 1500 });
      expect((await world.ctx.store.state('jinfang')).vehicles.get(vehicleId as never)?.location.kind).toBe('away');
      const recorded = (await ledgerFrom(beforeSeq + 1)).filter(
        (e) => e.type === 'record' && e.payload.kind === 'gate.decided',
      );
      expect(recorded.map((e) => (e.type === 'record' ? e.payload.detail : null))).toEqual([
        { decision: 'paid', fen: 1500, method: 'qr' },
      ]);
      const again = await call(guardPhone, 'POST', `/api/gate/reads/${due?.id}/decision`, {
        action: 'waive',
        reason: '重复操作',
      });
      expect(again.status).toBe(409);
      // The exit camera opens once on its next poll.
      const beats = await play({
        compound: 'jinfang',
        cameras,
        events: [
          { at: at(151, 10), camera: 'main-out' },
          { at: at(151, 40), camera: 'main-out' },
        ],
      });
      expect(beats.map((b) => b.info)).toEqual(['ok', 'no']);
    });

    it('lets a hosted visitor back within its window leave without a fee: the host’s bill has it', async () => {
      // 沪C11111's visit runs to 23:00; it comes back at 22:32 and leaves at 23:20, 48 minutes.
      const out = await play({
        compound: 'jinfang',
        cameras,
        events: [
          { at: at(152), camera: 'main-in', plate: '沪C11111' },
          { at: at(200), camera: 'main-out', plate: '沪C11111' },
        ],
      });
      const contents = out.map(
        (p) => (p.reply as { Response_AlarmInfoPlate: { content: string } }).Response_AlarmInfoPlate.content,
      );
      expect(contents).toEqual(['visitor', 'departed']);
      expect(out.map((o) => o.info)).toEqual(['ok', 'ok']);
    });

    it('keeps a ledger that verifies, with one gate.read per event and no plate in it', async () => {
      const events = await ledgerFrom(startSeq + 1);
      const reads = events.filter((e) => e.type === 'record' && e.payload.kind === 'gate.read');
      // 5 evening reads that were not duplicates + D77777 once + 3 exits + D99999's exit held for its fee
      // + C11111 back in and out again
      expect(reads).toHaveLength(12);
      expect(JSON.stringify(events)).not.toMatch(/沪|苏/);
      const verified = await world.ctx.store.verify('jinfang');
      expect(verified).toMatchObject({ ok: true });
    });
  });
}
