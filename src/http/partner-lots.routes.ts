/**
 * @module Partner lots and their bookings: the lots (a partner sees only its own), the cars on a
 * lot now, the manager's edits and dated exceptions, night and standing bookings, check-in and
 * check-out at the partner, valet to the partner, and the overstay check.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { WEEKDAYS } from '../core/calendar.js';
import type { BookingStatus } from '../core/statuses.js';
import {
  cancelBooking,
  carsAtPartnerLot,
  checkInBooking,
  checkOutBooking,
  createBooking,
  createStandingBooking,
  listBookings,
  requestValet,
} from '../app/partner-bookings.js';
import { listPartnerLots, partnerLotView, setPartnerException, updatePartnerLot } from '../app/partner-lots.js';
import { checkPartnerLots } from '../app/partner-overstay.js';
import { principalOf } from './auth.js';
import { pageOf, pageQuery, pageSchema } from './paging.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam } from './schemas.js';

const STATUSES = [
  'booked',
  'cancelled',
  'checked-in',
  'checked-out',
  'overstay',
] as const satisfies readonly BookingStatus[];
const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a time is "HH:MM"');
const isoDate = z.iso.date({ error: 'a date is YYYY-MM-DD' });
const instant = z.iso.datetime({
  offset: true,
  error: 'an instant is ISO 8601 with a zone, e.g. 2026-11-30T19:30:00+08:00',
});
const windowSchema = z.object({
  days: z.array(z.enum(WEEKDAYS)).min(1, 'a window opens on at least one day'),
  from: timeOfDay,
  to: timeOfDay,
});
const policySchema = z.object({
  reminderMinutes: z.number().int().min(0).max(240),
  strikeLimit: z.number().int().min(1).max(20),
  strikeDays: z.number().int().min(1).max(365),
  suspensionDays: z.number().int().min(1).max(365),
});

const lotSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisation: z.string(),
  spaces: z.number().int(),
  chargerSpaces: z.number().int().describe('spaces 1..chargerSpaces have chargers'),
  chargerKw: z.number().nullable(),
  windows: z.array(windowSchema),
  walkMinutes: z.number().int(),
  leaveBy: z.string(),
  contacts: z.array(z.object({ name: z.string(), role: z.string(), phone: z.string() })),
  policy: policySchema,
  exceptions: z.array(
    z.object({ night: z.string(), from: z.string().nullable(), to: z.string().nullable(), reason: z.string() }),
  ),
  tonight: z.object({
    night: z.string(),
    open: z.boolean(),
    startAt: z.number().nullable(),
    leaveByAt: z.number().nullable(),
    booked: z.number().int(),
    chargerBooked: z.number().int(),
  }),
});

const bookingSchema = z.object({
  id: z.string(),
  lotId: z.string(),
  vehicleId: z.string(),
  plate: z.string().nullable().optional(),
  householdId: z.string().nullable(),
  night: z.string().describe('the day whose evening starts the night'),
  space: z.number().int(),
  charger: z.boolean(),
  standingId: z.string().nullable(),
  valet: z.boolean(),
  taskId: z.string().nullable(),
  status: z.enum(STATUSES),
  startAt: z.number(),
  leaveByAt: z.number(),
  checkedInAt: z.number().nullable(),
  checkedOutAt: z.number().nullable(),
  overstayAt: z.number().nullable(),
});

const lotParams = z.object({ id: idParam('partner lot') });
const bookingParams = z.object({ id: idParam('booking') });

export function partnerLotsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/partner-lots',
      {
        config: { access: ['manager', 'guard', 'resident', 'partner'] },
        schema: {
          tags: ['partner'],
          summary: 'Partner lots with tonight’s window and bookings (a partner: its own lot only)',
          security: signedIn,
          response: { 200: z.object({ lots: z.array(lotSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ lots: await listPartnerLots(ctx, principalOf(request)) }),
    );

    app.get(
      '/partner-lots/:id',
      {
        config: { access: ['manager', 'guard', 'resident', 'partner'] },
        schema: {
          tags: ['partner'],
          summary: 'One partner lot',
          security: signedIn,
          params: lotParams,
          response: { 200: lotSchema, ...pickErrors(400, 401, 403, 404) },
        },
      },
      (request) => partnerLotView(ctx, principalOf(request), request.params.id),
    );

    app.patch(
      '/partner-lots/:id',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['partner'],
          summary: 'Edit a lot’s spaces, windows, walk time, leave-by and rules (strikes, suspension, reminder)',
          security: signedIn,
          params: lotParams,
          body: z.object({
            spaces: z.number().int().min(1).max(1000).optional(),
            chargerSpaces: z.number().int().min(0).max(1000).optional(),
            windows: z.array(windowSchema).min(1).max(14).optional(),
            walkMinutes: z.number().int().min(0).max(60).optional(),
            leaveBy: timeOfDay.optional(),
            policy: policySchema.partial().optional(),
          }),
          response: { 200: lotSchema, ...pickErrors(400, 401, 403, 404) },
        },
      },
      (request) => updatePartnerLot(ctx, principalOf(request), request.params.id, request.body),
    );

    app.put(
      '/partner-lots/:id/exceptions/:night',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['partner'],
          summary: 'A dated exception: the lot closed that night (no times), or open at other times',
          security: signedIn,
          params: z.object({ id: idParam('partner lot'), night: isoDate }),
          body: z.object({
            from: timeOfDay.optional(),
            to: timeOfDay.optional(),
            reason: z.string().trim().min(1, 'say why').max(200),
          }),
          response: { 200: lotSchema, ...pickErrors(400, 401, 403, 404) },
        },
      },
      (request) =>
        setPartnerException(ctx, principalOf(request), request.params.id, {
          night: request.params.night,
          from: request.body.from ?? null,
          to: request.body.to ?? null,
          reason: request.body.reason,
        }),
    );

    app.get(
      '/partner-lots/:id/cars',
      {
        config: { access: ['manager', 'guard', 'partner'] },
        schema: {
          tags: ['partner'],
          summary: 'The cars on the lot now, who must leave by when, and overstays (a partner: its own lot only)',
          security: signedIn,
          params: lotParams,
          response: { 200: z.object({ cars: z.array(bookingSchema) }), ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ cars: await carsAtPartnerLot(ctx, principalOf(request), request.params.id) }),
    );

    app.post(
      '/partner-lots/check',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['partner'],
          summary: 'Run the leave-by reminders and the overstay check now (the server runs it every minute)',
          security: signedIn,
          response: {
            200: z.object({
              reminded: z.array(z.string()),
              overstays: z.array(z.string()),
              suspended: z.array(z.string()),
            }),
            ...pickErrors(401, 403),
          },
        },
      },
      (request) => checkPartnerLots(ctx, principalOf(request).compoundId),
    );

    app.get(
      '/bookings',
      {
        config: { access: ['manager', 'guard', 'resident', 'partner'] },
        schema: {
          tags: ['partner'],
          summary: 'Bookings (a resident: their household’s; a partner: its lot’s)',
          security: signedIn,
          querystring: z.object({
            night: isoDate.optional(),
            lotId: idParam('partner lot').optional(),
            status: z.enum(STATUSES).optional(),
            ...pageQuery,
          }),
          response: {
            200: z.object({ bookings: z.array(bookingSchema), page: pageSchema }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        const { items, page } = pageOf(await listBookings(ctx, principalOf(request), filter), { limit, offset });
        return { bookings: items, page };
      },
    );

    app.post(
      '/bookings',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['partner'],
          summary: 'Book a night at a partner lot',
          description: `The night must be open (weekly window and dated exceptions; \`OUTSIDE_WINDOW\`), and \`arriveAt\`, if given, inside it.
A car has one booking a night (\`BOOKING_OVERLAP\`). \`charger: true\` takes the lowest free charger space (EVs only;
\`CHARGER_SPACES_FULL\`), \`space\` a given one (\`SPACE_TAKEN\`). A household with too many overstays is suspended (\`BOOKING_SUSPENDED\`).`,
          security: signedIn,
          body: z.object({
            lotId: idParam('partner lot'),
            vehicleId: idParam('vehicle'),
            night: isoDate.describe('the day whose evening starts the night'),
            arriveAt: instant.optional(),
            charger: z.boolean().optional(),
            space: z.number().int().min(1).max(1000).optional(),
            valet: z.boolean().optional().describe('a guard may drive the car there'),
          }),
          response: { 200: bookingSchema, ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      (request) => {
        const { arriveAt, ...rest } = request.body;
        return createBooking(ctx, principalOf(request), {
          ...rest,
          ...(arriveAt === undefined ? {} : { arriveAt: Date.parse(arriveAt) }),
        });
      },
    );

    app.post(
      '/bookings/standing',
      {
        config: { access: ['resident', 'manager'] },
        schema: {
          tags: ['partner'],
          summary:
            'A standing booking: the given weekdays for some weeks; closed or full nights are skipped and listed',
          security: signedIn,
          body: z.object({
            lotId: idParam('partner lot'),
            vehicleId: idParam('vehicle'),
            days: z.array(z.enum(WEEKDAYS)).min(1, 'name at least one weekday'),
            from: isoDate.describe('the first night'),
            weeks: z.number().int().min(1).max(8),
            charger: z.boolean().optional(),
            valet: z.boolean().optional(),
          }),
          response: {
            200: z.object({
              standingId: z.string(),
              bookings: z.array(bookingSchema),
              skipped: z.array(z.object({ night: z.string(), code: z.string(), reason: z.string() })),
            }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      (request) => createStandingBooking(ctx, principalOf(request), request.body),
    );

    for (const [action, summary, access, run] of [
      ['cancel', 'Cancel a booking not yet checked in', ['resident', 'manager'], cancelBooking],
      [
        'check-in',
        'Check the car in at the partner (resident or partner staff), inside the night’s window',
        ['resident', 'partner', 'manager'],
        checkInBooking,
      ],
      ['check-out', 'The car leaves the partner lot', ['resident', 'partner', 'manager'], checkOutBooking],
    ] as const) {
      app.post(
        `/bookings/:id/${action}`,
        {
          config: { access },
          schema: {
            tags: ['partner'],
            summary,
            security: signedIn,
            params: bookingParams,
            response: { 200: bookingSchema, ...pickErrors(400, 401, 403, 404, 409) },
          },
        },
        (request) => run(ctx, principalOf(request), request.params.id),
      );
    }

    app.post(
      '/bookings/:id/valet',
      {
        config: { access: ['resident', 'guard', 'manager'] },
        schema: {
          tags: ['partner'],
          summary:
            'Valet to the partner: the resident allows a guard to drive the car there (queues a guard task); staff only for a booking made with valet',
          security: signedIn,
          params: bookingParams,
          response: {
            200: z.object({ booking: bookingSchema, taskId: z.string() }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      (request) => requestValet(ctx, principalOf(request), request.params.id),
    );
  };
}
