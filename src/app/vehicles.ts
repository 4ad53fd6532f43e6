/**
 * @module Residents' cars: a resident registers a car for their household, the manager edits one,
 * and a resident gives or withdraws key-custody consent. One transaction each with its ledger
 * events; plates live in `vehicle_plates`, never in a payload.
 */
import type { EpochMs, HouseholdId, VehicleId } from '../core/brand.js';
import type { VehicleState } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import type { EventBody, LedgerEvent, NewEvent } from '../core/events.js';
import type { VehicleSize } from '../core/layout.js';
import { parsePlate } from '../core/plate.js';
import type { UnitOfWork } from '../store/store.js';
import { insertPlate, plateOfVehicle, setPlate, vehicleIdOfPlate } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import { residentHousehold } from './actor.js';
import { requireConsentVersion } from './consent.js';
import type { AppContext } from './context.js';

/** Appends an event as the actor; a guard acts only while on duty. */
export async function appendAs(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  body: EventBody,
): Promise<LedgerEvent> {
  if (actor.role === 'guard' && !(await uow.state()).onDuty.has(actor.userId)) {
    throw new DomainError('NOT_ON_DUTY', `you (${actor.userId}) are not on duty; go on duty first`, {
      field: 'guardId',
    });
  }
  return uow.append({ ...body, at: ctx.now() as EpochMs, actor: actor.userId } as NewEvent);
}

/** Refuses a plate already registered in the compound (to another car than `except`). */
export async function requireFreePlate(uow: UnitOfWork, plate: string, except?: VehicleId): Promise<void> {
  const holder = await vehicleIdOfPlate(uow.trx, uow.compoundId, plate);
  if (holder !== undefined && holder !== except) {
    throw new DomainError('DUPLICATE_PLATE', `plate: ${plate} is already registered in this compound`, {
      field: 'plate',
    });
  }
}

/**
 * The vehicle as the actor may act on it: a resident only their household's cars; everyone else's
 * are answered as absent, so vehicle ids cannot be probed.
 */
export async function vehicleFor(uow: UnitOfWork, actor: Principal, vehicleId: VehicleId): Promise<VehicleState> {
  const v = (await uow.state()).vehicles.get(vehicleId);
  const mayAct = actor.role !== 'resident' || (v?.householdId != null && v.householdId === actor.householdId);
  if (v === undefined || !mayAct)
    throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}" that you may change`, {
      field: 'vehicleId',
    });
  return v;
}

export interface NewVehicle {
  plate: string;
  size: VehicleSize;
  ev: boolean;
  /** Required of a manager; a resident registers for their own household. */
  householdId?: string | undefined;
}

/** Registers a household's car: its plate beside the ledger and `vehicle.registered`. */
export async function registerVehicle(
  ctx: AppContext,
  actor: Principal,
  input: NewVehicle,
): Promise<{ vehicleId: VehicleId; event: LedgerEvent }> {
  let householdId: HouseholdId;
  if (actor.role === 'resident') {
    householdId = residentHousehold(actor, input.householdId, 'registers cars for');
  } else {
    if (input.householdId === undefined)
      throw new DomainError('VALIDATION', 'householdId: required when a manager registers a car', {
        field: 'householdId',
      });
    householdId = input.householdId as HouseholdId;
  }
  const { plate } = parsePlate(input.plate);
  const vehicleId = ctx.newId() as VehicleId;
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    await requireFreePlate(uow, plate);
    const event = await appendAs(ctx, uow, actor, {
      type: 'vehicle.registered',
      payload: { vehicleId, householdId, size: input.size, ev: input.ev },
    });
    await insertPlate(uow.trx, { compound_id: actor.compoundId, vehicle_id: vehicleId, plate });
    return { vehicleId, event };
  });
}

export interface VehicleEdit {
  plate?: string | undefined;
  size?: VehicleSize | undefined;
  ev?: boolean | undefined;
}

/**
 * The manager corrects a car: size and EV through `vehicle.updated` (refused when the car would no
 * longer fit the position it stands on), a new plate in `vehicle_plates` with a
 * `vehicle.plate-changed` record that says only that it changed. Unchanged values write nothing.
 */
export async function editVehicle(
  ctx: AppContext,
  actor: Principal,
  vehicleId: VehicleId,
  edit: VehicleEdit,
): Promise<LedgerEvent[]> {
  const plate = edit.plate === undefined ? undefined : parsePlate(edit.plate).plate;
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const v = await vehicleFor(uow, actor, vehicleId);
    const events: LedgerEvent[] = [];
    const size = edit.size ?? v.size;
    const ev = edit.ev ?? v.ev;
    if (size !== v.size || ev !== v.ev) {
      events.push(await appendAs(ctx, uow, actor, { type: 'vehicle.updated', payload: { vehicleId, size, ev } }));
    }
    if (plate !== undefined) {
      const current = await plateOfVehicle(uow.trx, actor.compoundId, vehicleId);
      if (current !== plate) {
        await requireFreePlate(uow, plate, vehicleId);
        events.push(
          await appendAs(ctx, uow, actor, {
            type: 'record',
            payload: { kind: 'vehicle.plate-changed', refId: vehicleId, vehicleId, detail: {} },
          }),
        );
        await setPlate(uow.trx, actor.compoundId, vehicleId, plate);
      }
    }
    return events;
  });
}

/** A resident consents to the guards holding the car's spare key, under a published text version. */
export async function giveConsent(
  ctx: AppContext,
  actor: Principal,
  vehicleId: VehicleId,
  textVersion: string,
): Promise<LedgerEvent> {
  requireConsentVersion(textVersion);
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const v = await vehicleFor(uow, actor, vehicleId);
    if (v.consent === textVersion) {
      throw new DomainError(
        'CONSENT_ALREADY_GIVEN',
        `textVersion: consent to version ${textVersion} is already in force for this car`,
        { field: 'textVersion' },
      );
    }
    return appendAs(ctx, uow, actor, { type: 'consent.given', payload: { vehicleId, textVersion } });
  });
}

/** A resident withdraws consent; refused while the guards still hold the key (it is handed back first). */
export async function withdrawConsent(ctx: AppContext, actor: Principal, vehicleId: VehicleId): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const v = await vehicleFor(uow, actor, vehicleId);
    if (v.consent === null)
      throw new DomainError('CONSENT_NOT_GIVEN', 'vehicleId: this car has no key-custody consent in force', {
        field: 'vehicleId',
      });
    return appendAs(ctx, uow, actor, { type: 'consent.withdrawn', payload: { vehicleId } });
  });
}
