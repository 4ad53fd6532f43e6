/**
 * @module Day-to-day valet operations, one transaction each with its ledger events: the gate
 * check-in, parking, moves, departures, key checkout and return, and guards going on and off duty.
 */
import type { EpochMs, KeyTag, PositionId, TaskId, UserId, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { EventBody, LedgerEvent, MoveReason, NewEvent } from '../core/events.js';
import { normalizePlate, parsePlate } from '../core/plate.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';

/** Appends an event as the actor. A guard acts only while on duty, except to go on duty. */
async function appendAs(ctx: AppContext, uow: UnitOfWork, actor: Principal, body: EventBody): Promise<LedgerEvent> {
  if (actor.role === 'guard' && body.type !== 'guard.on-duty' && !(await uow.state()).onDuty.has(actor.userId)) {
    throw new DomainError('NOT_ON_DUTY', `you (${actor.userId}) are not on duty; go on duty first`, { field: 'guardId' });
  }
  return uow.append({ ...body, at: ctx.now() as EpochMs, actor: actor.userId } as NewEvent);
}

/** Runs one event as one transaction for the actor's compound. */
async function single(ctx: AppContext, actor: Principal, body: EventBody): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, (uow) => appendAs(ctx, uow, actor, body));
}

export async function vehicleIdByPlate(ctx: AppContext, compoundId: string, plateInput: string): Promise<VehicleId> {
  const { plate } = parsePlate(plateInput);
  const row = await ctx.store.db
    .selectFrom('vehicle_plates')
    .select('vehicle_id')
    .where('compound_id', '=', compoundId)
    .where('plate', '=', normalizePlate(plate))
    .executeTakeFirst();
  if (row === undefined) throw new DomainError('NOT_FOUND', `plate: no car with plate ${plate} is registered in this compound`, { field: 'plate' });
  return row.vehicle_id as VehicleId;
}

export async function checkIn(ctx: AppContext, actor: Principal, plate: string): Promise<{ vehicleId: VehicleId; event: LedgerEvent }> {
  const vehicleId = await vehicleIdByPlate(ctx, actor.compoundId, plate);
  const event = await single(ctx, actor, { type: 'car.checked-in', payload: { vehicleId } });
  return { vehicleId, event };
}

export function park(ctx: AppContext, actor: Principal, vehicleId: VehicleId, positionId: PositionId, taskId: TaskId | null = null): Promise<LedgerEvent> {
  return single(ctx, actor, { type: 'car.parked', payload: { vehicleId, positionId, taskId } });
}

export async function move(
  ctx: AppContext,
  actor: Principal,
  vehicleId: VehicleId,
  to: PositionId,
  reason: MoveReason,
  taskId: TaskId | null = null,
): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const v = (await uow.state()).vehicles.get(vehicleId);
    if (v === undefined) throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}"`, { field: 'vehicleId' });
    if (v.location.kind !== 'parked') throw new DomainError('CAR_NOT_ON_SITE', `vehicleId: vehicle "${vehicleId}" is not parked`, { field: 'vehicleId' });
    return appendAs(ctx, uow, actor, { type: 'car.moved', payload: { vehicleId, from: v.location.positionId, to, reason, taskId } });
  });
}

export function depart(ctx: AppContext, actor: Principal, vehicleId: VehicleId): Promise<LedgerEvent> {
  return single(ctx, actor, { type: 'car.departed', payload: { vehicleId, by: actor.role === 'guard' ? 'guard' : 'resident' } });
}

export function checkoutKey(ctx: AppContext, actor: Principal, keyTag: KeyTag, taskId: TaskId | null = null): Promise<LedgerEvent> {
  return single(ctx, actor, { type: 'key.checked-out', payload: { keyTag, guardId: actor.userId, taskId } });
}

export function returnKey(ctx: AppContext, actor: Principal, keyTag: KeyTag): Promise<LedgerEvent> {
  return single(ctx, actor, { type: 'key.returned', payload: { keyTag, guardId: actor.userId } });
}

export function setDuty(ctx: AppContext, actor: Principal, guardId: UserId, onDuty: boolean): Promise<LedgerEvent> {
  return single(ctx, actor, onDuty ? { type: 'guard.on-duty', payload: { guardId } } : { type: 'guard.off-duty', payload: { guardId } });
}
