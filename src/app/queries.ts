/**
 * @module Read models for people: the lot with its cars, one car with its blockers and key, and a
 * car's history from the ledger. Residents see plates only of their own household's cars.
 */
import type { Minutes, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { blockersOf, keyOfVehicle } from '../core/compound-state.js';
import type { CarLocation, KeyCustody } from '../core/custody.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent } from '../core/events.js';
import type { Lane } from '../core/layout.js';
import { indexPositions, isClosedOn } from '../core/layout.js';
import { shanghaiDate } from '../core/time.js';
import { maskPlate } from '../core/refusal-names.js';
import { readyTime } from '../planner/eta.js';
import { userNamesOf } from '../store/account.repository.js';
import { placeLabel } from '../store/refusal-names.js';
import { openTasksOfVehicles } from '../store/task.repository.js';
import { platesOf } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { nextDepartures } from './departures.js';
import { MINUTES_PER_MOVE } from './tasks.js';

/** Staff see every car; a resident sees their household's cars; partners and the committee see none by plate. */
export function canSeeVehicle(principal: Principal, householdId: string | null): boolean {
  if (principal.role === 'manager' || principal.role === 'guard') return true;
  return principal.role === 'resident' && householdId !== null && householdId === principal.householdId;
}

export function requireCompound(principal: Principal, compoundId: string): void {
  // Another compound's things are answered as absent, so ids cannot be probed across compounds.
  if (principal.compoundId !== compoundId)
    throw new DomainError('NOT_FOUND', `compoundId: no compound "${compoundId}"`, { field: 'compoundId' });
}

/** The plates of the compound's cars, or of `vehicleIds` only (one car's view needs a lane's worth, not all). */
async function plateMapOf(
  ctx: AppContext,
  compoundId: string,
  vehicleIds?: readonly string[],
): Promise<Map<string, string>> {
  const rows = await platesOf(ctx.store.db, compoundId, vehicleIds);
  return new Map(rows.map((r) => [r.vehicle_id, r.plate]));
}

export interface LotPositionView {
  id: string;
  index: number;
  kind: string;
  chargerKw: number | null;
  maxSize: string;
  closedToday: boolean;
  closures: { from: string; to: string; reason: string }[];
  /** The car standing here: its id and plate when the viewer may see it, else only `occupied`. */
  vehicle: { id: string; plate: string | null; blocked: boolean; ev: boolean } | null;
  occupied: boolean;
}

export interface LotView {
  compoundId: string;
  name: string | null;
  day: string;
  fireLanes: string[];
  lanes: { id: string; name: string; access: string; area: string; positions: LotPositionView[] }[];
  counts: { positions: number; open: number; occupied: number; atGate: number; onSite: number };
}

export async function lotView(ctx: AppContext, principal: Principal, compoundId: string): Promise<LotView> {
  requireCompound(principal, compoundId);
  const state = await ctx.store.state(compoundId);
  const plates = await plateMapOf(ctx, compoundId);
  const day = shanghaiDate(ctx.now());
  let open = 0;
  const lanes = state.layout.lanes.map((lane: Lane) => ({
    id: lane.id,
    name: lane.name,
    access: lane.access,
    area: lane.area,
    positions: lane.positions.map((p): LotPositionView => {
      const vehicleId = state.occupancy.get(p.id);
      const v = vehicleId === undefined ? undefined : state.vehicles.get(vehicleId);
      const closedToday = isClosedOn(p, day);
      if (!closedToday) open++;
      const visible = v !== undefined && canSeeVehicle(principal, v.householdId);
      return {
        id: p.id,
        index: p.index,
        kind: p.kind,
        chargerKw: p.chargerKw,
        maxSize: p.maxSize,
        closedToday,
        closures: p.closures,
        occupied: v !== undefined,
        vehicle:
          v === undefined || !visible
            ? null
            : { id: v.id, plate: plates.get(v.id) ?? null, blocked: blockersOf(state, v.id).length > 0, ev: v.ev },
      };
    }),
  }));
  const vehicles = [...state.vehicles.values()];
  return {
    compoundId,
    name: state.name,
    day,
    fireLanes: state.layout.fireLanes,
    lanes,
    counts: {
      positions: lanes.reduce((n, l) => n + l.positions.length, 0),
      open,
      occupied: state.occupancy.size,
      atGate: vehicles.filter((v) => v.location.kind === 'at-gate').length,
      onSite: vehicles.filter((v) => v.location.kind === 'parked' || v.location.kind === 'at-gate').length,
    },
  };
}

export interface VehicleView {
  id: string;
  plate: string | null;
  householdId: string | null;
  size: string;
  ev: boolean;
  location: CarLocation;
  /** The cars between this one and an open end, by id (plates of other households masked: 沪A·***45). */
  blockedBy: { id: string; plate: string | null }[];
  consent: string | null;
  key: { tag: string; custody: KeyCustody } | null;
  /** The next declared departure, if any. */
  nextDeparture: number | null;
  /** When the car is planned to be free to drive off (see `plannedReadyAt`); the same value the departure reply gives. */
  readyAt: number | null;
  /** Open tasks of this car and of the cars that block it. */
  openTasks: { id: string; kind: string; vehicleId: string; to: string | null; dueAt: number; status: string }[];
  /** The lane the car stands in, as the resident's morning screen draws it; null when not parked. */
  lane: LaneOfCar | null;
}

/**
 * A parked car's lane from the open end (index 0) back: which position is the car's, which cars stand
 * in its way, and who is to move each of them when. Plates of cars the viewer may not see are masked.
 */
export interface LaneOfCar {
  name: string;
  area: string;
  access: string;
  /** The car's place as people say it (lane name and position from the open end). */
  place: string;
  positions: {
    index: number;
    mine: boolean;
    /** The car standing here (masked for other households), or null when empty. */
    plate: string | null;
    blocking: boolean;
    /** The open relocation of the car standing here: the guard and when it is due. */
    move: { guardName: string | null; dueAt: number; status: string } | null;
  }[];
}

/**
 * The one ETA of a car, shown by its own view and by the reply to a declared departure: null when
 * it is not parked; now when nothing blocks it; when every blocker has an open relocation, the
 * planner's `readyTime` over its lane, emptied move after move from the first relocation's due time
 * (or now, if that is past); otherwise its declared departure (the planner frees it by then), or null.
 */
export function plannedReadyAt(
  state: CompoundState,
  vehicleId: VehicleId,
  openTasks: readonly { vehicleId: string; kind: string; dueAt: number }[],
  now: number,
  declaredAt: number | null,
): number | null {
  const v = state.vehicles.get(vehicleId);
  if (v?.location.kind !== 'parked') return null;
  const blockers = blockersOf(state, vehicleId);
  if (blockers.length === 0) return now;
  const releases = openTasks.filter((t) => t.kind === 'move' && blockers.includes(t.vehicleId as VehicleId));
  if (new Set(releases.map((t) => t.vehicleId)).size < blockers.length) return declaredAt;
  // `blockersOf` lists the cars between the car and one open end: they stand in its own lane.
  const lane = { blockers: blockers.length, notBefore: Math.min(...releases.map((t) => t.dueAt)) };
  return readyTime([lane], Math.max(1, state.onDuty.size), MINUTES_PER_MOVE as Minutes, now);
}

function vehicleOrNotFound(state: CompoundState, principal: Principal, vehicleId: VehicleId) {
  const v = state.vehicles.get(vehicleId);
  if (v === undefined || !canSeeVehicle(principal, v.householdId)) {
    throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}" that you may see`, { field: 'vehicleId' });
  }
  return v;
}

export async function vehicleView(ctx: AppContext, principal: Principal, vehicleId: VehicleId): Promise<VehicleView> {
  const state = await ctx.store.state(principal.compoundId);
  const v = vehicleOrNotFound(state, principal, vehicleId);
  const key = keyOfVehicle(state, v);
  const now = ctx.now();
  const blockers = blockersOf(state, v.id);
  // The plates shown: this car's and those of the cars in its lane (its blockers among them).
  const spot = v.location.kind === 'parked' ? indexPositions(state.layout).get(v.location.positionId) : undefined;
  const laneCars = (spot?.lane.positions ?? []).flatMap((p) => state.occupancy.get(p.id) ?? []);
  const plates = await plateMapOf(ctx, principal.compoundId, [v.id, ...blockers, ...laneCars]);
  const next = (await nextDepartures(ctx.store.db, principal.compoundId, now, v.id)).get(v.id);
  const involved = [v.id as string, ...blockers];
  const tasks = await openTasksOfVehicles(ctx.store.db, principal.compoundId, involved);
  const guardIds = [...new Set(tasks.flatMap((t) => (t.guard_id === null ? [] : [t.guard_id])))];
  const guards = guardIds.length === 0 ? [] : await userNamesOf(ctx.store.db, principal.compoundId, guardIds);
  const guardName = new Map(guards.map((g) => [g.id, g.name]));
  const plateFor = (id: VehicleId): string | null => {
    const other = state.vehicles.get(id);
    const plate = plates.get(id) ?? null;
    return other !== undefined && canSeeVehicle(principal, other.householdId) ? plate : maskPlate(plate);
  };
  let lane: LaneOfCar | null = null;
  if (v.location.kind === 'parked') {
    const where = indexPositions(state.layout).get(v.location.positionId);
    if (where !== undefined) {
      lane = {
        name: where.lane.name,
        area: where.lane.area,
        access: where.lane.access,
        place: placeLabel(state, v.location.positionId) ?? where.lane.name,
        positions: where.lane.positions.map((p) => {
          const occupant = state.occupancy.get(p.id);
          const move =
            occupant === undefined ? undefined : tasks.find((t) => t.vehicle_id === occupant && t.kind === 'move');
          return {
            index: p.index,
            mine: occupant === v.id,
            plate: occupant === undefined ? null : plateFor(occupant),
            blocking: occupant !== undefined && blockers.includes(occupant),
            move:
              move === undefined
                ? null
                : {
                    guardName: move.guard_id === null ? null : (guardName.get(move.guard_id) ?? null),
                    dueAt: move.due_at,
                    status: move.status,
                  },
          };
        }),
      };
    }
  }
  const readyAt = plannedReadyAt(
    state,
    v.id,
    tasks.map((t) => ({ vehicleId: t.vehicle_id, kind: t.kind, dueAt: t.due_at })),
    now,
    next?.at ?? null,
  );
  return {
    nextDeparture: next?.at ?? null,
    readyAt,
    openTasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      vehicleId: t.vehicle_id,
      to: t.to_position,
      dueAt: t.due_at,
      status: t.status,
    })),
    id: v.id,
    plate: plates.get(v.id) ?? null,
    householdId: v.householdId,
    size: v.size,
    ev: v.ev,
    location: v.location,
    blockedBy: blockers.map((id) => ({ id, plate: plateFor(id) })),
    lane,
    consent: v.consent,
    key: key === undefined ? null : { tag: key.tag, custody: key.custody },
  };
}

/** Every ledger event about a car or its key, oldest first. */
export async function vehicleHistory(
  ctx: AppContext,
  principal: Principal,
  vehicleId: VehicleId,
): Promise<LedgerEvent[]> {
  const state = await ctx.store.state(principal.compoundId);
  const v = vehicleOrNotFound(state, principal, vehicleId);
  const tags = [...state.keys.values()].filter((k) => k.vehicleId === v.id).map((k) => `key:${k.tag}`);
  // Through the ledger's subject index: the car's own events, not the compound's whole ledger.
  return ctx.store.eventsAbout(principal.compoundId, [`vehicle:${v.id}`, ...tags]);
}
