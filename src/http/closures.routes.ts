/**
 * @module Closures of positions or lanes (e.g. 加装电梯施工), the 60-night capacity forecast, and
 * the proposal of who goes to the partner lot on a night the compound is short.
 */
import { z } from 'zod';
import { applyAllocation, capacityForecast, proposeAllocation, setClosure } from '../app/closures.js';
import type { AppContext } from '../app/context.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam } from './schemas.js';

const isoDate = z.iso.date({ error: 'a date is YYYY-MM-DD' });
const compoundParams = z.object({ compoundId: idParam('compound') });

const forecastNight = z.object({
  night: z.string(),
  positions: z.number().int().describe('open positions that night'),
  closedPositions: z.number().int(),
  expectedCars: z.number().int().describe("every resident's car (an upper bound)"),
  partnerSpaces: z.number().int(),
  partnerChargerSpaces: z.number().int(),
  shortfall: z.number().int().describe('cars above the open positions'),
  unplaced: z.number().int().describe('cars above the open positions and the partner spaces'),
});

export function closuresRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/compounds/:compoundId/closures',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['lot'],
          summary: 'Close positions or lanes for dated days, with a reason; affected residents are told',
          description: `Writes a new \`layout.set\` with the closure added and a \`closure.set\` record. A closure that starts today is refused
while a car stands on one of its positions (\`POSITION_OCCUPIED\`); for a later start, those cars are listed in \`carsToMove\`.
Told in advance: the households whose cars stood there in the last 30 days, and every resident when the compound falls short of
the cars expected during the closure.`,
          security: signedIn,
          params: compoundParams,
          body: z.object({
            positionIds: z.array(idParam('position')).max(500).default([]),
            laneIds: z.array(idParam('lane')).max(200).default([]),
            from: isoDate.describe('first closed day'),
            to: isoDate.describe('last closed day (inclusive)'),
            reason: z.string().trim().min(1, 'say why, e.g. 加装电梯施工').max(200),
          }),
          response: {
            200: z.object({
              closureId: z.string(),
              positionIds: z.array(z.string()),
              carsToMove: z.array(z.string()),
              affectedHouseholds: z.array(z.string()),
              allResidents: z.boolean(),
              notified: z.number().int(),
              forecast: z.array(forecastNight),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      (request) => setClosure(ctx, principalOf(request), request.params.compoundId, request.body),
    );

    app.get(
      '/compounds/:compoundId/forecast',
      {
        config: { access: ['manager', 'guard', 'committee'] },
        schema: {
          tags: ['lot'],
          summary: "Each night's capacity for the next 60 nights: open positions, expected cars, partner spaces",
          security: signedIn,
          params: compoundParams,
          querystring: z.object({ days: z.coerce.number().int().min(1).max(60).default(60) }),
          response: { 200: z.object({ nights: z.array(forecastNight) }), ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        nights: await capacityForecast(ctx, principalOf(request), request.params.compoundId, request.query.days),
      }),
    );

    app.get(
      '/compounds/:compoundId/partner-allocation',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['partner'],
          summary:
            'Who goes to the partner lot on a night the compound is short: volunteers and standing bookings, then a fair rotation',
          security: signedIn,
          params: compoundParams,
          querystring: z.object({ night: isoDate.optional().describe('default tonight') }),
          response: {
            200: z.object({
              night: z.string(),
              capacity: z.number().int(),
              expected: z.number().int(),
              shortfall: z.number().int(),
              partnerSpaces: z.number().int(),
              partnerChargerSpaces: z.number().int(),
              toPartner: z.array(
                z.object({
                  vehicleId: z.string(),
                  householdId: z.string().nullable(),
                  reason: z.enum(['volunteer', 'standing', 'rotation']),
                  chargerSpace: z.boolean(),
                }),
              ),
              unplaced: z.number().int(),
            }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      (request) => proposeAllocation(ctx, principalOf(request), request.params.compoundId, request.query.night),
    );

    app.post(
      '/compounds/:compoundId/partner-allocation',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['partner'],
          summary:
            'Apply a night’s allocation: the cars the rotation sends get partner bookings, and their households are told',
          security: signedIn,
          params: compoundParams,
          body: z.object({ night: isoDate.optional().describe('default tonight') }).default({}),
          response: {
            200: z.object({
              night: z.string(),
              booked: z.array(
                z.object({
                  vehicleId: z.string(),
                  bookingId: z.string(),
                  lotId: z.string(),
                  space: z.number().int(),
                  charger: z.boolean(),
                }),
              ),
              skipped: z.array(z.object({ vehicleId: z.string(), code: z.string(), reason: z.string() })),
            }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      (request) => applyAllocation(ctx, principalOf(request), request.params.compoundId, request.body.night),
    );
  };
}
