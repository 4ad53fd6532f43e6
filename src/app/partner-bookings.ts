/**
 * @module Bookings at a partner lot: residents book a night or a standing booking, check in and out at
 * the partner (or partner staff do), or let a guard drive the car there (valet to the partner).
 */
import type { VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { weekdayOf, type Weekday } from '../core/calendar.js';
import { addDays } from '../core/time.js';
import type { BookingsTable } from '../store/schema.js';
import type { BookingStatus } from '../core/statuses.js';
import {
  bookingById,
  bookingsMatching,
  insertBooking,
  lotBookingsByLeaveBy,
  vehicleBookingOnNight,
} from '../store/partner-lot.repository.js';
import type { UnitOfWork } from '../store/store.js';
import { cancelQueuedTask, taskStatusOf } from '../store/task.repository.js';
import { platesOf } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { countRotationNight } from './partner-valet.js';
import { createTask, record } from './tasks.js';
import {
  type PartnerLot,
  ACTIVE_BOOKING,
  type Booking,
  bookingOf,
  nightWindow,
  lotRow,
  requireLotAccess,
  exceptionsOf,
  activeBookings,
  suspensionOf,
  setBookingStatus,
} from './partner-lot-rows.js';

export interface BookingInput {
  lotId: string;
  vehicleId: string;
  night: string;
  /** When the car will arrive; it must lie in the night's window. */
  arriveAt?: number;
  charger?: boolean;
  space?: number;
  /** The resident lets a guard drive the car there (valet to the partner). */
  valet?: boolean;
}

/** Checks a night booking and writes it inside `uow` (a `booking.created` record); throws the rule it breaks. */
export async function bookNight(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  lot: PartnerLot,
  input: BookingInput,
  standingId: string | null,
): Promise<Booking> {
  const state = await uow.state();
  const vehicle = state.vehicles.get(input.vehicleId as VehicleId);
  if (vehicle === undefined || (principal.role === 'resident' && vehicle.householdId !== principal.householdId)) {
    throw new DomainError('NOT_FOUND', `body.vehicleId: no vehicle "${input.vehicleId}" of yours`, {
      field: 'body.vehicleId',
    });
  }
  const now = ctx.now();
  if (vehicle.householdId !== null) {
    const until = await suspensionOf(uow, vehicle.householdId, now);
    if (until !== null) {
      throw new DomainError(
        'BOOKING_SUSPENDED',
        `body.vehicleId: the household's partner booking rights are suspended until ${new Date(until).toISOString()} after repeated overstays`,
        {
          field: 'body.vehicleId',
        },
      );
    }
  }
  const exceptions = await exceptionsOf(uow.trx, uow.compoundId, lot.id);
  const w = nightWindow(
    lot,
    exceptions.find((e) => e.night === input.night),
    input.night,
  );
  if (w === null) {
    throw new DomainError(
      'OUTSIDE_WINDOW',
      `body.night: ${lot.name} is closed on the night of ${input.night} (${weekdayOf(input.night)})`,
      {
        field: 'body.night',
      },
    );
  }
  if (w.leaveByAt <= now)
    throw new DomainError('OUTSIDE_WINDOW', `body.night: the window of ${input.night} has ended`, {
      field: 'body.night',
    });
  if (input.arriveAt !== undefined && (input.arriveAt < w.startAt || input.arriveAt >= w.leaveByAt)) {
    throw new DomainError(
      'OUTSIDE_WINDOW',
      `body.arriveAt: the lot takes cars from ${new Date(w.startAt).toISOString()} until ${new Date(w.leaveByAt).toISOString()} that night`,
      { field: 'body.arriveAt' },
    );
  }
  const charger = input.charger === true || (input.space !== undefined && input.space <= lot.chargerSpaces);
  if (charger && !vehicle.ev)
    throw new DomainError('VALIDATION', 'body.charger: only an EV books a charger space', {
      field: input.space !== undefined ? 'body.space' : 'body.charger',
    });
  if (input.space !== undefined && (input.space < 1 || input.space > lot.spaces)) {
    throw new DomainError('VALIDATION', `body.space: ${lot.name} has spaces 1..${lot.spaces}`, { field: 'body.space' });
  }
  const overlapping = await vehicleBookingOnNight(
    uow.trx,
    uow.compoundId,
    input.vehicleId,
    input.night,
    ACTIVE_BOOKING,
  );
  if (overlapping !== undefined) {
    throw new DomainError(
      'BOOKING_OVERLAP',
      `body.night: the car already has booking "${overlapping.id}" on the night of ${input.night}`,
      {
        field: 'body.night',
      },
    );
  }
  const taken = new Set((await activeBookings(uow.trx, uow.compoundId, lot.id, input.night)).map((b) => b.space));
  let space: number;
  if (input.space !== undefined) {
    if (taken.has(input.space)) {
      throw new DomainError(
        'SPACE_TAKEN',
        `body.space: space ${input.space}${charger ? ' (with charger)' : ''} is booked on the night of ${input.night}`,
        { field: 'body.space' },
      );
    }
    space = input.space;
  } else {
    // An EV asking for charge takes a charger space; another car takes a space without one, and a
    // charger space only when those are gone (the EVs that asked have theirs by then or book first).
    const order = charger
      ? Array.from({ length: lot.chargerSpaces }, (_, i) => i + 1)
      : [
          ...Array.from({ length: lot.spaces - lot.chargerSpaces }, (_, i) => lot.chargerSpaces + i + 1),
          ...Array.from({ length: lot.chargerSpaces }, (_, i) => lot.chargerSpaces - i),
        ];
    const free = order.find((x) => !taken.has(x)) ?? 0;
    if (free === 0) {
      if (charger)
        throw new DomainError(
          'CHARGER_SPACES_FULL',
          `body.charger: all ${lot.chargerSpaces} charger spaces are booked on the night of ${input.night}`,
          { field: 'body.charger' },
        );
      throw new DomainError(
        'LOT_FULL',
        `body.night: all ${lot.spaces} spaces are booked on the night of ${input.night}`,
        { field: 'body.night' },
      );
    }
    space = free;
  }
  const row: BookingsTable = {
    compound_id: uow.compoundId,
    id: ctx.newId(),
    lot_id: lot.id,
    vehicle_id: input.vehicleId,
    household_id: vehicle.householdId,
    night: input.night,
    space,
    charger: charger ? 1 : 0,
    standing_id: standingId,
    valet: input.valet === true ? 1 : 0,
    task_id: null,
    status: 'booked',
    start_at: w.startAt,
    leave_by_at: w.leaveByAt,
    checked_in_at: null,
    checked_out_at: null,
    reminded_at: null,
    overstay_at: null,
    created_by: principal.userId,
    created_at: now,
  };
  await insertBooking(uow.trx, row);
  await record(
    ctx,
    uow,
    principal.userId,
    'booking.created',
    row.id,
    { lotId: lot.id, night: row.night, space, charger, valet: row.valet === 1, standingId },
    row.vehicle_id,
  );
  return bookingOf(row);
}

/** A resident (for their household's car) or a manager books a night at a partner lot. */
export async function createBooking(ctx: AppContext, principal: Principal, input: BookingInput): Promise<Booking> {
  const lot = await lotRow(ctx, principal.compoundId, input.lotId, 'body.lotId');
  return ctx.store.transaction(principal.compoundId, (uow) => bookNight(ctx, uow, principal, lot, input, null));
}

export interface StandingInput {
  lotId: string;
  vehicleId: string;
  days: Weekday[];
  /** The first night. */
  from: string;
  weeks: number;
  charger?: boolean;
  valet?: boolean;
}

/**
 * A standing booking (e.g. every weekday for four weeks): written out night by night; nights the lot
 * is closed or full are skipped and reported, the others are booked in one transaction.
 */
export async function createStandingBooking(
  ctx: AppContext,
  principal: Principal,
  input: StandingInput,
): Promise<{ standingId: string; bookings: Booking[]; skipped: { night: string; code: string; reason: string }[] }> {
  const lot = await lotRow(ctx, principal.compoundId, input.lotId, 'body.lotId');
  const standingId = ctx.newId();
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const bookings: Booking[] = [];
    const skipped: { night: string; code: string; reason: string }[] = [];
    for (let d = 0; d < input.weeks * 7; d++) {
      const night = addDays(input.from, d);
      if (!input.days.includes(weekdayOf(night))) continue;
      try {
        bookings.push(
          await bookNight(
            ctx,
            uow,
            principal,
            lot,
            { lotId: input.lotId, vehicleId: input.vehicleId, night, charger: input.charger, valet: input.valet },
            standingId,
          ),
        );
      } catch (error) {
        const skippable =
          error instanceof DomainError &&
          ['OUTSIDE_WINDOW', 'BOOKING_OVERLAP', 'CHARGER_SPACES_FULL', 'LOT_FULL'].includes(error.code);
        if (!skippable) throw error;
        skipped.push({ night, code: error.code, reason: error.message });
      }
    }
    return { standingId, bookings, skipped };
  });
}

async function bookingForUpdate(uow: UnitOfWork, principal: Principal, bookingId: string): Promise<Booking> {
  const row = await bookingById(uow.trx, uow.compoundId, bookingId);
  const visible =
    row !== undefined &&
    (principal.role === 'manager' ||
      principal.role === 'guard' ||
      (principal.role === 'resident' && row.household_id === principal.householdId) ||
      (principal.role === 'partner' && row.lot_id === principal.partnerLotId));
  if (!visible) throw new DomainError('NOT_FOUND', `id: no booking "${bookingId}"`, { field: 'id' });
  return bookingOf(row);
}

export async function cancelBooking(ctx: AppContext, principal: Principal, bookingId: string): Promise<Booking> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const b = await bookingForUpdate(uow, principal, bookingId);
    if (b.status !== 'booked')
      throw new DomainError(
        'BOOKING_NOT_OPEN',
        `id: booking "${bookingId}" is ${b.status}; only a booking not yet checked in is cancelled`,
        {
          field: 'id',
        },
      );
    await setBookingStatus(uow, bookingId, { status: 'cancelled' });
    if (b.taskId !== null) {
      await cancelQueuedTask(uow.trx, uow.compoundId, b.taskId, ctx.now());
    }
    await record(
      ctx,
      uow,
      principal.userId,
      'booking.cancelled',
      bookingId,
      { lotId: b.lotId, night: b.night },
      b.vehicleId,
    );
    return { ...b, status: 'cancelled' };
  });
}

/** The resident or the partner's staff checks the car in at the partner, within the night's window. */
export async function checkInBooking(ctx: AppContext, principal: Principal, bookingId: string): Promise<Booking> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const b = await bookingForUpdate(uow, principal, bookingId);
    const now = ctx.now();
    if (b.status !== 'booked')
      throw new DomainError(
        'BOOKING_NOT_OPEN',
        `id: booking "${bookingId}" is ${b.status}; a booking is checked in once`,
        { field: 'id' },
      );
    if (now < b.startAt || now >= b.leaveByAt) {
      throw new DomainError(
        'OUTSIDE_WINDOW',
        `id: booking "${bookingId}" is checked in between ${new Date(b.startAt).toISOString()} and ${new Date(b.leaveByAt).toISOString()}`,
        {
          field: 'id',
        },
      );
    }
    await setBookingStatus(uow, bookingId, { status: 'checked-in', checked_in_at: now });
    if (b.householdId !== null) await countRotationNight(uow, b.householdId, b.night);
    await record(
      ctx,
      uow,
      principal.userId,
      'booking.checked-in',
      bookingId,
      { lotId: b.lotId, night: b.night, space: b.space },
      b.vehicleId,
    );
    return { ...b, status: 'checked-in', checkedInAt: now };
  });
}

/** The car leaves the partner lot; a car a guard drove there is returned in the ledger. */
export async function checkOutBooking(ctx: AppContext, principal: Principal, bookingId: string): Promise<Booking> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const b = await bookingForUpdate(uow, principal, bookingId);
    if (b.status !== 'checked-in' && b.status !== 'overstay') {
      throw new DomainError(
        'BOOKING_NOT_OPEN',
        `id: booking "${bookingId}" is ${b.status}; only a car checked in is checked out`,
        { field: 'id' },
      );
    }
    const now = ctx.now();
    const v = (await uow.state()).vehicles.get(b.vehicleId as VehicleId);
    if (v?.location.kind === 'at-partner' && v.location.partnerLotId === b.lotId) {
      await uow.append({
        type: 'car.returned-from-partner',
        payload: { vehicleId: b.vehicleId as VehicleId },
        at: ctx.now(),
        actor: principal.userId,
      });
    }
    await setBookingStatus(uow, bookingId, { status: 'checked-out', checked_out_at: now });
    await record(
      ctx,
      uow,
      principal.userId,
      'booking.checked-out',
      bookingId,
      { lotId: b.lotId, night: b.night, late: now > b.leaveByAt },
      b.vehicleId,
    );
    return { ...b, status: 'checked-out', checkedOutAt: now };
  });
}

/**
 * Valet to the partner: the resident allows a guard to drive the car there (now, or with `valet`
 * when booking, after which a guard or the manager may start it). The car must be on
 * site; a `deliver` task with reason `partner` is queued for an on-duty guard, and completing it
 * writes `car.sent-to-partner` and checks the booking in.
 */
export async function requestValet(
  ctx: AppContext,
  principal: Principal,
  bookingId: string,
): Promise<{ booking: Booking; taskId: string }> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const b = await bookingForUpdate(uow, principal, bookingId);
    if (b.status !== 'booked')
      throw new DomainError(
        'BOOKING_NOT_OPEN',
        `id: booking "${bookingId}" is ${b.status}; a guard drives a car there only before check-in`,
        {
          field: 'id',
        },
      );
    if (principal.role !== 'resident' && !b.valet) {
      throw new DomainError(
        'VALET_NOT_ALLOWED',
        `id: the resident has not allowed a guard to drive the car of booking "${bookingId}" to the partner lot`,
        {
          field: 'id',
        },
      );
    }
    if (b.taskId !== null) {
      const status = await taskStatusOf(uow.trx, uow.compoundId, b.taskId);
      if (status === 'queued' || status === 'started') return { booking: b, taskId: b.taskId };
    }
    const v = (await uow.state()).vehicles.get(b.vehicleId as VehicleId);
    if (v === undefined || (v.location.kind !== 'parked' && v.location.kind !== 'at-gate')) {
      throw new DomainError(
        'CAR_NOT_ON_SITE',
        `id: the car of booking "${bookingId}" is not in the compound; hand it over at the gate first`,
        {
          field: 'id',
        },
      );
    }
    const task = await createTask(ctx, uow, principal.userId, {
      kind: 'deliver',
      vehicleId: b.vehicleId,
      from: v.location.kind === 'parked' ? v.location.positionId : null,
      to: b.lotId,
      reason: 'partner',
      dueAt: Math.max(ctx.now(), b.startAt),
    });
    await setBookingStatus(uow, bookingId, { valet: 1, task_id: task.id });
    return { booking: { ...b, valet: true, taskId: task.id }, taskId: task.id };
  });
}

export interface BookingView extends Booking {
  plate: string | null;
}

async function withPlates(ctx: AppContext, compoundId: string, rows: BookingsTable[]): Promise<BookingView[]> {
  const plates = await platesOf(ctx.store.db, compoundId);
  const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
  return rows.map((r) => ({ ...bookingOf(r), plate: plateOf.get(r.vehicle_id) ?? null }));
}

/** Bookings the principal may see: a resident their household's, a partner its lot's, staff all. */
export async function listBookings(
  ctx: AppContext,
  principal: Principal,
  filter: { night?: string; lotId?: string; status?: BookingStatus },
): Promise<BookingView[]> {
  let lotId = filter.lotId;
  if (principal.role === 'partner') {
    // A partner asking for another lot's bookings gets none.
    const own = principal.partnerLotId ?? '';
    if (lotId !== undefined && lotId !== own) return [];
    lotId = own;
  }
  const rows = await bookingsMatching(
    ctx.store.db,
    principal.compoundId,
    {
      householdId: principal.role === 'resident' ? (principal.householdId ?? '') : undefined,
      lotId,
      night: filter.night,
      status: filter.status,
    },
    1000,
  );
  return withPlates(ctx, principal.compoundId, rows);
}

/** The cars on a partner lot now (checked in or overstaying), with the time each must leave by. */
export async function carsAtPartnerLot(ctx: AppContext, principal: Principal, lotId: string): Promise<BookingView[]> {
  requireLotAccess(principal, lotId, 'id');
  await lotRow(ctx, principal.compoundId, lotId, 'id');
  const rows = await lotBookingsByLeaveBy(ctx.store.db, principal.compoundId, lotId, ['checked-in', 'overstay']);
  const views = await withPlates(ctx, principal.compoundId, rows);
  // A partner needs the plate and the space, not the household.
  return principal.role === 'partner' ? views.map((v) => ({ ...v, householdId: null })) : views;
}
