/**
 * @module Closures and capacity: a manager closes positions or whole lanes for dated days with a
 * reason (e.g. 加装电梯施工) — a new `layout.set` with the closures added and a `closure.set`
 * record; the forecast of each night's capacity (open positions, expected cars, partner spaces) for
 * the next 60 days; and tonight's proposal of who goes to the partner lot when the compound is short.
 *
 * **Affected** residents are told in advance: the households whose cars stood on the closed
 * positions in the last 30 days (from the ledger), and every resident when, during the closure,
 * the compound's open positions fall below the cars expected.
 */
import type { IsoDate, PositionId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { MS_PER_DAY } from '../core/calendar.js';
import { DomainError } from '../core/errors.js';
import type { Closure, Layout } from '../core/layout.js';
import { isClosedOn, layoutToInput, validateLayout } from '../core/layout.js';
import { addDays, shanghaiDate } from '../core/time.js';
import type { AllocationResult } from '../planner/partner-allocation/index.js';
import { allocatePartner } from '../planner/partner-allocation/index.js';
import { residentsWithHouseholds } from '../store/account.repository.js';
import { chargingRequestsOn } from '../store/charging.repository.js';
import { eventsOfTypesSince } from '../store/ledger.repository.js';
import { partnerLotsOf, rotationNightsOf, vehicleBookingsOnNight } from '../store/partner-lot.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { notify, residentsOf } from './notifications.js';
import { bookNight } from './partner-bookings.js';
import { ACTIVE_BOOKING, exceptionsOf, nightOf, nightWindow, type PartnerLot } from './partner-lot-rows.js';
import { requireCompound } from './queries.js';
import { record } from './tasks.js';

/** How far back the ledger is read for the households whose cars stood on a closed position. */
export const AFFECTED_LOOKBACK_DAYS = 30;
export const FORECAST_DAYS = 60;

/** Cars expected overnight: every resident's car (an upper bound; cars away overnight are not known in advance). */
function expectedCars(state: CompoundState): number {
  let n = 0;
  for (const v of state.vehicles.values()) if (v.householdId !== null) n++;
  return n;
}

function openPositions(layout: Layout, day: string): number {
  let n = 0;
  for (const lane of layout.lanes) for (const p of lane.positions) if (!isClosedOn(p, day as IsoDate)) n++;
  return n;
}

interface LotWithExceptions {
  lot: PartnerLot;
  exceptions: Awaited<ReturnType<typeof exceptionsOf>>;
}

async function partnerLots(db: AppContext['store']['db'], compoundId: string): Promise<LotWithExceptions[]> {
  const rows = await partnerLotsOf(db, compoundId);
  const out: LotWithExceptions[] = [];
  for (const r of rows) {
    out.push({
      lot: {
        id: r.id,
        name: r.name,
        organisation: r.organisation,
        spaces: r.spaces,
        chargerSpaces: r.charger_spaces,
        chargerKw: r.charger_kw,
        windows: JSON.parse(r.windows) as PartnerLot['windows'],
        walkMinutes: r.walk_minutes,
        leaveBy: r.leave_by,
        contacts: [],
        policy: {
          reminderMinutes: r.reminder_minutes,
          strikeLimit: r.strike_limit,
          strikeDays: r.strike_days,
          suspensionDays: r.suspension_days,
        },
      },
      exceptions: await exceptionsOf(db, compoundId, r.id),
    });
  }
  return out;
}

function partnerSpacesOn(lots: LotWithExceptions[], night: string): { spaces: number; chargerSpaces: number } {
  let spaces = 0;
  let chargerSpaces = 0;
  for (const { lot, exceptions } of lots) {
    if (
      nightWindow(
        lot,
        exceptions.find((e) => e.night === night),
        night,
      ) === null
    )
      continue;
    spaces += lot.spaces;
    chargerSpaces += lot.chargerSpaces;
  }
  return { spaces, chargerSpaces };
}

export interface ForecastNight {
  night: string;
  positions: number;
  closedPositions: number;
  expectedCars: number;
  partnerSpaces: number;
  partnerChargerSpaces: number;
  /** Cars above the open positions. */
  shortfall: number;
  /** Cars above the open positions and the partner spaces together. */
  unplaced: number;
}

function forecastOf(
  layout: Layout,
  expected: number,
  lots: LotWithExceptions[],
  from: string,
  days: number,
): ForecastNight[] {
  const total = layout.lanes.reduce((n, l) => n + l.positions.length, 0);
  return Array.from({ length: days }, (_, d) => {
    const night = addDays(from, d);
    const positions = openPositions(layout, night);
    const partner = partnerSpacesOn(lots, night);
    const shortfall = Math.max(0, expected - positions);
    return {
      night,
      positions,
      closedPositions: total - positions,
      expectedCars: expected,
      partnerSpaces: partner.spaces,
      partnerChargerSpaces: partner.chargerSpaces,
      shortfall,
      unplaced: Math.max(0, shortfall - partner.spaces),
    };
  });
}

/** Each night's capacity for the next `days` nights, from tonight. */
export async function capacityForecast(
  ctx: AppContext,
  principal: Principal,
  compoundId: string,
  days = FORECAST_DAYS,
): Promise<ForecastNight[]> {
  requireCompound(principal, compoundId);
  const state = await ctx.store.state(compoundId);
  return forecastOf(
    state.layout,
    expectedCars(state),
    await partnerLots(ctx.store.db, compoundId),
    nightOf(ctx.now()),
    days,
  );
}

export interface ClosureInput {
  positionIds: string[];
  laneIds: string[];
  from: string;
  to: string;
  reason: string;
}

export interface ClosureResult {
  closureId: string;
  positionIds: string[];
  /** Cars standing on the closed positions now, which must be moved before the closure starts. */
  carsToMove: string[];
  /** Households whose cars stood there in the last 30 days. */
  affectedHouseholds: string[];
  /** True when the compound falls short of the expected cars during the closure, so every resident is told. */
  allResidents: boolean;
  notified: number;
  forecast: ForecastNight[];
}

/** Households whose cars were parked or moved onto one of `positions` since `since`, from the ledger. */
async function householdsThatStoodOn(
  uow: UnitOfWork,
  state: CompoundState,
  positions: Set<string>,
  since: number,
): Promise<string[]> {
  const rows = await eventsOfTypesSince(uow.trx, uow.compoundId, ['car.parked', 'car.moved'], since);
  const households = new Set<string>();
  for (const r of rows) {
    const p = JSON.parse(r.payload) as { vehicleId: string; positionId?: string; to?: string };
    const at = r.type === 'car.parked' ? p.positionId : p.to;
    if (at === undefined || !positions.has(at)) continue;
    const h = state.vehicles.get(p.vehicleId as VehicleId)?.householdId;
    if (h != null) households.add(h);
  }
  return [...households].sort();
}

/**
 * Closes positions (or whole lanes) from `from` to `to` inclusive. Refused when a closure that starts
 * today covers a position with a car on it (`POSITION_OCCUPIED`); a car on a position closing later is
 * listed in `carsToMove`. The affected residents are notified in the same transaction.
 */
export async function setClosure(
  ctx: AppContext,
  principal: Principal,
  compoundId: string,
  input: ClosureInput,
): Promise<ClosureResult> {
  requireCompound(principal, compoundId);
  if (input.positionIds.length + input.laneIds.length === 0) {
    throw new DomainError('VALIDATION', 'body.positionIds: name at least one position or lane to close', {
      field: 'body.positionIds',
    });
  }
  if (input.from > input.to)
    throw new DomainError('BAD_CLOSURE', `body.to: the closure ends ${input.to}, before it starts ${input.from}`, {
      field: 'body.to',
    });
  const today = shanghaiDate(ctx.now());
  if (input.to < today)
    throw new DomainError('VALIDATION', `body.to: a closure ends today (${today}) or later`, { field: 'body.to' });
  const result = await ctx.store.transaction(compoundId, async (uow) => {
    const state = await uow.state();
    const layout = layoutToInput(state.layout);
    const where = new Map<string, { lane: number; position: number }>();
    layout.lanes.forEach((l, li) => l.positions.forEach((p, pi) => where.set(p.id, { lane: li, position: pi })));
    const chosen = new Set<string>();
    input.positionIds.forEach((id, i) => {
      if (!where.has(id))
        throw new DomainError('NOT_FOUND', `body.positionIds[${i}]: no position "${id}"`, {
          field: `body.positionIds[${i}]`,
        });
      chosen.add(id);
    });
    input.laneIds.forEach((id, i) => {
      const lane = layout.lanes.find((l) => l.id === id);
      if (lane === undefined)
        throw new DomainError('NOT_FOUND', `body.laneIds[${i}]: no lane "${id}"`, { field: `body.laneIds[${i}]` });
      for (const p of lane.positions) chosen.add(p.id);
    });
    const carsToMove = [...chosen].flatMap((id) => {
      const v = state.occupancy.get(id as PositionId);
      return v === undefined ? [] : [{ positionId: id, vehicleId: v }];
    });
    if (input.from <= today && carsToMove.length > 0) {
      throw new DomainError(
        'POSITION_OCCUPIED',
        `body.from: a closure from today covers ${carsToMove.map((c) => c.positionId).join(', ')}, where a car stands; move the cars first or start the closure tomorrow`,
        { field: 'body.from' },
      );
    }
    const closure: Closure = { from: input.from as IsoDate, to: input.to as IsoDate, reason: input.reason };
    for (const id of chosen) {
      const at = where.get(id)!;
      layout.lanes[at.lane]!.positions[at.position]!.closures = [
        ...(layout.lanes[at.lane]!.positions[at.position]!.closures ?? []),
        closure,
      ];
    }
    const next = validateLayout(layout);
    await uow.append({ type: 'layout.set', payload: { layout: next }, at: ctx.now(), actor: principal.userId });
    const closureId = ctx.newId();
    await record(ctx, uow, principal.userId, 'closure.set', closureId, {
      from: input.from,
      to: input.to,
      reason: input.reason,
      positions: chosen.size,
      positionIds: [...chosen].sort().join(','),
    });
    // Who is told: households whose cars stood there lately, and everyone when the compound falls short during the closure.
    const affectedHouseholds = await householdsThatStoodOn(
      uow,
      state,
      chosen,
      ctx.now() - AFFECTED_LOOKBACK_DAYS * MS_PER_DAY,
    );
    const lots = await partnerLots(uow.trx, compoundId);
    const span = Math.round((Date.parse(input.to) - Date.parse(input.from)) / MS_PER_DAY) + 1;
    const during = forecastOf(
      next,
      expectedCars(state),
      lots,
      input.from < today ? today : input.from,
      Math.min(span, 400),
    );
    const allResidents = during.some((n) => n.shortfall > 0);
    const residents = await residentsWithHouseholds(uow.trx, compoundId);
    const direct = new Set(affectedHouseholds);
    const worst = during.reduce((m, n) => Math.max(m, n.shortfall), 0);
    const title = `停车位临时封闭 ${input.from}～${input.to}`;
    const directUsers = residents.filter((r) => r.household_id !== null && direct.has(r.household_id)).map((r) => r.id);
    const others = allResidents ? residents.map((r) => r.id).filter((id) => !directUsers.includes(id)) : [];
    await notify(
      uow,
      {
        userIds: directUsers,
        kind: 'closure.notice',
        title,
        body: `${input.reason}: 您的车常停的 ${[...chosen].length} 个车位将封闭，管家会为您另行安排（含共享停车）`,
        ref: closureId,
      },
      ctx,
    );
    await notify(
      uow,
      {
        userIds: others,
        kind: 'closure.notice',
        title,
        body: `${input.reason}: 封闭期间小区车位最多比车辆少 ${worst} 个，部分车辆将轮流停到共享停车场`,
        ref: closureId,
      },
      ctx,
    );
    return {
      closureId,
      positionIds: [...chosen].sort(),
      carsToMove: carsToMove.map((c) => c.vehicleId),
      affectedHouseholds,
      allResidents,
      notified: directUsers.length + others.length,
      forecast: forecastOf(next, expectedCars(state), lots, nightOf(ctx.now()), FORECAST_DAYS),
    };
  });
  return result;
}

export interface AllocationProposal extends AllocationResult {
  night: string;
  partnerSpaces: number;
  partnerChargerSpaces: number;
}

/**
 * Tonight's (or a given night's) proposal of who goes to the partner lot: capacity is the open
 * positions; a night booking counts as a volunteer, a standing booking as standing; an EV with a
 * charging request that night needs charge; the month's rotation counts come from checked-in nights.
 */
export async function proposeAllocation(
  ctx: AppContext,
  principal: Principal,
  compoundId: string,
  night?: string,
): Promise<AllocationProposal> {
  requireCompound(principal, compoundId);
  const theNight = night ?? nightOf(ctx.now());
  const state = await ctx.store.state(compoundId);
  const lots = await partnerLots(ctx.store.db, compoundId);
  const partner = partnerSpacesOn(lots, theNight);
  const bookings = await vehicleBookingsOnNight(ctx.store.db, compoundId, theNight, ACTIVE_BOOKING);
  const booked = new Map(bookings.map((b) => [b.vehicle_id, b.standing_id !== null]));
  const charging = new Set((await chargingRequestsOn(ctx.store.db, compoundId, theNight)).map((r) => r.vehicle_id));
  const month = await rotationNightsOf(ctx.store.db, compoundId, theNight.slice(0, 7));
  const cars = [...state.vehicles.values()]
    .filter((v) => v.householdId !== null)
    .map((v) => ({
      vehicleId: v.id,
      householdId: v.householdId,
      needsCharge: v.ev && charging.has(v.id),
      volunteer: booked.get(v.id) === false,
      standing: booked.get(v.id) === true,
    }));
  const result = allocatePartner({
    capacity: openPositions(state.layout, theNight),
    cars,
    partnerSpaces: partner.spaces,
    partnerChargerSpaces: partner.chargerSpaces,
    monthNights: new Map(month.map((m) => [m.household_id, m.nights])),
  });
  return { ...result, night: theNight, partnerSpaces: partner.spaces, partnerChargerSpaces: partner.chargerSpaces };
}

export interface AppliedAllocation {
  night: string;
  booked: { vehicleId: string; bookingId: string; lotId: string; space: number; charger: boolean }[];
  skipped: { vehicleId: string; code: string; reason: string }[];
}

/**
 * The manager applies a night's proposal: each car the rotation sends gets a booking at a partner
 * lot open that night (a charger space when it was given one), and its household is told — in one
 * transaction. Cars already booked (volunteers, standing bookings) are left as they are.
 */
export async function applyAllocation(
  ctx: AppContext,
  principal: Principal,
  compoundId: string,
  night?: string,
): Promise<AppliedAllocation> {
  const proposal = await proposeAllocation(ctx, principal, compoundId, night);
  const lots = (await partnerLots(ctx.store.db, compoundId)).filter(
    ({ lot, exceptions }) =>
      nightWindow(
        lot,
        exceptions.find((e) => e.night === proposal.night),
        proposal.night,
      ) !== null,
  );
  const result = await ctx.store.transaction(compoundId, async (uow) => {
    const booked: AppliedAllocation['booked'] = [];
    const skipped: AppliedAllocation['skipped'] = [];
    for (const a of proposal.toPartner.filter((x) => x.reason === 'rotation')) {
      let done = false;
      let last: DomainError | null = null;
      for (const { lot } of lots) {
        try {
          const b = await bookNight(
            ctx,
            uow,
            principal,
            lot,
            { lotId: lot.id, vehicleId: a.vehicleId, night: proposal.night, charger: a.chargerSpace },
            null,
          );
          booked.push({ vehicleId: a.vehicleId, bookingId: b.id, lotId: lot.id, space: b.space, charger: b.charger });
          const users = await residentsOf(uow, a.householdId);
          await notify(
            uow,
            {
              userIds: users,
              kind: 'partner.assigned',
              title: '今晚请停到共享停车场',
              body: `${proposal.night} 晚小区车位不足，轮到您停到${lot.name}（车位 ${b.space}，步行约 ${lot.walkMinutes} 分钟），请在 ${lot.leaveBy} 前驶离`,
              ref: b.id,
            },
            ctx,
          );
          done = true;
          break;
        } catch (error) {
          if (!(error instanceof DomainError) || (error.kind === 'invalid' && error.code !== 'OUTSIDE_WINDOW'))
            throw error;
          last = error;
        }
      }
      if (!done)
        skipped.push({
          vehicleId: a.vehicleId,
          code: last?.code ?? 'LOT_FULL',
          reason: last?.message ?? 'no partner lot is open that night',
        });
    }
    return { night: proposal.night, booked, skipped };
  });
  return result;
}
