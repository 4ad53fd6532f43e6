/** @module Figures for the manager and the committee (read-only, aggregates only). */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { compoundFigures } from '../app/reports.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';

const nightSchema = z.object({
  night: z.string().describe('the day whose evening starts the night'),
  checkIns: z.number(),
  departures: z.number(),
  relocations: z.number(),
  preStaging: z.number(),
  nowRequests: z.number(),
  waitMeanMin: z.number().nullable(),
  waitMaxMin: z.number().nullable(),
  keyAlarms: z.number(),
  incidents: z.number(),
});

const halfHours = z.array(z.number().nullable()).length(48);
const profilesSchema = z.object({
  waitByHour: z
    .array(z.number().nullable())
    .length(24)
    .describe('mean minutes from a "now" request to the car leaving, by local hour of the request'),
  guardBusyMinByHalfHour: halfHours.describe('mean guard-minutes busy on tasks per half hour of the day, from 00:00'),
  occupancyByHalfHour: halfHours.describe('mean cars on site per half hour of the day, from 00:00'),
});

export function reportsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/reports/nights',
      {
        config: { access: ['manager', 'committee'] },
        schema: {
          tags: ['system'],
          summary:
            'Per night: cars served, relocations, waits of "now" requests, key alarms, incidents; by time of day over those nights: waits, guard load, cars on site',
          security: signedIn,
          querystring: z.object({ nights: z.coerce.number().int().min(1).max(92).default(30) }),
          response: {
            200: z.object({ nights: z.array(nightSchema), profiles: profilesSchema }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => compoundFigures(ctx, principalOf(request).compoundId, request.query.nights),
    );
  };
}
