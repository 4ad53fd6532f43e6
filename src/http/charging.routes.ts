/** @module EV charging: a resident's request for tonight, and the night's charger plan whose swaps become guard tasks. */
import { z } from 'zod';
import { planCompoundCharging, requestCharging } from '../app/charging.js';
import type { AppContext } from '../app/context.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam, taskSchema } from './schemas.js';

const instant = z.iso.datetime({
  offset: true,
  error: 'an instant is ISO 8601 with a zone, e.g. 2026-12-01T07:30:00+08:00',
});

export function chargingRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/vehicles/:vehicleId/charging-requests',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'An EV’s charge for tonight: energy (kWh) or a target percentage, and the departure',
          description:
            'Give `energyKwh`, or `targetPercent` with `currentPercent` (and `batteryKwh`, default 60). A new request replaces tonight’s earlier one.',
          security: signedIn,
          params: z.object({ vehicleId: idParam('vehicle') }),
          body: z.object({
            energyKwh: z.number().positive().max(150).optional(),
            targetPercent: z.number().int().min(1).max(100).optional(),
            currentPercent: z.number().int().min(0).max(99).optional(),
            batteryKwh: z.number().positive().max(200).optional(),
            departureAt: instant,
          }),
          response: {
            200: z.object({
              id: z.string(),
              vehicleId: z.string(),
              night: z.string(),
              energyKwh: z.number(),
              targetPercent: z.number().nullable(),
              departureAt: z.number(),
            }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      (request) => {
        const { departureAt, ...rest } = request.body;
        return requestCharging(ctx, principalOf(request), request.params.vehicleId, {
          ...rest,
          departureAt: Date.parse(departureAt),
        });
      },
    );

    app.post(
      '/compounds/:compoundId/charging-plan',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['vehicles'],
          summary:
            'Plan tonight’s chargers: every request the chargers allow met by its departure, with the fewest swaps',
          description:
            'With `apply: true` the swaps due within the next hour become guard `move` tasks (reason `charging`): the car on the charger is moved off first. `status: shared` says not every request can be met, and the night is shared fairly.',
          security: signedIn,
          params: z.object({ compoundId: idParam('compound') }),
          body: z.object({ apply: z.boolean().default(false) }).default({ apply: false }),
          response: {
            200: z.object({
              night: z.string(),
              status: z.enum(['all-met', 'shared']),
              startAt: z.number(),
              slotMinutes: z.number().int(),
              chargers: z.array(z.string()),
              outcomes: z.array(
                z.object({
                  vehicleId: z.string(),
                  neededSlots: z.number().int(),
                  plannedSlots: z.number().int(),
                  met: z.boolean(),
                  plannedKwh: z.number(),
                }),
              ),
              swaps: z.array(
                z.object({
                  dueAt: z.number(),
                  chargerPositionId: z.string(),
                  vehicleId: z.string(),
                  displaced: z.string().nullable(),
                }),
              ),
              lowerBound: z.number().int().describe('no plan delivering the same charge needs fewer swaps'),
              atPartner: z.array(z.string()),
              notHere: z.array(z.string()),
              tasks: z.array(taskSchema),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      (request) => planCompoundCharging(ctx, principalOf(request), request.params.compoundId, request.body.apply),
    );
  };
}
