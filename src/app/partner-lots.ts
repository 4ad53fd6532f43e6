/**
 * @module Partner lots (错峰共享停车): a partner unit lends spaces (some with chargers) in a weekly
 * **window** (with dated exceptions) and a hard leave-by time. Residents book a night or a standing
 * booking, check in and out at the partner (or partner staff do), are reminded before leave-by; a
 * car still there after leave-by is an **overstay**: the partner and the managers are alerted, the
 * household gets a strike, and too many strikes suspend its booking rights for a while.
 */
import type { IsoDate, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { MS_PER_DAY, weekdayOf, windowOnNight, type Weekday, type WeeklyWindow } from '../core/calendar.js';
import type { ScenarioPartnerLot } from '../core/scenario.js';
import { addDays, shanghaiDate, shanghaiInstant } from '../core/time.js';
import type { BookingsTable, PartnerLotsTable } from '../store/schema.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { notificationBusOf } from './notification-bus.js';
import { notify, residentsOf, usersWithRole } from './notifications.js';
import { countRotationNight } from './partner-valet.js';
import { createTask, record } from './tasks.js';

/** A weekly window: on each of `days` the lot opens at `from`; it closes at `to`, the next morning when `to` ≤ `from`. */
export type PartnerWindow = WeeklyWindow;

export interface PartnerContact {
  name: string;
  role: string;
  phone: string;
}

/** The rules of a lot: reminder before leave-by, and strikes that suspend booking rights. */
export interface PartnerPolicy {
  reminderMinutes: number;
  /** This many overstays within `strikeDays` days suspend the household's booking rights … */
  strikeLimit: number;
  strikeDays: number;
  /** … for this many days. */
  suspensionDays: number;
}

export const DEFAULT_PARTNER_POLICY: PartnerPolicy = {
  reminderMinutes: 30,
  strikeLimit: 3,
  strikeDays: 30,
  suspensionDays: 14,
};

export interface PartnerLot {
  id: string;
  name: string;
  organisation: string;
  spaces: number;
  chargerSpaces: number;
  chargerKw: number | null;
  windows: PartnerWindow[];
  walkMinutes: number;
  leaveBy: string;
  contacts: PartnerContact[];
  policy: PartnerPolicy;
}

export interface PartnerException {
  night: string;
  /** null when the lot is closed that night. */
  from: string | null;
  to: string | null;
  reason: string;
}

export type BookingStatus = 'booked' | 'cancelled' | 'checked-in' | 'checked-out' | 'overstay';
export const ACTIVE_BOOKING: readonly BookingStatus[] = ['booked', 'checked-in', 'overstay'];

export interface Booking {
  id: string;
  lotId: string;
  vehicleId: string;
  householdId: string | null;
  night: string;
  space: number;
  charger: boolean;
  standingId: string | null;
  valet: boolean;
  taskId: string | null;
  status: BookingStatus;
  startAt: number;
  leaveByAt: number;
  checkedInAt: number | null;
  checkedOutAt: number | null;
  overstayAt: number | null;
}

const MINUTE = 60_000;

function lotOf(row: PartnerLotsTable): PartnerLot {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation,
    spaces: row.spaces,
    chargerSpaces: row.charger_spaces,
    chargerKw: row.charger_kw,
    windows: JSON.parse(row.windows) as PartnerWindow[],
    walkMinutes: row.walk_minutes,
    leaveBy: row.leave_by,
    contacts: JSON.parse(row.contacts) as PartnerContact[],
    policy: {
      reminderMinutes: row.reminder_minutes,
      strikeLimit: row.strike_limit,
      strikeDays: row.strike_days,
      suspensionDays: row.suspension_days,
    },
  };
}

export function bookingOf(row: BookingsTable): Booking {
  return {
    id: row.id,
    lotId: row.lot_id,
    vehicleId: row.vehicle_id,
    householdId: row.household_id,
    night: row.night,
    space: row.space,
    charger: row.charger === 1,
    standingId: row.standing_id,
    valet: row.valet === 1,
    taskId: row.task_id,
    status: row.status as BookingStatus,
    startAt: row.start_at,
    leaveByAt: row.leave_by_at,
    checkedInAt: row.checked_in_at,
    checkedOutAt: row.checked_out_at,
    overstayAt: row.overstay_at,
  };
}

/** Writes a scenario's partner lot (the demo load), with the default rules. */
export async function savePartnerLot(uow: UnitOfWork, lot: ScenarioPartnerLot, at: number): Promise<void> {
  await uow.trx
    .insertInto('partner_lots')
    .values({
      compound_id: uow.compoundId,
      id: lot.id,
      name: lot.name,
      organisation: lot.organisation,
      spaces: lot.spaces,
      charger_spaces: lot.chargerSpaces,
      charger_kw: lot.chargerKw,
      windows: JSON.stringify(lot.windows),
      walk_minutes: lot.walkMinutes,
      leave_by: lot.leaveBy,
      contacts: JSON.stringify(lot.contacts),
      reminder_minutes: DEFAULT_PARTNER_POLICY.reminderMinutes,
      strike_limit: DEFAULT_PARTNER_POLICY.strikeLimit,
      strike_days: DEFAULT_PARTNER_POLICY.strikeDays,
      suspension_days: DEFAULT_PARTNER_POLICY.suspensionDays,
      updated_at: at,
    })
    .execute();
}

/**
 * The night's opening and leave-by instants, or null when the lot is closed that night (the rule is
 * `windowOnNight`'s, shared with the simulator).
 */
export function nightWindow(
  lot: Pick<PartnerLot, 'windows' | 'leaveBy'>,
  exception: PartnerException | undefined,
  night: string,
): { startAt: number; leaveByAt: number } | null {
  const w = windowOnNight(lot, exception, night);
  if (w === null) return null;
  const midnight = shanghaiInstant(night, '00:00');
  return { startAt: midnight + w.from * MINUTE, leaveByAt: midnight + w.leaveBy * MINUTE };
}

async function lotRow(ctx: AppContext, compoundId: string, lotId: string, field: string): Promise<PartnerLot> {
  const row = await ctx.store.db
    .selectFrom('partner_lots')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', lotId)
    .executeTakeFirst();
  if (row === undefined) throw new DomainError('NOT_FOUND', `${field}: no partner lot "${lotId}"`, { field });
  return lotOf(row);
}

/** A partner sees only its own lot; another lot is answered as absent. */
function requireLotAccess(principal: Principal, lotId: string, field: string): void {
  if (principal.role === 'partner' && principal.partnerLotId !== lotId)
    throw new DomainError('NOT_FOUND', `${field}: no partner lot "${lotId}"`, { field });
}

/** The lot's dated exceptions; `db` is the store or the caller's transaction. */
export async function exceptionsOf(
  db: AppContext['store']['db'],
  compoundId: string,
  lotId: string,
): Promise<PartnerException[]> {
  const rows = await db
    .selectFrom('partner_lot_exceptions')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('lot_id', '=', lotId)
    .orderBy('night')
    .execute();
  return rows.map((r) => ({ night: r.night, from: r.open_from, to: r.open_to, reason: r.reason }));
}

export interface PartnerLotView extends PartnerLot {
  exceptions: PartnerException[];
  tonight: {
    night: string;
    open: boolean;
    startAt: number | null;
    leaveByAt: number | null;
    booked: number;
    chargerBooked: number;
  };
}

async function viewOf(ctx: AppContext, compoundId: string, lot: PartnerLot): Promise<PartnerLotView> {
  const exceptions = await exceptionsOf(ctx.store.db, compoundId, lot.id);
  const night = nightOf(ctx.now());
  const w = nightWindow(
    lot,
    exceptions.find((e) => e.night === night),
    night,
  );
  const rows = await activeBookings(ctx.store.db, compoundId, lot.id, night);
  return {
    ...lot,
    exceptions,
    tonight: {
      night,
      open: w !== null,
      startAt: w?.startAt ?? null,
      leaveByAt: w?.leaveByAt ?? null,
      booked: rows.length,
      chargerBooked: rows.filter((r) => r.charger === 1).length,
    },
  };
}

/** The day whose evening starts the night `at` belongs to (a night runs noon to noon). */
export function nightOf(at: number): IsoDate {
  return shanghaiDate(at - 12 * 3_600_000);
}

async function activeBookings(
  db: AppContext['store']['db'],
  compoundId: string,
  lotId: string,
  night: string,
): Promise<BookingsTable[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('lot_id', '=', lotId)
    .where('night', '=', night)
    .where('status', 'in', [...ACTIVE_BOOKING])
    .execute();
}

/** Partner lots the principal may see: a partner only its own. */
export async function listPartnerLots(ctx: AppContext, principal: Principal): Promise<PartnerLotView[]> {
  let q = ctx.store.db.selectFrom('partner_lots').selectAll().where('compound_id', '=', principal.compoundId);
  if (principal.role === 'partner') q = q.where('id', '=', principal.partnerLotId ?? '');
  const rows = await q.orderBy('id').execute();
  return Promise.all(rows.map((r) => viewOf(ctx, principal.compoundId, lotOf(r))));
}

export async function partnerLotView(ctx: AppContext, principal: Principal, lotId: string): Promise<PartnerLotView> {
  requireLotAccess(principal, lotId, 'id');
  return viewOf(ctx, principal.compoundId, await lotRow(ctx, principal.compoundId, lotId, 'id'));
}

export interface PartnerLotPatch {
  spaces?: number;
  chargerSpaces?: number;
  windows?: PartnerWindow[];
  walkMinutes?: number;
  leaveBy?: string;
  policy?: Partial<PartnerPolicy>;
}

/** The manager edits a lot's spaces, windows, walk time, leave-by and rules. */
export async function updatePartnerLot(
  ctx: AppContext,
  principal: Principal,
  lotId: string,
  patch: PartnerLotPatch,
): Promise<PartnerLotView> {
  const lot = await lotRow(ctx, principal.compoundId, lotId, 'id');
  const spaces = patch.spaces ?? lot.spaces;
  const chargerSpaces = patch.chargerSpaces ?? lot.chargerSpaces;
  if (chargerSpaces > spaces) {
    throw new DomainError(
      'VALIDATION',
      `body.chargerSpaces: ${chargerSpaces} charger spaces but only ${spaces} spaces; charger spaces are some of the spaces`,
      {
        field: 'body.chargerSpaces',
      },
    );
  }
  // Spaces already booked for nights to come stay: the lot shrinks only above them.
  const booked = await ctx.store.db
    .selectFrom('bookings')
    .select(['space', 'charger'])
    .where('compound_id', '=', principal.compoundId)
    .where('lot_id', '=', lotId)
    .where('status', 'in', [...ACTIVE_BOOKING])
    .where('leave_by_at', '>', ctx.now())
    .execute();
  const highest = Math.max(0, ...booked.map((b) => b.space));
  if (spaces < highest) {
    throw new DomainError(
      'SPACE_TAKEN',
      `body.spaces: space ${highest} is booked for a night to come; cancel those bookings before offering fewer than ${highest} spaces`,
      {
        field: 'body.spaces',
      },
    );
  }
  const highestCharger = Math.max(0, ...booked.filter((b) => b.charger === 1).map((b) => b.space));
  if (chargerSpaces < highestCharger) {
    throw new DomainError(
      'SPACE_TAKEN',
      `body.chargerSpaces: charger space ${highestCharger} is booked for a night to come`,
      {
        field: 'body.chargerSpaces',
      },
    );
  }
  const policy = { ...lot.policy, ...patch.policy };
  await ctx.store.transaction(principal.compoundId, async (uow) => {
    await uow.trx
      .updateTable('partner_lots')
      .set({
        spaces,
        charger_spaces: chargerSpaces,
        windows: JSON.stringify(patch.windows ?? lot.windows),
        walk_minutes: patch.walkMinutes ?? lot.walkMinutes,
        leave_by: patch.leaveBy ?? lot.leaveBy,
        reminder_minutes: policy.reminderMinutes,
        strike_limit: policy.strikeLimit,
        strike_days: policy.strikeDays,
        suspension_days: policy.suspensionDays,
        updated_at: ctx.now(),
      })
      .where('compound_id', '=', uow.compoundId)
      .where('id', '=', lotId)
      .execute();
  });
  return partnerLotView(ctx, principal, lotId);
}

/** Sets a dated exception: the lot closed that night (no times) or open at other times. */
export async function setPartnerException(
  ctx: AppContext,
  principal: Principal,
  lotId: string,
  exception: PartnerException,
): Promise<PartnerLotView> {
  await lotRow(ctx, principal.compoundId, lotId, 'id');
  if ((exception.from === null) !== (exception.to === null)) {
    const field = exception.from === null ? 'body.from' : 'body.to';
    throw new DomainError(
      'VALIDATION',
      `${field}: give both from and to to open the lot at other times, or neither to close it that night`,
      {
        field,
      },
    );
  }
  if (exception.from !== null && exception.from === exception.to) {
    throw new DomainError('VALIDATION', 'body.to: a window opens and closes at different times', { field: 'body.to' });
  }
  await ctx.store.transaction(principal.compoundId, async (uow) => {
    await uow.trx
      .deleteFrom('partner_lot_exceptions')
      .where('compound_id', '=', uow.compoundId)
      .where('lot_id', '=', lotId)
      .where('night', '=', exception.night)
      .execute();
    await uow.trx
      .insertInto('partner_lot_exceptions')
      .values({
        compound_id: uow.compoundId,
        lot_id: lotId,
        night: exception.night,
        open_from: exception.from,
        open_to: exception.to,
        reason: exception.reason,
      })
      .execute();
  });
  return partnerLotView(ctx, principal, lotId);
}

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

async function suspensionOf(uow: UnitOfWork, householdId: string, now: number): Promise<number | null> {
  const row = await uow.trx
    .selectFrom('booking_suspensions')
    .select('until_at')
    .where('compound_id', '=', uow.compoundId)
    .where('household_id', '=', householdId)
    .where('until_at', '>', now)
    .orderBy('until_at', 'desc')
    .executeTakeFirst();
  return row?.until_at ?? null;
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
  const overlapping = await uow.trx
    .selectFrom('bookings')
    .select(['id', 'lot_id'])
    .where('compound_id', '=', uow.compoundId)
    .where('vehicle_id', '=', input.vehicleId)
    .where('night', '=', input.night)
    .where('status', 'in', [...ACTIVE_BOOKING])
    .executeTakeFirst();
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
  await uow.trx.insertInto('bookings').values(row).execute();
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
  const row = await uow.trx
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', uow.compoundId)
    .where('id', '=', bookingId)
    .executeTakeFirst();
  const visible =
    row !== undefined &&
    (principal.role === 'manager' ||
      principal.role === 'guard' ||
      (principal.role === 'resident' && row.household_id === principal.householdId) ||
      (principal.role === 'partner' && row.lot_id === principal.partnerLotId));
  if (!visible) throw new DomainError('NOT_FOUND', `id: no booking "${bookingId}"`, { field: 'id' });
  return bookingOf(row);
}

async function setStatus(uow: UnitOfWork, bookingId: string, values: Partial<BookingsTable>): Promise<void> {
  await uow.trx
    .updateTable('bookings')
    .set(values)
    .where('compound_id', '=', uow.compoundId)
    .where('id', '=', bookingId)
    .execute();
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
    await setStatus(uow, bookingId, { status: 'cancelled' });
    if (b.taskId !== null) {
      await uow.trx
        .updateTable('tasks')
        .set({ status: 'cancelled', finished_at: ctx.now() })
        .where('compound_id', '=', uow.compoundId)
        .where('id', '=', b.taskId)
        .where('status', '=', 'queued')
        .execute();
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
    await setStatus(uow, bookingId, { status: 'checked-in', checked_in_at: now });
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
    await setStatus(uow, bookingId, { status: 'checked-out', checked_out_at: now });
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
      const open = await uow.trx
        .selectFrom('tasks')
        .select('status')
        .where('compound_id', '=', uow.compoundId)
        .where('id', '=', b.taskId)
        .executeTakeFirst();
      if (open?.status === 'queued' || open?.status === 'started') return { booking: b, taskId: b.taskId };
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
    await setStatus(uow, bookingId, { valet: 1, task_id: task.id });
    return { booking: { ...b, valet: true, taskId: task.id }, taskId: task.id };
  });
}

export interface BookingView extends Booking {
  plate: string | null;
}

async function withPlates(ctx: AppContext, compoundId: string, rows: BookingsTable[]): Promise<BookingView[]> {
  const plates = await ctx.store.db
    .selectFrom('vehicle_plates')
    .select(['vehicle_id', 'plate'])
    .where('compound_id', '=', compoundId)
    .execute();
  const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
  return rows.map((r) => ({ ...bookingOf(r), plate: plateOf.get(r.vehicle_id) ?? null }));
}

/** Bookings the principal may see: a resident their household's, a partner its lot's, staff all. */
export async function listBookings(
  ctx: AppContext,
  principal: Principal,
  filter: { night?: string; lotId?: string; status?: BookingStatus },
): Promise<BookingView[]> {
  let q = ctx.store.db.selectFrom('bookings').selectAll().where('compound_id', '=', principal.compoundId);
  if (principal.role === 'resident') q = q.where('household_id', '=', principal.householdId ?? '');
  if (principal.role === 'partner') q = q.where('lot_id', '=', principal.partnerLotId ?? '');
  if (filter.night !== undefined) q = q.where('night', '=', filter.night);
  if (filter.lotId !== undefined) q = q.where('lot_id', '=', filter.lotId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return withPlates(
    ctx,
    principal.compoundId,
    await q.orderBy('night').orderBy('lot_id').orderBy('space').limit(1000).execute(),
  );
}

/** The cars on a partner lot now (checked in or overstaying), with the time each must leave by. */
export async function carsAtPartnerLot(ctx: AppContext, principal: Principal, lotId: string): Promise<BookingView[]> {
  requireLotAccess(principal, lotId, 'id');
  await lotRow(ctx, principal.compoundId, lotId, 'id');
  const rows = await ctx.store.db
    .selectFrom('bookings')
    .selectAll()
    .where('compound_id', '=', principal.compoundId)
    .where('lot_id', '=', lotId)
    .where('status', 'in', ['checked-in', 'overstay'])
    .orderBy('leave_by_at')
    .orderBy('space')
    .execute();
  const views = await withPlates(ctx, principal.compoundId, rows);
  // A partner needs the plate and the space, not the household.
  return principal.role === 'partner' ? views.map((v) => ({ ...v, householdId: null })) : views;
}

export interface PartnerCheckResult {
  reminded: string[];
  overstays: string[];
  suspended: string[];
}

/**
 * The periodic check: reminds the cars on a partner lot shortly before leave-by, and turns a car
 * still there after leave-by into an overstay (once): `booking.overstay` in the ledger, the
 * partner's staff and the managers alerted, a strike for the household, and a suspension of its
 * booking rights when the strikes within the lot's period reach its limit.
 */
export async function checkPartnerLots(ctx: AppContext, compoundId: string): Promise<PartnerCheckResult> {
  const now = ctx.now();
  const lots = await ctx.store.db
    .selectFrom('partner_lots')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .execute();
  if (lots.length === 0) return { reminded: [], overstays: [], suspended: [] };
  const maxReminder = Math.max(...lots.map((l) => l.reminder_minutes));
  const due = await ctx.store.db
    .selectFrom('bookings')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('status', '=', 'checked-in')
    .where('leave_by_at', '<=', now + maxReminder * MINUTE)
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('leave_by_at', '<=', now)]))
    .execute();
  if (due.length === 0) return { reminded: [], overstays: [], suspended: [] };
  const result = await ctx.store.transaction(compoundId, async (uow) => {
    const out: PartnerCheckResult = { reminded: [], overstays: [], suspended: [] };
    const lotById = new Map(lots.map((l) => [l.id, lotOf(l)]));
    const rows = await uow.trx
      .selectFrom('bookings')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('status', '=', 'checked-in')
      .execute();
    const managers = await usersWithRole(uow, 'manager');
    for (const row of rows) {
      const lot = lotById.get(row.lot_id);
      if (lot === undefined) continue;
      const residents = await residentsOf(uow, row.household_id);
      if (now >= row.leave_by_at) {
        await setStatus(uow, row.id, { status: 'overstay', overstay_at: now });
        await record(
          ctx,
          uow,
          'system',
          'booking.overstay',
          row.id,
          { lotId: row.lot_id, night: row.night, leaveByAt: row.leave_by_at },
          row.vehicle_id,
        );
        const partners = await uow.trx
          .selectFrom('users')
          .select('id')
          .where('compound_id', '=', compoundId)
          .where('role', '=', 'partner')
          .where('partner_lot_id', '=', row.lot_id)
          .execute();
        const leaveBy = new Date(row.leave_by_at + 8 * 3_600_000).toISOString().slice(11, 16);
        await notify(
          uow,
          {
            userIds: [...partners.map((p) => p.id), ...managers, ...residents],
            kind: 'partner.overstay',
            title: '共享停车超时 overstay',
            body: `${lot.name} 车位 ${row.space}: 车辆未在 ${leaveBy} 前驶离 (still there after leave-by)`,
            ref: row.id,
          },
          ctx,
        );
        out.overstays.push(row.id);
        if (row.household_id !== null) {
          await uow.trx
            .insertInto('booking_strikes')
            .values({ compound_id: compoundId, booking_id: row.id, household_id: row.household_id, at: now })
            .execute();
          const strikes = await uow.trx
            .selectFrom('booking_strikes')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('compound_id', '=', compoundId)
            .where('household_id', '=', row.household_id)
            .where('at', '>', now - lot.policy.strikeDays * MS_PER_DAY)
            .executeTakeFirstOrThrow();
          if (
            Number(strikes.n) >= lot.policy.strikeLimit &&
            (await suspensionOf(uow, row.household_id, now)) === null
          ) {
            const until = now + lot.policy.suspensionDays * MS_PER_DAY;
            await uow.trx
              .insertInto('booking_suspensions')
              .values({
                compound_id: compoundId,
                household_id: row.household_id,
                from_at: now,
                until_at: until,
                reason: `${Number(strikes.n)} overstays in ${lot.policy.strikeDays} days`,
              })
              .execute();
            await notify(
              uow,
              {
                userIds: [...residents, ...managers],
                kind: 'partner.suspended',
                title: '共享停车预约权暂停 booking rights suspended',
                body: `${lot.policy.strikeDays} 天内超时 ${Number(strikes.n)} 次，${lot.policy.suspensionDays} 天内不能预约共享车位`,
                ref: row.household_id,
              },
              ctx,
            );
            out.suspended.push(row.household_id);
          }
        }
      } else if (row.reminded_at === null && now >= row.leave_by_at - lot.policy.reminderMinutes * MINUTE) {
        await setStatus(uow, row.id, { reminded_at: now });
        const leaveBy = new Date(row.leave_by_at + 8 * 3_600_000).toISOString().slice(11, 16);
        await notify(
          uow,
          {
            userIds: residents,
            kind: 'partner.leave-by',
            title: '请按时驶离共享车位',
            body: `${lot.name}: 请在 ${leaveBy} 前驶离 (leave by ${leaveBy})`,
            ref: row.id,
          },
          ctx,
        );
        out.reminded.push(row.id);
      }
    }
    return out;
  });
  if (result.overstays.length + result.reminded.length > 0) notificationBusOf(ctx.store).wake();
  return result;
}
