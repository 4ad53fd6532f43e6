/** @module Figures for the manager and the committee (read-only, aggregates only). */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { compoundFigures } from '../app/reports.js';
import { shiftSummaries } from '../app/shift-summary.js';
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
  gateWaitMeanMin: z.number().nullable().describe('minutes from check-in at the gate to the car in its place'),
  gateWaitMaxMin: z.number().nullable(),
  keyAlarms: z.number(),
  incidents: z.number(),
});

const shiftSummarySchema = z.object({
  day: z.string().describe('the day the shift starts, YYYY-MM-DD (Asia/Shanghai)'),
  shiftId: z.string(),
  shiftName: z.string(),
  start: z.number().describe('epoch ms'),
  end: z.number().describe('epoch ms; a night shift ends the next morning'),
  guards: z.array(
    z.object({
      guardId: z.string(),
      name: z.string().nullable(),
      parked: z.number().int(),
      delivered: z.number().int().describe('cars the guard handed back (car.departed by the guard)'),
      moves: z.number().int().describe('relocations and pre-staging moves'),
    }),
  ),
  retrievals: z.number().int().describe('"now" requests whose car left during the shift'),
  retrievalMeanMin: z.number().nullable(),
  retrievalMaxMin: z.number().nullable(),
  keysOutAtHandover: z.number().int().nullable().describe('spare keys out with a guard at the end; null while running'),
  incidents: z.number().int(),
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

    app.get(
      '/reports/shifts',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['system'],
          summary:
            'Shift summary: per rostered shift and guard, cars parked and delivered, retrieval times, keys out at hand-over, incidents',
          description:
            'From the ledger and the roster. Retrieval time is a resident\'s "now" request to the car leaving (as in `/reports/nights`); keys out are counted at the end of each shift that has ended.',
          security: signedIn,
          querystring: z.object({
            from: z.iso.date().describe('first day, YYYY-MM-DD (Asia/Shanghai)'),
            days: z.coerce.number().int().min(1).max(31).default(7),
          }),
          response: {
            200: z.object({ shifts: z.array(shiftSummarySchema) }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => ({
        shifts: await shiftSummaries(ctx, principalOf(request).compoundId, request.query.from, request.query.days),
      }),
    );
  };
}
