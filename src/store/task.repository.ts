/**
 * @module Guards' tasks in tables: the queue the task use cases read and write, and the reads and
 * writes other use cases make of it. Each function takes the database or the caller's transaction.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { TaskStatus } from '../core/statuses.js';
import type { Database, TasksTable } from './schema.js';

type Db = Kysely<Database>;

export type TaskRow = Selectable<TasksTable>;

/** A task is open while it is queued or started: a guard still has it to do. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['queued', 'started'];

export async function insertTask(db: Db, row: Insertable<TasksTable>): Promise<void> {
  await db.insertInto('tasks').values(row).execute();
}

export async function findTask(db: Db, compoundId: string, taskId: string): Promise<TaskRow | undefined> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', taskId)
    .executeTakeFirst();
}

export async function updateTask(
  db: Db,
  compoundId: string,
  taskId: string,
  changes: Updateable<TasksTable>,
): Promise<void> {
  await db.updateTable('tasks').set(changes).where('compound_id', '=', compoundId).where('id', '=', taskId).execute();
}

export async function taskStatusOf(db: Db, compoundId: string, taskId: string): Promise<TaskRow['status'] | undefined> {
  const row = await db
    .selectFrom('tasks')
    .select('status')
    .where('compound_id', '=', compoundId)
    .where('id', '=', taskId)
    .executeTakeFirst();
  return row?.status;
}

/** Cancels the task at `at` if no guard has started it yet. */
export async function cancelQueuedTask(db: Db, compoundId: string, taskId: string, at: number): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'cancelled', finished_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', taskId)
    .where('status', '=', 'queued')
    .execute();
}

/** Cancels at `at` the departure's tasks that no guard has started yet. */
export async function cancelQueuedTasksOfDeparture(
  db: Db,
  compoundId: string,
  departureId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'cancelled', finished_at: at })
    .where('compound_id', '=', compoundId)
    .where('departure_id', '=', departureId)
    .where('status', '=', 'queued')
    .execute();
}

/** Cancels at `at` the car's open tasks. */
export async function cancelOpenTasksOfVehicle(
  db: Db,
  compoundId: string,
  vehicleId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'cancelled', finished_at: at })
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .execute();
}

/** Gives the open tasks of the departures `fromIds` to the departure `toId`. */
export async function moveOpenTasksToDeparture(
  db: Db,
  compoundId: string,
  fromIds: readonly string[],
  toId: string,
): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ departure_id: toId })
    .where('compound_id', '=', compoundId)
    .where('departure_id', 'in', fromIds)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .execute();
}

/** The compound's open tasks, by due time, then by creation. */
export async function openTasksOf(db: Db, compoundId: string): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .orderBy('due_at')
    .orderBy('created_at')
    .execute();
}

/** The open tasks about the cars, by due time. */
export async function openTasksOfVehicles(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .orderBy('due_at')
    .execute();
}

/** Whether any task of the departure is still open. */
export async function hasOpenTaskOfDeparture(db: Db, compoundId: string, departureId: string): Promise<boolean> {
  const row = await db
    .selectFrom('tasks')
    .select('id')
    .where('compound_id', '=', compoundId)
    .where('departure_id', '=', departureId)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .executeTakeFirst();
  return row !== undefined;
}

/** How many tasks for `reason` were created from `since` on. */
export async function countTasksOfReasonSince(
  db: Db,
  compoundId: string,
  reason: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('compound_id', '=', compoundId)
    .where('reason', '=', reason)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The compound's tasks in `statuses` (of the guard `guardId` when given), by due time, then by
 * creation; at most `limit`.
 */
export async function tasksInStatuses(
  db: Db,
  compoundId: string,
  statuses: readonly TaskStatus[],
  limit: number,
  guardId?: string,
): Promise<TaskRow[]> {
  let query = db.selectFrom('tasks').selectAll().where('compound_id', '=', compoundId);
  if (guardId !== undefined) query = query.where('guard_id', '=', guardId);
  return query
    .where('status', 'in', [...statuses])
    .orderBy('due_at')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
