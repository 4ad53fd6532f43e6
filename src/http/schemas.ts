/** @module zod schemas shared by the routes: ids, plates and the shapes of the replies. */
import { z } from 'zod';
import { PHOTO_TYPES } from '../app/photos.js';

export const idParam = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, `a ${what} id is letters, digits, "-", "_" and "."`)
    .describe(`${what} id`);

export const plateSchema = z
  .string()
  .min(1)
  .max(16)
  .describe('Chinese plate, e.g. 沪A12345 or 沪AD12345')
  .meta({ examples: ['沪A12345'] });

export const eventRef = z
  .object({ seq: z.number().int(), type: z.string(), hash: z.string(), at: z.number().int() })
  .describe('the ledger event the mutation wrote');

export const carLocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('away') }),
  z.object({ kind: z.literal('at-gate'), since: z.number() }),
  z.object({ kind: z.literal('parked'), positionId: z.string() }),
  z.object({ kind: z.literal('at-partner'), partnerLotId: z.string() }),
]);

export const keyCustodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('with-resident') }),
  z.object({ kind: z.literal('in-cabinet') }),
  z.object({ kind: z.literal('with-guard'), guardId: z.string(), taskId: z.string().nullable(), since: z.number() }),
  z.object({ kind: z.literal('lost'), since: z.number() }),
]);

export const taskSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['park', 'move', 'deliver']),
    vehicleId: z.string(),
    from: z.string().nullable().describe('null: the gate'),
    to: z.string().nullable().describe('null: the gate (a delivery)'),
    reason: z.string(),
    status: z.enum(['queued', 'started', 'done', 'failed', 'cancelled']),
    guardId: z.string().nullable(),
    dueAt: z.number(),
    createdAt: z.number(),
    startedAt: z.number().nullable(),
    finishedAt: z.number().nullable(),
    note: z.string().nullable(),
    departureId: z.string().nullable(),
  })
  .meta({ id: 'Task' });

/** A mainland mobile number, as accounts and contacts are given. */
export const phoneSchema = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'a phone number is 11 digits starting with 1')
  .meta({ examples: ['13800000001'] });

/** Room in a request body for a 5 MB photo in base64 (4/3 of it) and the JSON around it. */
export const PHOTO_BODY_LIMIT = 7 * 1024 * 1024 + 64 * 1024;

/** A photo in a JSON body: JPEG or PNG, base64. */
export const photoUploadSchema = z.object({
  contentType: z.enum(PHOTO_TYPES),
  data: z.string().min(1, 'the photo is required').describe('the image, base64-encoded'),
});

/** Raw bytes in a documented response. */
export const binarySchema = z.string().meta({ format: 'binary' });
