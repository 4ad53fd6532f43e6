/** @module Shifts: the roster, swaps, going on and off duty, and the hand-over between shifts. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import * as ops from '../app/operations.js';
import {
  confirmHandover,
  decideSwap,
  openHandover,
  openHandoverOf,
  guardNames,
  pendingSwaps,
  regenerateRoster,
  rosterBetween,
  shiftDefinitions,
  swapShift,
} from '../app/shifts.js';
import type { MismatchHook } from '../app/shifts.js';
import type { IsoDate, UserId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import { shanghaiDate } from '../core/time.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { eventRef, idParam } from './schemas.js';

const handoverSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  fromGuardIds: z.array(z.string()),
  toGuardIds: z.array(z.string()),
  expected: z.object({ keys: z.number(), cars: z.number() }),
  outgoing: z.object({ keys: z.number(), cars: z.number() }),
  incoming: z.object({ keys: z.number(), cars: z.number() }).nullable(),
  mismatch: z.string().nullable(),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
});
const rosterEntry = z.object({ day: z.string(), shiftId: z.string(), guardIds: z.array(z.string()) });
const swapSchema = z.object({
  id: z.string(),
  day: z.string(),
  shiftId: z.string(),
  guardId: z.string().describe('the guard who gives the shift up'),
  withGuardId: z.string().describe('the guard who takes it'),
  requestedBy: z.string(),
  status: z.enum(['pending', 'accepted', 'declined']),
  createdAt: z.number(),
  decidedAt: z.number().nullable(),
});
const swapReply = z.object({
  swap: swapSchema,
  roster: rosterEntry.describe('the shift in the roster as it now stands'),
});
const counts = z.object({
  keysCounted: z.number().int().min(0).describe('spare keys counted in the cabinet'),
  carsCounted: z.number().int().min(0).describe('cars counted in the compound'),
});

export function shiftsRoutes(ctx: AppContext, onMismatch?: MismatchHook): RoutePlugin {
  return async (app) => {
    app.get(
      '/shifts',
      {
        config: { access: ['manager', 'guard', 'committee'] },
        schema: {
          tags: ['shifts'],
          summary: 'Shift definitions, the roster from a day on, the guards on duty, the open hand-over',
          security: signedIn,
          querystring: z.object({
            from: z.iso.date().optional(),
            days: z.coerce.number().int().min(1).max(62).default(7),
          }),
          response: {
            200: z.object({
              shifts: z.array(z.object({ id: z.string(), name: z.string(), start: z.string(), end: z.string() })),
              roster: z.array(rosterEntry),
              onDuty: z.array(z.string()),
              guardNames: z.record(z.string(), z.string()).describe("the guards' names by user id"),
              openHandover: handoverSchema.nullable(),
              swaps: z.array(swapSchema).describe('swaps waiting for the other guard to accept or decline'),
            }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const compoundId = principalOf(request).compoundId;
        const from = request.query.from ?? shanghaiDate(ctx.now());
        return {
          shifts: await shiftDefinitions(ctx, compoundId),
          roster: await rosterBetween(ctx, compoundId, from, request.query.days),
          onDuty: [...(await ctx.store.state(compoundId)).onDuty].sort(),
          guardNames: await guardNames(ctx, compoundId),
          openHandover: await openHandoverOf(ctx, compoundId),
          swaps: await pendingSwaps(ctx, compoundId),
        };
      },
    );

    app.post(
      '/shifts/roster',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['shifts'],
          summary: 'Generate a fair rotation (two guards a shift) from a day on',
          security: signedIn,
          body: z.object({
            startDate: z.iso.date(),
            days: z.number().int().min(1).max(92),
            guardIds: z
              .array(idParam('guard'))
              .min(2)
              .optional()
              .describe('the guards in rotation order; all guards by default'),
          }),
          response: { 200: z.object({ roster: z.array(rosterEntry) }), ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        roster: await regenerateRoster(
          ctx,
          principalOf(request),
          request.body.startDate as IsoDate,
          request.body.days,
          request.body.guardIds,
        ),
      }),
    );

    app.post(
      '/shifts/swap',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['shifts'],
          summary: 'Swap a shift: `guardId` gives it to `withGuardId`',
          description:
            "A manager's swap takes effect at once. A guard's (he is one of the two) is `pending` until the other guard accepts it; the managers are told when it takes effect.",
          security: signedIn,
          body: z.object({
            day: z.iso.date(),
            shiftId: idParam('shift'),
            guardId: idParam('guard'),
            withGuardId: idParam('guard'),
          }),
          response: { 200: swapReply, ...pickErrors(400, 401, 403, 404) },
        },
      },
      (request) =>
        swapShift(
          ctx,
          principalOf(request),
          request.body.day,
          request.body.shiftId,
          request.body.guardId,
          request.body.withGuardId,
        ),
    );

    for (const [step, accept] of [
      ['accept', true],
      ['decline', false],
    ] as const) {
      app.post(
        `/shifts/swap/:swapId/${step}`,
        {
          config: { access: ['guard'] },
          schema: {
            tags: ['shifts'],
            summary: accept
              ? 'The other guard accepts a pending swap: it takes effect and the managers are told'
              : 'The other guard declines a pending swap (or the guard who asked withdraws it)',
            security: signedIn,
            params: z.object({ swapId: idParam('swap') }),
            response: { 200: swapReply, ...pickErrors(400, 401, 403, 404, 409) },
          },
        },
        (request) => decideSwap(ctx, principalOf(request), request.params.swapId, accept),
      );
    }

    app.post(
      '/shifts/duty',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['shifts'],
          summary: 'Go on or off duty (a manager may set any guard)',
          description:
            "A guard goes on duty only in a shift of the roster he is on (from 30 minutes before its start, Asia/Shanghai), else 403 NOT_ROSTERED; a manager's putting a guard on duty is the approval. Open tasks of guards who are off duty pass to the guards on duty, least busy first (`passed`).",
          security: signedIn,
          body: z.object({ onDuty: z.boolean(), guardId: idParam('guard').optional() }),
          response: {
            200: z.object({ event: eventRef, passed: z.array(z.string()).describe('ids of the tasks passed on') }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const guardId = (request.body.guardId ?? principal.userId) as UserId;
        if (principal.role === 'guard' && guardId !== principal.userId) {
          throw new DomainError('FORBIDDEN', 'a guard sets only their own duty', { field: 'body.guardId' });
        }
        const { event: e, passed } = await ops.setDuty(ctx, principal, guardId, request.body.onDuty);
        return { event: { seq: e.seq, type: e.type, hash: e.hash, at: e.at }, passed: passed.map((t) => t.id) };
      },
    );

    app.post(
      '/shifts/handover',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['shifts'],
          summary: 'Outgoing guards open the hand-over with their count of keys and cars (every key back first)',
          security: signedIn,
          body: counts,
          response: { 200: handoverSchema, ...pickErrors(400, 401, 403, 409) },
        },
      },
      (request) =>
        openHandover(ctx, principalOf(request), { keys: request.body.keysCounted, cars: request.body.carsCounted }),
    );

    app.post(
      '/shifts/handover/:handoverId/confirm',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['shifts'],
          summary: 'The incoming guard confirms with their own count; they go on duty and the outgoing guards go off',
          description: 'A count that differs from the ledger is recorded as a mismatch and opens an incident.',
          security: signedIn,
          params: z.object({ handoverId: idParam('hand-over') }),
          body: counts,
          response: { 200: handoverSchema, ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      (request) =>
        confirmHandover(
          ctx,
          principalOf(request),
          request.params.handoverId,
          { keys: request.body.keysCounted, cars: request.body.carsCounted },
          onMismatch,
        ),
    );
  };
}
