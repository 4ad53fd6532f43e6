/** @module Guard tasks (queue, start, complete, fail) and declared departures (one-off, standing, now). */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { activeDepartures } from '../app/departures.js';
import { cancelDeparture, declareDeparture, planAhead } from '../app/operations.js';
import { requireCompound, vehicleView } from '../app/queries.js';
import { completeTask, failTask, listTasks, reassignTask, startTask } from '../app/tasks.js';
import type { TaskId, UserId, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { principalOf } from './auth.js';
import { pageOf, pageQuery, pageSchema } from './paging.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { eventRef, idParam, taskSchema } from './schemas.js';

const taskParams = z.object({ taskId: idParam('task') });
const departureSchema = z.object({
  id: z.string(),
  vehicleId: z.string(),
  kind: z.enum(['once', 'standing', 'now']),
  at: z.number().nullable(),
  time: z.string().nullable(),
  weekdays: z.array(z.number()),
  exceptions: z.array(z.string()),
  status: z.string(),
});

const departureBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('once'),
    at: z.iso.datetime({
      offset: true,
      error: 'an instant is ISO 8601 with an offset, e.g. 2026-11-28T07:30:00+08:00',
    }),
  }),
  z.object({
    kind: z.literal('standing'),
    time: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a time is "HH:MM"'),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).describe('ISO weekdays, 1 = Monday … 7 = Sunday'),
    exceptions: z.array(z.iso.date()).max(100).optional().describe('dates on which it does not apply'),
  }),
  z.object({ kind: z.literal('now') }),
]);

export function tasksRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/tasks',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Open tasks, most urgent first (`mine=true`: yours only)',
          security: signedIn,
          querystring: z.object({
            mine: z.enum(['true', 'false']).default('false'),
            status: z.enum(['open', 'done', 'failed', 'cancelled']).default('open'),
            ...pageQuery,
          }),
          response: {
            200: z.object({ tasks: z.array(taskSchema), page: pageSchema }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const status = request.query.status === 'open' ? undefined : [request.query.status];
        const all = await listTasks(ctx, principalOf(request), {
          mine: request.query.mine === 'true',
          ...(status ? { status } : {}),
        });
        const { items, page } = pageOf(all, request.query);
        return { tasks: items, page };
      },
    );

    app.post(
      '/tasks/:taskId/start',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Start a task',
          security: signedIn,
          params: taskParams,
          response: { 200: taskSchema, ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      (request) => startTask(ctx, principalOf(request), request.params.taskId as TaskId),
    );

    app.post(
      '/tasks/:taskId/complete',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Done: the car stands where planned, or where you say (with a reason)',
          security: signedIn,
          params: taskParams,
          body: z
            .object({
              positionId: idParam('position')
                .optional()
                .describe('where the car actually stands, if not where planned'),
              overrideReason: z.string().min(1).max(200).optional(),
            })
            .default({}),
          response: { 200: z.object({ task: taskSchema, event: eventRef }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const body = request.body;
        const r = await completeTask(ctx, principalOf(request), request.params.taskId as TaskId, {
          ...(body.positionId === undefined ? {} : { positionId: body.positionId }),
          ...(body.overrideReason === undefined ? {} : { overrideReason: body.overrideReason }),
        });
        return { task: r.task, event: { seq: r.event.seq, type: r.event.type, hash: r.event.hash, at: r.event.at } };
      },
    );

    app.post(
      '/tasks/:taskId/fail',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Cannot do it: say why; the plan is made again',
          security: signedIn,
          params: taskParams,
          body: z.object({ reason: z.string().min(1, 'say why').max(200) }),
          response: {
            200: z.object({ task: taskSchema, replanned: z.array(taskSchema) }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      (request) => failTask(ctx, principalOf(request), request.params.taskId as TaskId, request.body.reason),
    );

    app.post(
      '/tasks/:taskId/reassign',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Give an open task to an on-duty guard (not one mid-move: its key is out with its guard)',
          security: signedIn,
          params: taskParams,
          body: z.object({ guardId: idParam('guard') }),
          response: { 200: z.object({ task: taskSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        task: await reassignTask(
          ctx,
          principalOf(request),
          request.params.taskId as TaskId,
          request.body.guardId as UserId,
        ),
      }),
    );

    app.post(
      '/compounds/:compoundId/plan',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['vehicles'],
          summary:
            'Plan the relocations for the declared departures of the next 90 minutes (the server also does this every few minutes)',
          security: signedIn,
          params: z.object({ compoundId: idParam('compound') }),
          response: { 200: z.object({ tasks: z.array(taskSchema) }), ...pickErrors(401, 403, 404) },
        },
      },
      async (request) => {
        requireCompound(principalOf(request), request.params.compoundId);
        return { tasks: await planAhead(ctx, request.params.compoundId) };
      },
    );

    app.get(
      '/vehicles/:vehicleId/departures',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: "A car's active departures",
          security: signedIn,
          params: z.object({ vehicleId: idParam('vehicle') }),
          response: { 200: z.object({ departures: z.array(departureSchema) }), ...pickErrors(401, 403, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        await vehicleView(ctx, principal, request.params.vehicleId as VehicleId);
        return { departures: await activeDepartures(ctx.store.db, principal.compoundId, request.params.vehicleId) };
      },
    );

    app.post(
      '/vehicles/:vehicleId/departures',
      {
        config: { access: ['resident', 'manager', 'guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Say when the car leaves: once ("tomorrow 07:30"), standing ("weekdays 07:30") or now',
          description: 'Answers when the car will be free (`readyAt`) and the relocations planned for it.',
          security: signedIn,
          params: z.object({ vehicleId: idParam('vehicle') }),
          body: departureBody,
          response: {
            200: z.object({
              departure: departureSchema,
              readyAt: z.number(),
              blockedBy: z.array(z.string()),
              tasks: z.array(taskSchema),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const vehicleId = request.params.vehicleId as VehicleId;
        await vehicleView(ctx, principal, vehicleId); // a resident: 404 unless it is their car
        const body = request.body;
        const input =
          body.kind === 'once'
            ? { kind: 'once' as const, at: Date.parse(body.at) }
            : body.kind === 'standing'
              ? {
                  kind: 'standing' as const,
                  time: body.time,
                  weekdays: body.weekdays,
                  ...(body.exceptions ? { exceptions: body.exceptions } : {}),
                }
              : { kind: 'now' as const };
        return declareDeparture(ctx, principal, vehicleId, input);
      },
    );

    app.delete(
      '/departures/:departureId',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Cancel a declared departure',
          security: signedIn,
          params: z.object({ departureId: idParam('departure') }),
          response: { 200: z.object({ ok: z.literal(true) }), ...pickErrors(401, 403, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const row = await ctx.store.db
          .selectFrom('departures')
          .select('vehicle_id')
          .where('compound_id', '=', principal.compoundId)
          .where('id', '=', request.params.departureId)
          .executeTakeFirst();
        if (row === undefined)
          throw new DomainError('NOT_FOUND', `departureId: no departure "${request.params.departureId}"`, {
            field: 'departureId',
          });
        await vehicleView(ctx, principal, row.vehicle_id as VehicleId);
        await cancelDeparture(ctx, principal, request.params.departureId);
        return { ok: true as const };
      },
    );
  };
}
