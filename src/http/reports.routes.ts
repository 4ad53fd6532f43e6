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

export function reportsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/reports/nights',
      {
        config: { access: ['manager', 'committee'] },
        schema: {
          tags: ['system'],
          summary: 'Per night: cars served, relocations, waits of "now" requests, key alarms, incidents',
          security: signedIn,
          querystring: z.object({ nights: z.coerce.number().int().min(1).max(92).default(30) }),
          response: { 200: z.object({ nights: z.array(nightSchema) }), ...pickErrors(400, 401, 403) },
        },
      },
      async (request) => ({ nights: await compoundFigures(ctx, principalOf(request).compoundId, request.query.nights) }),
    );
  };
}
