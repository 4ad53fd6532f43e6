import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagOverstays } from '../src/app/visitors.js';
import type { EpochMs, PositionId, UserId, VehicleId } from '../src/core/brand.js';
import type { EventBody, NewEvent } from '../src/core/events.js';
import { DEMO_NOW, residentsWorld, type ResidentsWorld } from './support/residents.js';

const HOUR = 3600_000;
const MANAGER = '13800000001';
/** r003, household h-d9947c. */
const RESIDENT = '13800000103';
/** r001, household h-cc25d4. */
const OTHER_RESIDENT = '13800000101';

let world: ResidentsWorld;
let guardPhone: string;
let guardId: UserId;
let offDutyGuard: string;

beforeAll(async () => {
  world = await residentsWorld();
  const state = await world.ctx.store.state('jinfang');
  const guards = await world.ctx.store.db
    .selectFrom('users')
    .select(['id', 'phone'])
    .where('role', '=', 'guard')
    .orderBy('id')
    .execute();
  const on = guards.find((g) => state.onDuty.has(g.id as UserId));
  guardPhone = on?.phone ?? '';
  guardId = on?.id as UserId;
  offDutyGuard = guards.find((g) => !state.onDuty.has(g.id as UserId))?.phone ?? '';
}, 30_000);

afterAll(() => world.close());

const iso = (ms: number) => new Date(ms).toISOString();

async function call(phone: string, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await world.app.inject({
    method,
    url,
    headers: { authorization: await world.login(phone) },
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, body: res.json() };
}

async function refused(phone: string, payload: object, status: number, code: string, field?: string) {
  const before = await world.fingerprint('jinfang');
  const { status: got, body } = await call(phone, 'POST', '/api/visitors', payload);
  expect(got, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  if (field !== undefined) expect(body.error.field).toBe(field);
  expect(await world.fingerprint('jinfang')).toEqual(before);
}

/** Appends events as the on-duty guard, as the gate and parking use cases would. */
async function asGuard(...bodies: EventBody[]): Promise<void> {
  await world.ctx.store.transaction('jinfang', async (uow) => {
    for (const body of bodies)
      await uow.append({ ...body, at: world.clock.now as EpochMs, actor: guardId } as NewEvent);
  });
}

async function visitors(phone: string, status?: string) {
  const { status: code, body } = await call(
    phone,
    'GET',
    `/api/visitors${status === undefined ? '' : `?status=${status}`}`,
  );
  expect(code, JSON.stringify(body)).toBe(200);
  return body.visitors as {
    id: string;
    status: string;
    plate: string;
    vehicleId: string;
    hostHouseholdId: string | null;
    overstayFlaggedAt: number | null;
  }[];
}

let expectedVisit = '';
let gateVisit = '';
let gateCar = '' as VehicleId;

describe('registering a visitor', () => {
  it('a resident pre-registers a plate and a window for their household', async () => {
    const { status, body } = await call(RESIDENT, 'POST', '/api/visitors', {
      plate: '沪C11111',
      from: iso(DEMO_NOW + HOUR),
      to: iso(DEMO_NOW + 5 * HOUR),
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expectedVisit = body.visitId;
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(['vehicle.registered', 'record']);
    const v = (await world.ctx.store.state('jinfang')).vehicles.get(body.vehicleId);
    expect(v).toMatchObject({ householdId: null, consent: null, keyTag: null });
    const [record] = await world.ctx.store.events('jinfang', body.events[1].seq);
    expect(record?.payload).toMatchObject({
      kind: 'visitor.registered',
      refId: expectedVisit,
      detail: { hostHouseholdId: 'h-d9947c', to: DEMO_NOW + 5 * HOUR },
    });
    expect(JSON.stringify(await world.ctx.store.events('jinfang', body.events[0].seq))).not.toContain('11111');
  });

  it('a guard on duty registers one at the gate until a time', async () => {
    const { status, body } = await call(guardPhone, 'POST', '/api/visitors', {
      plate: '沪C22222',
      until: iso(DEMO_NOW + 2 * HOUR),
      householdId: 'h-cc25d4',
    });
    expect(status, JSON.stringify(body)).toBe(200);
    gateVisit = body.visitId;
    gateCar = body.vehicleId;
  });

  it('refuses bad windows, plates and roles with the field and the rule, changing nothing', async () => {
    const from = iso(DEMO_NOW + HOUR);
    await refused(RESIDENT, { plate: '沪C33333', from, to: iso(DEMO_NOW) }, 400, 'BAD_WINDOW', 'to');
    await refused(
      RESIDENT,
      { plate: '沪C33333', from: iso(DEMO_NOW - 3 * HOUR), to: iso(DEMO_NOW - HOUR) },
      400,
      'BAD_WINDOW',
      'to',
    );
    await refused(RESIDENT, { plate: '沪C33333', from, to: iso(DEMO_NOW + 8 * 24 * HOUR) }, 400, 'BAD_WINDOW', 'to');
    await refused(RESIDENT, { plate: '沪C33333', to: iso(DEMO_NOW + 2 * HOUR) }, 400, 'VALIDATION', 'body.from');
    await refused(
      RESIDENT,
      { plate: '沪C33333', from: '明天', to: iso(DEMO_NOW + 2 * HOUR) },
      400,
      'VALIDATION',
      'body.from',
    );
    await refused(RESIDENT, { plate: '沪C3333', from, to: iso(DEMO_NOW + 2 * HOUR) }, 400, 'BAD_PLATE', 'plate');
    await refused(RESIDENT, { plate: '沪E21171', from, to: iso(DEMO_NOW + 2 * HOUR) }, 409, 'DUPLICATE_PLATE', 'plate');
    await refused(
      RESIDENT,
      { plate: '沪C33333', from, to: iso(DEMO_NOW + 2 * HOUR), householdId: 'h-cc25d4' },
      403,
      'FORBIDDEN',
      'householdId',
    );
    await refused(guardPhone, { plate: '沪C33333', until: iso(DEMO_NOW - HOUR) }, 400, 'BAD_WINDOW', 'until');
    await refused(
      guardPhone,
      { plate: '沪C33333', from, to: iso(DEMO_NOW + 2 * HOUR) },
      400,
      'VALIDATION',
      'body.until',
    );
    await refused(
      guardPhone,
      { plate: '沪C33333', until: iso(DEMO_NOW + HOUR), householdId: 'nowhere' },
      404,
      'NOT_FOUND',
      'householdId',
    );
    await refused(offDutyGuard, { plate: '沪C33333', until: iso(DEMO_NOW + HOUR) }, 409, 'NOT_ON_DUTY');
    await refused(MANAGER, { plate: '沪C33333', until: iso(DEMO_NOW + HOUR) }, 403, 'FORBIDDEN');
  });
});

describe('the visitor list', () => {
  it('shows guards and managers the expected visitors; a resident only their own household’s', async () => {
    expect((await visitors(guardPhone, 'expected')).map((v) => [v.id, v.plate])).toEqual([
      [expectedVisit, '沪C11111'],
      [gateVisit, '沪C22222'],
    ]);
    expect((await visitors(MANAGER)).map((v) => v.id)).toEqual([expectedVisit, gateVisit]);
    expect((await visitors(RESIDENT)).map((v) => v.id)).toEqual([expectedVisit]);
    expect((await visitors(OTHER_RESIDENT)).map((v) => v.id)).toEqual([gateVisit]);
    expect(await visitors(guardPhone, 'on-site')).toEqual([]);
    expect((await call(guardPhone, 'GET', '/api/visitors?status=gone')).status).toBe(400);
  });
});

describe('a visitor on site', () => {
  it('has no key in custody, so it may not stand in front of another car', async () => {
    const state = await world.ctx.store.state('jinfang');
    const lane = state.layout.lanes.find(
      (l) =>
        l.access === 'one-end' &&
        l.positions.length >= 2 &&
        l.positions.every((p) => p.maxSize !== 'small' && p.closures.length === 0 && !state.occupancy.has(p.id)),
    );
    expect(lane).toBeDefined();
    const [front, back] = [lane?.positions[0]?.id as PositionId, lane?.positions[1]?.id as PositionId];
    // v001 has consent and its key in the cabinet; it goes to the back of the lane.
    const resident = 'v001' as VehicleId;
    await asGuard(
      { type: 'car.checked-in', payload: { vehicleId: resident } },
      { type: 'car.parked', payload: { vehicleId: resident, positionId: back, taskId: null } },
    );
    await asGuard({ type: 'car.checked-in', payload: { vehicleId: gateCar } });
    await expect(
      asGuard({ type: 'car.parked', payload: { vehicleId: gateCar, positionId: front, taskId: null } }),
    ).rejects.toMatchObject({ code: 'NO_KEY_BLOCKING' });
    const free = state.layout.lanes.find(
      (l) =>
        l.positions.length === 1 &&
        l.positions[0]?.maxSize !== 'small' &&
        !state.occupancy.has(l.positions[0]?.id as PositionId),
    );
    await asGuard({
      type: 'car.parked',
      payload: { vehicleId: gateCar, positionId: free?.positions[0]?.id as PositionId, taskId: null },
    });
    expect((await visitors(guardPhone, 'on-site')).map((v) => v.id)).toEqual([gateVisit]);
  });

  it('is flagged once when it overstays its window', async () => {
    world.clock.now = DEMO_NOW + 3 * HOUR;
    expect((await visitors(guardPhone, 'overstayed')).map((v) => v.id)).toEqual([gateVisit]);
    expect(await flagOverstays(world.ctx, 'jinfang')).toEqual([gateVisit]);
    expect(await flagOverstays(world.ctx, 'jinfang')).toEqual([]);
    const records = (await world.ctx.store.events('jinfang')).filter(
      (e) => e.type === 'record' && e.payload.kind === 'visitor.overstayed',
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      actor: 'system',
      payload: { refId: gateVisit, vehicleId: gateCar, detail: { minutesOver: 60 } },
    });
    const [flagged] = await visitors(guardPhone, 'overstayed');
    expect(flagged?.overstayFlaggedAt).toBe(DEMO_NOW + 3 * HOUR);
    world.clock.now = DEMO_NOW + 4 * HOUR;
    expect(await flagOverstays(world.ctx, 'jinfang')).toEqual([]);
  });

  it('has left once the car departs; an expected visitor who never came is a no-show', async () => {
    await asGuard({ type: 'car.departed', payload: { vehicleId: gateCar, by: 'guard' } });
    expect((await visitors(guardPhone, 'left')).map((v) => v.id)).toEqual([gateVisit]);
    world.clock.now = DEMO_NOW + 6 * HOUR;
    expect((await visitors(guardPhone, 'no-show')).map((v) => v.id)).toEqual([expectedVisit]);
    expect(await visitors(guardPhone)).toEqual([]);
  });

  it('a returning visitor’s car is the same vehicle, with a new visit', async () => {
    const { status, body } = await call(RESIDENT, 'POST', '/api/visitors', {
      plate: '沪C22222',
      from: iso(world.clock.now),
      to: iso(world.clock.now + HOUR),
    });
    expect(status).toBe(200);
    expect(body.vehicleId).toBe(gateCar);
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(['record']);
    expect((await visitors(RESIDENT, 'expected')).map((v) => v.id)).toEqual([body.visitId]);
    expect((await world.ctx.store.replay('jinfang')).equal).toBe(true);
    expect((await world.ctx.store.verify('jinfang')).ok).toBe(true);
  });
});
