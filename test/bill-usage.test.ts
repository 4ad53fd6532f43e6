/**
 * Usage on household bills, on every backend: a visitor's temporary parking (临停), a partner-lot
 * night with its overstay, metered EV energy and construction waste, each billed once on the first
 * bill after it ended, with known sums in fen, traced to its ledger events, and paid through the
 * ordinary payment flow. The tariffs are the compound's fee rules (the waste tariff too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRenovationPath, loadRenovationSection, readRenovationSection } from '../src/app/renovation-demo.js';
import type { EpochMs, VehicleId } from '../src/core/brand.js';
import type { EventBody, NewEvent } from '../src/core/events.js';
import { shanghaiInstant } from '../src/core/time.js';
import { BACKENDS } from './support/backends.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
/** r001, household h-cc25d4 (1号1单元302), car v003; no monthly card. */
const RESIDENT = '13800000101';
const HOUSEHOLD = 'h-cc25d4';
/** r002, household h-a27b0a (2号3单元601) with the EV v029 and the demo's renovation (18 bags declared at load). */
const EV_HOUSEHOLD = 'h-a27b0a';
const PARTNER = '13800000201';
const LOT = 'hutai-bus-station';

const RULES = {
  monthly: { bay: [30000], tandem: [20000], aisle: [15000] },
  temporary: { freeMinutes: 30, perHourFen: 500, dailyCapFen: 3000 },
  partner: { nightFen: 1000, overstayPerHourFen: 2000 },
  evPerKwhFen: 80,
  wastePerBagFen: 1000,
  exemptions: [],
};

interface Line {
  forMonth: string;
  kind: string;
  refId: string | null;
  vehicleId: string | null;
  fen: number;
  quantity: number | null;
  events: number[];
}
interface Bill {
  id: string;
  householdId: string;
  month: string;
  totalFen: number;
  lines: Line[];
}

for (const backend of BACKENDS) describe(`usage on household bills on ${backend.name}`, () => usage(backend));

function usage(backend: (typeof BACKENDS)[number]): void {
  let world: ResidentsWorld;
  const call: ResidentsWorld['call'] = (...args) => world.call(...args);
  const setClock = (day: string, hhmm: string) => {
    world.clock.now = shanghaiInstant(day, hhmm);
  };
  async function asGuard(...bodies: EventBody[]): Promise<void> {
    await world.ctx.store.transaction('jinfang', async (uow) => {
      for (const body of bodies)
        await uow.append({ ...body, at: world.clock.now as EpochMs, actor: 'system' } as NewEvent);
    });
  }
  async function issue(month: string): Promise<Bill[]> {
    const r = await call(MANAGER, 'POST', '/api/fees/bills', { month });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.bills as Bill[];
  }

  let visitId = '';
  let visitCar = '' as VehicleId;
  let declarationId = '';
  let bookingId = '';
  let sessionId = '';

  beforeAll(async () => {
    world = await residentsWorld(backend);
    // Loaded before any fee rules: its 18 bags are reckoned at the default ¥8 a bag.
    await loadRenovationSection(world.ctx, await readRenovationSection(demoRenovationPath()));
  }, 60_000);

  afterAll(async () => {
    await world.close();
    await backend.cleanup();
  });

  it('sets the tariffs in the compound’s fee rules, the waste tariff among them', async () => {
    const r = await call(MANAGER, 'PUT', '/api/fees/rules/2026-11-01', RULES);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.wastePerBagFen).toBe(1000);
    const bad = await call(MANAGER, 'PUT', '/api/fees/rules/2026-12-01', { ...RULES, wastePerBagFen: 7.5 });
    expect(bad.status).toBe(400);
  });

  it('a visitor of the household stays 2 h 10 min: three started hours at ¥5', async () => {
    setClock('2026-11-27', '19:00');
    const v = await call(RESIDENT, 'POST', '/api/visitors', {
      plate: '沪C11111',
      from: new Date(world.clock.now).toISOString(),
      to: new Date(world.clock.now + 5 * 3600_000).toISOString(),
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    visitId = v.body.visitId;
    visitCar = v.body.vehicleId;
    setClock('2026-11-27', '20:00');
    await asGuard({ type: 'car.checked-in', payload: { vehicleId: visitCar } });
    setClock('2026-11-27', '22:10');
    await asGuard({ type: 'car.departed', payload: { vehicleId: visitCar, by: 'guard' } });
  });

  it('the visitor comes back within the window for 50 min, and again the next morning, after it', async () => {
    for (const [day, from, to] of [
      ['2026-11-27', '22:30', '23:20'],
      ['2026-11-28', '08:00', '08:50'],
    ] as const) {
      setClock(day, from);
      await asGuard({ type: 'car.checked-in', payload: { vehicleId: visitCar } });
      setClock(day, to);
      await asGuard({ type: 'car.departed', payload: { vehicleId: visitCar, by: 'guard' } });
    }
  });

  it('the household declares 5 bags of its renovation’s waste at the rules’ ¥10 a bag', async () => {
    setClock('2026-11-28', '09:00');
    const reno = await call(RESIDENT, 'POST', '/api/renovations', {
      contractorName: '赵师傅',
      contractorPhone: '13911112222',
      workers: 3,
      startsOn: '2026-11-28',
      endsOn: '2026-12-20',
      kinds: ['walls'],
      hoursFrom: '08:30',
      hoursTo: '17:30',
    });
    expect(reno.status, JSON.stringify(reno.body)).toBe(201);
    const id = reno.body.renovation.id as string;
    expect((await call(MANAGER, 'POST', `/api/renovations/${id}/decision`, { approve: true })).status).toBe(200);
    const d = await call(RESIDENT, 'POST', '/api/waste-declarations', {
      renovationId: id,
      pointId: 'wp-south',
      bags: 5,
      kind: 'construction',
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    expect(d.body.declaration.feeFen).toBe(5000);
    declarationId = d.body.declaration.id;
  });

  it('meters 12.345 kWh of the EV v029: ¥9.88 at 80 fen a kWh, half up', async () => {
    setClock('2026-11-29', '06:30');
    const guard = await world.onDutyGuardPhone();
    const bad = await call(guard, 'POST', '/api/fees/charging-sessions', { vehicleId: 'v001', wattHours: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION', field: 'body.vehicleId' });
    const s = await call(guard, 'POST', '/api/fees/charging-sessions', { vehicleId: 'v029', wattHours: 12_345 });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body).toMatchObject({ householdId: EV_HOUSEHOLD, wattHours: 12_345, feeFen: 988 });
    sessionId = s.body.id;
    expect(
      (await call(RESIDENT, 'POST', '/api/fees/charging-sessions', { vehicleId: 'v029', wattHours: 1 })).status,
    ).toBe(403);
  });

  it('a partner-lot night checked out 90 minutes past leave-by: the night and two started hours', async () => {
    setClock('2026-11-28', '10:00');
    const b = await call(RESIDENT, 'POST', '/api/bookings', { lotId: LOT, vehicleId: 'v003', night: '2026-11-30' });
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    bookingId = b.body.id;
    setClock('2026-11-30', '19:35');
    expect((await call(PARTNER, 'POST', `/api/bookings/${bookingId}/check-in`)).status).toBe(200);
    setClock('2026-12-01', '08:30');
    expect((await call(PARTNER, 'POST', `/api/bookings/${bookingId}/check-out`)).status).toBe(200);
  });

  it('bills November with every usage that ended in it, each line traced to its ledger events', async () => {
    setClock('2026-12-01', '10:00');
    const bills = await issue('2026-11');
    const mine = bills.find((b) => b.householdId === HOUSEHOLD);
    // 临停 3 h × 500 = 1500, and 1 h for the stay back within the window (named by its arrival); the
    // stay begun after the window is the car's own (it pays at the exit); waste 5 × 1000 = 5000; the
    // partner night ended in December.
    expect(mine?.lines.map((l) => [l.kind, l.refId, l.fen, l.quantity])).toEqual([
      ['visitor', visitId, 1500, 130],
      ['visitor', expect.stringMatching(new RegExp(`^${visitId}:\\d+$`)), 500, 50],
      ['waste', declarationId, 5000, 5],
    ]);
    expect(mine?.totalFen).toBe(7000);
    const ev = bills.find((b) => b.householdId === EV_HOUSEHOLD);
    // The demo's 18 bags at the default ¥8 (declared before any rules) and the metered energy.
    expect(ev?.lines.map((l) => [l.kind, l.fen, l.quantity])).toEqual([
      ['waste', 18 * 800, 18],
      ['ev', 988, 12_345],
    ]);
    expect(ev?.lines[1]?.refId).toBe(sessionId);
    expect(ev?.totalFen).toBe(14_400 + 988);

    const events = await world.ctx.store.events('jinfang');
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    const visitor = mine!.lines[0]!;
    expect(visitor.events.map((s) => bySeq.get(s)?.type)).toEqual(['record', 'car.checked-in', 'car.departed']);
    expect(visitor.events.every((s) => JSON.stringify(bySeq.get(s)?.payload).includes(visitCar))).toBe(true);
    const back = mine!.lines[1]!;
    expect(back.events.map((s) => bySeq.get(s)?.type)).toEqual(['record', 'car.checked-in', 'car.departed']);
    expect(back.refId).toBe(`${visitId}:${back.events[1]}`);
    const waste = mine!.lines[2]!;
    expect(waste.events.map((s) => (bySeq.get(s)?.payload as { kind?: string }).kind)).toEqual(['waste.declared']);
    const meter = ev!.lines[1]!;
    expect(meter.events.map((s) => (bySeq.get(s)?.payload as { kind?: string }).kind)).toEqual(['charging.metered']);
  });

  it('bills a thing once: issuing again adds nothing, and December carries only the partner night', async () => {
    expect(await issue('2026-11')).toEqual([]);
    setClock('2027-01-01', '10:00');
    const bills = await issue('2026-12');
    const mine = bills.find((b) => b.householdId === HOUSEHOLD);
    // 1000 for the night + 2 started hours past 07:00 × 2000.
    expect(mine?.lines.map((l) => [l.forMonth, l.kind, l.refId, l.fen, l.quantity])).toEqual([
      ['2026-12', 'partner', bookingId, 5000, 2],
    ]);
    const events = await world.ctx.store.events('jinfang');
    const kinds = mine!.lines[0]!.events.map(
      (s) => (events.find((e) => e.seq === s)?.payload as { kind?: string }).kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['booking.created', 'booking.checked-in', 'booking.checked-out']));
    expect(bills.find((b) => b.householdId === EV_HOUSEHOLD)).toBeUndefined();
  });

  it('is paid through the ordinary payment flow, oldest bill first', async () => {
    const p = await call(MANAGER, 'POST', '/api/fees/payments', { householdId: HOUSEHOLD, fen: 8000, method: 'cash' });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const a = await call(RESIDENT, 'GET', `/api/fees/accounts/${HOUSEHOLD}`);
    expect(a.body.bills).toMatchObject([
      { month: '2026-11', totalFen: 7000, paidFen: 7000, status: 'paid' },
      { month: '2026-12', totalFen: 5000, paidFen: 1000, dueFen: 4000, status: 'partial' },
    ]);
    expect(a.body.balanceFen).toBe(4000);
    expect(await world.ctx.store.verify('jinfang')).toMatchObject({ ok: true });
  });
}
