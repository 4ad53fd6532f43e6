/**
 * @module The layout editor's route (one lane replaced or added, the whole layout checked again,
 * fire-lane positions refused) and the list of cars a person may see, which the web app's resident
 * screen starts from.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { putLane } from '../app/layout.js';
import { listVehicles } from '../app/vehicle-list.js';
import type { IsoDate } from '../core/brand.js';
import { principalOf } from './auth.js';
import { pageOf, pageQuery, sendPageHeaders } from './paging.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { carLocationSchema, idParam } from './schemas.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

const laneBody = z.object({
  name: z.string().min(1).max(60).optional(),
  access: z.enum(['one-end', 'through']).default('one-end'),
  area: z
    .string()
    .max(60)
    .default('')
    .describe('where the lane is; an area listed as a fire lane is refused (FIRE_LANE)'),
  positions: z
    .array(
      z.object({
        id: idParam('position'),
        index: z.number().int().min(0).max(50),
        kind: z.enum(['bay', 'aisle', 'tandem']).optional(),
        chargerKw: z.number().positive().max(350).nullable().default(null),
        maxSize: z.enum(['small', 'standard', 'large']).default('large'),
        area: z.string().max(60).optional().describe("overrides the lane's area for this position"),
        closures: z
          .array(z.object({ from: isoDate, to: isoDate, reason: z.string().min(1).max(200) }))
          .max(20)
          .default([]),
      }),
    )
    .min(1, 'a lane has at least one position')
    .max(50),
});

export function layoutRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.put(
      '/compounds/:compoundId/lanes/:laneId',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['lot'],
          summary: 'Replace or add one lane of the layout (positions, chargers, closures)',
          description:
            'The whole layout is validated again and written as one `layout.set` event. A position in a fire-lane area is refused with `FIRE_LANE`; removing a position that holds a car with `POSITION_OCCUPIED`.',
          security: signedIn,
          params: z.object({ compoundId: idParam('compound'), laneId: idParam('lane') }),
          body: laneBody,
          response: {
            200: z.object({ laneId: z.string(), lanes: z.number().int(), positions: z.number().int() }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const { compoundId, laneId } = request.params;
        const { positions, ...lane } = request.body;
        const layout = await putLane(ctx, principalOf(request), compoundId, {
          id: laneId,
          ...lane,
          // The schema checked the YYYY-MM-DD form; that is what the IsoDate brand stands for.
          positions: positions.map((p) => ({
            ...p,
            closures: p.closures.map((c) => ({ ...c, from: c.from as IsoDate, to: c.to as IsoDate })),
          })),
        });
        return {
          laneId,
          lanes: layout.lanes.length,
          positions: layout.lanes.reduce((n, l) => n + l.positions.length, 0),
        };
      },
    );

    app.get(
      '/vehicles',
      {
        config: { access: ['resident', 'manager', 'guard'] },
        schema: {
          tags: ['vehicles'],
          summary: "The cars you may see and where each is (a resident: their household's cars)",
          description:
            'Paged: `limit` (1–500, default 500) and `offset`; the reply headers `X-Total-Count` and `X-Next-Offset` (absent on the last page) tell the rest.',
          security: signedIn,
          querystring: z.object(pageQuery),
          response: {
            200: z.array(
              z.object({
                id: z.string(),
                plate: z.string().nullable(),
                householdId: z.string().nullable(),
                ev: z.boolean(),
                location: carLocationSchema,
              }),
            ),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const { items, page } = pageOf(await listVehicles(ctx, principalOf(request)), request.query);
        sendPageHeaders(reply, page);
        return items;
      },
    );
  };
}
