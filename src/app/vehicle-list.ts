/** @module The cars a person may see, with where each is: a resident's household cars, or every car for staff. */
import type { CarLocation } from '../core/custody.js';
import type { Principal } from './actor.js';
import { platesOf } from '../store/vehicle-plate.repository.js';
import type { AppContext } from './context.js';
import { canSeeVehicle } from './queries.js';

export interface VehicleListItem {
  id: string;
  plate: string | null;
  householdId: string | null;
  ev: boolean;
  location: CarLocation;
}

export async function listVehicles(ctx: AppContext, principal: Principal): Promise<VehicleListItem[]> {
  const state = await ctx.store.state(principal.compoundId);
  const rows = await platesOf(ctx.store.db, principal.compoundId);
  const plates = new Map(rows.map((r) => [r.vehicle_id, r.plate]));
  return [...state.vehicles.values()]
    .filter((v) => canSeeVehicle(principal, v.householdId))
    .map((v) => ({
      id: v.id,
      plate: plates.get(v.id) ?? null,
      householdId: v.householdId,
      ev: v.ev,
      location: v.location,
    }));
}
