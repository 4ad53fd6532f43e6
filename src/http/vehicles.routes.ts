/** @module Residents' cars and key-custody consent: register, edit, consent given and withdrawn, the consent text. */
import { z } from 'zod';
import { CONSENT_TEXTS, CURRENT_CONSENT_VERSION, consentText } from '../app/consent.js';
import type { AppContext } from '../app/context.js';
import { editVehicle, giveConsent, registerVehicle, withdrawConsent } from '../app/vehicles.js';
import type { VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent } from '../core/events.js';
import { VEHICLE_SIZES } from '../core/layout.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { eventRef, idParam, plateSchema } from './schemas.js';

const ref = (e: LedgerEvent) => ({ seq: e.seq, type: e.type, hash: e.hash, at: e.at });
const vehicleParams = z.object({ vehicleId: idParam('vehicle') });
const sizeSchema = z.enum(VEHICLE_SIZES).describe('small, standard or large: which positions the car fits');

const consentTextSchema = z.object({
  version: z.string(),
  published: z.string().describe('YYYY-MM-DD, Asia/Shanghai'),
  title: z.string(),
  paragraphs: z.array(z.string()).describe('zh-CN'),
});

export function vehiclesRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/vehicles',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Register a car for a household',
          description:
            'A resident registers a car for their own household; a manager names the household. The plate is kept beside the ledger, never in it.',
          security: signedIn,
          body: z.object({
            plate: plateSchema,
            size: sizeSchema.default('standard'),
            ev: z.boolean().default(false).describe('an electric car, which wants a charger'),
            householdId: idParam('household').optional().describe('required of a manager; a resident may leave it out'),
          }),
          response: {
            200: z.object({ vehicleId: z.string(), event: eventRef }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const { vehicleId, event } = await registerVehicle(ctx, principalOf(request), request.body);
        return { vehicleId, event: ref(event) };
      },
    );

    app.patch(
      '/vehicles/:vehicleId',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Correct a car: plate, size, EV',
          description:
            'Size and EV change through a `vehicle.updated` event (refused with `POSITION_TOO_SMALL` when the car would no longer fit where it stands); a new plate is stored beside the ledger with a `vehicle.plate-changed` record that holds no plate. Unchanged values write nothing.',
          security: signedIn,
          params: vehicleParams,
          body: z
            .object({ plate: plateSchema.optional(), size: sizeSchema.optional(), ev: z.boolean().optional() })
            .refine(
              (b) => b.plate !== undefined || b.size !== undefined || b.ev !== undefined,
              'name at least one of plate, size, ev',
            ),
          response: {
            200: z.object({ vehicleId: z.string(), events: z.array(eventRef) }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const vehicleId = request.params.vehicleId as VehicleId;
        const events = await editVehicle(ctx, principalOf(request), vehicleId, request.body);
        return { vehicleId, events: events.map(ref) };
      },
    );

    app.get(
      '/consent',
      {
        config: { access: ['resident', 'manager', 'guard'] },
        schema: {
          tags: ['keys'],
          summary: 'The key-custody consent text residents agree to',
          description: 'The current version, or `?version=` an earlier one; every published version stays readable.',
          security: signedIn,
          querystring: z.object({ version: z.string().max(16).optional() }),
          response: { 200: consentTextSchema.extend({ current: z.boolean() }), ...pickErrors(401, 403, 404) },
        },
      },
      (request) => {
        const text = consentText(request.query.version ?? CURRENT_CONSENT_VERSION);
        if (text === undefined) {
          const published = CONSENT_TEXTS.map((t) => t.version).join(', ');
          throw new DomainError(
            'NOT_FOUND',
            `query.version: no consent text "${request.query.version}" (published: ${published})`,
            { field: 'query.version' },
          );
        }
        return { ...text, paragraphs: [...text.paragraphs], current: text.version === CURRENT_CONSENT_VERSION };
      },
    );

    app.post(
      '/vehicles/:vehicleId/consent',
      {
        config: { access: ['resident'] },
        schema: {
          tags: ['keys'],
          summary: 'Consent to the guards holding this car’s spare key',
          description:
            'Recorded as `consent.given` with the text version and the time. Without consent no key is accepted.',
          security: signedIn,
          params: vehicleParams,
          body: z.object({
            textVersion: z
              .string()
              .min(1)
              .max(16)
              .describe('the version of the text shown, from `GET /api/consent`')
              .meta({ examples: ['1'] }),
          }),
          response: { 200: z.object({ event: eventRef }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        event: ref(
          await giveConsent(ctx, principalOf(request), request.params.vehicleId as VehicleId, request.body.textVersion),
        ),
      }),
    );

    app.delete(
      '/vehicles/:vehicleId/consent',
      {
        config: { access: ['resident'] },
        schema: {
          tags: ['keys'],
          summary: 'Withdraw key-custody consent',
          description:
            'Refused with `KEY_ALREADY_IN_CUSTODY` while the guards hold the key: they hand it back first (`POST /api/keys/{tag}/release`).',
          security: signedIn,
          params: vehicleParams,
          response: { 200: z.object({ event: eventRef }), ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        event: ref(await withdrawConsent(ctx, principalOf(request), request.params.vehicleId as VehicleId)),
      }),
    );
  };
}
