/**
 * @module Condition records at hand-over: the guard records a car's condition with photos from the
 * four corners (base64 in JSON), the resident sees and acknowledges them.
 */
import { z } from 'zod';
import {
  CONDITION_STAGES,
  PHOTO_VIEWS,
  acknowledgeCondition,
  conditionPhoto,
  conditionRecords,
  recordCondition,
} from '../app/condition-records.js';
import type { AppContext } from '../app/context.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam } from './schemas.js';

/** Room for six photos of up to 8 MB each, base64-encoded. */
const BODY_LIMIT = 70 * 1024 * 1024;

const recordSchema = z.object({
  id: z.string(),
  vehicleId: z.string(),
  stage: z.enum(CONDITION_STAGES),
  notes: z.string(),
  damage: z.boolean(),
  checkInRecordId: z.string().nullable().describe('a delivery record: the check-in record before it'),
  incidentId: z.string().nullable().describe('the damage incident a delivery record with damage opened'),
  recordedBy: z.string(),
  createdAt: z.number(),
  acknowledgedAt: z.number().nullable(),
  photos: z.array(z.object({ id: z.string(), view: z.enum(PHOTO_VIEWS), sha256: z.string(), bytes: z.number().int() })),
});

export function conditionRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/condition-records',
      {
        bodyLimit: BODY_LIMIT,
        config: { access: ['guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Record a car’s condition at check-in or delivery, with photos',
          description: `Photos from \`front-left\`, \`front-right\`, \`rear-left\` and \`rear-right\` at least (more as \`detail\`),
each an image of at most 8 MB, base64. They are re-encoded as JPEG without metadata; each one's SHA-256 goes into the ledger. A
delivery record links the car's last check-in record; with \`damage: true\` it opens a damage incident naming both.`,
          security: signedIn,
          body: z.object({
            vehicleId: idParam('vehicle'),
            stage: z.enum(CONDITION_STAGES),
            notes: z.string().max(500).default(''),
            damage: z.boolean().default(false),
            photos: z
              .array(z.object({ view: z.enum(PHOTO_VIEWS), data: z.string().min(1).describe('base64') }))
              .min(4)
              .max(12),
          }),
          response: { 200: recordSchema, ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const b = request.body;
        return recordCondition(ctx, principalOf(request), {
          vehicleId: b.vehicleId,
          stage: b.stage,
          notes: b.notes,
          damage: b.damage,
          photos: b.photos.map((p) => ({ view: p.view, data: Buffer.from(p.data, 'base64') })),
        });
      },
    );

    app.get(
      '/vehicles/:vehicleId/condition-records',
      {
        config: { access: ['guard', 'manager', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'A car’s condition records, newest first',
          security: signedIn,
          params: z.object({ vehicleId: idParam('vehicle') }),
          response: { 200: z.object({ records: z.array(recordSchema) }), ...pickErrors(401, 403, 404) },
        },
      },
      async (request) => ({
        records: await conditionRecords(ctx, principalOf(request), request.params.vehicleId),
      }),
    );

    app.post(
      '/condition-records/:recordId/acknowledge',
      {
        config: { access: ['resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'The resident acknowledges a condition record of their car',
          security: signedIn,
          params: z.object({ recordId: idParam('record') }),
          response: { 200: z.object({ acknowledgedAt: z.number() }), ...pickErrors(401, 403, 404) },
        },
      },
      async (request) => ({
        acknowledgedAt: await acknowledgeCondition(ctx, principalOf(request), request.params.recordId),
      }),
    );

    app.get(
      '/condition-records/:recordId/photos/:photoId',
      {
        config: { access: ['guard', 'manager', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'One condition photo (JPEG)',
          security: signedIn,
          params: z.object({ recordId: idParam('record'), photoId: idParam('photo') }),
          response: {
            200: {
              description: 'the re-encoded image',
              content: { 'image/jpeg': { schema: z.string().meta({ format: 'binary' }) } },
            },
            ...pickErrors(401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const photo = await conditionPhoto(ctx, principalOf(request), request.params.recordId, request.params.photoId);
        return reply
          .type(photo.contentType)
          .header('cache-control', 'private, max-age=3600')
          .send(photo.data as unknown as string); // a Buffer goes out as it is
      },
    );
  };
}
