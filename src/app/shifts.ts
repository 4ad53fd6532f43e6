/**
 * @module Shifts, the roster and the hand-over. Two guards a shift; the roster is a fair rotation
 * (every guard gets as many shifts as any other, ±1, and nights are shared the same way). At
 * hand-over the outgoing guards count the keys in the cabinet and the cars on site, the incoming
 * guards count again; any difference from the ledger's state becomes an incident.
 */
import type { HandoverStatus, SwapStatus } from '../core/statuses.js';
import type { IsoDate, UserId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { addDays, shanghaiDate, shanghaiInstant } from '../core/time.js';
import { usersOfRole } from '../store/account.repository.js';
import type { HandoverRow, ShiftSwapRow } from '../store/shift.repository.js';
import {
  closeHandover,
  findHandover,
  findOpenHandover,
  findRosterEntry,
  findSwap,
  insertHandover,
  insertSwap,
  pendingSwapsOf,
  recordSwapDecision,
  rosterRowsBetween,
  saveRosterEntry,
  shiftDefinitionsOf,
} from '../store/shift.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { notify } from './notifications.js';
import { passOnTasks, record } from './tasks.js';

export interface ShiftDefinition {
  id: string;
  name: string;
  start: string;
  end: string;
}

export interface RosterEntry {
  day: string;
  shiftId: string;
  guardIds: string[];
}

/**
 * A fair rotation: guards are taken in a fixed cycle, `perShift` at a time, shift after shift, day
 * after day. With 10 guards, 2 shifts of 2 a day, each guard works 2 shifts in 5 days, alternating
 * day and night over the cycle, and no guard works two shifts in a row.
 */
export function generateRoster(
  guardIds: readonly string[],
  shifts: readonly ShiftDefinition[],
  startDate: string,
  days: number,
  perShift: number,
): RosterEntry[] {
  if (guardIds.length < perShift * Math.min(2, shifts.length)) {
    throw new DomainError(
      'VALIDATION',
      `body.guardIds: ${guardIds.length} guards cannot cover consecutive shifts of ${perShift}`,
      { field: 'body.guardIds' },
    );
  }
  const entries: RosterEntry[] = [];
  let next = 0;
  for (let d = 0; d < days; d++) {
    for (const shift of shifts) {
      const guards: string[] = [];
      for (let k = 0; k < perShift; k++) guards.push(guardIds[(next + k) % guardIds.length] as string);
      next = (next + perShift) % guardIds.length;
      entries.push({ day: addDays(startDate, d), shiftId: shift.id, guardIds: guards });
    }
  }
  return entries;
}

export async function saveRoster(uow: UnitOfWork, entries: readonly RosterEntry[]): Promise<void> {
  for (const e of entries) {
    await saveRosterEntry(uow.trx, {
      compound_id: uow.compoundId,
      day: e.day,
      shift_id: e.shiftId,
      guard_ids: JSON.stringify(e.guardIds),
    });
  }
}

export async function shiftDefinitions(ctx: AppContext, compoundId: string): Promise<ShiftDefinition[]> {
  const rows = await shiftDefinitionsOf(ctx.store.db, compoundId);
  return rows.map((r) => ({ id: r.id, name: r.name, start: r.start, end: r.end }));
}

export async function rosterBetween(
  ctx: AppContext,
  compoundId: string,
  from: string,
  days: number,
): Promise<RosterEntry[]> {
  const rows = await rosterRowsBetween(ctx.store.db, compoundId, from, addDays(from, days));
  return rows.map((r) => ({ day: r.day, shiftId: r.shift_id, guardIds: JSON.parse(r.guard_ids) as string[] }));
}

async function userIdsOf(uow: UnitOfWork, role: 'guard' | 'manager'): Promise<string[]> {
  return (await usersOfRole(uow.trx, uow.compoundId, role)).map((r) => r.id);
}

async function guardIdsOf(uow: UnitOfWork): Promise<Set<string>> {
  return new Set(await userIdsOf(uow, 'guard'));
}

export async function regenerateRoster(
  ctx: AppContext,
  actor: Principal,
  startDate: IsoDate,
  days: number,
  guardIds?: string[],
): Promise<RosterEntry[]> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const known = await guardIdsOf(uow);
    const guards = guardIds ?? [...known].sort();
    guards.forEach((g, i) => {
      if (!known.has(g))
        throw new DomainError('NOT_FOUND', `body.guardIds[${i}]: no guard "${g}"`, { field: `body.guardIds[${i}]` });
    });
    const shifts = await shiftDefinitions(ctx, actor.compoundId);
    if (shifts.length === 0)
      throw new DomainError('NOT_FOUND', 'shifts: this compound has no shift definitions', { field: 'shifts' });
    const entries = generateRoster(guards, shifts, startDate, days, 2);
    await saveRoster(uow, entries);
    await record(ctx, uow, actor.userId, 'roster.changed', `${startDate}+${days}`, {
      startDate,
      days,
      guards: guards.length,
    });
    return entries;
  });
}

/** Minutes before a shift starts that its guards may go on duty, to count keys and cars at the hand-over. */
export const DUTY_LEAD_MINUTES = 30;

/**
 * The rostered shift `guardId` works at `now`, or null: a shift of the roster that lists him and
 * runs at `now` (Asia/Shanghai), from `DUTY_LEAD_MINUTES` before its start to its end. A shift that
 * ends before it starts ("HH:MM" compare as text; a night shift) ends the next day and belongs to
 * the day it started.
 */
export async function rosteredShiftAt(
  uow: UnitOfWork,
  guardId: string,
  now: number,
): Promise<{ day: string; shiftId: string } | null> {
  const shifts = await shiftDefinitionsOf(uow.trx, uow.compoundId);
  const today = shanghaiDate(now);
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    for (const shift of shifts) {
      const start = shanghaiInstant(day, shift.start);
      const endDay = shift.end <= shift.start ? addDays(day, 1) : day;
      if (now < start - DUTY_LEAD_MINUTES * 60_000 || now >= shanghaiInstant(endDay, shift.end)) continue;
      const row = await findRosterEntry(uow.trx, uow.compoundId, day, shift.id);
      if (row !== undefined && (JSON.parse(row.guard_ids) as string[]).includes(guardId))
        return { day, shiftId: shift.id };
    }
  }
  return null;
}

/** A guard goes on duty by himself only in a shift he is rostered for; otherwise a manager puts him on duty. */
export async function requireRostered(uow: UnitOfWork, guardId: string, now: number): Promise<void> {
  if ((await rosteredShiftAt(uow, guardId, now)) === null)
    throw new DomainError(
      'NOT_ROSTERED',
      `guardId: you (${guardId}) are not on the roster for a shift now; a manager can put you on duty`,
      { field: 'guardId' },
    );
}

export interface ShiftSwap {
  id: string;
  day: string;
  shiftId: string;
  /** The guard who gives the shift up. */
  guardId: string;
  /** The guard who takes it. */
  withGuardId: string;
  requestedBy: string;
  status: SwapStatus;
  createdAt: number;
  decidedAt: number | null;
}

function swapOf(row: ShiftSwapRow): ShiftSwap {
  return {
    id: row.id,
    day: row.day,
    shiftId: row.shift_id,
    guardId: row.guard_id,
    withGuardId: row.with_guard_id,
    requestedBy: row.requested_by,
    status: row.status,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

async function rosterEntryOf(uow: UnitOfWork, day: string, shiftId: string): Promise<RosterEntry> {
  const row = await findRosterEntry(uow.trx, uow.compoundId, day, shiftId);
  if (row === undefined)
    throw new DomainError('NOT_FOUND', `body.day: no ${shiftId} shift on ${day} in the roster`, { field: 'body.day' });
  return { day, shiftId, guardIds: JSON.parse(row.guard_ids) as string[] };
}

/** Checks that `guardId` can give the shift to `withGuardId` in the roster as it stands. */
async function checkSwap(uow: UnitOfWork, swap: Pick<ShiftSwap, 'day' | 'shiftId' | 'guardId' | 'withGuardId'>) {
  const entry = await rosterEntryOf(uow, swap.day, swap.shiftId);
  if (!entry.guardIds.includes(swap.guardId))
    throw new DomainError('VALIDATION', `body.guardId: "${swap.guardId}" is not on that shift`, {
      field: 'body.guardId',
    });
  if (entry.guardIds.includes(swap.withGuardId))
    throw new DomainError('VALIDATION', `body.withGuardId: "${swap.withGuardId}" is already on that shift`, {
      field: 'body.withGuardId',
    });
  if (!(await guardIdsOf(uow)).has(swap.withGuardId))
    throw new DomainError('NOT_FOUND', `body.withGuardId: no guard "${swap.withGuardId}"`, {
      field: 'body.withGuardId',
    });
  return entry;
}

/** Writes the swap into the roster and tells the managers and the two guards. */
async function applySwap(ctx: AppContext, uow: UnitOfWork, actor: Principal, swap: ShiftSwap): Promise<RosterEntry> {
  const entry = await checkSwap(uow, swap);
  const next = entry.guardIds.map((g) => (g === swap.guardId ? swap.withGuardId : g));
  await saveRoster(uow, [{ day: swap.day, shiftId: swap.shiftId, guardIds: next }]);
  await record(ctx, uow, actor.userId, 'roster.changed', `${swap.day}/${swap.shiftId}`, {
    day: swap.day,
    shiftId: swap.shiftId,
    out: swap.guardId,
    in: swap.withGuardId,
    swapId: swap.id,
  });
  await notify(
    uow,
    {
      userIds: [...(await userIdsOf(uow, 'manager')), swap.guardId, swap.withGuardId].filter(
        (id) => id !== actor.userId,
      ),
      kind: 'roster.swapped',
      title: '换班已生效',
      body: `${swap.day} ${swap.shiftId}：${swap.guardId} 换给 ${swap.withGuardId}。`,
      ref: swap.id,
    },
    ctx,
  );
  return { day: swap.day, shiftId: swap.shiftId, guardIds: next };
}

/**
 * A swap: `guardId` gives the shift up to `withGuardId`. A manager's swap takes effect at once; a
 * guard's (he must be one of the two) waits for the other guard's consent (`decideSwap`). Either
 * way the managers are told when it takes effect.
 */
export async function swapShift(
  ctx: AppContext,
  actor: Principal,
  day: string,
  shiftId: string,
  guardId: string,
  withGuardId: string,
): Promise<{ swap: ShiftSwap; roster: RosterEntry }> {
  if (actor.role === 'guard' && actor.userId !== guardId && actor.userId !== withGuardId) {
    throw new DomainError('FORBIDDEN', 'a guard swaps only shifts of their own', { field: 'body.guardId' });
  }
  const done = await ctx.store.transaction(actor.compoundId, async (uow) => {
    const entry = await checkSwap(uow, { day, shiftId, guardId, withGuardId });
    const row: ShiftSwapRow = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      day,
      shift_id: shiftId,
      guard_id: guardId,
      with_guard_id: withGuardId,
      requested_by: actor.userId,
      status: actor.role === 'manager' ? 'accepted' : 'pending',
      created_at: ctx.now(),
      decided_at: actor.role === 'manager' ? ctx.now() : null,
    };
    await insertSwap(uow.trx, row);
    const swap = swapOf(row);
    if (swap.status === 'accepted') return { swap, roster: await applySwap(ctx, uow, actor, swap) };
    const other = actor.userId === guardId ? withGuardId : guardId;
    await record(ctx, uow, actor.userId, 'roster.changed', `${day}/${shiftId}`, {
      day,
      shiftId,
      out: guardId,
      in: withGuardId,
      swapId: swap.id,
      step: 'requested',
    });
    await notify(
      uow,
      {
        userIds: [other],
        kind: 'roster.swap-requested',
        title: '换班请求',
        body: `${day} ${shiftId}：${guardId} 换给 ${withGuardId}，请同意或拒绝。`,
        ref: swap.id,
      },
      ctx,
    );
    return { swap, roster: entry };
  });
  return done;
}

/**
 * The other guard of a pending swap accepts it (it takes effect and the managers are told) or
 * declines it. The guard who asked cannot consent for the other; he may withdraw (decline) it.
 */
export async function decideSwap(
  ctx: AppContext,
  actor: Principal,
  swapId: string,
  accept: boolean,
): Promise<{ swap: ShiftSwap; roster: RosterEntry }> {
  const done = await ctx.store.transaction(actor.compoundId, async (uow) => {
    const row = await findSwap(uow.trx, uow.compoundId, swapId);
    if (row === undefined) throw new DomainError('NOT_FOUND', `swapId: no swap "${swapId}"`, { field: 'swapId' });
    const swap = swapOf(row);
    const other = swap.requestedBy === swap.guardId ? swap.withGuardId : swap.guardId;
    const mayDecide = actor.userId === other || (!accept && actor.userId === swap.requestedBy);
    if (!mayDecide)
      throw new DomainError('SWAP_NEEDS_CONSENT', `swapId: only guard "${other}" can accept or decline this swap`, {
        field: 'swapId',
      });
    if (swap.status !== 'pending')
      throw new DomainError('SWAP_NOT_PENDING', `swapId: swap "${swapId}" is ${swap.status}`, { field: 'swapId' });
    const decidedAt = ctx.now();
    const decided: ShiftSwap = { ...swap, status: accept ? 'accepted' : 'declined', decidedAt };
    await recordSwapDecision(uow.trx, uow.compoundId, swapId, decided.status, decidedAt);
    if (accept) return { swap: decided, roster: await applySwap(ctx, uow, actor, decided) };
    await record(ctx, uow, actor.userId, 'roster.changed', `${swap.day}/${swap.shiftId}`, {
      swapId,
      step: 'declined',
    });
    await notify(
      uow,
      {
        userIds: [swap.requestedBy, other].filter((id) => id !== actor.userId),
        kind: 'roster.swap-declined',
        title: '换班未成',
        body: `${swap.day} ${swap.shiftId}：${swap.guardId} 换给 ${swap.withGuardId} 的请求已取消。`,
        ref: swapId,
      },
      ctx,
    );
    return { swap: decided, roster: await rosterEntryOf(uow, swap.day, swap.shiftId) };
  });
  return done;
}

/** The guards' names by user id, for screens that show who is on duty or on the roster. */
export async function guardNames(ctx: AppContext, compoundId: string): Promise<Record<string, string>> {
  const rows = await usersOfRole(ctx.store.db, compoundId, 'guard');
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** Pending swaps of the compound, oldest first. */
export async function pendingSwaps(ctx: AppContext, compoundId: string): Promise<ShiftSwap[]> {
  return (await pendingSwapsOf(ctx.store.db, compoundId)).map(swapOf);
}

export interface Handover {
  id: string;
  status: HandoverStatus;
  fromGuardIds: string[];
  toGuardIds: string[];
  expected: { keys: number; cars: number };
  outgoing: { keys: number; cars: number };
  incoming: { keys: number; cars: number } | null;
  mismatch: string | null;
  openedAt: number;
  closedAt: number | null;
}

function handoverOf(row: HandoverRow): Handover {
  return {
    id: row.id,
    status: row.status,
    fromGuardIds: JSON.parse(row.from_guard_ids) as string[],
    toGuardIds: row.to_guard_ids === null ? [] : (JSON.parse(row.to_guard_ids) as string[]),
    expected: { keys: row.expected_keys, cars: row.expected_cars },
    outgoing: { keys: row.out_keys, cars: row.out_cars },
    incoming: row.in_keys === null || row.in_cars === null ? null : { keys: row.in_keys, cars: row.in_cars },
    mismatch: row.mismatch,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  };
}

/** What the ledger says should be there: spare keys in the cabinet, cars in the compound. */
async function expectedCounts(uow: UnitOfWork): Promise<{ keys: number; cars: number }> {
  const state = await uow.state();
  const keys = [...state.keys.values()].filter((k) => k.custody.kind === 'in-cabinet').length;
  const cars = [...state.vehicles.values()].filter(
    (v) => v.location.kind === 'parked' || v.location.kind === 'at-gate',
  ).length;
  return { keys, cars };
}

/** The outgoing guards open the hand-over with their count; every key they took out must be back. */
export async function openHandover(
  ctx: AppContext,
  actor: Principal,
  counted: { keys: number; cars: number },
): Promise<Handover> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const state = await uow.state();
    if (!state.onDuty.has(actor.userId))
      throw new DomainError('NOT_ON_DUTY', `you (${actor.userId}) are not on duty`, { field: 'guardId' });
    const outgoing = [...state.onDuty].sort();
    const held = [...state.keys.values()].find(
      (k) => k.custody.kind === 'with-guard' && outgoing.includes(k.custody.guardId),
    );
    if (held !== undefined) {
      throw new DomainError(
        'KEY_HELD_BY_OTHER',
        `key "${held.tag}" is still out; return every key before the hand-over`,
        { field: 'keys' },
      );
    }
    const open = await findOpenHandover(uow.trx, uow.compoundId);
    if (open !== undefined)
      throw new DomainError('HANDOVER_NOT_OPEN', `a hand-over (${open.id}) is already open; confirm it first`, {
        field: 'handoverId',
      });
    const expected = await expectedCounts(uow);
    const row: HandoverRow = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      status: 'open',
      from_guard_ids: JSON.stringify(outgoing),
      to_guard_ids: null,
      expected_keys: expected.keys,
      expected_cars: expected.cars,
      out_keys: counted.keys,
      out_cars: counted.cars,
      in_keys: null,
      in_cars: null,
      mismatch: null,
      opened_at: ctx.now(),
      closed_at: null,
    };
    await insertHandover(uow.trx, row);
    await record(ctx, uow, actor.userId, 'shift.handover', row.id, {
      step: 'opened',
      expectedKeys: expected.keys,
      expectedCars: expected.cars,
      keys: counted.keys,
      cars: counted.cars,
    });
    return handoverOf(row);
  });
}

/** Callback for a mismatch, so the incident workflow can open an incident in the same transaction. */
export type MismatchHook = (uow: UnitOfWork, handover: Handover, actor: Principal) => Promise<void>;

/**
 * The incoming guard confirms with their own count: they go on duty, the outgoing guards go off.
 * A count that differs from the ledger (or from each other) is recorded as a mismatch.
 */
export async function confirmHandover(
  ctx: AppContext,
  actor: Principal,
  handoverId: string,
  counted: { keys: number; cars: number },
  onMismatch?: MismatchHook,
): Promise<Handover> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const row = await findHandover(uow.trx, uow.compoundId, handoverId);
    if (row === undefined)
      throw new DomainError('NOT_FOUND', `handoverId: no hand-over "${handoverId}"`, { field: 'handoverId' });
    if (row.status !== 'open')
      throw new DomainError('HANDOVER_NOT_OPEN', `handoverId: hand-over "${handoverId}" is ${row.status}`, {
        field: 'handoverId',
      });
    const from = JSON.parse(row.from_guard_ids) as string[];
    if (from.includes(actor.userId))
      throw new DomainError('FORBIDDEN', 'the incoming guard confirms the hand-over, not an outgoing one', {
        field: 'guardId',
      });
    const expected = await expectedCounts(uow);
    const problems: string[] = [];
    if (row.out_keys !== expected.keys)
      problems.push(`outgoing counted ${row.out_keys} keys, the ledger says ${expected.keys}`);
    if (counted.keys !== expected.keys)
      problems.push(`incoming counted ${counted.keys} keys, the ledger says ${expected.keys}`);
    if (row.out_cars !== expected.cars)
      problems.push(`outgoing counted ${row.out_cars} cars, the ledger says ${expected.cars}`);
    if (counted.cars !== expected.cars)
      problems.push(`incoming counted ${counted.cars} cars, the ledger says ${expected.cars}`);
    const mismatch = problems.length === 0 ? null : problems.join('; ');
    const state = await uow.state();
    if (!state.onDuty.has(actor.userId)) await requireRostered(uow, actor.userId, ctx.now());
    if (!state.onDuty.has(actor.userId))
      await uow.append({
        type: 'guard.on-duty',
        payload: { guardId: actor.userId },
        at: ctx.now(),
        actor: actor.userId,
      });
    for (const g of from) {
      if (state.onDuty.has(g as UserId))
        await uow.append({
          type: 'guard.off-duty',
          payload: { guardId: g as UserId },
          at: ctx.now(),
          actor: actor.userId,
        });
    }
    // The outgoing guards' open tasks pass to the guards now on duty.
    await passOnTasks(ctx, uow, actor.userId);
    const to = [...(await uow.state()).onDuty].sort();
    const closed = {
      to_guard_ids: JSON.stringify(to),
      in_keys: counted.keys,
      in_cars: counted.cars,
      mismatch,
      closed_at: ctx.now(),
    };
    await closeHandover(uow.trx, uow.compoundId, handoverId, closed);
    await record(ctx, uow, actor.userId, 'shift.handover', handoverId, {
      step: 'confirmed',
      keys: counted.keys,
      cars: counted.cars,
      mismatch: mismatch !== null,
    });
    const handover = handoverOf({ ...row, status: 'closed', ...closed });
    if (mismatch !== null && onMismatch !== undefined) await onMismatch(uow, handover, actor);
    return handover;
  });
}

export async function openHandoverOf(ctx: AppContext, compoundId: string): Promise<Handover | null> {
  const row = await findOpenHandover(ctx.store.db, compoundId);
  return row === undefined ? null : handoverOf(row);
}
