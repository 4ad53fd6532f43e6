/**
 * @module Queued tasks left with guards who went off duty go to the guards on duty. The app's
 * hand-over (`src/app/shifts.ts`) switches the guards but leaves their queued tasks assigned to the
 * outgoing ones, which nobody on duty may then start (TASK_OF_OTHER). Until the hand-over itself
 * passes them on, the driver does it right after each hand-over, one transaction with a
 * `task.assigned` record per task. Tasks of one departure stay together (they clear one lane front
 * to back, so one guard does them in order); otherwise the guard with the fewest open tasks.
 */
import type { UserId } from '../core/brand.js';
import type { AppContext } from '../app/context.js';
import { OPEN_STATUSES, record } from '../app/tasks.js';

/** Hands the queued tasks of off-duty guards to on-duty ones; returns how many moved. */
export async function reassignOrphanedTasks(ctx: AppContext, compoundId: string): Promise<number> {
  return ctx.store.transaction(compoundId, async (uow) => {
    const onDuty = [...(await uow.state()).onDuty].sort();
    if (onDuty.length === 0) return 0;
    const open = await uow.trx
      .selectFrom('tasks')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .where('status', 'in', [...OPEN_STATUSES])
      .orderBy('due_at')
      .orderBy('created_at')
      .execute();
    const load = new Map<string, number>(onDuty.map((g) => [g, 0]));
    for (const t of open)
      if (t.guard_id !== null && load.has(t.guard_id)) load.set(t.guard_id, (load.get(t.guard_id) ?? 0) + 1);
    const byDeparture = new Map<string, UserId>();
    let moved = 0;
    for (const t of open) {
      if (t.status !== 'queued' || t.guard_id === null || load.has(t.guard_id)) continue;
      const together = t.departure_id === null ? undefined : byDeparture.get(t.departure_id);
      const to =
        together ?? (onDuty.reduce((best, g) => ((load.get(g) ?? 0) < (load.get(best) ?? 0) ? g : best)) as UserId);
      if (t.departure_id !== null) byDeparture.set(t.departure_id, to);
      load.set(to, (load.get(to) ?? 0) + 1);
      await uow.trx
        .updateTable('tasks')
        .set({ guard_id: to })
        .where('compound_id', '=', compoundId)
        .where('id', '=', t.id)
        .execute();
      await record(ctx, uow, 'system', 'task.assigned', t.id, { from: t.guard_id, guardId: to }, t.vehicle_id);
      moved++;
    }
    return moved;
  });
}
