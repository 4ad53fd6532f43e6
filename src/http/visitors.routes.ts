/** @module Visitors: pre-registered by a resident, registered at the gate by a guard, listed by status. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { CURRENT_STATUSES, VISIT_STATUSES, listVisitors, registerVisitor } from '../app/visitors.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent } from '../core/events.js';
import { VEHICLE_SIZES } from '../core/layout.js';
import { principalOf } from './auth.js';
import { pageOf, pageQuery, pageSchema } from './paging.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { eventRef, idParam, plateSchema } from './schemas.js';

const ref = (e: LedgerEvent) => ({ seq: e.seq, type: e.type, hash: e.hash, at: e.at });
const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, error: 'an instant is ISO 8601 with a zone, e.g. 2026-11-27T19:00:00+08:00' })
    .describe(description)
    .meta({ examples: ['2026-11-27T19:00:00+08:00'] });

const visitSchema = z.object({
  id: z.string(),
  vehicleId: z.string(),
  plate: z.string().nullable(),
  hostHouseholdId: z.string().nullable(),
  from: z.number().describe('epoch ms'),
  to: z.number().describe('epoch ms'),
  status: z.enum(VISIT_STATUSES),
  arrivedAt: z.number().nullable(),
  leftAt: z.number().nullable(),
  overstayFlaggedAt: z.number().nullable().describe('when `visitor.overstayed` was recorded'),
  registeredBy: z.string(),
  registeredAt: z.number(),
});

function notFor(role: string, field: string, rule: string): DomainError {
  return new DomainError('VALIDATION', `body.${field}: ${rule} when a ${role} registers a visitor`, {
    field: `body.${field}`,
  });
}

export function visitorsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/visitors',
      {
        config: { access: ['resident', 'guard'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Register a visitor’s car',
          description: `A resident pre-registers a visitor for their household with \`{ plate, from, to }\`; a guard on duty registers one at
the gate with \`{ plate, until }\` (from now; \`householdId\` names the host if known). The window starts before it ends, ends in the
future and lasts at most 7 days (\`BAD_WINDOW\`). The car is a vehicle of no household: the guards hold no key of it, so it is never
placed in front of another car. A plate of a resident's car is refused (\`DUPLICATE_PLATE\`); a returning visitor's car is reused.`,
          security: signedIn,
          body: z.object({
            plate: plateSchema,
            from: instant('resident: start of the window').optional(),
            to: instant('resident: end of the window').optional(),
            until: instant('guard: end of the window, which starts now').optional(),
            householdId: idParam('household').optional().describe('guard: the host household'),
            size: z.enum(VEHICLE_SIZES).optional().describe('default standard'),
          }),
          response: {
            200: z.object({ visitId: z.string(), vehicleId: z.string(), events: z.array(eventRef) }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const b = request.body;
        let from: number | undefined;
        let to: number;
        if (principal.role === 'resident') {
          if (b.from === undefined) throw notFor('resident', 'from', 'required');
          if (b.to === undefined) throw notFor('resident', 'to', 'required');
          if (b.until !== undefined) throw notFor('resident', 'until', 'not used (give from and to)');
          from = Date.parse(b.from);
          to = Date.parse(b.to);
        } else {
          if (b.until === undefined) throw notFor('guard', 'until', 'required');
          if (b.from !== undefined || b.to !== undefined)
            throw notFor('guard', b.from !== undefined ? 'from' : 'to', 'not used (the visit starts now; give until)');
          to = Date.parse(b.until);
        }
        const { visitId, vehicleId, events } = await registerVisitor(ctx, principal, {
          plate: b.plate,
          from,
          to,
          householdId: b.householdId,
          size: b.size,
        });
        return { visitId, vehicleId, events: events.map(ref) };
      },
    );

    app.get(
      '/visitors',
      {
        config: { access: ['guard', 'manager', 'resident'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Visitors by status',
          description: `\`expected\` (not yet arrived), \`on-site\`, \`overstayed\` (still on site after the window), \`left\`, \`no-show\`.
Without \`status\`: ${CURRENT_STATUSES.join(', ')}. Lists visits whose car is on site and visits whose window ended within 7 days.
A resident sees only their household's visitors. Paged: \`limit\` (1–500, default 500) and \`offset\`.`,
          security: signedIn,
          querystring: z.object({ status: z.enum(VISIT_STATUSES).optional(), ...pageQuery }),
          response: {
            200: z.object({ visitors: z.array(visitSchema), page: pageSchema }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const statuses = request.query.status === undefined ? CURRENT_STATUSES : [request.query.status];
        const { items, page } = pageOf(await listVisitors(ctx, principalOf(request), statuses), request.query);
        return { visitors: items, page };
      },
    );
  };
}
