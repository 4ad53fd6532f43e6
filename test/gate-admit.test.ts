/**
 * Admitting an unknown plate at the gate is one transaction, on every backend: the visitor's
 * registration, its check-in, the decision and their ledger records commit together; a decision
 * refused (a bad window, a read decided meanwhile) leaves no visit, vehicle or record behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/app/actor.js';
import { decideRead } from '../src/app/gate.js';
import { vzenithRead } from '../src/cli/gate.command.js';
import type { UserId } from '../src/core/brand.js';
import { BACKENDS } from './support/backends.js';
import { DEMO_NOW, residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
const SECRET = 'gate-admit-secret-0123456';
const MINUTE = 60_000;

for (const backend of BACKENDS) describe(`admitting an unknown plate on ${backend.name}`, () => admitting(backend));

function admitting(backend: (typeof BACKENDS)[number]): void {
  let world: ResidentsWorld;
  let guardPhone = '';
  const call: ResidentsWorld['call'] = (...args) => world.call(...args);

  beforeAll(async () => {
    world = await residentsWorld(backend);
    guardPhone = await world.onDutyGuardPhone();
    const cam = await call(MANAGER, 'PUT', '/api/gate/cameras/main-in', {
      gate: '北门',
      direction: 'in',
      secret: SECRET,
      heartbeatSeconds: 3600,
    });
    expect(cam.status, JSON.stringify(cam.body)).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await world.close();
    await backend.cleanup();
  });

  async function readOf(plate: string): Promise<string> {
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/gate/jinfang/cameras/main-in/vzenith?secret=${SECRET}`,
      payload: vzenithRead(plate),
    });
    expect(res.statusCode, res.body).toBe(200);
    const reads = (await call(guardPhone, 'GET', '/api/gate/decisions')).body.reads as { id: string; plate: string }[];
    const read = reads.find((r) => r.plate === plate);
    expect(read).toBeDefined();
    return read!.id;
  }

  async function counts() {
    const visits = await world.ctx.store.db
      .selectFrom('visitors')
      .select('id')
      .where('compound_id', '=', 'jinfang')
      .execute();
    return { visits: visits.length, events: (await world.ctx.store.events('jinfang')).length };
  }

  it('a refused admit (the window ends in the past) leaves nothing behind', async () => {
    const id = await readOf('沪D66666');
    const before = await counts();
    const r = await call(guardPhone, 'POST', `/api/gate/reads/${id}/decision`, {
      action: 'admit',
      until: new Date(DEMO_NOW - MINUTE).toISOString(),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_WINDOW');
    expect(await counts()).toEqual(before);
    const pending = (await call(guardPhone, 'GET', '/api/gate/decisions')).body.reads as { id: string }[];
    expect(pending.map((p) => p.id)).toContain(id);
  });

  it('two guards admitting the same read at once: one visit, one decision, the other refused whole', async () => {
    const id = await readOf('沪D55555');
    const before = await counts();
    // The use case itself, twice at once (an HTTP request would hold its own request transaction).
    const user = await world.ctx.store.db
      .selectFrom('users')
      .selectAll()
      .where('compound_id', '=', 'jinfang')
      .where('phone', '=', guardPhone)
      .executeTakeFirstOrThrow();
    const guard: Principal = {
      compoundId: 'jinfang',
      userId: user.id as UserId,
      role: 'guard',
      name: user.name,
      householdId: null,
      partnerLotId: null,
    };
    const input = { action: 'admit' as const, until: DEMO_NOW + 120 * MINUTE };
    const both = await Promise.allSettled([
      decideRead(world.ctx, guard, id, input),
      decideRead(world.ctx, guard, id, input),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'DECISION_CLOSED' } });
    const after = await counts();
    expect(after.visits).toBe(before.visits + 1);
    // vehicle.registered, visitor.registered, car.checked-in (and its task records), gate.decided: one run of seqs.
    const events = await world.ctx.store.events('jinfang', before.events + 1);
    const types = events.map((e) => (e.type === 'record' ? `record:${e.payload.kind}` : e.type));
    expect(types[0]).toBe('vehicle.registered');
    expect(types[1]).toBe('record:visitor.registered');
    expect(types).toContain('car.checked-in');
    expect(types.at(-1)).toBe('record:gate.decided');
    expect(types.filter((t) => t === 'record:visitor.registered')).toHaveLength(1);
    expect(await world.ctx.store.verify('jinfang')).toMatchObject({ ok: true });
  });
}
