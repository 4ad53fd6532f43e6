/**
 * @module Metered EV charging: the guard or the manager records the energy a car took at a charger
 * (the meter's watt-hours), and the fee is reckoned at once by `energyFee` at the EV tariff of the
 * fee version in force that day. The session is billed to the car's household on its next bill.
 */
import type { PositionId, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { energyFee, rulesOn } from '../core/fees.js';
import { shanghaiDate } from '../core/time.js';
import type { Principal } from './actor.js';
import { feeVersions } from '../store/billing.repository.js';
import { insertChargingSession } from '../store/charging.repository.js';
import type { AppContext } from './context.js';
import { record } from './tasks.js';

/** A session's energy is at most this many watt-hours (a large battery filled twice over). */
export const MAX_SESSION_WH = 300_000;

export interface ChargingSessionInput {
  vehicleId: string;
  wattHours: number;
  chargerPositionId?: string | null | undefined;
}

export interface ChargingSession {
  id: string;
  vehicleId: string;
  householdId: string;
  chargerPositionId: string | null;
  wattHours: number;
  feeFen: number;
  meteredAt: number;
}

/** Records a metered session of a resident's EV and its fee, with a `charging.metered` record. */
export async function meterCharging(
  ctx: AppContext,
  actor: Principal,
  input: ChargingSessionInput,
): Promise<ChargingSession> {
  if (!Number.isSafeInteger(input.wattHours) || input.wattHours <= 0 || input.wattHours > MAX_SESSION_WH)
    throw new DomainError('VALIDATION', `body.wattHours: a whole number of watt-hours from 1 to ${MAX_SESSION_WH}`, {
      field: 'body.wattHours',
    });
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const state = await uow.state();
    const v = state.vehicles.get(input.vehicleId as VehicleId);
    if (v === undefined)
      throw new DomainError('NOT_FOUND', `body.vehicleId: no vehicle "${input.vehicleId}"`, {
        field: 'body.vehicleId',
      });
    if (v.householdId === null || !v.ev)
      throw new DomainError('VALIDATION', 'body.vehicleId: metered charging is billed for a resident’s EV', {
        field: 'body.vehicleId',
      });
    const charger = input.chargerPositionId ?? null;
    if (charger !== null) {
      const p = state.layout.lanes.flatMap((l) => l.positions).find((x) => x.id === (charger as PositionId));
      if (p === undefined || p.chargerKw === null)
        throw new DomainError('VALIDATION', `body.chargerPositionId: "${charger}" is not a position with a charger`, {
          field: 'body.chargerPositionId',
        });
    }
    const now = ctx.now();
    const rules = rulesOn(await feeVersions(uow.trx, uow.compoundId), shanghaiDate(now));
    const session: ChargingSession = {
      id: ctx.newId(),
      vehicleId: input.vehicleId,
      householdId: v.householdId,
      chargerPositionId: charger,
      wattHours: input.wattHours,
      feeFen: rules === null ? 0 : energyFee(input.wattHours, rules.evPerKwhFen),
      meteredAt: now,
    };
    await insertChargingSession(uow.trx, {
      compound_id: uow.compoundId,
      id: session.id,
      vehicle_id: session.vehicleId,
      household_id: session.householdId,
      charger_position_id: session.chargerPositionId,
      watt_hours: session.wattHours,
      fee_fen: session.feeFen,
      metered_at: now,
      recorded_by: actor.userId,
    });
    await record(
      ctx,
      uow,
      actor.userId,
      'charging.metered',
      session.id,
      { householdId: session.householdId, wattHours: session.wattHours, feeFen: session.feeFen, charger },
      session.vehicleId,
    );
    return session;
  });
}
