/**
 * @module Guard tasks: **park** (from the gate to a position), **move** (a relocation, a
 * pre-staging before a declared departure, a night re-sort or a charger swap) and **deliver** (to
 * the gate, for a resident who is waiting). Each has from/to, a reason and a due time, and is
 * queued for an on-duty guard. Completing a task changes the lot and the ledger in one
 * transaction; a failed task is planned again.
 */
import type { TaskKind, TaskStatus } from '../core/statuses.js';
import { refusal } from '../core/refusal-names.js';
import { namedRefusal } from '../store/refusal-names.js';
import type { EpochMs, PartnerLotId, PositionId, TaskId, UserId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { blockersOf } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent, MoveReason, RecordDetail, RecordKind } from '../core/events.js';
import { indexPositions } from '../core/layout.js';
import { shanghaiHhmm } from '../core/time.js';
import {
  DECLARED_GRACE,
  NIGHT_END_MINUTE,
  NIGHT_RESORT_BUDGET,
  NIGHT_WORK_MINUTE,
  RELOCATION_WEIGHTS,
  keepsPlace,
  place,
  prestageWorth,
  proposePlacement,
  resortMove,
} from '../planner/compound/index.js';
import type { PlannedCar } from '../planner/compound/index.js';
import type { PlacementResult } from '../planner/placement/index.js';
import { residentIdsOf, roleOf } from '../store/account.repository.js';
import { findDeparture } from '../store/departure.repository.js';
import type { TaskRow } from '../store/task.repository.js';
import {
  OPEN_TASK_STATUSES,
  countTasksOfReasonSince,
  findTask,
  hasOpenTaskOfDeparture,
  insertTask,
  openTasksOf,
  tasksInStatuses,
  updateTask,
} from '../store/task.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { ServerPlanning } from './compound-planner.js';
import { serverPlanning } from './compound-planner.js';
import type { AppContext } from './context.js';
import { departureOf, nextDepartures, nextOccurrence } from './departures.js';
import { valetArrived } from './partner-valet.js';
import { notify } from './notifications.js';
import { plateOf } from './incidents.js';
import { message } from './message-templates.js';

/** Minutes a guard needs for one move (walk to the cabinet and the car, drive, park); the ETA unit. */
export const MINUTES_PER_MOVE = 5;
/** A car leaving within this many minutes gets no new car in front of it. */
export const LEAVING_SOON_MINUTES = 180;

export interface Task {
  id: string;
  kind: TaskKind;
  vehicleId: string;
  from: string | null;
  to: string | null;
  reason: string;
  status: TaskStatus;
  guardId: string | null;
  dueAt: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  note: string | null;
  departureId: string | null;
}

export function taskOf(row: TaskRow): Task {
  return {
    id: row.id,
    kind: row.kind,
    vehicleId: row.vehicle_id,
    from: row.from_position,
    to: row.to_position,
    reason: row.reason,
    status: row.status,
    guardId: row.guard_id,
    dueAt: row.due_at,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    note: row.note,
    departureId: row.departure_id,
  };
}

export async function record(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: UserId | 'system',
  kind: RecordKind,
  refId: string,
  detail: RecordDetail,
  vehicleId?: string,
): Promise<LedgerEvent> {
  return uow.append({
    type: 'record',
    payload: { kind, refId, detail, ...(vehicleId === undefined ? {} : { vehicleId: vehicleId as VehicleId }) },
    at: ctx.now(),
    actor,
  });
}

export async function openTasks(uow: UnitOfWork): Promise<Task[]> {
  return (await openTasksOf(uow.trx, uow.compoundId)).map(taskOf);
}

/** Open tasks per on-duty guard (every on-duty guard listed, ties broken by id downstream). */
async function guardLoads(uow: UnitOfWork): Promise<Map<UserId, number>> {
  const state = await uow.state();
  const load = new Map<UserId, number>([...state.onDuty].sort().map((g) => [g, 0]));
  for (const t of await openTasks(uow))
    if (t.guardId !== null && load.has(t.guardId as UserId))
      load.set(t.guardId as UserId, (load.get(t.guardId as UserId) ?? 0) + 1);
  return load;
}

/** The guard with the smallest load (ties by id), or null when there is none. */
function leastLoaded(load: Map<UserId, number>): UserId | null {
  let best: UserId | null = null;
  for (const [g, n] of load)
    if (best === null || n < (load.get(best) ?? 0) || (n === load.get(best) && g < best)) best = g;
  return best;
}

/** The on-duty guard with the fewest open tasks (ties by id), or null when no guard is on duty. */
async function leastBusyGuard(uow: UnitOfWork): Promise<UserId | null> {
  return leastLoaded(await guardLoads(uow));
}

export interface NewTask {
  kind: TaskKind;
  vehicleId: string;
  from: string | null;
  to: string | null;
  /** `partner`: a `deliver` task that drives the car to the partner lot named in `to` (valet to the partner). */
  reason: MoveReason | 'arrival' | 'delivery' | 'partner';
  dueAt: number;
  /** A guard to give it to; by default the on-duty guard with the fewest open tasks. */
  guardId?: UserId | null;
  departureId?: string | null;
}

export async function createTask(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: UserId | 'system',
  input: NewTask,
): Promise<Task> {
  const guardId = input.guardId === undefined ? await leastBusyGuard(uow) : input.guardId;
  const row: TaskRow = {
    compound_id: uow.compoundId,
    id: ctx.newId(),
    kind: input.kind,
    vehicle_id: input.vehicleId,
    from_position: input.from,
    to_position: input.to,
    reason: input.reason,
    status: 'queued',
    guard_id: guardId,
    due_at: input.dueAt,
    created_at: ctx.now(),
    started_at: null,
    finished_at: null,
    note: null,
    departure_id: input.departureId ?? null,
  };
  await insertTask(uow.trx, row);
  await record(
    ctx,
    uow,
    actor,
    'task.created',
    row.id,
    { kind: row.kind, from: row.from_position, to: row.to_position, reason: row.reason, guardId, dueAt: row.due_at },
    row.vehicle_id,
  );
  return taskOf(row);
}

/**
 * The planner's context now with the reserved positions closed (`reservedPositions`); the
 * declared departures read once for both.
 */
export async function planningNow(ctx: AppContext, uow: UnitOfWork): Promise<ServerPlanning> {
  const declared = await nextDepartures(uow.trx, uow.compoundId, ctx.now() - DECLARED_GRACE * 60_000);
  return serverPlanning(ctx, uow, await reservedPositions(ctx, uow, declared), declared);
}

/**
 * Positions no new plan may use: those promised to open tasks (two plans never send two cars to
 * one place), those on the way to them or shut off behind them, and those on the way out of every
 * car that an open task will move (a car parked there later would block the planned move).
 */
async function reservedPositions(
  ctx: AppContext,
  uow: UnitOfWork,
  declared: ReadonlyMap<VehicleId, { at: EpochMs }>,
): Promise<Set<string>> {
  const state = await uow.state();
  const where = indexPositions(state.layout);
  const reserved = new Set<string>();
  const reserveWayTo = (positionId: string): void => {
    const at = where.get(positionId as PositionId);
    if (at === undefined) return;
    for (const p of at.lane.positions) {
      const onTheWay = p.index < at.position.index || (at.lane.access === 'through' && p.index > at.position.index);
      if (onTheWay) reserved.add(p.id);
    }
  };
  /** Positions a car at `positionId` will shut off (deeper in a one-end lane). */
  const reserveBehind = (positionId: string): void => {
    const at = where.get(positionId as PositionId);
    if (at === undefined || at.lane.access === 'through') return;
    for (const p of at.lane.positions) if (p.index > at.position.index) reserved.add(p.id);
  };
  for (const t of await openTasks(uow)) {
    if (t.to !== null) {
      reserved.add(t.to);
      reserveWayTo(t.to);
      reserveBehind(t.to);
    }
    const v = state.vehicles.get(t.vehicleId as VehicleId);
    if (t.kind !== 'park' && v?.location.kind === 'parked') reserveWayTo(v.location.positionId);
  }
  // Nothing new goes in front of a car that leaves within the next hours: it would need one more move
  // (nor in front of one whose declared time has just passed: its resident may be on the way).
  const now = ctx.now();
  for (const [vehicleId, d] of declared) {
    const v = state.vehicles.get(vehicleId);
    if (d.at - now <= LEAVING_SOON_MINUTES * 60_000 && v?.location.kind === 'parked')
      reserveWayTo(v.location.positionId);
  }
  return reserved;
}

/** Where the planner would put a car that stands at the gate now (the compound planner's proposal). */
export async function proposeParking(ctx: AppContext, uow: UnitOfWork, vehicleId: VehicleId): Promise<PlacementResult> {
  const { planning, carOf } = await planningNow(ctx, uow);
  const car = carOf.get(vehicleId);
  if (car === undefined)
    throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}"`, { field: 'vehicleId' });
  if (planning.lot.where(car) !== -1) planning.lot.remove(car);
  return proposePlacement(planning, car, new Set());
}

/**
 * Plans the relocations that free `vehicleId`: each car between it and the open end goes, nearest
 * first, to where the compound planner puts a blocker that makes way, the departing car's lane out
 * of bounds. Pre-staging happens only when the planner judges it worth the moves
 * (`prestageWorth`); a pre-staging blocker stays, to be looked at again by the next pass, when it
 * has nowhere to go or the planner would rather keep it where it stands for now (`keepsPlace`, the
 * rule the simulator's guards follow: a move into another leaver's way waits for a later look).
 * Skips blockers that already have an open move. Returns the tasks created.
 */
export async function planRelease(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: UserId | 'system',
  vehicleId: VehicleId,
  dueAt: number,
  reason: MoveReason,
  departureId: string | null,
): Promise<Task[]> {
  const { planning, state, carOf } = await planningNow(ctx, uow);
  // `blockersOf` lists them nearest the open end first: the order in which they can be driven out.
  const blockers = blockersOf(state, vehicleId);
  const car = carOf.get(vehicleId);
  const { lot } = planning;
  if (blockers.length === 0 || car === undefined || lot.where(car) === -1) return [];
  const blockerCars = blockers.map((b) => carOf.get(b) as number);
  if (reason === 'pre-staging' && !prestageWorth(planning, car, blockerCars)) return [];
  const source = new Set([lot.pos(lot.where(car)).lane]);
  const open = await openTasks(uow);
  const created: Task[] = [];
  let due = dueAt;
  // Moves out of one lane depend on each other: they go to the guard who already has the earlier
  // one, after it, so one guard clears the lane front to back.
  let guardId: UserId | null | undefined;
  for (const [i, blockerId] of blockers.entries()) {
    const existing = open.find((t) => t.vehicleId === blockerId && t.kind === 'move');
    if (existing !== undefined) {
      guardId = existing.guardId as UserId | null;
      due = Math.max(due, existing.dueAt + MINUTES_PER_MOVE * 60_000);
      continue;
    }
    const b = blockerCars[i] as number;
    if (lot.where(b) === -1) continue;
    const from = lot.remove(b);
    const to = place(planning, b, source, RELOCATION_WEIGHTS);
    if (to === null || (reason === 'pre-staging' && keepsPlace(planning, b, car, from, to.p, false))) {
      lot.place(b, from);
      if (reason === 'pre-staging') break;
      const stuck = refusal('LANE_BLOCKED', 'vehicleId', {
        vehicleId,
        blockerIds: [blockerId],
        template: 'no free position to move {blockers} out of the way of {car}; the car cannot be freed now',
      });
      throw await namedRefusal(uow.trx, uow.compoundId, await uow.state(), stuck);
    }
    lot.place(b, to.p);
    const task = await createTask(ctx, uow, actor, {
      kind: 'move',
      vehicleId: blockerId,
      from: lot.pos(from).id,
      to: lot.pos(to.p).id,
      reason,
      dueAt: due,
      departureId,
      ...(guardId === undefined ? {} : { guardId }),
    });
    guardId = task.guardId as UserId | null;
    created.push(task);
    due += MINUTES_PER_MOVE * 60_000;
  }
  return created;
}

/**
 * The night re-sort, one move at a time in the guards' free time: from the compound planner's
 * `NIGHT_WORK_MINUTE` (01:00) on, when no task is open, the planner's next re-sort move becomes a
 * `move` task (reason `night-resort`), up to `NIGHT_RESORT_BUDGET` moves a night. Returns the task,
 * or null when it is not the night's free time or no move saves enough.
 */
export async function planResort(ctx: AppContext, uow: UnitOfWork, actor: UserId | 'system'): Promise<Task | null> {
  const now = ctx.now();
  if ((await openTasks(uow)).length > 0) return null;
  const { planning } = await planningNow(ctx, uow);
  if (planning.now < NIGHT_WORK_MINUTE || planning.now >= NIGHT_END_MINUTE) return null;
  const since = now - (planning.now - NIGHT_WORK_MINUTE) * 60_000;
  if ((await countTasksOfReasonSince(uow.trx, uow.compoundId, 'night-resort', since)) >= NIGHT_RESORT_BUDGET)
    return null;
  const move = resortMove(planning, new Set());
  if (move === null) return null;
  const { lot, cars } = planning;
  return createTask(ctx, uow, actor, {
    kind: 'move',
    vehicleId: (cars[move.car] as PlannedCar).id,
    from: lot.pos(lot.where(move.car)).id,
    to: lot.pos(move.to).id,
    reason: 'night-resort',
    dueAt: now,
  });
}

async function taskForUpdate(uow: UnitOfWork, taskId: string): Promise<Task> {
  const row = await findTask(uow.trx, uow.compoundId, taskId);
  if (row === undefined) throw new DomainError('NOT_FOUND', `taskId: no task "${taskId}"`, { field: 'taskId' });
  return taskOf(row);
}

function requireOpen(task: Task): Task {
  if (!OPEN_TASK_STATUSES.includes(task.status))
    throw new DomainError('TASK_NOT_OPEN', `taskId: task "${task.id}" is ${task.status}`, { field: 'taskId' });
  return task;
}

/**
 * A task is mid-move while its car's key is out with its guard: only he can finish it. Any other
 * open task — queued, or started with the key still in the cabinet — can pass to another guard,
 * for the car has not moved (a move is recorded only when the task is completed).
 */
function midMove(state: CompoundState, task: Task): boolean {
  return [...state.keys.values()].some(
    (k) => k.vehicleId === task.vehicleId && k.custody.kind === 'with-guard' && k.custody.guardId === task.guardId,
  );
}

/** Gives an open task to `guardId`, back in the queue, with its ledger record. */
async function assignTask(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: UserId | 'system',
  task: Task,
  guardId: UserId,
  why: 'off-duty' | 'manager' | 'taken-over',
): Promise<Task> {
  await updateTask(uow.trx, uow.compoundId, task.id, { guard_id: guardId, status: 'queued', started_at: null });
  await record(ctx, uow, actor, 'task.assigned', task.id, { from: task.guardId, guardId, why }, task.vehicleId);
  return { ...task, guardId, status: 'queued', startedAt: null };
}

/** Tells a guard that tasks were given to them. */
async function tellAssigned(ctx: AppContext, uow: UnitOfWork, guardId: UserId, tasks: readonly Task[]): Promise<void> {
  if (tasks.length === 0) return;
  await notify(
    uow,
    {
      userIds: [guardId],
      kind: 'task.assigned',
      title: '有任务转给您',
      body: `${tasks.length} 项任务已转到您的队列。`,
      ref: tasks[0]?.id ?? null,
    },
    ctx,
  );
}

/**
 * Passes the open tasks of guards who are not on duty (and tasks of no guard) to the guards on
 * duty, least busy first; the tasks of one departure go together to one guard, who empties the
 * lane front to back. Tasks mid-move stay. Run after every change of who is on duty (going off,
 * the hand-over, going on). Returns the tasks passed on.
 */
export async function passOnTasks(ctx: AppContext, uow: UnitOfWork, actor: UserId | 'system'): Promise<Task[]> {
  const state = await uow.state();
  const load = await guardLoads(uow);
  if (load.size === 0) return [];
  const left = (await openTasks(uow)).filter(
    (t) => (t.guardId === null || !state.onDuty.has(t.guardId as UserId)) && !midMove(state, t),
  );
  const groups = new Map<string, Task[]>();
  for (const t of left) groups.set(t.departureId ?? t.id, [...(groups.get(t.departureId ?? t.id) ?? []), t]);
  const passed: Task[] = [];
  const received = new Map<UserId, Task[]>();
  for (const group of groups.values()) {
    const guardId = leastLoaded(load) as UserId;
    load.set(guardId, (load.get(guardId) ?? 0) + group.length);
    for (const t of group) {
      const task = await assignTask(ctx, uow, actor, t, guardId, 'off-duty');
      passed.push(task);
      received.set(guardId, [...(received.get(guardId) ?? []), task]);
    }
  }
  for (const [guardId, tasks] of received) await tellAssigned(ctx, uow, guardId, tasks);
  return passed;
}

/** `guardId` is a guard of the compound (named by `body.guardId`). */
export async function requireGuard(uow: UnitOfWork, guardId: string): Promise<void> {
  if ((await roleOf(uow.trx, uow.compoundId, guardId)) !== 'guard')
    throw new DomainError('NOT_FOUND', `body.guardId: no guard "${guardId}"`, { field: 'body.guardId' });
}

/** A manager gives an open task to an on-duty guard (a task mid-move stays with its guard). */
export async function reassignTask(ctx: AppContext, actor: Principal, taskId: TaskId, guardId: UserId): Promise<Task> {
  const task = await ctx.store.transaction(actor.compoundId, async (uow) => {
    const task = requireOpen(await taskForUpdate(uow, taskId));
    await requireGuard(uow, guardId);
    const state = await uow.state();
    if (!state.onDuty.has(guardId))
      throw new DomainError('NOT_ON_DUTY', `body.guardId: guard "${guardId}" is not on duty`, {
        field: 'body.guardId',
      });
    if (task.guardId === guardId) return task;
    if (midMove(state, task))
      throw new DomainError(
        'KEY_HELD_BY_OTHER',
        `taskId: guard "${task.guardId}" holds the car's key for this task; it stays with them until the key is back`,
        { field: 'taskId' },
      );
    const assigned = await assignTask(ctx, uow, actor.userId, task, guardId, 'manager');
    await tellAssigned(ctx, uow, guardId, [assigned]);
    return assigned;
  });
  return task;
}

/**
 * The task is open and the actor's: assigned to them, to no one, or left queued by a guard who is
 * no longer on duty (then it becomes theirs). Returns the task as the actor now holds it.
 */
async function requireOpenTaskOf(ctx: AppContext, uow: UnitOfWork, task: Task, actor: Principal): Promise<Task> {
  requireOpen(task);
  if (task.guardId === null || task.guardId === actor.userId) return task;
  const state = await uow.state();
  if (!state.onDuty.has(task.guardId as UserId) && !midMove(state, task))
    return assignTask(ctx, uow, actor.userId, task, actor.userId, 'taken-over');
  throw new DomainError('TASK_OF_OTHER', `taskId: task "${task.id}" is assigned to guard "${task.guardId}"`, {
    field: 'taskId',
  });
}

async function requireOnDuty(uow: UnitOfWork, actor: Principal): Promise<void> {
  if (!(await uow.state()).onDuty.has(actor.userId)) {
    throw new DomainError('NOT_ON_DUTY', `you (${actor.userId}) are not on duty; go on duty first`, {
      field: 'guardId',
    });
  }
}

export async function startTask(ctx: AppContext, actor: Principal, taskId: TaskId): Promise<Task> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    await requireOnDuty(uow, actor);
    const task = await requireOpenTaskOf(ctx, uow, await taskForUpdate(uow, taskId), actor);
    if (task.status === 'started') return task;
    const now = ctx.now();
    await updateTask(uow.trx, uow.compoundId, taskId, { status: 'started', started_at: now, guard_id: actor.userId });
    await record(ctx, uow, actor.userId, 'task.started', taskId, { guardId: actor.userId }, task.vehicleId);
    return { ...task, status: 'started', startedAt: now, guardId: actor.userId };
  });
}

export interface CompleteInput {
  /** Where the car actually stands now; defaults to the task's `to`. */
  positionId?: string;
  /** Why the guard parked elsewhere than planned (required then). */
  overrideReason?: string;
}

export async function completeTask(
  ctx: AppContext,
  actor: Principal,
  taskId: TaskId,
  input: CompleteInput,
): Promise<{ task: Task; event: LedgerEvent }> {
  const done = await completeInTransaction(ctx, actor, taskId, input);
  return done;
}

async function completeInTransaction(
  ctx: AppContext,
  actor: Principal,
  taskId: TaskId,
  input: CompleteInput,
): Promise<{ task: Task; event: LedgerEvent }> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    await requireOnDuty(uow, actor);
    const task = await requireOpenTaskOf(ctx, uow, await taskForUpdate(uow, taskId), actor);
    const target = input.positionId ?? task.to;
    const overridden = task.kind !== 'deliver' && target !== task.to;
    if (overridden && (input.overrideReason === undefined || input.overrideReason.trim() === '')) {
      throw new DomainError(
        'OVERRIDE_REASON_REQUIRED',
        `body.overrideReason: the car was planned for "${task.to}"; say why it stands at "${target}"`,
        {
          field: 'body.overrideReason',
        },
      );
    }
    const vehicleId = task.vehicleId as VehicleId;
    let event: LedgerEvent;
    switch (task.kind) {
      case 'park':
        event = await uow.append({
          type: 'car.parked',
          payload: { vehicleId, positionId: target as PositionId, taskId },
          at: ctx.now(),
          actor: actor.userId,
        });
        break;
      case 'move': {
        const v = (await uow.state()).vehicles.get(vehicleId);
        if (v?.location.kind !== 'parked')
          throw new DomainError('STALE_STATE', `taskId: car "${vehicleId}" is no longer parked`, { field: 'taskId' });
        event = await uow.append({
          type: 'car.moved',
          payload: {
            vehicleId,
            from: v.location.positionId,
            to: target as PositionId,
            reason: overridden ? 'override' : (task.reason as MoveReason),
            taskId,
          },
          at: ctx.now(),
          actor: actor.userId,
        });
        break;
      }
      case 'deliver':
        if (task.reason === 'partner' && task.to !== null) {
          event = await uow.append({
            type: 'car.sent-to-partner',
            payload: { vehicleId, partnerLotId: task.to as PartnerLotId },
            at: ctx.now(),
            actor: actor.userId,
          });
          await valetArrived(uow, taskId, ctx.now());
        } else {
          event = await uow.append({
            type: 'car.departed',
            payload: { vehicleId, by: 'guard' },
            at: ctx.now(),
            actor: actor.userId,
          });
        }
        break;
    }
    const now = ctx.now();
    await updateTask(uow.trx, uow.compoundId, taskId, {
      status: 'done',
      finished_at: now,
      guard_id: actor.userId,
      to_position: task.kind === 'deliver' ? null : (target ?? null),
      note: input.overrideReason ?? null,
    });
    await record(
      ctx,
      uow,
      actor.userId,
      'task.completed',
      taskId,
      { to: target ?? null, overridden, overrideReason: input.overrideReason ?? null },
      task.vehicleId,
    );
    if (task.kind !== 'deliver' && target !== null) await tellOwners(ctx, uow, vehicleId, target, task.kind === 'park');
    if (task.kind === 'deliver' && task.reason !== 'partner') await tellCarReady(ctx, uow, vehicleId, null);
    if (task.kind === 'move' && task.departureId !== null) await tellWhenCleared(ctx, uow, task.departureId);
    return { task: { ...task, status: 'done' as const, finishedAt: now, to: target ?? null }, event };
  });
}

/** The resident users of the household that owns `vehicleId` (none for a visitor's car). */
async function ownersOf(uow: UnitOfWork, vehicleId: VehicleId): Promise<string[]> {
  const v = (await uow.state()).vehicles.get(vehicleId);
  if (v === undefined || v.householdId === null) return [];
  return residentIdsOf(uow.trx, uow.compoundId, v.householdId);
}

/** A position as residents name it: lane (area), place counted from the open end. */
async function placeName(uow: UnitOfWork, positionId: string): Promise<string> {
  const where = indexPositions((await uow.state()).layout).get(positionId as PositionId);
  return where === undefined ? positionId : `${where.lane.name}（${where.lane.area}）第 ${where.position.index + 1} 位`;
}

/** Tells the car's household where the car now stands (the morning question "where is my car?"). */
async function tellOwners(
  ctx: AppContext,
  uow: UnitOfWork,
  vehicleId: VehicleId,
  positionId: string,
  parked: boolean,
): Promise<void> {
  const userIds = await ownersOf(uow, vehicleId);
  if (userIds.length === 0) return;
  await notify(
    uow,
    {
      userIds,
      kind: parked ? 'car.parked' : 'car.moved',
      title: parked ? '您的车已停好' : '您的车已挪位',
      body: `车辆现停在 ${await placeName(uow, positionId)}。`,
      ref: vehicleId,
    },
    ctx,
  );
}

/**
 * Tells the household its car can be driven off, by the car-ready template (so it goes out on the
 * residents' WeChat/SMS channels too): at the gate after a delivery (`positionId` null), or where it
 * stands once its last blocker is moved.
 */
async function tellCarReady(
  ctx: AppContext,
  uow: UnitOfWork,
  vehicleId: VehicleId,
  positionId: string | null,
): Promise<void> {
  const userIds = await ownersOf(uow, vehicleId);
  if (userIds.length === 0) return;
  const plate = (await plateOf(uow, vehicleId)) ?? vehicleId;
  const place = positionId === null ? '大门' : await placeName(uow, positionId);
  await notify(uow, { userIds, kind: 'car.ready', ref: vehicleId, ...message('car.ready', { plate, place }) }, ctx);
}

/**
 * After a move for a declared departure: when no task of that departure is left open and the car
 * still stands in its place, its household hears it is free: "ready" for a departure due now, or
 * "moved for your departure at HH:MM" for one declared ahead (pre-staging).
 */
async function tellWhenCleared(ctx: AppContext, uow: UnitOfWork, departureId: string): Promise<void> {
  if (await hasOpenTaskOfDeparture(uow.trx, uow.compoundId, departureId)) return;
  const row = await findDeparture(uow.trx, uow.compoundId, departureId);
  if (row === undefined || row.status !== 'active') return;
  const vehicleId = row.vehicle_id as VehicleId;
  const location = (await uow.state()).vehicles.get(vehicleId)?.location;
  if (location?.kind !== 'parked') return;
  const due = nextOccurrence(departureOf(row), ctx.now());
  if (due === null || due <= ctx.now()) {
    await tellCarReady(ctx, uow, vehicleId, location.positionId);
    return;
  }
  const userIds = await ownersOf(uow, vehicleId);
  if (userIds.length === 0) return;
  const plate = (await plateOf(uow, vehicleId)) ?? vehicleId;
  const place = await placeName(uow, location.positionId);
  const time = shanghaiHhmm(due);
  await notify(
    uow,
    { userIds, kind: 'departure.staged', ref: vehicleId, ...message('departure.staged', { plate, place, time }) },
    ctx,
  );
}

/** A guard cannot do a task (position taken, car will not start…): it fails, and the plan is made again. */
export async function failTask(
  ctx: AppContext,
  actor: Principal,
  taskId: TaskId,
  reason: string,
): Promise<{ task: Task; replanned: Task[] }> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    await requireOnDuty(uow, actor);
    const task = await requireOpenTaskOf(ctx, uow, await taskForUpdate(uow, taskId), actor);
    await updateTask(uow.trx, uow.compoundId, taskId, { status: 'failed', finished_at: ctx.now(), note: reason });
    await record(ctx, uow, actor.userId, 'task.failed', taskId, { reason }, task.vehicleId);
    const replanned: Task[] = [];
    const banned = task.to;
    if (task.kind === 'park') {
      const proposal = await proposeParking(ctx, uow, task.vehicleId as VehicleId);
      const next =
        proposal.status === 'placed' && proposal.positionId !== banned
          ? proposal.positionId
          : (proposal.alternatives.find((a) => a.positionId !== banned)?.positionId ?? null);
      if (next !== null)
        replanned.push(
          await createTask(ctx, uow, actor.userId, {
            kind: 'park',
            vehicleId: task.vehicleId,
            from: null,
            to: next,
            reason: 'arrival',
            dueAt: ctx.now(),
            guardId: actor.userId,
          }),
        );
    }
    return { task: { ...task, status: 'failed' as const }, replanned };
  });
}

export async function listTasks(
  ctx: AppContext,
  actor: Principal,
  filter: { mine?: boolean; status?: TaskStatus[] },
): Promise<Task[]> {
  const statuses = filter.status ?? OPEN_TASK_STATUSES;
  const guardId = filter.mine === true ? actor.userId : undefined;
  return (await tasksInStatuses(ctx.store.db, actor.compoundId, statuses, 500, guardId)).map(taskOf);
}
