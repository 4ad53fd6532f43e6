/**
 * Issue 6, acceptance 1 and 4 through the API: a booking outside the window, an overlapping
 * booking, a double booking of a charger space and an overstay each behave as specified; bad input
 * names the field and leaves the database unchanged; valet to the partner; and a partner sees only
 * its own lot and the cars on it — a partner of another compound sees nothing of this one.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../src/app/demo.js';
import { hashPassword } from '../src/app/passwords.js';
import type { CompoundId, EpochMs, PartnerLotId } from '../src/core/brand.js';
import type { Scenario } from '../src/core/scenario.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiRoutes } from '../src/http/api.js';
import { buildServer } from '../src/http/server.js';
import { openStore } from '../src/store/store.js';
import { apiClient } from './support/api-client.js';

// Monday 2026-11-30, 17:00 in Shanghai; the demo lot opens weekdays 19:00–07:00.
let clock: number = shanghaiInstant('2026-11-30', '17:00');
let ids = 0;
let app: FastifyInstance;
let ctx: AppContext;
let scenario: Scenario;
const tokens: Record<string, string> = {};

const { call, signIn } = apiClient(() => app);

/** Everything a failed request must leave alone: the ledger head and the booking rows. */
async function fingerprint(): Promise<string> {
  const head = await ctx.store.db
    .selectFrom('ledger_heads')
    .selectAll()
    .where('compound_id', '=', 'jinfang')
    .executeTakeFirstOrThrow();
  const bookings = await ctx.store.db.selectFrom('bookings').selectAll().orderBy('id').execute();
  const lots = await ctx.store.db.selectFrom('partner_lots').selectAll().orderBy('id').execute();
  return JSON.stringify({ head, bookings, lots });
}

interface ErrorBody {
  code: string;
  field?: string;
  message: string;
}

async function refused(
  token: string,
  method: 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload: unknown,
  status: number,
  code: string,
  field: string,
): Promise<ErrorBody> {
  const before = await fingerprint();
  const { error: body } = await call<{ error: ErrorBody }>(token, method, url, payload, status);
  expect(body.code, body.message).toBe(code);
  expect(body.field ?? body.message).toContain(field);
  expect(await fingerprint(), 'the database is unchanged').toBe(before);
  return body;
}

interface Booking {
  id: string;
  status: string;
  space: number;
  charger: boolean;
  vehicleId: string;
  plate?: string | null;
  householdId: string | null;
  taskId: string | null;
}

const LOT = 'hutai-bus-station';
const at = (day: string, hhmm: string) => shanghaiInstant(day, hhmm);

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  ctx = { store, now: () => clock as EpochMs, newId: () => `id${++ids}` };
  scenario = await readScenarioFile(demoScenarioPath());
  await loadScenario(ctx, scenario);
  // Another compound with a partner lot of its own (phones differ: a phone signs in to one compound).
  const other: Scenario = structuredClone(scenario);
  other.compound.id = 'other' as CompoundId;
  other.partnerLots = other.partnerLots.map((l) => ({ ...l, id: 'other-lot' as PartnerLotId }));
  other.users = other.users.map((u) => ({
    ...u,
    phone: `139${u.phone.slice(3)}`,
    ...(u.partnerLotId ? { partnerLotId: 'other-lot' as PartnerLotId } : {}),
  }));
  await loadScenario(ctx, other);
  // A second lot in the demo compound, with a partner user of its own.
  const lot = await store.db
    .selectFrom('partner_lots')
    .selectAll()
    .where('compound_id', '=', 'jinfang')
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('partner_lots')
    .values({ ...lot, id: 'second-lot', name: '第二共享停车场' })
    .execute();
  await store.db
    .insertInto('users')
    .values({
      compound_id: 'jinfang',
      id: 'p02',
      role: 'partner',
      name: '第二停车场',
      phone: '13800000299',
      password_hash: await hashPassword('demo1234'),
      household_id: null,
      partner_lot_id: 'second-lot',
    })
    .execute();
  app = await buildServer({ routes: [apiRoutes(ctx)] });
  tokens.manager = await signIn('13800000001');
  tokens.partner = await signIn('13800000201');
  tokens.r001 = await signIn('13800000101'); // household h-cc25d4, car v003
  tokens.r002 = await signIn('13800000102'); // household h-a27b0a, EV v029
  tokens.otherPartner = await signIn('13900000201');
  tokens.secondPartner = await signIn('13800000299');
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

describe('partner lots over HTTP', () => {
  it('refuses a booking outside the window: a closed night, an arrival before opening, a night that has ended', async () => {
    // 2026-12-05 is a Saturday: the demo lot is open on weekdays only.
    const closed = await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-12-05' },
      400,
      'OUTSIDE_WINDOW',
      'body.night',
    );
    expect(closed.message).toContain('sat');
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-11-30', arriveAt: '2026-11-30T18:00:00+08:00' },
      400,
      'OUTSIDE_WINDOW',
      'body.arriveAt',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-11-27' },
      400,
      'OUTSIDE_WINDOW',
      'body.night',
    );
    // A dated exception closes a weekday night.
    await call(tokens.manager!, 'PUT', `/api/partner-lots/${LOT}/exceptions/2026-12-03`, { reason: '车站春运加班' });
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-12-03' },
      400,
      'OUTSIDE_WINDOW',
      'body.night',
    );
  });

  it('offers the coming night as tonight once the night’s window has ended, as the booking rule does', async () => {
    const saved = clock;
    try {
      // Tuesday 08:00: by the noon-to-noon night it is still Monday's night, whose window ended at 07:00.
      clock = shanghaiInstant('2026-12-01', '08:00');
      const { lots } = await call<{
        lots: { id: string; tonight: { night: string; open: boolean; startAt: number } }[];
      }>(tokens.r001!, 'GET', '/api/partner-lots');
      const tonight = lots.find((l) => l.id === LOT)!.tonight;
      expect(tonight).toMatchObject({
        night: '2026-12-01',
        open: true,
        startAt: shanghaiInstant('2026-12-01', '19:00'),
      });
      // Monday 23:00, inside the window: tonight is Monday's night.
      clock = shanghaiInstant('2026-11-30', '23:00');
      const again = await call<{ lots: { id: string; tonight: { night: string } }[] }>(
        tokens.r001!,
        'GET',
        '/api/partner-lots',
      );
      expect(again.lots.find((l) => l.id === LOT)!.tonight.night).toBe('2026-11-30');
    } finally {
      clock = saved;
    }
  });

  it('refuses an overlapping booking: one booking a car a night', async () => {
    const b = await call<Booking>(tokens.r001!, 'POST', '/api/bookings', {
      lotId: LOT,
      vehicleId: 'v003',
      night: '2026-11-30',
      arriveAt: '2026-11-30T19:30:00+08:00',
    });
    expect(b).toMatchObject({ status: 'booked', charger: false, space: 11 });
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-11-30' },
      409,
      'BOOKING_OVERLAP',
      'body.night',
    );
  });

  it('refuses a double booking of a charger space, a charger space for a car that is not an EV, and a full set of charger spaces', async () => {
    const first = await call<Booking>(tokens.r002!, 'POST', '/api/bookings', {
      lotId: LOT,
      vehicleId: 'v029',
      night: '2026-11-30',
      space: 1,
    });
    expect(first).toMatchObject({ space: 1, charger: true });
    const evs = scenario.vehicles.filter((v) => v.ev && v.id !== 'v029').map((v) => v.id);
    await refused(
      tokens.manager!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: evs[0], night: '2026-11-30', space: 1 },
      409,
      'SPACE_TAKEN',
      'body.space',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-12-01', charger: true },
      400,
      'VALIDATION',
      'body.charger',
    );
    // The other nine charger spaces go to nine EVs; the tenth EV finds none.
    const spaces: number[] = [];
    for (const v of evs.slice(0, 9))
      spaces.push(
        (
          await call<Booking>(tokens.manager!, 'POST', '/api/bookings', {
            lotId: LOT,
            vehicleId: v,
            night: '2026-11-30',
            charger: true,
          })
        ).space,
      );
    expect(spaces).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await refused(
      tokens.manager!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: evs[9], night: '2026-11-30', charger: true },
      409,
      'CHARGER_SPACES_FULL',
      'body.charger',
    );
  });

  it('answers bad input with the field and the rule, and changes nothing', async () => {
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '30.11.2026' },
      400,
      'VALIDATION',
      'night',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: 'nowhere', vehicleId: 'v003', night: '2026-12-01' },
      404,
      'NOT_FOUND',
      'body.lotId',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v029', night: '2026-12-01' },
      404,
      'NOT_FOUND',
      'body.vehicleId',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-12-01', space: 0 },
      400,
      'VALIDATION',
      'space',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-12-01', space: 31 },
      400,
      'VALIDATION',
      'body.space',
    );
    await refused(
      tokens.manager!,
      'PATCH',
      `/api/partner-lots/${LOT}`,
      { chargerSpaces: 40 },
      400,
      'VALIDATION',
      'body.chargerSpaces',
    );
    await refused(
      tokens.manager!,
      'PATCH',
      `/api/partner-lots/${LOT}`,
      { leaveBy: '7:00' },
      400,
      'VALIDATION',
      'leaveBy',
    );
    await refused(
      tokens.manager!,
      'PUT',
      `/api/partner-lots/${LOT}/exceptions/2026-12-04`,
      { from: '20:00', reason: 'x' },
      400,
      'VALIDATION',
      'body.to',
    );
    await refused(
      tokens.r001!,
      'POST',
      '/api/bookings/standing',
      { lotId: LOT, vehicleId: 'v003', days: ['monday'], from: '2026-12-07', weeks: 2 },
      400,
      'VALIDATION',
      'days',
    );
    await refused(tokens.r001!, 'POST', '/api/bookings/nope/check-in', undefined, 404, 'NOT_FOUND', 'id');
    // Spaces and charger spaces booked for tonight stay: the lot does not shrink below them.
    await refused(
      tokens.manager!,
      'PATCH',
      `/api/partner-lots/${LOT}`,
      { spaces: 10 },
      409,
      'SPACE_TAKEN',
      'body.spaces',
    );
    await refused(
      tokens.manager!,
      'PATCH',
      `/api/partner-lots/${LOT}`,
      { chargerSpaces: 5 },
      409,
      'SPACE_TAKEN',
      'body.chargerSpaces',
    );
    const edited = await call<{ walkMinutes: number; policy: { strikeLimit: number } }>(
      tokens.manager!,
      'PATCH',
      `/api/partner-lots/${LOT}`,
      {
        walkMinutes: 6,
        policy: { strikeLimit: 3 },
      },
    );
    expect(edited).toMatchObject({ walkMinutes: 6, policy: { strikeLimit: 3 } });
  });

  it('shows a partner only its own lot and the cars on it; a partner of another compound sees nothing of this one', async () => {
    const { bookings } = await call<{ bookings: Booking[] }>(tokens.r001!, 'GET', '/api/bookings?night=2026-11-30');
    const mine = bookings.find((b) => b.vehicleId === 'v003')!;
    // Before opening, a check-in is refused.
    await refused(tokens.partner!, 'POST', `/api/bookings/${mine.id}/check-in`, undefined, 400, 'OUTSIDE_WINDOW', 'id');
    clock = at('2026-11-30', '19:35');
    await call(tokens.partner!, 'POST', `/api/bookings/${mine.id}/check-in`);
    await refused(tokens.r001!, 'POST', `/api/bookings/${mine.id}/check-in`, undefined, 409, 'BOOKING_NOT_OPEN', 'id');

    const lots = await call<{ lots: { id: string; tonight: { open: boolean; booked: number } }[] }>(
      tokens.partner!,
      'GET',
      '/api/partner-lots',
    );
    expect(lots.lots.map((l) => l.id)).toEqual([LOT]);
    expect(lots.lots[0]!.tonight).toMatchObject({ open: true, booked: 11 });
    const cars = await call<{ cars: Booking[] }>(tokens.partner!, 'GET', `/api/partner-lots/${LOT}/cars`);
    expect(cars.cars.map((c) => [c.vehicleId, c.plate])).toEqual([
      ['v003', scenario.vehicles.find((v) => v.id === 'v003')!.plate],
    ]);
    expect(cars.cars[0]!.householdId).toBeNull();
    const partnerBookings = await call<{ bookings: Booking[] }>(tokens.partner!, 'GET', '/api/bookings');
    expect(partnerBookings.bookings.length).toBe(11);

    // The other compound's partner: its own lot only, and nothing of jinfang's.
    const otherLots = await call<{ lots: { id: string }[] }>(tokens.otherPartner!, 'GET', '/api/partner-lots');
    expect(otherLots.lots.map((l) => l.id)).toEqual(['other-lot']);
    await call(tokens.otherPartner!, 'GET', `/api/partner-lots/${LOT}`, undefined, 404);
    await call(tokens.otherPartner!, 'GET', `/api/partner-lots/${LOT}/cars`, undefined, 404);
    expect((await call<{ bookings: Booking[] }>(tokens.otherPartner!, 'GET', '/api/bookings')).bookings).toEqual([]);
    await call(tokens.otherPartner!, 'POST', `/api/bookings/${mine.id}/check-out`, undefined, 404);
    // The partner of the compound's other lot: its own lot only, none of this lot's cars or bookings.
    const secondLots = await call<{ lots: { id: string }[] }>(tokens.secondPartner!, 'GET', '/api/partner-lots');
    expect(secondLots.lots.map((l) => l.id)).toEqual(['second-lot']);
    await call(tokens.secondPartner!, 'GET', `/api/partner-lots/${LOT}/cars`, undefined, 404);
    expect(
      (await call<{ cars: Booking[] }>(tokens.secondPartner!, 'GET', '/api/partner-lots/second-lot/cars')).cars,
    ).toEqual([]);
    expect((await call<{ bookings: Booking[] }>(tokens.secondPartner!, 'GET', '/api/bookings')).bookings).toEqual([]);
    await call(tokens.secondPartner!, 'POST', `/api/bookings/${mine.id}/check-out`, undefined, 404);
    // A resident sees their household's bookings only.
    expect(bookings.every((b) => b.householdId === 'h-cc25d4')).toBe(true);
  });

  it('reminds before leave-by, then turns a car still there into an overstay: partner and manager alerted once, a strike counted', async () => {
    clock = at('2026-12-01', '06:35');
    const reminder = await call<{ reminded: string[]; overstays: string[] }>(
      tokens.manager!,
      'POST',
      '/api/partner-lots/check',
    );
    expect(reminder.reminded).toHaveLength(1);
    expect(reminder.overstays).toEqual([]);
    clock = at('2026-12-01', '07:01');
    const check = await call<{ overstays: string[] }>(tokens.manager!, 'POST', '/api/partner-lots/check');
    expect(check.overstays).toHaveLength(1);
    expect((await call<{ overstays: string[] }>(tokens.manager!, 'POST', '/api/partner-lots/check')).overstays).toEqual(
      [],
    );
    for (const who of ['partner', 'manager', 'r001']) {
      const feed = await call<{ notifications: { kind: string; ref: string }[] }>(
        tokens[who]!,
        'GET',
        '/api/notifications',
      );
      expect(
        feed.notifications.filter((n) => n.kind === 'partner.overstay').map((n) => n.ref),
        who,
      ).toEqual(check.overstays);
    }
    for (const who of ['otherPartner', 'secondPartner']) {
      const feed = await call<{ notifications: { kind: string }[] }>(tokens[who]!, 'GET', '/api/notifications');
      expect(
        feed.notifications.some((n) => n.kind === 'partner.overstay'),
        who,
      ).toBe(false);
    }
    const cars = await call<{ cars: Booking[] }>(tokens.partner!, 'GET', `/api/partner-lots/${LOT}/cars`);
    expect(cars.cars.map((c) => c.status)).toEqual(['overstay']);
    const events = await ctx.store.events('jinfang');
    expect(
      events
        .filter((e) => e.type === 'record' && e.payload.kind === 'booking.overstay')
        .map((e) => (e.type === 'record' ? e.payload.refId : '')),
    ).toEqual(check.overstays);
    const out = await call<Booking>(tokens.r001!, 'POST', `/api/bookings/${check.overstays[0]}/check-out`);
    expect(out.status).toBe('checked-out');
    const strikes = await ctx.store.db
      .selectFrom('booking_strikes')
      .selectAll()
      .where('household_id', '=', 'h-cc25d4')
      .execute();
    expect(strikes).toHaveLength(1);
  });

  it('suspends the booking rights of a household after three overstays in 30 days', async () => {
    for (const night of ['2026-12-01', '2026-12-02']) {
      clock = at(night, '18:00');
      const b = await call<Booking>(tokens.r001!, 'POST', '/api/bookings', { lotId: LOT, vehicleId: 'v003', night });
      clock = at(night, '20:00');
      await call(tokens.r001!, 'POST', `/api/bookings/${b.id}/check-in`);
      clock = at(night, '20:00') + 11 * 3_600_000 + 5 * 60_000; // 07:05 the next morning
      await call(tokens.manager!, 'POST', '/api/partner-lots/check');
    }
    const suspended = await ctx.store.db
      .selectFrom('booking_suspensions')
      .selectAll()
      .where('household_id', '=', 'h-cc25d4')
      .execute();
    expect(suspended).toHaveLength(1);
    expect(suspended[0]!.until_at - suspended[0]!.from_at).toBe(14 * 86_400_000);
    const refusedBody = await refused(
      tokens.r001!,
      'POST',
      '/api/bookings',
      { lotId: LOT, vehicleId: 'v003', night: '2026-12-07' },
      409,
      'BOOKING_SUSPENDED',
      'body.vehicleId',
    );
    expect(refusedBody.message).toContain('suspended');
  });

  it('books a standing booking night by night, skipping the closed nights', async () => {
    clock = at('2026-12-01', '12:00');
    const r = await call<{ bookings: Booking[]; skipped: { night: string; code: string }[] }>(
      tokens.r002!,
      'POST',
      '/api/bookings/standing',
      {
        lotId: LOT,
        vehicleId: 'v029',
        days: ['mon', 'wed', 'thu', 'sat'],
        from: '2026-12-02',
        weeks: 1,
        charger: true,
      },
    );
    // Wed 12-02 and Mon 12-07 are booked; Thu 12-03 is closed by the exception; Sat 12-05 is outside the weekly window.
    expect(r.bookings.map((b) => b.charger)).toEqual([true, true]);
    expect(r.skipped.map((s) => [s.night, s.code])).toEqual([
      ['2026-12-03', 'OUTSIDE_WINDOW'],
      ['2026-12-05', 'OUTSIDE_WINDOW'],
    ]);
  });

  it('drives a car to the partner when the resident allows it: a guard task, car.sent-to-partner, the booking checked in', async () => {
    clock = at('2026-12-02', '18:30');
    const { bookings } = await call<{ bookings: Booking[] }>(tokens.r002!, 'GET', '/api/bookings?night=2026-12-02');
    const booking = bookings[0]!;
    await refused(tokens.r002!, 'POST', `/api/bookings/${booking.id}/valet`, undefined, 409, 'CAR_NOT_ON_SITE', 'id');
    const { onDuty } = await call<{ onDuty: string[] }>(tokens.manager!, 'GET', '/api/shifts');
    const guardPhone = scenario.users.find((u) => u.id === onDuty[0])!.phone;
    const guard = await signIn(guardPhone);
    const plate = scenario.vehicles.find((v) => v.id === 'v029')!.plate;
    await call(guard, 'POST', '/api/compounds/jinfang/check-ins', { plate });
    // Staff may not send the car without the resident's permission (the standing booking did not give it).
    await refused(
      tokens.manager!,
      'POST',
      `/api/bookings/${booking.id}/valet`,
      undefined,
      409,
      'VALET_NOT_ALLOWED',
      'id',
    );
    const valet = await call<{ taskId: string }>(tokens.r002!, 'POST', `/api/bookings/${booking.id}/valet`);
    const { tasks } = await call<{ tasks: { id: string; kind: string; reason: string; guardId: string }[] }>(
      tokens.manager!,
      'GET',
      '/api/tasks',
    );
    const task = tasks.find((t) => t.id === valet.taskId)!;
    expect(task).toMatchObject({ kind: 'deliver', reason: 'partner' });
    const assigned = await signIn(scenario.users.find((u) => u.id === task.guardId)!.phone);
    clock = at('2026-12-02', '19:05');
    await call(assigned, 'POST', `/api/tasks/${task.id}/start`);
    await call(assigned, 'POST', `/api/tasks/${task.id}/complete`, {});
    const state = await ctx.store.state('jinfang');
    expect(state.vehicles.get('v029' as never)?.location).toEqual({ kind: 'at-partner', partnerLotId: LOT });
    const cars = await call<{ cars: Booking[] }>(tokens.partner!, 'GET', `/api/partner-lots/${LOT}/cars`);
    expect(cars.cars.map((c) => c.vehicleId)).toContain('v029');
    // Both the valet night and the resident's own check-in count for the household's monthly rotation.
    const rotation = await ctx.store.db
      .selectFrom('partner_rotation')
      .selectAll()
      .where('compound_id', '=', 'jinfang')
      .orderBy('household_id')
      .execute();
    expect(rotation.map((r) => [r.household_id, r.month, r.nights])).toEqual([
      ['h-a27b0a', '2026-12', 1],
      ['h-cc25d4', '2026-11', 1],
      ['h-cc25d4', '2026-12', 2],
    ]);
    // Checking out returns the car in the ledger.
    clock = at('2026-12-03', '06:40');
    await call(tokens.partner!, 'POST', `/api/bookings/${booking.id}/check-out`);
    expect((await ctx.store.state('jinfang')).vehicles.get('v029' as never)?.location).toEqual({ kind: 'away' });
    expect((await ctx.store.verify('jinfang')).ok).toBe(true);
  });
});
