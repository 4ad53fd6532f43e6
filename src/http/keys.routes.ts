/** @module Spare keys into and out of custody, and their printable tag labels. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { keyLabelSvg, keyLabelsHtml } from '../app/key-labels.js';
import { acceptKey, releaseKey } from '../app/keys.js';
import type { KeyTag, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent } from '../core/events.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { eventRef, idParam } from './schemas.js';

const ref = (e: LedgerEvent) => ({ seq: e.seq, type: e.type, hash: e.hash, at: e.at });
const TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const tagSchema = z
  .string()
  .regex(TAG, 'a key tag is 1–32 letters, digits, "-", "_" and ".", e.g. K0123')
  .describe('key tag, e.g. K0123')
  .meta({ examples: ['K0123'] });
/** Labels on one printed page request. */
const MAX_LABELS = 100;

async function compoundName(ctx: AppContext, compoundId: string): Promise<string> {
  const row = await ctx.store.db.selectFrom('compounds').select('name').where('id', '=', compoundId).executeTakeFirst();
  return row?.name ?? compoundId;
}

export function keysRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/keys',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['keys'],
          summary: 'Accept a car’s spare key into the cabinet',
          description:
            'A guard on duty. Without `tag`, a key handed back earlier gets its old tag again, else the next free `K0001`-style tag. Refused with `CONSENT_REQUIRED` without the household’s key-custody consent.',
          security: signedIn,
          body: z.object({ vehicleId: idParam('vehicle'), tag: tagSchema.optional() }),
          response: { 200: z.object({ tag: z.string(), event: eventRef }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { tag, event } = await acceptKey(
          ctx,
          principalOf(request),
          request.body.vehicleId as VehicleId,
          request.body.tag,
        );
        return { tag, event: ref(event) };
      },
    );

    app.post(
      '/keys/:tag/release',
      {
        config: { access: ['guard'] },
        schema: {
          tags: ['keys'],
          summary: 'Hand a spare key from the cabinet back to the resident',
          description:
            'A guard on duty. Refused while the car stands in front of another (`NO_KEY_BLOCKING`): it is moved first.',
          security: signedIn,
          params: z.object({ tag: tagSchema }),
          response: { 200: z.object({ event: eventRef }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({ event: ref(await releaseKey(ctx, principalOf(request), request.params.tag as KeyTag)) }),
    );

    app.get(
      '/keys/:tag/label.svg',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['keys'],
          summary: 'A printable 60 × 30 mm label for a key tag: the tag id and its QR code',
          description:
            'The label names no plate, address or person. Any well-formed tag, so labels can be printed before tags are assigned.',
          security: signedIn,
          params: z.object({ tag: tagSchema }),
          produces: ['image/svg+xml'],
          response: { 200: z.string().describe('SVG'), ...pickErrors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const svg = await keyLabelSvg(request.params.tag, await compoundName(ctx, principalOf(request).compoundId));
        return reply.type('image/svg+xml; charset=utf-8').send(svg);
      },
    );

    app.get(
      '/keys/labels.html',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['keys'],
          summary: 'A printable A4 page of key tag labels',
          security: signedIn,
          querystring: z.object({
            tags: z.string().min(1).max(4000).describe(`comma-separated tags, at most ${MAX_LABELS}, e.g. K0001,K0002`),
          }),
          produces: ['text/html'],
          response: { 200: z.string().describe('HTML'), ...pickErrors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const tags = request.query.tags.split(',').map((t) => t.trim());
        for (const [i, tag] of tags.entries()) {
          if (!TAG.test(tag)) {
            throw new DomainError(
              'VALIDATION',
              `query.tags[${i}]: "${tag}" is not a key tag (1–32 letters, digits, "-", "_" and ".")`,
              { field: `query.tags[${i}]` },
            );
          }
        }
        if (tags.length > MAX_LABELS)
          throw new DomainError('VALIDATION', `query.tags: at most ${MAX_LABELS} labels a page`, {
            field: 'query.tags',
          });
        const html = await keyLabelsHtml(tags, await compoundName(ctx, principalOf(request).compoundId));
        return reply.type('text/html; charset=utf-8').send(html);
      },
    );
  };
}
