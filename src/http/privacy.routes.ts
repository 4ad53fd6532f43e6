/**
 * @module PIPL rights over HTTP: `GET /me/export` (anyone signed in: a copy of their personal data
 * as JSON) and `POST /me/erasure` (a resident: erase it). Thin routes over `app/privacy`.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { erasePersonalData, exportPersonalData } from '../app/privacy.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { eventRef } from './schemas.js';

const rows = z.array(z.record(z.string(), z.unknown()));

export function privacyRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/me/export',
      {
        config: { access: ['manager', 'guard', 'resident', 'partner', 'committee'] },
        schema: {
          tags: ['privacy'],
          summary: 'Your personal data, and your household’s, as one JSON document (PIPL art. 45)',
          description:
            'Account, address, cars and plates, spare keys, consents, departures, partner bookings, visitors, incidents (photo metadata), your notifications, the gate cameras’ reads of your cars, and the ledger events about your household, its cars and keys, and your own actions.',
          security: signedIn,
          response: {
            200: z.object({
              exportedAt: z.number().int(),
              compoundId: z.string(),
              user: z.record(z.string(), z.unknown()),
              household: z.record(z.string(), z.unknown()).nullable(),
              vehicles: rows,
              keys: rows,
              departures: rows,
              bookings: rows,
              visitors: rows,
              incidents: rows,
              incidentPhotos: rows,
              notifications: rows,
              gateReads: rows.describe('the gate cameras’ reads of your household’s cars'),
              channels: z.record(z.string(), z.unknown()).nullable().describe('your channels and quiet hours'),
              ledger: rows,
            }),
            ...pickErrors(401, 403),
          },
        },
      },
      async (request, reply) => {
        const data = await exportPersonalData(ctx, principalOf(request));
        return reply
          .header('content-disposition', 'attachment; filename="parkbutler-personal-data.json"')
          .header('cache-control', 'no-store')
          .send({ ...data, ledger: data.ledger.map((e) => ({ ...e, payload: e.payload as Record<string, unknown> })) });
      },
    );

    app.post(
      '/me/erasure',
      {
        config: { access: ['resident'] },
        schema: {
          tags: ['privacy'],
          summary:
            'Erase your personal data (PIPL art. 47); the last resident of a household erases the household’s too',
          description:
            'Your name and phone are replaced, your password, sessions and notifications deleted: you are signed out for good. The last resident of a household also erases its address, its cars’ plates (in the gate cameras’ reads too) and the photos and texts of incidents about them — refused with 409 `ERASURE_BLOCKED` while the guards hold one of its cars or keys or a partner booking is open. The ledger keeps ids only and stays valid; one `privacy.erased` record notes the erasure.',
          security: signedIn,
          body: z.object({ confirm: z.literal(true).describe('must be `true`: erasure cannot be undone') }).strict(),
          response: {
            200: z.object({
              erased: z.object({
                userId: z.string(),
                household: z.boolean(),
                vehicles: z.number().int(),
                photos: z.number().int(),
              }),
              event: eventRef,
            }),
            ...pickErrors(400, 401, 403, 409),
          },
        },
      },
      async (request) => {
        const { event, ...erased } = await erasePersonalData(ctx, principalOf(request));
        return { erased, event: { seq: event.seq, type: event.type, hash: event.hash, at: event.at } };
      },
    );
  };
}
