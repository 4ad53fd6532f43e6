/**
 * @module Day-to-day valet operations, one transaction each with its ledger events: the gate
 * check-in (with the planner's proposal and a park task), departures declared by residents (with
 * the relocations that free the car in time), the resident driving off, key checkout for a task
 * and return, and guards going on and off duty.
 */
import type { EpochMs, KeyTag, TaskId, UserId, VehicleId } from '../core/brand.js';
import { blockersOf } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import type { EventBody, LedgerEvent, NewEvent } from '../core/events.js';
import { normalizePlate, parsePlate } from '../core/plate.js';
import {
  NIGHT_END_MINUTE,
  NIGHT_LOOK_MINUTES,
  NIGHT_WORK_MINUTE,
  PRESTAGE_FIRST_LOOK,
} from '../planner/compound/index.js';
import type { PlacementResult } from '../planner/placement/index.js';
import {
  activeDepartureRows,
  findDeparture,
  insertDeparture,
  setDepartureStatus,
} from '../store/departure.repository.js';
import type { UnitOfWork } from '../store/store.js';
import {
  cancelOpenTasksOfVehicle,
  cancelQueuedTasksOfDeparture,
  moveOpenTasksToDeparture,
} from '../store/task.repository.js';
import { vehicleIdOfPlate } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import { planChargerRound } from './charging.js';
import { serverPlanning } from './compound-planner.js';
import type { AppContext } from './context.js';
import type { Departure, DepartureInput } from './departures.js';
import {
  activeDepartures,
  departureOf,
  fulfilledBy,
  nextOccurrence,
  replaces,
  validateDeparture,
} from './departures.js';
import type { Task } from './tasks.js';
import { plannedReadyAt } from './queries.js';
import { requireRostered } from './shifts.js';
import {
  createTask,
  openTasks,
  passOnTasks,
  planRelease,
  planResort,
  proposeParking,
  record,
  requireGuard,
} from './tasks.js';

/** Appends an event as the actor. A guard acts only while on duty, except to go on duty. */
async function appendAs(ctx: AppContext, uow: UnitOfWork, actor: Principal, body: EventBody): Promise<LedgerEvent> {
  if (actor.role === 'guard' && body.type !== 'guard.on-duty' && !(await uow.state()).onDuty.has(actor.userId)) {
    throw new DomainError('NOT_ON_DUTY', `you (${actor.userId}) are not on duty; go on duty first`, {
      field: 'guardId',
    });
  }
  return uow.append({ ...body, at: ctx.now() as EpochMs, actor: actor.userId } as NewEvent);
}

/** Runs one event as one transaction for the actor's compound. */
async function single(ctx: AppContext, actor: Principal, body: EventBody): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, (uow) => appendAs(ctx, uow, actor, body));
}

export async function vehicleIdByPlate(
  ctx: AppContext,
  compoundId: string,
  plateInput: string,
  field = 'body.plate',
): Promise<VehicleId> {
  const { plate } = parsePlate(plateInput, field);
  const vehicleId = await vehicleIdOfPlate(ctx.store.db, compoundId, normalizePlate(plate));
  if (vehicleId === undefined)
    throw new DomainError('NOT_FOUND', `${field}: no car with plate ${plate} is registered in this compound`, {
      field,
    });
  return vehicleId as VehicleId;
}

export interface CheckInResult {
  vehicleId: VehicleId;
  event: LedgerEvent;
  proposal: PlacementResult;
  /** The park task for the guard at the gate, or null when the planner found no position. */
  task: Task | null;
}

/** A car is handed over at the gate: the planner proposes a position and the guard gets the park task. */
export async function checkIn(ctx: AppContext, actor: Principal, plate: string): Promise<CheckInResult> {
  const vehicleId = await vehicleIdByPlate(ctx, actor.compoundId, plate);
  return ctx.store.transaction(actor.compoundId, (uow) => checkInWithin(ctx, uow, actor, vehicleId, actor.userId));
}

/**
 * The check-in inside the caller's transaction (the gate camera's read uses it). The park task goes
 * to `guardId`, or, when it is undefined, to the on-duty guard with the fewest open tasks.
 */
export async function checkInWithin(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  vehicleId: VehicleId,
  guardId: UserId | undefined,
): Promise<CheckInResult> {
  const event = await appendAs(ctx, uow, actor, { type: 'car.checked-in', payload: { vehicleId } });
  const proposal = await proposeParking(ctx, uow, vehicleId);
  const task =
    proposal.status === 'placed'
      ? await createTask(ctx, uow, actor.userId, {
          kind: 'park',
          vehicleId,
          from: null,
          to: proposal.positionId,
          reason: 'arrival',
          dueAt: ctx.now(),
          ...(guardId === undefined ? {} : { guardId }),
        })
      : null;
  return { vehicleId, event, proposal, task };
}

export interface DepartureResult {
  departure: Departure;
  /** When the car is expected to be free to drive off. */
  readyAt: number;
  blockedBy: string[];
  tasks: Task[];
}

/**
 * A resident (or staff for them) says when the car leaves. "now" gets the quickest plan: the
 * blocking cars are moved at once, one after another out of the car's lane; the ETA is
 * `plannedReadyAt`, the one the car's own view shows. A departure within the next two hours gets its relocations planned right away; later ones
 * are planned by the periodic `planAhead`.
 */
export async function declareDeparture(
  ctx: AppContext,
  actor: Principal,
  vehicleId: VehicleId,
  input: DepartureInput,
): Promise<DepartureResult> {
  const now = ctx.now();
  validateDeparture(input, now);
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const state = await uow.state();
    const v = state.vehicles.get(vehicleId);
    if (v === undefined)
      throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}"`, { field: 'vehicleId' });
    const row = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      vehicle_id: vehicleId,
      kind: input.kind,
      at: input.kind === 'once' ? input.at : input.kind === 'now' ? now : null,
      time_of_day: input.kind === 'standing' ? input.time : null,
      weekdays: input.kind === 'standing' ? [...new Set(input.weekdays)].sort().join(',') : null,
      exceptions: input.kind === 'standing' ? JSON.stringify(input.exceptions ?? []) : null,
      status: 'active' as const,
      created_by: actor.userId,
      created_at: now,
    };
    await insertDeparture(uow.trx, row);
    const departure = departureOf(row);
    const replaced = (await activeDepartures(uow.trx, uow.compoundId, vehicleId))
      .filter((d) => replaces(departure, d))
      .map((d) => d.id);
    if (replaced.length > 0) {
      await setDepartureStatus(uow.trx, uow.compoundId, replaced, 'cancelled');
      // The moves already planned still free the same car: they serve the new declaration.
      await moveOpenTasksToDeparture(uow.trx, uow.compoundId, replaced, row.id);
    }
    const at = nextOccurrence(departure, now) ?? now;
    await record(
      ctx,
      uow,
      actor.userId,
      'departure.declared',
      row.id,
      { kind: row.kind, at, ...(replaced.length > 0 ? { replaces: replaced.join(',') } : {}) },
      vehicleId,
    );
    const blockedBy = v.location.kind === 'parked' ? blockersOf(state, vehicleId) : [];
    let tasks: Task[] = [];
    if (v.location.kind === 'parked' && blockedBy.length > 0 && at - now <= 2 * 3600_000) {
      const dueAt = input.kind === 'now' ? now : Math.max(now, at - PRESTAGE_FIRST_LOOK * 60_000);
      tasks = await planRelease(
        ctx,
        uow,
        actor.userId,
        vehicleId,
        dueAt,
        input.kind === 'now' ? 'relocation' : 'pre-staging',
        row.id,
      );
    }
    // The same ETA the car's own view shows, from the relocations now open for its blockers.
    const readyAt = plannedReadyAt(await uow.state(), vehicleId, await openTasks(uow), now, at) ?? Math.max(now, at);
    return { departure, readyAt, blockedBy, tasks };
  });
}

export async function cancelDeparture(ctx: AppContext, actor: Principal, departureId: string): Promise<void> {
  await ctx.store.transaction(actor.compoundId, async (uow) => {
    const row = await findDeparture(uow.trx, uow.compoundId, departureId);
    if (row === undefined)
      throw new DomainError('NOT_FOUND', `departureId: no departure "${departureId}"`, { field: 'departureId' });
    await setDepartureStatus(uow.trx, uow.compoundId, [departureId], 'cancelled');
    await cancelQueuedTasksOfDeparture(uow.trx, uow.compoundId, departureId, ctx.now());
    await record(ctx, uow, actor.userId, 'departure.cancelled', departureId, {}, row.vehicle_id);
  });
}

/**
 * Plans ahead, the compound planner's pre-staging: every declared departure within
 * `horizonMinutes` (by default from the planner's first look, `PRESTAGE_FIRST_LOOK` minutes before
 * it), and every car that declared nothing but is more likely than not to leave by then by its
 * habit, is looked at; its blockers are moved when the planner judges it worth the moves
 * (`prestageWorth`), due at the first look. Run by the server every few minutes, so each departure
 * is looked at again as it nears (the planner's looks at 45, 20 and 10 minutes, and more). At
 * night, in the guards' free time, it adds the planner's next re-sort move (`planResort`).
 */
export async function planAhead(
  ctx: AppContext,
  compoundId: string,
  horizonMinutes = PRESTAGE_FIRST_LOOK,
): Promise<Task[]> {
  return ctx.store.transaction(compoundId, async (uow) => {
    const now = ctx.now();
    const rows = await activeDepartureRows(uow.trx, compoundId, { oldestFirst: false });
    const { planning, carOf, hasHabit } = await serverPlanning(ctx, uow);
    // At night, in the pass at the planner's `NIGHT_WORK_MINUTE`, the declared departures of the whole
    // morning are looked at once while the night shift has time (as the simulator's guards do), the
    // moves due now; later passes look at each as it nears.
    const night = planning.now >= NIGHT_WORK_MINUTE && planning.now < NIGHT_WORK_MINUTE + NIGHT_LOOK_MINUTES;
    const morningEnd = now + (NIGHT_END_MINUTE - planning.now) * 60_000;
    const due = rows
      .map(departureOf)
      .map((d) => ({ d, at: nextOccurrence(d, now) }))
      .filter(
        (x): x is { d: Departure; at: EpochMs } =>
          x.at !== null && (x.at - now <= horizonMinutes * 60_000 || (night && x.at < morningEnd)),
      )
      .sort((a, b) => a.at - b.at);
    // Habitual departures: cars that declared nothing, likely by the habit the ledger shows to leave
    // within the horizon (a car never seen leave has no habit to pre-stage on).
    const habitual: { vehicleId: VehicleId; at: number }[] = [];
    for (const [vehicleId, car] of carOf) {
      const k = planning.knowledge(car);
      const lead = k.estimate - planning.now;
      if (hasHabit(car) && k.declared === null && k.leaves >= 0.5 && lead >= 0 && lead <= horizonMinutes)
        habitual.push({ vehicleId, at: now + lead * 60_000 });
    }
    habitual.sort((a, b) => a.at - b.at);
    const looks = [
      ...due.map(({ d, at }) => ({ vehicleId: d.vehicleId as VehicleId, at, departureId: d.id as string | null })),
      ...habitual.map((h) => ({ ...h, departureId: null })),
    ];
    const created: Task[] = [];
    for (const { vehicleId, at, departureId } of looks) {
      const state = await uow.state();
      const v = state.vehicles.get(vehicleId);
      if (v?.location.kind !== 'parked' || blockersOf(state, v.id).length === 0) continue;
      try {
        created.push(
          ...(await planRelease(
            ctx,
            uow,
            'system',
            v.id,
            at - now > horizonMinutes * 60_000 ? now : Math.max(now, at - PRESTAGE_FIRST_LOOK * 60_000),
            'pre-staging',
            departureId,
          )),
        );
      } catch (error) {
        // One car that cannot be freed must not stop the plan for the others.
        if (!(error instanceof DomainError)) throw error;
      }
    }
    const resort = await planResort(ctx, uow, 'system');
    if (resort !== null) created.push(resort);
    created.push(...(await planChargerRound(ctx, uow, 'system')));
    return created;
  });
}

/** The resident (or a guard at the gate) drives the car out; it must not be blocked. */
export async function depart(ctx: AppContext, actor: Principal, vehicleId: VehicleId): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, (uow) => departWithin(ctx, uow, actor, vehicleId));
}

/** The departure inside the caller's transaction (the gate camera's exit read uses it). */
export async function departWithin(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  vehicleId: VehicleId,
): Promise<LedgerEvent> {
  const event = await appendAs(ctx, uow, actor, {
    type: 'car.departed',
    payload: { vehicleId, by: actor.role === 'guard' ? 'guard' : 'resident' },
  });
  // The declarations this leaving fulfils are done (not those for a later day); its open tasks are moot.
  const fulfilled = (await activeDepartures(uow.trx, uow.compoundId, vehicleId))
    .filter((d) => fulfilledBy(d, ctx.now()))
    .map((d) => d.id);
  if (fulfilled.length > 0) await setDepartureStatus(uow.trx, uow.compoundId, fulfilled, 'done');
  await cancelOpenTasksOfVehicle(uow.trx, uow.compoundId, vehicleId, ctx.now());
  return event;
}

/** A key leaves the cabinet only to an on-duty guard, for an open task of its car assigned to them. */
export async function checkoutKey(
  ctx: AppContext,
  actor: Principal,
  keyTag: KeyTag,
  taskId: string,
): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const state = await uow.state();
    const key = state.keys.get(keyTag);
    if (key === undefined) throw new DomainError('NOT_FOUND', `tag: no key "${keyTag}"`, { field: 'tag' });
    const task = (await openTasks(uow)).find((t) => t.id === taskId);
    if (
      task === undefined ||
      task.vehicleId !== key.vehicleId ||
      (task.guardId !== null && task.guardId !== actor.userId)
    ) {
      throw new DomainError(
        'KEY_NEEDS_TASK',
        `body.taskId: "${taskId}" is not an open task of this key's car assigned to you`,
        { field: 'body.taskId' },
      );
    }
    return appendAs(ctx, uow, actor, {
      type: 'key.checked-out',
      payload: { keyTag, guardId: actor.userId, taskId: task.id as TaskId },
    });
  });
}

export function returnKey(ctx: AppContext, actor: Principal, keyTag: KeyTag): Promise<LedgerEvent> {
  return single(ctx, actor, { type: 'key.returned', payload: { keyTag, guardId: actor.userId } });
}

/**
 * A guard goes on or off duty. A guard puts himself on duty only in a shift of the roster he is
 * on (`requireRostered`); a manager may put any guard on duty, which is the manager's approval.
 * Open tasks left with guards who are not on duty pass to the guards on duty (`passOnTasks`).
 */
export async function setDuty(
  ctx: AppContext,
  actor: Principal,
  guardId: UserId,
  onDuty: boolean,
): Promise<{ event: LedgerEvent; passed: Task[] }> {
  const done = await ctx.store.transaction(actor.compoundId, async (uow) => {
    await requireGuard(uow, guardId);
    if (onDuty && actor.role === 'guard') await requireRostered(uow, guardId, ctx.now());
    const event = await appendAs(
      ctx,
      uow,
      actor,
      onDuty ? { type: 'guard.on-duty', payload: { guardId } } : { type: 'guard.off-duty', payload: { guardId } },
    );
    return { event, passed: await passOnTasks(ctx, uow, actor.userId) };
  });
  return done;
}
