/**
 * @module EV charging at night: a resident states the energy the car needs (kWh, or a target
 * percentage of its battery) and its departure; the night's plan for the compound's chargers comes
 * from the charging planner, and the swaps due soon become guard `move` tasks with reason
 * `charging` (the car on the charger is moved off first, then the next one on). A car at a partner
 * lot on a booked charger space charges there all night and needs no swap.
 */
import type { IsoDate, PositionId, UserId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import { blockingIndexes, isClosedOn } from '../core/layout.js';
import { shanghaiDate } from '../core/time.js';
import type { ChargingPlan } from '../planner/charging/index.js';
import { planCharging } from '../planner/charging/index.js';
import type { PlannedCar, PlanningContext } from '../planner/compound/index.js';
import { RELOCATION_WEIGHTS, chargerSwap, idleChargers, place } from '../planner/compound/index.js';
import { cancelChargingRequests, chargingRequestsOn, insertChargingRequest } from '../store/charging.repository.js';
import { eventsOfTypesSince } from '../store/ledger.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { nightOf } from './partner-lot-rows.js';
import { requireCompound } from './queries.js';
import type { Task } from './tasks.js';
import { createTask, openTasks, planningNow, record } from './tasks.js';

const MINUTE = 60_000;
export const SLOT_MINUTES = 15;
/** Battery size assumed when a target percentage is given without one (a mid-size EV). */
export const DEFAULT_BATTERY_KWH = 60;
/** Swaps due within this many minutes become tasks now; later ones are planned again on the next run. */
export const TASK_HORIZON_MINUTES = 60;

export interface ChargingRequestInput {
  energyKwh?: number;
  targetPercent?: number;
  currentPercent?: number;
  batteryKwh?: number;
  departureAt: number;
}

export interface ChargingRequest {
  id: string;
  vehicleId: string;
  night: string;
  energyKwh: number;
  targetPercent: number | null;
  departureAt: number;
}

/** A resident (their household's EV) or a manager states tonight's need; it replaces an earlier one for the same night. */
export async function requestCharging(
  ctx: AppContext,
  principal: Principal,
  vehicleId: string,
  input: ChargingRequestInput,
): Promise<ChargingRequest> {
  const now = ctx.now();
  if ((input.energyKwh === undefined) === (input.targetPercent === undefined)) {
    throw new DomainError(
      'VALIDATION',
      'body.energyKwh: give either energyKwh or targetPercent (with currentPercent)',
      { field: 'body.energyKwh' },
    );
  }
  let energy = input.energyKwh ?? 0;
  if (input.targetPercent !== undefined) {
    if (input.currentPercent === undefined)
      throw new DomainError('VALIDATION', 'body.currentPercent: a target percentage needs the current one', {
        field: 'body.currentPercent',
      });
    if (input.currentPercent >= input.targetPercent) {
      throw new DomainError(
        'VALIDATION',
        `body.targetPercent: the target (${input.targetPercent}%) is above the current charge (${input.currentPercent}%)`,
        { field: 'body.targetPercent' },
      );
    }
    energy = ((input.targetPercent - input.currentPercent) / 100) * (input.batteryKwh ?? DEFAULT_BATTERY_KWH);
  }
  if (input.departureAt <= now)
    throw new DomainError('DEPARTURE_IN_PAST', 'body.departureAt: the departure lies in the future', {
      field: 'body.departureAt',
    });
  if (input.departureAt > now + 24 * 60 * MINUTE)
    throw new DomainError(
      'VALIDATION',
      'body.departureAt: a charging request is for the coming night (within 24 hours)',
      {
        field: 'body.departureAt',
      },
    );
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const v = (await uow.state()).vehicles.get(vehicleId as VehicleId);
    if (v === undefined || (principal.role === 'resident' && v.householdId !== principal.householdId)) {
      throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}" of yours`, { field: 'vehicleId' });
    }
    if (!v.ev)
      throw new DomainError('VALIDATION', `vehicleId: "${vehicleId}" is not an EV; only an EV asks for charge`, {
        field: 'vehicleId',
      });
    const night = nightOf(now);
    await cancelChargingRequests(uow.trx, uow.compoundId, vehicleId, night, now);
    const row = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      vehicle_id: vehicleId,
      night,
      energy_kwh: Math.round(energy * 10) / 10,
      target_percent: input.targetPercent ?? null,
      departure_at: input.departureAt,
      created_by: principal.userId,
      created_at: now,
      cancelled_at: null,
    };
    await insertChargingRequest(uow.trx, row);
    return {
      id: row.id,
      vehicleId,
      night,
      energyKwh: row.energy_kwh,
      targetPercent: row.target_percent,
      departureAt: row.departure_at,
    };
  });
}

export interface ChargingSwapView {
  dueAt: number;
  chargerPositionId: string;
  vehicleId: string;
  displaced: string | null;
}

export interface CompoundChargingPlan {
  night: string;
  status: ChargingPlan['status'];
  startAt: number;
  slotMinutes: number;
  chargers: string[];
  outcomes: ChargingPlan['outcomes'];
  swaps: ChargingSwapView[];
  lowerBound: number;
  /** Cars on a booked charger space at a partner lot: they charge there all night. */
  atPartner: string[];
  /** Requests of cars that are not in the compound or at a partner lot now. */
  notHere: string[];
  tasks: Task[];
}

/** A free, open, charger-less position a car can be driven into now (nothing in front of it). */
function parkingSpot(state: CompoundState, day: IsoDate, banned: Set<string>): string | null {
  for (const lane of state.layout.lanes) {
    for (const p of lane.positions) {
      if (p.chargerKw !== null || isClosedOn(p, day) || state.occupancy.has(p.id) || banned.has(p.id)) continue;
      if (blockingIndexes(lane, p.index, (i) => state.occupancy.has(lane.positions[i]!.id)).length === 0) return p.id;
    }
  }
  return null;
}

/**
 * Plans tonight's charging in the compound; with `apply`, the swaps due within the next hour become
 * guard tasks (and a `charging.planned` record), in one transaction.
 */
export async function planCompoundCharging(
  ctx: AppContext,
  principal: Principal,
  compoundId: string,
  apply: boolean,
): Promise<CompoundChargingPlan> {
  requireCompound(principal, compoundId);
  return ctx.store.transaction(compoundId, async (uow) => {
    const state = await uow.state();
    const now = ctx.now();
    const startAt = Math.floor(now / (SLOT_MINUTES * MINUTE)) * SLOT_MINUTES * MINUTE;
    const day = shanghaiDate(now);
    const night = nightOf(now);
    const chargers = state.layout.lanes
      .flatMap((l) => l.positions)
      .filter((p) => p.chargerKw !== null && !isClosedOn(p, day));
    const rows = await chargingRequestsOn(uow.trx, compoundId, night);
    const atPartner: string[] = [];
    const notHere: string[] = [];
    const here = rows.filter((r) => {
      const loc = state.vehicles.get(r.vehicle_id as VehicleId)?.location;
      if (loc?.kind === 'parked') return true;
      (loc?.kind === 'at-partner' ? atPartner : notHere).push(r.vehicle_id);
      return false;
    });
    const chargerIds = new Set<string>(chargers.map((c) => c.id));
    const slots = Math.max(
      1,
      Math.ceil(
        (Math.max(startAt + SLOT_MINUTES * MINUTE, ...here.map((r) => r.departure_at)) - startAt) /
          (SLOT_MINUTES * MINUTE),
      ),
    );
    const plan = planCharging({
      slotMinutes: SLOT_MINUTES,
      slots,
      chargers: chargers.map((c) => ({ id: c.id, kw: c.chargerKw! })),
      requests: here.map((r) => {
        const loc = state.vehicles.get(r.vehicle_id as VehicleId)!.location;
        const on = loc.kind === 'parked' && chargerIds.has(loc.positionId) ? loc.positionId : null;
        return {
          vehicleId: r.vehicle_id,
          needKwh: r.energy_kwh,
          departureSlot: Math.floor((r.departure_at - startAt) / (SLOT_MINUTES * MINUTE)),
          onCharger: on,
        };
      }),
    });
    // A car standing on a charger without a request is in the way of the plan: the planner sees it as the charger's holder.
    const swaps: ChargingSwapView[] = plan.swaps.map((s) => {
      const occupant = state.occupancy.get(s.chargerId as PositionId) ?? null;
      return {
        dueAt: startAt + s.slot * SLOT_MINUTES * MINUTE,
        chargerPositionId: s.chargerId,
        vehicleId: s.vehicleId,
        displaced: s.displaced ?? (occupant !== s.vehicleId ? occupant : null),
      };
    });
    const tasks: Task[] = [];
    if (apply) {
      const banned = new Set<string>();
      for (const t of await openTasks(uow)) {
        if (t.to !== null) banned.add(t.to);
        banned.add(t.vehicleId);
      }
      const soon = swaps.filter((s) => s.dueAt <= now + TASK_HORIZON_MINUTES * MINUTE);
      for (const s of soon) {
        if (banned.has(s.vehicleId) || banned.has(s.chargerPositionId)) continue;
        const v = state.vehicles.get(s.vehicleId as VehicleId);
        if (v?.location.kind !== 'parked') continue;
        const dueAt = Math.max(now, s.dueAt);
        const occupant = state.occupancy.get(s.chargerPositionId as PositionId);
        if (occupant !== undefined && occupant !== s.vehicleId) {
          if (banned.has(occupant)) continue;
          const spot = parkingSpot(state, day, banned);
          if (spot === null) continue;
          banned.add(spot);
          banned.add(occupant);
          tasks.push(
            await createTask(ctx, uow, principal.userId, {
              kind: 'move',
              vehicleId: occupant,
              from: s.chargerPositionId,
              to: spot,
              reason: 'charging',
              dueAt,
            }),
          );
        }
        banned.add(s.vehicleId);
        banned.add(s.chargerPositionId);
        tasks.push(
          await createTask(ctx, uow, principal.userId, {
            kind: 'move',
            vehicleId: s.vehicleId,
            from: v.location.positionId,
            to: s.chargerPositionId,
            reason: 'charging',
            dueAt,
          }),
        );
      }
      await record(ctx, uow, principal.userId, 'charging.planned', ctx.newId(), {
        night,
        status: plan.status,
        requests: here.length,
        swaps: plan.swaps.length,
        lowerBound: plan.lowerBound,
        tasks: tasks.length,
      });
    }
    return {
      night,
      status: plan.status,
      startAt,
      slotMinutes: SLOT_MINUTES,
      chargers: chargers.map((c) => c.id),
      outcomes: plan.outcomes,
      swaps,
      lowerBound: plan.lowerBound,
      atPartner,
      notHere,
      tasks,
    };
  });
}

/**
 * Energy each requesting EV has had tonight (kWh), from where the ledger shows it stood since its
 * request: the minutes on a charger position times that charger's power. A car's place before its
 * first event is where that event moved it from (or, with no event, where it stands now).
 */
async function deliveredTonight(
  uow: UnitOfWork,
  state: CompoundState,
  requests: readonly { vehicle_id: string; created_at: number }[],
  now: number,
): Promise<Map<string, number>> {
  const kw = new Map<string, number>();
  for (const lane of state.layout.lanes)
    for (const p of lane.positions) if (p.chargerKw !== null) kw.set(p.id, p.chargerKw);
  const since = Math.min(...requests.map((r) => r.created_at));
  const rows = await eventsOfTypesSince(
    uow.trx,
    uow.compoundId,
    ['car.parked', 'car.moved', 'car.departed', 'car.sent-to-partner'],
    since,
  );
  // Each event parsed once, filed under its car.
  const byCar = new Map<string, { at: number; type: string; payload: Record<string, string> }[]>();
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as Record<string, string>;
    const vehicleId = payload.vehicleId ?? '';
    let mine = byCar.get(vehicleId);
    if (mine === undefined) byCar.set(vehicleId, (mine = []));
    mine.push({ at: Number(row.at), type: row.type, payload });
  }
  const delivered = new Map<string, number>();
  for (const r of requests) {
    const mine = (byCar.get(r.vehicle_id) ?? []).filter((e) => e.at >= r.created_at);
    const loc = state.vehicles.get(r.vehicle_id as VehicleId)?.location;
    let at: string | null =
      mine[0]?.type === 'car.moved'
        ? (mine[0].payload.from ?? null)
        : mine.length === 0 && loc?.kind === 'parked'
          ? loc.positionId
          : null;
    let from = r.created_at;
    let kwh = 0;
    const stand = (until: number): void => {
      if (at !== null) kwh += ((kw.get(at) ?? 0) * (until - from)) / (60 * MINUTE);
    };
    for (const e of mine) {
      stand(e.at);
      at =
        e.type === 'car.parked'
          ? (e.payload.positionId ?? null)
          : e.type === 'car.moved'
            ? (e.payload.to ?? null)
            : null;
      from = e.at;
    }
    stand(now);
    delivered.set(r.vehicle_id, kwh);
  }
  return delivered;
}

/**
 * Tonight's charger rotation in the planning pass, decided by the compound planner as the
 * simulator's guards decide it (`idleChargers`, `chargerSwap`): an EV whose charging request is not
 * yet met goes onto an idle charger, the car there (wanting no charge) moved off first to where the
 * planner would relocate it. One swap at a time, in the guards' free time: none while any task is
 * open (the simulator's guards take a swap only when nothing else is queued). Only EVs that
 * can drive off are taken: a task moves one car, and an EV behind a car would need that car held
 * on the road while it drives out (`maxShifted` 0 here, as in the simulator's `planner` policy;
 * its `planner-plus` shifts such cars).
 */
export async function planChargerRound(ctx: AppContext, uow: UnitOfWork, actor: UserId | 'system'): Promise<Task[]> {
  const now = ctx.now();
  const requests = await chargingRequestsOn(uow.trx, uow.compoundId, nightOf(now));
  if (requests.length === 0) return [];
  // Charger swaps take the guards' free time only, as the simulator's guards rank them last.
  if ((await openTasks(uow)).length > 0) return [];
  const sp = await planningNow(ctx, uow);
  const delivered = await deliveredTonight(
    uow,
    sp.state,
    requests.map((r) => ({ vehicle_id: r.vehicle_id, created_at: Number(r.created_at) })),
    now,
  );
  const wanting = new Set(
    requests.filter((r) => (delivered.get(r.vehicle_id) ?? 0) < r.energy_kwh).map((r) => r.vehicle_id),
  );
  const planning: PlanningContext = {
    ...sp.planning,
    wantsCharge: (car) => {
      const id = sp.planning.cars[car]?.id;
      return id !== undefined && wanting.has(id);
    },
  };
  const { lot, cars } = planning;
  for (const charger of idleChargers(planning)) {
    const swap = chargerSwap(planning, charger, new Set(), 0);
    if (swap === null) continue;
    const occupant = swap.occupant === -1 ? null : (cars[swap.occupant] as PlannedCar);
    const tasks: Task[] = [];
    if (occupant !== null) {
      const from = lot.remove(swap.occupant);
      const evLane = lot.pos(lot.where(swap.ev)).lane;
      const to = place(planning, swap.occupant, new Set([lot.pos(charger).lane, evLane]), RELOCATION_WEIGHTS);
      lot.place(swap.occupant, from);
      if (to === null) continue;
      tasks.push(
        await createTask(ctx, uow, actor, {
          kind: 'move',
          vehicleId: occupant.id,
          from: lot.pos(charger).id,
          to: lot.pos(to.p).id,
          reason: 'charging',
          dueAt: now,
        }),
      );
    }
    tasks.push(
      await createTask(ctx, uow, actor, {
        kind: 'move',
        vehicleId: (cars[swap.ev] as PlannedCar).id,
        from: lot.pos(lot.where(swap.ev)).id,
        to: lot.pos(charger).id,
        reason: 'charging',
        dueAt: now,
        ...(tasks[0] === undefined ? {} : { guardId: tasks[0].guardId as UserId | null }),
      }),
    );
    return tasks;
  }
  return [];
}
