/**
 * @module Incidents (damage claims, lost keys, hand-over mismatches, complaints) with their photos
 * and the ledger events around them, and reporting a key lost: thin routes over `app/incidents`.
 * Residents see and report only about their own cars; partners and the committee see none (403).
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import {
  addIncidentPhoto,
  incidentDetail,
  incidentPhoto,
  listIncidents,
  reportIncident,
  reportLostKey,
  updateIncident,
} from '../app/incidents.js';
import type { KeyTag } from '../core/brand.js';
import type { LedgerEvent } from '../core/events.js';
import { INCIDENT_KINDS, INCIDENT_STATUSES } from '../core/statuses.js';
import { principalOf } from './auth.js';
import { pageOf, pageQuery, pageSchema } from './paging.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { PHOTO_BODY_LIMIT, binarySchema as binary, eventRef, idParam, photoUploadSchema } from './schemas.js';

const incidentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(INCIDENT_KINDS),
    vehicleId: z.string().nullable(),
    plate: z.string().nullable(),
    keyTag: z.string().nullable(),
    openedBy: z.string(),
    owner: z.string().nullable().describe('the user handling it'),
    status: z.enum(INCIDENT_STATUSES),
    title: z.string(),
    description: z.string(),
    resolution: z.string().nullable().describe('what was decided; the resident reads it'),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Incident' });

const photoSchema = z.object({
  id: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: z.number().int(),
});

const ledgerEventSchema = z.object({
  seq: z.number(),
  at: z.number(),
  actor: z.string(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
const eventOut = (e: LedgerEvent) => ({
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  type: e.type,
  payload: e.payload as Record<string, unknown>,
  hash: e.hash,
});

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const incidentParams = z.object({ id: idParam('incident') });

export function incidentRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/incidents',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['incidents'],
          summary: 'Report an incident',
          description:
            'A resident reports `damage` or a `complaint` about one of their own cars; guards (on duty) and managers report any kind.',
          security: signedIn,
          body: z.object({
            kind: z.enum(INCIDENT_KINDS),
            vehicleId: idParam('vehicle').nullish(),
            keyTag: idParam('key tag').nullish(),
            title: z
              .string()
              .trim()
              .min(1, 'a title is required')
              .max(100, 'at most 100 characters')
              .meta({ examples: ['车门有新划痕'] }),
            description: text(2000).default(''),
            owner: idParam('user')
              .nullish()
              .describe('manager only: who handles it (default: you, or the first manager)'),
          }),
          response: { 201: z.object({ incident: incidentSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ incident: await reportIncident(ctx, principalOf(request), request.body) }),
    );

    app.get(
      '/incidents',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['incidents'],
          summary: 'Incidents, newest first',
          description:
            'A manager sees all; a guard those they opened or own; a resident those about their own cars. Paged: `limit` (1–500, default 500) and `offset`.',
          security: signedIn,
          querystring: z.object({
            status: z.enum(INCIDENT_STATUSES).optional(),
            kind: z.enum(INCIDENT_KINDS).optional(),
            ...pageQuery,
          }),
          response: {
            200: z.object({ incidents: z.array(incidentSchema), page: pageSchema }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { status, kind, limit, offset } = request.query;
        const filter = { ...(status === undefined ? {} : { status }), ...(kind === undefined ? {} : { kind }) };
        const { items, page } = pageOf(await listIncidents(ctx, principalOf(request), filter), { limit, offset });
        return { incidents: items, page };
      },
    );

    app.get(
      '/incidents/:id',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['incidents'],
          summary: 'One incident with its photos and the ledger events around it',
          description:
            'The events of its car and key within ±2 h of its opening (for a lost key or a hand-over mismatch, from the key’s last checkout, up to 24 h back), and the incident’s own records.',
          security: signedIn,
          params: incidentParams,
          response: {
            200: z.object({
              incident: incidentSchema,
              photos: z.array(photoSchema),
              events: z.array(ledgerEventSchema),
            }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const detail = await incidentDetail(ctx, principalOf(request), request.params.id);
        return { ...detail, events: detail.events.map(eventOut) };
      },
    );

    app.patch(
      '/incidents/:id',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['incidents'],
          summary: 'Assign, progress, resolve or reject an incident',
          description:
            'Resolving or rejecting needs a resolution, which the resident reads. The residents of the car are notified.',
          security: signedIn,
          params: incidentParams,
          body: z
            .object({
              owner: idParam('user').optional(),
              status: z.enum(INCIDENT_STATUSES).optional(),
              resolution: text(2000).optional(),
            })
            .strict(),
          response: { 200: z.object({ incident: incidentSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        incident: await updateIncident(ctx, principalOf(request), request.params.id, request.body),
      }),
    );

    app.post(
      '/incidents/:id/photos',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        bodyLimit: PHOTO_BODY_LIMIT,
        schema: {
          tags: ['incidents'],
          summary: 'Add a photo (JPEG or PNG, at most 5 MB, base64 in JSON)',
          description:
            'The image is decoded and stored re-encoded as a JPEG of at most 2048 pixels a side, without EXIF or GPS. Quotas: 10 photos and 20 MB an incident, 50 photos and 60 MB from the residents of a household (409 PHOTO_QUOTA).',
          security: signedIn,
          params: incidentParams,
          body: photoUploadSchema,
          response: { 201: z.object({ photo: photoSchema }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({
          photo: await addIncidentPhoto(
            ctx,
            principalOf(request),
            request.params.id,
            request.body.contentType,
            request.body.data,
          ),
        }),
    );

    app.get(
      '/incidents/:id/photos/:photoId',
      {
        config: { access: ['manager', 'guard', 'resident'] },
        schema: {
          tags: ['incidents'],
          summary: 'A photo of an incident',
          security: signedIn,
          params: z.object({ id: idParam('incident'), photoId: idParam('photo') }),
          response: {
            200: {
              description: 'the image',
              content: { 'image/jpeg': { schema: binary }, 'image/png': { schema: binary } },
            },
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const photo = await incidentPhoto(ctx, principalOf(request), request.params.id, request.params.photoId);
        // Fastify sends a Buffer as it is, without the serializer; the schema only documents the bytes.
        return reply
          .type(photo.contentType)
          .header('cache-control', 'private, max-age=86400')
          .send(photo.data as unknown as string);
      },
    );

    app.post(
      '/keys/:tag/lost',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['keys'],
          summary: 'Report a spare key lost: records key.lost and opens a lost-key incident',
          security: signedIn,
          params: z.object({ tag: idParam('key tag') }),
          body: z.object({ description: text(2000).default('') }).default({ description: '' }),
          response: {
            201: z.object({ event: eventRef, incident: incidentSchema }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { event, incident } = await reportLostKey(
          ctx,
          principalOf(request),
          request.params.tag as KeyTag,
          request.body.description,
        );
        return reply
          .code(201)
          .send({ event: { seq: event.seq, type: event.type, hash: event.hash, at: event.at }, incident });
      },
    );
  };
}
