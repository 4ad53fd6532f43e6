/**
 * @module Partner lots (错峰共享停车): a partner unit lends spaces (some with chargers) in a weekly
 * **window** (with dated exceptions) and a hard leave-by time. Here the lots themselves: the demo load,
 * what a partner or a manager sees of a lot tonight, and the manager's edits and exceptions.
 */
import { DomainError } from '../core/errors.js';
import { addDays } from '../core/time.js';
import type { ScenarioPartnerLot } from '../core/scenario.js';
import {
  insertPartnerLot,
  lotSpacesBookedAfter,
  partnerLotsOf,
  replaceLotException,
  updatePartnerLotRow,
} from '../store/partner-lot.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import {
  type PartnerWindow,
  type PartnerPolicy,
  DEFAULT_PARTNER_POLICY,
  type PartnerLot,
  type PartnerException,
  ACTIVE_BOOKING,
  lotOf,
  nightWindow,
  nightOf,
  lotRow,
  requireLotAccess,
  exceptionsOf,
  activeBookings,
} from './partner-lot-rows.js';

/** Writes a scenario's partner lot (the demo load), with the default rules. */
export async function savePartnerLot(uow: UnitOfWork, lot: ScenarioPartnerLot, at: number): Promise<void> {
  await insertPartnerLot(uow.trx, {
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
  });
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
  const now = ctx.now();
  const windowOf = (night: string): ReturnType<typeof nightWindow> =>
    nightWindow(
      lot,
      exceptions.find((e) => e.night === night),
      night,
    );
  // Nights run noon to noon; once the night's window has ended (the morning), "tonight" is the
  // coming night, the one a resident can still book.
  let night = nightOf(now);
  let w = windowOf(night);
  if (w !== null && w.leaveByAt <= now) {
    night = addDays(night, 1);
    w = windowOf(night);
  }
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

/** Partner lots the principal may see: a partner only its own. */
export async function listPartnerLots(ctx: AppContext, principal: Principal): Promise<PartnerLotView[]> {
  const only = principal.role === 'partner' ? (principal.partnerLotId ?? '') : undefined;
  const rows = await partnerLotsOf(ctx.store.db, principal.compoundId, only);
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
  const booked = await lotSpacesBookedAfter(ctx.store.db, principal.compoundId, lotId, ACTIVE_BOOKING, ctx.now());
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
    await updatePartnerLotRow(uow.trx, uow.compoundId, lotId, {
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
    });
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
    await replaceLotException(uow.trx, {
      compound_id: uow.compoundId,
      lot_id: lotId,
      night: exception.night,
      open_from: exception.from,
      open_to: exception.to,
      reason: exception.reason,
    });
  });
  return partnerLotView(ctx, principal, lotId);
}
