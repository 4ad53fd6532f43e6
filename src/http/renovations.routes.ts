/**
 * @module Renovation registration and construction waste: renovations and their approval and
 * deposit, waste points, declarations, the hauler's collections, stray waste reports, and the
 * committee's monthly figures.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import {
  RENOVATION_STATUSES,
  closeRenovation,
  decideRenovation,
  listRenovations,
  receiveDeposit,
  registerRenovation,
} from '../app/renovations.js';
import {
  WASTE_KINDS,
  clearStray,
  confirmCollection,
  declareWaste,
  listCollections,
  listStrays,
  listWastePoints,
  putWastePoint,
  reportStray,
  requestCollection,
  wastePhoto,
} from '../app/waste.js';
import { wasteFigures } from '../app/waste-figures.js';
import { FORBIDDEN_WORK, WORKING_HOURS, WORK_KINDS } from '../core/renovation.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { PHOTO_BODY_LIMIT, binarySchema, idParam, phoneSchema, photoUploadSchema } from './schemas.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM');
const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);

const renovationSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  building: z.string(),
  unit: z.string(),
  room: z.string(),
  contractorName: z.string(),
  contractorPhone: z.string(),
  workers: z.number(),
  startsOn: z.string(),
  endsOn: z.string(),
  kinds: z.array(z.string()),
  hoursFrom: z.string(),
  hoursTo: z.string(),
  status: z.enum(RENOVATION_STATUSES),
  refusal: z.string().nullable(),
  depositFen: z.number().describe('the deposit in fen'),
  depositStatus: z.enum(['due', 'received', 'returned']),
  deductedFen: z.number().describe('deductions from the deposit so far, in fen'),
  createdAt: z.number(),
  decidedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
});

const pointSchema = z.object({
  id: z.string(),
  name: z.string(),
  building: z.string().nullable(),
  capacityBags: z.number(),
  haulerId: z.string(),
  collectEveryHours: z.number().nullable(),
  lastCollectedAt: z.number().nullable(),
  bags: z.number().describe('bags there now, declared and not yet collected'),
  collectionScheduled: z.boolean(),
});

const collectionSchema = z.object({
  id: z.string(),
  pointId: z.string(),
  pointName: z.string(),
  haulerId: z.string(),
  reason: z.enum(['full', 'timetable', 'manual']),
  status: z.enum(['scheduled', 'done']),
  scheduledAt: z.number(),
  doneAt: z.number().nullable(),
  bags: z.number().nullable(),
  photoId: z.string().nullable(),
});

const straySchema = z.object({
  id: z.string(),
  building: z.string(),
  unit: z.string(),
  place: z.string(),
  photoId: z.string(),
  reportedAt: z.number(),
  renovationId: z.string().nullable(),
  responsible: z.enum(['renovation', 'property']),
  status: z.enum(['open', 'cleared']),
  remindedAt: z.number().nullable(),
  escalatedAt: z.number().nullable(),
  clearedAt: z.number().nullable(),
  deductedFen: z.number(),
});

const forbiddenList = Object.entries(FORBIDDEN_WORK)
  .map(([k, rule]) => `\`${k}\` (${rule})`)
  .join('; ');

export function renovationRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/renovations',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Register a flat’s renovation (装修登记)',
          description: `A resident registers their own flat's work (a manager names \`householdId\`). Kinds of work: ${WORK_KINDS.join(', ')}.
Refused with \`RENOVATION_FORBIDDEN\` and the rule named: ${forbiddenList}. Dates from today on, at most 180 days; working hours within
${WORKING_HOURS.from}–${WORKING_HOURS.to} (\`RENOVATION_RULE\`). The renovation waits for the manager's decision.`,
          security: signedIn,
          body: z.object({
            householdId: idParam('household').optional(),
            contractorName: text(60),
            contractorPhone: phoneSchema,
            workers: z.number().int().min(1, 'at least one worker').max(50, 'at most 50 workers'),
            startsOn: day,
            endsOn: day,
            kinds: z.array(z.string().max(40)).min(1, 'name at least one kind of work').max(10),
            hoursFrom: time,
            hoursTo: time,
          }),
          response: { 201: z.object({ renovation: renovationSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ renovation: await registerRenovation(ctx, principalOf(request), request.body) }),
    );

    app.get(
      '/renovations',
      {
        config: { access: ['resident', 'manager', 'guard'] },
        schema: {
          tags: ['renovation'],
          summary: 'Renovations: a resident’s own household’s, everyone’s for the manager and guards',
          security: signedIn,
          querystring: z.object({ status: z.enum(RENOVATION_STATUSES).optional() }),
          response: { 200: z.object({ renovations: z.array(renovationSchema) }), ...pickErrors(400, 401, 403) },
        },
      },
      async (request) => ({
        renovations: await listRenovations(ctx, principalOf(request), request.query.status),
      }),
    );

    app.post(
      '/renovations/:id/decision',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Approve or refuse a pending renovation',
          description:
            'Approval tells the household and the residents of the same building and stairway (单元) the dates and hours; a refusal needs a reason.',
          security: signedIn,
          params: z.object({ id: idParam('renovation') }),
          body: z.discriminatedUnion('approve', [
            z.object({ approve: z.literal(true) }),
            z.object({ approve: z.literal(false), reason: text(200) }),
          ]),
          response: { 200: z.object({ renovation: renovationSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        renovation: await decideRenovation(ctx, principalOf(request), request.params.id, request.body),
      }),
    );

    app.post(
      '/renovations/:id/deposit',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Record the deposit (装修押金) received',
          security: signedIn,
          params: z.object({ id: idParam('renovation') }),
          body: z.object({}).strict(),
          response: { 200: z.object({ renovation: renovationSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({ renovation: await receiveDeposit(ctx, principalOf(request), request.params.id) }),
    );

    app.post(
      '/renovations/:id/close',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Close a finished renovation and return the deposit less deductions',
          description: 'Refused while a stray waste report held against it is open.',
          security: signedIn,
          params: z.object({ id: idParam('renovation') }),
          body: z.object({}).strict(),
          response: {
            200: z.object({
              renovation: renovationSchema,
              refundFen: z.number().describe('returned to the household, in fen'),
              owedFen: z.number().describe('deductions beyond the deposit, in fen'),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const { refundFen, owedFen, ...renovation } = await closeRenovation(
          ctx,
          principalOf(request),
          request.params.id,
        );
        return { renovation, refundFen, owedFen };
      },
    );

    app.get(
      '/waste-points',
      {
        config: { access: ['manager', 'guard', 'resident', 'partner'] },
        schema: {
          tags: ['renovation'],
          summary: 'Waste points (统一堆放点) and how full they are; a hauler sees his own',
          security: signedIn,
          response: { 200: z.object({ points: z.array(pointSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ points: await listWastePoints(ctx, principalOf(request)) }),
    );

    app.put(
      '/waste-points/:id',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Add or edit a waste point',
          security: signedIn,
          params: z.object({ id: idParam('waste point') }),
          body: z.object({
            name: text(60),
            building: z.string().max(20).nullable(),
            capacityBags: z.number().int().min(1, 'a point holds at least one bag').max(10_000),
            haulerId: idParam('user'),
            collectEveryHours: z
              .number()
              .int()
              .min(1)
              .max(24 * 30)
              .nullable(),
          }),
          response: { 200: z.object({ point: pointSchema }), ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        point: await putWastePoint(ctx, principalOf(request), { id: request.params.id, ...request.body }),
      }),
    );

    app.post(
      '/waste-declarations',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Declare bagged waste at a point',
          description:
            'During an approved renovation. A point takes bags up to its capacity (`POINT_FULL` says how many more fit); the declaration that fills it to 80% schedules a collection for its hauler.',
          security: signedIn,
          body: z.object({
            renovationId: idParam('renovation'),
            pointId: idParam('waste point'),
            bags: z.number().int().min(1, 'at least one bag').max(200, 'at most 200 bags at once'),
            kind: z.enum(WASTE_KINDS),
          }),
          response: {
            201: z.object({
              declaration: z.object({
                id: z.string(),
                renovationId: z.string(),
                pointId: z.string(),
                bags: z.number(),
                kind: z.enum(WASTE_KINDS),
                feeFen: z.number(),
                declaredAt: z.number(),
                collectionId: z.string().nullable(),
              }),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ declaration: await declareWaste(ctx, principalOf(request), request.body) }),
    );

    app.get(
      '/waste-collections',
      {
        config: { access: ['manager', 'partner'] },
        schema: {
          tags: ['renovation'],
          summary: 'Collections: the hauler’s own, all for the manager; open ones first',
          security: signedIn,
          response: { 200: z.object({ collections: z.array(collectionSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ collections: await listCollections(ctx, principalOf(request)) }),
    );

    app.post(
      '/waste-collections',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Ask the hauler for a collection of a point now',
          security: signedIn,
          body: z.object({ pointId: idParam('waste point') }),
          response: { 201: z.object({ collection: collectionSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ collection: await requestCollection(ctx, principalOf(request), request.body.pointId) }),
    );

    app.post(
      '/waste-collections/:id/confirm',
      {
        config: { access: ['partner'] },
        bodyLimit: PHOTO_BODY_LIMIT,
        schema: {
          tags: ['renovation'],
          summary: 'The hauler confirms a pickup with a photo',
          security: signedIn,
          params: z.object({ id: idParam('collection') }),
          body: z.object({ photo: photoUploadSchema }),
          response: { 200: z.object({ collection: collectionSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        collection: await confirmCollection(ctx, principalOf(request), request.params.id, request.body.photo),
      }),
    );

    app.post(
      '/stray-reports',
      {
        config: { access: ['resident', 'guard', 'manager'] },
        bodyLimit: PHOTO_BODY_LIMIT,
        schema: {
          tags: ['renovation'],
          summary: 'Report waste outside a point, with a photo and the place',
          description:
            'Held against the approved renovation under way in that building and stairway today (its household is told, and an escalation deducts from its deposit); otherwise the property company clears it.',
          security: signedIn,
          body: z.object({
            building: text(20),
            unit: text(20),
            place: text(100),
            photo: photoUploadSchema,
          }),
          response: { 201: z.object({ report: straySchema }), ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ report: await reportStray(ctx, principalOf(request), request.body) }),
    );

    app.get(
      '/stray-reports',
      {
        config: { access: ['resident', 'guard', 'manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Stray waste reports, open ones first (a resident’s: those held against his renovations)',
          security: signedIn,
          response: { 200: z.object({ reports: z.array(straySchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ reports: await listStrays(ctx, principalOf(request)) }),
    );

    app.post(
      '/stray-reports/:id/clear',
      {
        config: { access: ['resident', 'guard', 'manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Mark a stray waste report cleared',
          security: signedIn,
          params: z.object({ id: idParam('stray report') }),
          body: z.object({}).strict(),
          response: { 200: z.object({ report: straySchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({ report: await clearStray(ctx, principalOf(request), request.params.id) }),
    );

    app.get(
      '/waste-photos/:id',
      {
        config: { access: ['manager', 'guard', 'resident', 'partner'] },
        schema: {
          tags: ['renovation'],
          summary: 'A photo of a collection or a stray report',
          security: signedIn,
          params: z.object({ id: idParam('photo') }),
          response: {
            200: {
              description: 'the image',
              content: { 'image/jpeg': { schema: binarySchema }, 'image/png': { schema: binarySchema } },
            },
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const photo = await wastePhoto(ctx, principalOf(request), request.params.id);
        // Fastify sends a Buffer as it is, without the serializer; the schema only documents the bytes.
        return reply
          .type(photo.contentType)
          .header('cache-control', 'private, max-age=86400')
          .send(photo.data as unknown as string);
      },
    );

    app.get(
      '/reports/waste',
      {
        config: { access: ['committee', 'manager'] },
        schema: {
          tags: ['renovation'],
          summary: 'Renovation and waste figures per month (aggregates only)',
          security: signedIn,
          querystring: z.object({ months: z.coerce.number().int().min(1).max(24).default(6) }),
          response: {
            200: z.object({
              months: z.array(
                z.object({
                  month: z.string(),
                  renovationsActive: z.number(),
                  renovationsDone: z.number(),
                  points: z.array(
                    z.object({
                      pointId: z.string(),
                      name: z.string(),
                      declaredBags: z.number(),
                      collectedBags: z.number(),
                      collections: z.number(),
                    }),
                  ),
                  strayReported: z.number(),
                  strayCleared: z.number(),
                  strayMeanHoursToClear: z.number().nullable(),
                  strayEscalated: z.number(),
                }),
              ),
            }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => ({ months: await wasteFigures(ctx, principalOf(request), request.query.months) }),
    );
  };
}
