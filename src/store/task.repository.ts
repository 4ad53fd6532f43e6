/**
 * @module Guards' tasks in tables: the queue the task use cases read and write, and the reads and
 * writes other use cases make of it. Reads take the database or the caller's transaction; writes
 * take the unit of work, which keeps the open tasks in memory with the compound's state
 * (`openTasksTable`), so a mutation does not read the queue from the table each time.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { TaskStatus } from '../core/statuses.js';
import type { Database, TasksTable } from './schema.js';
import type { KeptTable } from './state-cache.js';
import type { UnitOfWork } from './store.js';

type Db = Kysely<Database>;

export type TaskRow = Selectable<TasksTable>;

/** A task is open while it is queued or started: a guard still has it to do. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['queued', 'started'];

const isOpen = (status: TaskStatus): boolean => OPEN_TASK_STATUSES.includes(status);

/** The compound's open tasks by id, kept with its state; a row is replaced, never changed. */
const openTasksTable: KeptTable<Map<string, TaskRow>> = {
  load: async (trx, compoundId) =>
    new Map(
      (
        await trx
          .selectFrom('tasks')
          .selectAll()
          .where('compound_id', '=', compoundId)
          .where('status', 'in', [...OPEN_TASK_STATUSES])
          .orderBy('due_at')
          .orderBy('created_at')
          .execute()
      ).map((row) => [row.id, row]),
    ),
  copy: (rows) => new Map(rows),
};

/**
 * Due time, then creation; ties (one clock reading) keep the order in which the table gave the rows
 * (sorted stably), then the order of their insertion.
 */
function byDue(a: TaskRow, b: TaskRow): number {
  return a.due_at - b.due_at || a.created_at - b.created_at;
}

export async function insertTask(uow: UnitOfWork, row: TaskRow): Promise<void> {
  await uow.trx.insertInto('tasks').values(row).execute();
  await uow.changed(openTasksTable, (open) => {
    if (isOpen(row.status)) open.set(row.id, row);
  });
}

/** The open task `taskId` of the transaction's compound, or undefined when it is not open. */
export async function findOpenTask(uow: UnitOfWork, taskId: string): Promise<TaskRow | undefined> {
  return (await uow.rows(openTasksTable)).get(taskId);
}

export async function findTask(db: Db, compoundId: string, taskId: string): Promise<TaskRow | undefined> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('id', '=', taskId)
    .executeTakeFirst();
}

export async function updateTask(uow: UnitOfWork, taskId: string, changes: Updateable<TasksTable>): Promise<void> {
  const { trx, compoundId } = uow;
  await trx.updateTable('tasks').set(changes).where('compound_id', '=', compoundId).where('id', '=', taskId).execute();
  // A task that was not open and opens again is read as the table now holds it.
  const reopened =
    changes.status !== undefined && isOpen(changes.status) && (await findOpenTask(uow, taskId)) === undefined
      ? await findTask(trx, compoundId, taskId)
      : undefined;
  await uow.changed(openTasksTable, (open) => {
    const before = open.get(taskId);
    const row = before === undefined ? reopened : { ...before, ...changes };
    if (row !== undefined && isOpen(row.status)) open.set(taskId, row);
    else open.delete(taskId);
  });
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
export async function cancelQueuedTask(uow: UnitOfWork, taskId: string, at: number): Promise<void> {
  await uow.trx
    .updateTable('tasks')
    .set({ status: 'cancelled', finished_at: at })
    .where('compound_id', '=', uow.compoundId)
    .where('id', '=', taskId)
    .where('status', '=', 'queued')
    .execute();
  await uow.changed(openTasksTable, (open) => {
    if (open.get(taskId)?.status === 'queued') open.delete(taskId);
  });
}

/** Cancels at `at` the departure's tasks that no guard has started yet. */
export async function cancelQueuedTasksOfDeparture(uow: UnitOfWork, departureId: string, at: number): Promise<void> {
  await uow.trx
    .updateTable('tasks')
    .set({ status: 'cancelled', finished_at: at })
    .where('compound_id', '=', uow.compoundId)
    .where('departure_id', '=', departureId)
    .where('status', '=', 'queued')
    .execute();
  await uow.changed(openTasksTable, (open) => {
    for (const [id, t] of open) if (t.departure_id === departureId && t.status === 'queued') open.delete(id);
  });
}

/** Cancels at `at` the car's open tasks. */
export async function cancelOpenTasksOfVehicle(uow: UnitOfWork, vehicleId: string, at: number): Promise<void> {
  await uow.trx
    .updateTable('tasks')
    .set({ status: 'cancelled', finished_at: at })
    .where('compound_id', '=', uow.compoundId)
    .where('vehicle_id', '=', vehicleId)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .execute();
  await uow.changed(openTasksTable, (open) => {
    for (const [id, t] of open) if (t.vehicle_id === vehicleId) open.delete(id);
  });
}

/** Gives the open tasks of the departures `fromIds` to the departure `toId`. */
export async function moveOpenTasksToDeparture(
  uow: UnitOfWork,
  fromIds: readonly string[],
  toId: string,
): Promise<void> {
  await uow.trx
    .updateTable('tasks')
    .set({ departure_id: toId })
    .where('compound_id', '=', uow.compoundId)
    .where('departure_id', 'in', fromIds)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .execute();
  await uow.changed(openTasksTable, (open) => {
    for (const [id, t] of open)
      if (t.departure_id !== null && fromIds.includes(t.departure_id)) open.set(id, { ...t, departure_id: toId });
  });
}

/** The transaction's compound's open tasks, by due time, then by creation. */
export async function openTasksOf(uow: UnitOfWork): Promise<TaskRow[]> {
  return [...(await uow.rows(openTasksTable)).values()].sort(byDue);
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
export async function hasOpenTaskOfDeparture(uow: UnitOfWork, departureId: string): Promise<boolean> {
  for (const t of (await uow.rows(openTasksTable)).values()) if (t.departure_id === departureId) return true;
  return false;
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
