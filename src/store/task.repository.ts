/**
 * @module The reads and writes of guards' tasks that use cases outside the task queue make. Each
 * function takes the database or the caller's transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, TasksTable } from './schema.js';

type Db = Kysely<Database>;

export async function taskStatusOf(
  db: Db,
  compoundId: string,
  taskId: string,
): Promise<Selectable<TasksTable>['status'] | undefined> {
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

/** The queued and started tasks about the cars, by due time. */
export async function openTasksOfVehicles(
  db: Db,
  compoundId: string,
  vehicleIds: readonly string[],
): Promise<Selectable<TasksTable>[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('vehicle_id', 'in', vehicleIds)
    .where('status', 'in', ['queued', 'started'])
    .orderBy('due_at')
    .execute();
}
