/**
 * Fees and bills over the HTTP API, on every backend: month boundaries, a rule change mid-month,
 * pauses (报停) before and after a bill, partial payments, the signed gateway callback, receipts,
 * arrears reminders and the committee's totals. Amounts in fen, rounded to the fen.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindArrears } from '../src/app/billing.js';
import { billingRoutes } from '../src/http/billing.routes.js';
import { shanghaiInstant } from '../src/core/time.js';
import { BACKENDS } from './support/backends.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
/** r003, household 1号1单元201 with v001 and v002. */
const RESIDENT = '13800000103';
/** r001, household 1号1单元302. */
const OTHER_RESIDENT = '13800000101';
const COMMITTEE = '13800000301';
const HOUSEHOLD = 'h-d9947c'; // 1号1单元201
const PAY_SECRET = 'gateway-secret-for-tests-0123';

const rules = (bay: number[]) => ({
  monthly: { bay, tandem: [20000], aisle: [15000] },
  temporary: { freeMinutes: 30, perHourFen: 500, dailyCapFen: 3000 },
  partner: { nightFen: 1000, overstayPerHourFen: 2000 },
  evPerKwhFen: 80,
  exemptions: [],
});

for (const backend of BACKENDS) describe(`fees and bills on ${backend.name}`, () => billing(backend));

function billing(backend: (typeof BACKENDS)[number]): void {
  let world: ResidentsWorld;
  let gateway: ResidentsWorld['app'];

  beforeAll(async () => {
    world = await residentsWorld(backend);
    // A second server on the same store, with the gateway secret configured.
    const { buildServer } = await import('../src/http/server.js');
    gateway = await buildServer({ logger: false, routes: [billingRoutes(world.ctx, { gatewaySecret: PAY_SECRET })] });
  }, 60_000);

  afterAll(async () => {
    await gateway.close();
    await world.close();
    await backend.cleanup();
  });

  const setClock = (day: string, hhmm: string) => {
    world.clock.now = shanghaiInstant(day, hhmm);
  };

  const call: ResidentsWorld['call'] = (...args) => world.call(...args);

  async function account() {
    const r = await call(RESIDENT, 'GET', `/api/fees/accounts/${HOUSEHOLD}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as {
      bills: { month: string; totalFen: number; paidFen: number; dueFen: number; status: string }[];
      balanceFen: number;
    };
  }

  function signed(body: object, secret = PAY_SECRET, timestamp = Math.floor(world.clock.now / 1000)) {
    const raw = JSON.stringify(body);
    const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
    return gateway.inject({
      method: 'POST',
      url: '/api/fees/gateway/jinfang/callback',
      headers: {
        'content-type': 'application/json',
        'x-pay-signature': signature,
        'x-pay-timestamp': String(timestamp),
      },
      payload: raw,
    });
  }

  let v001Card = '';

  it('the manager sets two rule versions and issues cards; a second car pays the second car’s fee', async () => {
    setClock('2026-11-27', '20:00');
    expect((await call(MANAGER, 'PUT', '/api/fees/rules/2026-11-01', rules([30000, 45000]))).status).toBe(200);
    expect((await call(MANAGER, 'PUT', '/api/fees/rules/2026-12-16', rules([36000, 50000]))).status).toBe(200);
    const bad = await call(MANAGER, 'PUT', '/api/fees/rules/2027-01-01', rules([300.5]));
    expect(bad.status).toBe(400);
    const tandem = await call(MANAGER, 'POST', '/api/fees/cards', {
      vehicleId: 'v002',
      placeKind: 'tandem',
      from: '2026-11-01',
    });
    expect(tandem.status, JSON.stringify(tandem.body)).toBe(200);
    const bay = await call(MANAGER, 'POST', '/api/fees/cards', {
      vehicleId: 'v001',
      placeKind: 'bay',
      from: '2026-11-16',
    });
    expect(bay.status).toBe(200);
    v001Card = bay.body.id;
    const twice = await call(MANAGER, 'POST', '/api/fees/cards', {
      vehicleId: 'v001',
      placeKind: 'bay',
      from: '2026-12-01',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CARD_EXISTS');
  });

  it('a resident pauses a card from tomorrow on, never from today, and only their own', async () => {
    const today = await call(RESIDENT, 'POST', `/api/fees/cards/${v001Card}/pauses`, {
      from: '2026-11-27',
      to: '2026-12-10',
    });
    expect(today.status).toBe(400);
    expect(today.body.error).toMatchObject({ code: 'BAD_PAUSE', field: 'body.from' });
    const other = await call(OTHER_RESIDENT, 'POST', `/api/fees/cards/${v001Card}/pauses`, {
      from: '2026-12-01',
      to: '2026-12-10',
    });
    expect(other.status).toBe(404);
    const ok = await call(RESIDENT, 'POST', `/api/fees/cards/${v001Card}/pauses`, {
      from: '2026-12-01',
      to: '2026-12-10',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('bills November: a whole month and a half month, once', async () => {
    const r = await call(MANAGER, 'POST', '/api/fees/bills', { month: '2026-11' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const bill = (
      r.body.bills as { householdId: string; totalFen: number; lines: { vehicleId: string; fen: number }[] }[]
    ).find((b) => b.householdId === HOUSEHOLD);
    // v002 (first card): 20000; v001 (second car) 15 of 30 days of 45000 = 22500
    expect(bill?.lines.map((l) => [l.vehicleId, l.fen])).toEqual([
      ['v002', 20000],
      ['v001', 22500],
    ]);
    expect(bill?.totalFen).toBe(42500);
    expect((await call(MANAGER, 'POST', '/api/fees/bills', { month: '2026-11' })).body.bills).toEqual([]);
  });

  it('records a partial payment in cash with a receipt', async () => {
    const r = await call(MANAGER, 'POST', '/api/fees/payments', { householdId: HOUSEHOLD, fen: 30000, method: 'cash' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.receiptNo).toBe('R2026-000001');
    expect(
      (await call(MANAGER, 'POST', '/api/fees/payments', { householdId: HOUSEHOLD, fen: 10.5, method: 'cash' })).status,
    ).toBe(400);
    const a = await account();
    expect(a.bills).toMatchObject([{ month: '2026-11', paidFen: 30000, dueFen: 12500, status: 'partial' }]);
    const receipt = await call(RESIDENT, 'GET', `/api/fees/payments/${r.body.id}/receipt`);
    expect(receipt.body).toMatchObject({
      receiptNo: 'R2026-000001',
      fen: 30000,
      yuan: '300.00',
      balanceAfterFen: 12500,
    });
  });

  it('bills December under two rules with a pause, rounded to the fen', async () => {
    setClock('2026-12-01', '10:00');
    const r = await call(MANAGER, 'POST', '/api/fees/bills', { month: '2026-12' });
    const bill = (
      r.body.bills as {
        householdId: string;
        totalFen: number;
        lines: { vehicleId: string; fen: number; daysPaused: number }[];
      }[]
    ).find((b) => b.householdId === HOUSEHOLD);
    // v001: paused 1–10; 11–15 at 45000 and 16–31 at 50000 over 31 days = 33064.52 → 33065
    expect(bill?.lines.map((l) => [l.vehicleId, l.fen, l.daysPaused])).toEqual([
      ['v002', 20000, 0],
      ['v001', 33065, 10],
    ]);
    expect(bill?.totalFen).toBe(53065);
  });

  it('reminds arrears once a week, past the due date', async () => {
    setClock('2026-12-12', '12:00');
    expect(await remindArrears(world.ctx, 'jinfang')).toEqual([]);
    setClock('2026-12-13', '09:00');
    const first = await remindArrears(world.ctx, 'jinfang');
    expect(first).toHaveLength(1);
    setClock('2026-12-14', '09:00');
    expect(await remindArrears(world.ctx, 'jinfang')).toEqual([]);
    const feed = await call(RESIDENT, 'GET', '/api/notifications');
    expect(
      (feed.body.notifications as { kind: string; body: string }[]).find((n) => n.kind === 'bill.overdue')?.body,
    ).toContain('125.00');
  });

  it('accepts the gateway’s signed callback once, refusing a bad signature or a stale one', async () => {
    const body = { tradeNo: 'T-0001', householdId: HOUSEHOLD, amountFen: 12500 };
    expect((await signed(body, 'not-the-secret-000000000')).statusCode).toBe(401);
    expect((await signed(body, PAY_SECRET, Math.floor(world.clock.now / 1000) - 3600)).statusCode).toBe(401);
    const unsigned = await gateway.inject({ method: 'POST', url: '/api/fees/gateway/jinfang/callback', payload: body });
    expect(unsigned.statusCode).toBe(401);
    const withoutSecret = await world.app.inject({
      method: 'POST',
      url: '/api/fees/gateway/jinfang/callback',
      payload: body,
    });
    expect(withoutSecret.statusCode).toBe(401);
    const first = await signed(body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ replayed: false, payment: { receiptNo: 'R2026-000002', method: 'gateway' } });
    const again = await signed(body);
    expect(again.json()).toMatchObject({ replayed: true, payment: { id: first.json().payment.id } });
    expect((await account()).bills[0]).toMatchObject({ month: '2026-11', status: 'paid', dueFen: 0 });
  });

  it('credits days paused after their bill on the next bill (the paid period extends)', async () => {
    setClock('2026-12-14', '10:00');
    const p = await call(RESIDENT, 'POST', `/api/fees/cards/${v001Card}/pauses`, {
      from: '2026-12-20',
      to: '2026-12-25',
    });
    expect(p.status).toBe(200);
    setClock('2027-01-01', '10:00');
    const r = await call(MANAGER, 'POST', '/api/fees/bills', { month: '2027-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const bill = (
      r.body.bills as {
        householdId: string;
        totalFen: number;
        lines: { forMonth: string; kind: string; vehicleId: string; fen: number }[];
      }[]
    ).find((b) => b.householdId === HOUSEHOLD);
    // December again: 11–15 at 45000, 16–19 and 26–31 at 50000 = 725000 / 31 = 23387.10 → 23387; billed 33065
    expect(bill?.lines.map((l) => [l.forMonth, l.kind, l.vehicleId, l.fen])).toEqual([
      ['2026-12', 'adjustment', 'v001', 23387 - 33065],
      ['2027-01', 'card', 'v002', 20000],
      ['2027-01', 'card', 'v001', 50000],
    ]);
    expect(bill?.totalFen).toBe(70000 - 9678);
  });

  it('shows the committee totals and arrears counts, never who', async () => {
    const r = await call(COMMITTEE, 'GET', '/api/fees/summary?month=2026-12');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      month: '2026-12',
      bills: 1,
      billedFen: 53065,
      paidFen: 0,
      dueFen: 53065,
      householdsInArrears: 1,
    });
    expect(JSON.stringify(r.body)).not.toMatch(/b1-|v00|r00/);
    const rulesSeen = await call(COMMITTEE, 'GET', '/api/fees/rules');
    expect(rulesSeen.status).toBe(200);
    expect((await call(COMMITTEE, 'GET', `/api/fees/accounts/${HOUSEHOLD}`)).status).toBe(403);
  });

  it('keeps every money change in a ledger that verifies, in fen and ids only', async () => {
    const events = await world.ctx.store.events('jinfang');
    const kinds = events.flatMap((e) => (e.type === 'record' ? [e.payload.kind] : []));
    expect(kinds.filter((k) => k === 'payment.recorded')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'bill.issued').length).toBeGreaterThanOrEqual(3);
    expect(await world.ctx.store.verify('jinfang')).toMatchObject({ ok: true });
  });
}
