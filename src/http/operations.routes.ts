/** @module The lot, the gate check-in, parking, moves, departures, keys and duty: thin routes over the use cases. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import * as ops from '../app/operations.js';
import { lotView, requireCompound, vehicleHistory, vehicleView } from '../app/queries.js';
import type { KeyTag, VehicleId } from '../core/brand.js';
import type { LedgerEvent } from '../core/events.js';
import { principalOf } from './auth.js';
import { pageOf, pageQuery, pageSchema } from './paging.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { carLocationSchema, eventRef, idParam, keyCustodySchema, plateSchema, taskSchema } from './schemas.js';

const ref = (e: LedgerEvent) => ({ seq: e.seq, type: e.type, hash: e.hash, at: e.at });
const mutationReply = { 200: z.object({ event: eventRef }), ...pickErrors(400, 401, 403, 404, 409) };
const vehicleParams = z.object({ vehicleId: idParam('vehicle') });
const keyParams = z.object({ tag: idParam('key tag') });

const vehicleSchema = z.object({
  id: z.string(),
  plate: z.string().nullable(),
  householdId: z.string().nullable(),
  size: z.string(),
  ev: z.boolean(),
  location: carLocationSchema,
  blockedBy: z.array(z.object({ id: z.string(), plate: z.string().nullable() })),
  consent: z.string().nullable(),
  key: z.object({ tag: z.string(), custody: keyCustodySchema }).nullable(),
  nextDeparture: z.number().nullable(),
  readyAt: z.number().nullable().describe('when the car is planned to be free to drive off'),
  openTasks: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      vehicleId: z.string(),
      to: z.string().nullable(),
      dueAt: z.number(),
      status: z.string(),
    }),
  ),
  lane: z
    .object({
      name: z.string(),
      area: z.string(),
      access: z.string(),
      place: z.string().describe('the car’s place: lane name and position from the open end'),
      positions: z.array(
        z.object({
          index: z.number().int().describe('0 at the open end'),
          mine: z.boolean(),
          plate: z.string().nullable().describe('the car standing here; other households’ plates masked (沪A·***45)'),
          blocking: z.boolean().describe('stands between this car and the open end'),
          move: z
            .object({ guardName: z.string().nullable(), dueAt: z.number(), status: z.string() })
            .nullable()
            .describe('the open relocation of the car standing here'),
        }),
      ),
    })
    .nullable()
    .describe('the lane the car stands in, from the open end; null when not parked'),
});

const positionSchema = z.object({
  id: z.string(),
  index: z.number().int(),
  kind: z.string(),
  chargerKw: z.number().nullable(),
  maxSize: z.string(),
  closedToday: z.boolean(),
  closures: z.array(z.object({ from: z.string(), to: z.string(), reason: z.string() })),
  occupied: z.boolean(),
  vehicle: z.object({ id: z.string(), plate: z.string().nullable(), blocked: z.boolean(), ev: z.boolean() }).nullable(),
});

const lotSchema = z.object({
  compoundId: z.string(),
  name: z.string().nullable(),
  day: z.string(),
  fireLanes: z.array(z.string()),
  lanes: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      access: z.string(),
      area: z.string(),
      positions: z.array(positionSchema),
    }),
  ),
  counts: z.object({
    positions: z.number(),
    open: z.number(),
    occupied: z.number(),
    atGate: z.number(),
    onSite: z.number(),
  }),
});

export function operationsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/compounds/:compoundId/lot',
      {
        config: { access: ['manager', 'guard', 'resident', 'committee'] },
        schema: {
          tags: ['lot'],
          summary: 'The lot: lanes, positions, closures and the cars on them',
          description: 'Residents see plates only of their own cars; other cars show as occupied.',
          security: signedIn,
          params: z.object({ compoundId: idParam('compound') }),
          response: { 200: lotSchema, ...pickErrors(401, 403, 404) },
        },
      },
      (request) => lotView(ctx, principalOf(request), request.params.compoundId),
    );

    app.post(
      '/compounds/:compoundId/check-ins',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'A car is handed over at the gate',
          security: signedIn,
          params: z.object({ compoundId: idParam('compound') }),
          body: z.object({ plate: plateSchema }),
          response: {
            200: z.object({
              vehicleId: z.string(),
              event: eventRef,
              proposal: z.object({
                status: z.enum(['placed', 'no-position', 'no-keyless-position']),
                positionId: z.string().nullable(),
                reason: z.string().describe('one line for the guard, e.g. "blocks no one; lane B …"'),
                alternatives: z.array(z.object({ positionId: z.string(), blocks: z.array(z.string()) })),
              }),
              task: taskSchema
                .nullable()
                .describe(
                  'the park task for you, or null when no position is free (send the car to the partner lot or refuse it)',
                ),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requireCompound(principal, request.params.compoundId);
        const r = await ops.checkIn(ctx, principal, request.body.plate);
        return {
          vehicleId: r.vehicleId,
          event: ref(r.event),
          proposal: {
            status: r.proposal.status,
            positionId: r.proposal.positionId,
            reason: r.proposal.reason,
            alternatives: r.proposal.alternatives.map((a) => ({ positionId: a.positionId, blocks: a.blocks })),
          },
          task: r.task,
        };
      },
    );

    app.get(
      '/vehicles/:vehicleId',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Where a car is, whether it is blocked and by which cars, and its key',
          security: signedIn,
          params: vehicleParams,
          response: { 200: vehicleSchema, ...pickErrors(401, 403, 404) },
        },
      },
      (request) => vehicleView(ctx, principalOf(request), request.params.vehicleId as VehicleId),
    );

    app.get(
      '/vehicles/:vehicleId/history',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Every ledger event of a car and its key: who, when, from where to where, why',
          description: 'Oldest first, paged: `limit` (1–500, default 500) and `offset`.',
          security: signedIn,
          params: vehicleParams,
          querystring: z.object(pageQuery),
          response: {
            200: z.object({
              events: z.array(
                z.object({
                  seq: z.number(),
                  at: z.number(),
                  actor: z.string(),
                  type: z.string(),
                  payload: z.record(z.string(), z.unknown()),
                  hash: z.string(),
                }),
              ),
              page: pageSchema,
            }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const all = await vehicleHistory(ctx, principalOf(request), request.params.vehicleId as VehicleId);
        const { items: events, page } = pageOf(all, request.query);
        return {
          page,
          events: events.map((e) => ({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            type: e.type,
            payload: e.payload as Record<string, unknown>,
            hash: e.hash,
          })),
        };
      },
    );

    app.post(
      '/vehicles/:vehicleId/depart',
      {
        config: { access: ['guard', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'The car leaves the compound',
          security: signedIn,
          params: vehicleParams,
          response: mutationReply,
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const vehicleId = request.params.vehicleId as VehicleId;
        if (principal.role === 'resident') await vehicleView(ctx, principal, vehicleId); // 404 unless it is theirs
        return { event: ref(await ops.depart(ctx, principal, vehicleId)) };
      },
    );

    app.get(
      '/keys',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['keys'],
          summary:
            'Every spare key the guards hold or held: in the cabinet, out with a guard (since when), lost, or back with the resident',
          description: 'Paged by tag: `limit` (1–500, default 500) and `offset`; `counts` are of all keys.',
          security: signedIn,
          querystring: z.object(pageQuery),
          response: {
            200: z.object({
              keys: z.array(
                z.object({
                  tag: z.string(),
                  vehicleId: z.string(),
                  plate: z.string().nullable(),
                  custody: keyCustodySchema,
                }),
              ),
              counts: z.object({ inCabinet: z.number(), out: z.number(), lost: z.number() }),
              page: pageSchema,
            }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const compoundId = principalOf(request).compoundId;
        const state = await ctx.store.state(compoundId);
        const plates = await ctx.store.db
          .selectFrom('vehicle_plates')
          .select(['vehicle_id', 'plate'])
          .where('compound_id', '=', compoundId)
          .execute();
        const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
        const all = [...state.keys.values()].sort((a, b) => a.tag.localeCompare(b.tag));
        const { items: keys, page } = pageOf(all, request.query);
        return {
          page,
          keys: keys.map((k) => ({
            tag: k.tag,
            vehicleId: k.vehicleId,
            plate: plateOf.get(k.vehicleId) ?? null,
            custody: k.custody,
          })),
          counts: {
            inCabinet: all.filter((k) => k.custody.kind === 'in-cabinet').length,
            out: all.filter((k) => k.custody.kind === 'with-guard').length,
            lost: all.filter((k) => k.custody.kind === 'lost').length,
          },
        };
      },
    );

    app.post(
      '/keys/:tag/checkout',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['keys'],
          summary: 'Take a spare key out of the cabinet, for an open task of its car assigned to you',
          security: signedIn,
          params: keyParams,
          body: z.object({ taskId: idParam('task') }),
          response: mutationReply,
        },
      },
      async (request) => ({
        event: ref(await ops.checkoutKey(ctx, principalOf(request), request.params.tag as KeyTag, request.body.taskId)),
      }),
    );

    app.post(
      '/keys/:tag/return',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['keys'],
          summary: 'Put a spare key back in the cabinet',
          security: signedIn,
          params: keyParams,
          response: mutationReply,
        },
      },
      async (request) => ({ event: ref(await ops.returnKey(ctx, principalOf(request), request.params.tag as KeyTag)) }),
    );
  };
}
