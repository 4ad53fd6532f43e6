/**
 * @module Fees and bills: fee rules, monthly cards and pauses, bills, payments and receipts, the
 * committee's totals, and the payment gateway's signed callback (HMAC-SHA256 of the raw body).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  BILL_LINE_KINDS,
  PAYMENT_METHODS,
  billingSummary,
  endCard,
  householdAccount,
  issueBills,
  issueCard,
  listCards,
  listFeeRules,
  pauseCard,
  receiptOf,
  recordPayment,
  setFeeRules,
} from '../app/billing.js';
import { MAX_SESSION_WH, meterCharging } from '../app/charging-sessions.js';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../core/errors.js';
import type { FeeRules } from '../core/fees.js';
import { PLACE_KINDS } from '../core/fees.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam } from './schemas.js';

const fen = z.number().int().min(0).describe('integer fen (分)');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

const rulesSchema = z.object({
  effectiveFrom: day,
  monthly: z
    .object({ bay: z.array(fen).min(1), tandem: z.array(fen).min(1), aisle: z.array(fen).min(1) })
    .describe(
      'fen a month per kind of place, by the household’s 1st, 2nd, … car (the last entry holds for further cars)',
    ),
  temporary: z.object({ freeMinutes: z.number().int().min(0), perHourFen: fen, dailyCapFen: fen }),
  partner: z.object({ nightFen: fen, overstayPerHourFen: fen }),
  evPerKwhFen: fen,
  wastePerBagFen: fen.optional().describe('construction waste, fen per bag (default 800, ¥8)'),
  exemptions: z.array(
    z.object({ householdId: idParam('household'), reason: z.string().min(1).max(100), percentOff: z.number().int() }),
  ),
});

const lineSchema = z.object({
  forMonth: z.string(),
  kind: z
    .enum(BILL_LINE_KINDS as ['card', 'adjustment', 'visitor', 'partner', 'ev', 'waste'])
    .describe('card (月租), adjustment (an earlier month recomputed), visitor (临停), partner, ev, waste (建筑垃圾)'),
  cardId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  fen: z.number().int(),
  daysCharged: z.number().int(),
  daysPaused: z.number().int(),
  refId: z.string().nullable().describe('a usage line’s visit, booking, charging session or waste declaration'),
  quantity: z
    .number()
    .int()
    .nullable()
    .describe('minutes (visitor), hours past leave-by (partner), watt-hours (ev), bags (waste)'),
  events: z.array(z.number().int()).describe('the ledger seqs a usage line was computed from'),
});
const billSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  month: z.string(),
  totalFen: z.number().int(),
  paidFen: z.number().int(),
  dueFen: z.number().int(),
  status: z.enum(['paid', 'partial', 'unpaid']),
  issuedAt: z.number(),
  dueAt: z.number(),
  lines: z.array(lineSchema),
});
const paymentSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  fen: z.number().int(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  receiptNo: z.string(),
  paidAt: z.number(),
});
const cardSchema = z.object({
  id: z.string(),
  vehicleId: z.string(),
  householdId: z.string(),
  placeKind: z.enum(PLACE_KINDS as ['bay', 'tandem', 'aisle']),
  from: z.string(),
  to: z.string().nullable(),
  pauses: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })).optional(),
});

/** How far the gateway's timestamp may be from the server's clock. */
const GATEWAY_SKEW_MS = 5 * 60_000;

export interface BillingOptions {
  /** The payment gateway's shared secret (`PARKBUTLER_PAY_SECRET`); unset: the callback refuses everything. */
  gatewaySecret?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Checks `X-Pay-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` and the timestamp's freshness. */
function verifyGateway(request: FastifyRequest, secret: string | null, now: number): void {
  const refuse = (why: string) => new DomainError('BAD_SIGNATURE', `X-Pay-Signature: ${why}`);
  if (secret === null) throw refuse('no payment gateway is configured');
  const signature = request.headers['x-pay-signature'];
  const timestamp = request.headers['x-pay-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') throw refuse('missing signature or timestamp');
  const ts = Number(timestamp) * 1000;
  if (!Number.isFinite(ts) || Math.abs(now - ts) > GATEWAY_SKEW_MS) throw refuse('timestamp too far from now');
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret)
      .update(`${timestamp}.${request.rawBody ?? ''}`)
      .digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('signature does not match');
}

export function billingRoutes(ctx: AppContext, options: BillingOptions = {}): RoutePlugin {
  const secret = options.gatewaySecret ?? process.env.PARKBUTLER_PAY_SECRET ?? null;
  return async (app) => {
    // Keep the raw body: the gateway's signature is over the bytes sent.
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      request.rawBody = text;
      try {
        done(null, text === '' ? undefined : JSON.parse(text));
      } catch (error) {
        (error as { statusCode?: number }).statusCode = 400;
        done(error as Error, undefined);
      }
    });

    app.get(
      '/fees/rules',
      {
        config: { access: ['manager', 'committee', 'resident'] },
        schema: {
          tags: ['fees'],
          summary: 'The fee-rule versions, oldest first',
          security: signedIn,
          response: { 200: z.object({ versions: z.array(rulesSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => {
        const versions = await listFeeRules(ctx, principalOf(request));
        // Exemptions name households: only the manager sees them.
        const manager = principalOf(request).role === 'manager';
        return { versions: versions.map((v) => (manager ? v : { ...v, exemptions: [] })) };
      },
    );

    app.put(
      '/fees/rules/:effectiveFrom',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['fees'],
          summary: 'Set the fee rules that take effect on a day',
          description: `Each version holds from its day until the next version's. A month is charged day by day under the version
in force that day (so a change mid-month prorates), rounded half up to the fen once per card. All amounts are integer fen.`,
          security: signedIn,
          params: z.object({ effectiveFrom: day }),
          body: rulesSchema.omit({ effectiveFrom: true }),
          response: { 200: rulesSchema, ...pickErrors(400, 401, 403) },
        },
      },
      async (request) =>
        setFeeRules(ctx, principalOf(request), {
          ...request.body,
          effectiveFrom: request.params.effectiveFrom,
        } as FeeRules),
    );

    app.get(
      '/fees/cards',
      {
        config: { access: ['manager', 'resident'] },
        schema: {
          tags: ['fees'],
          summary: 'Monthly cards (月卡) with their pauses; a resident sees the household’s own',
          security: signedIn,
          response: { 200: z.object({ cards: z.array(cardSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ cards: await listCards(ctx, principalOf(request)) }),
    );

    app.post(
      '/fees/cards',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['fees'],
          summary: 'Issue a monthly card to a resident’s car',
          security: signedIn,
          body: z.object({
            vehicleId: idParam('vehicle'),
            placeKind: z.enum(PLACE_KINDS as ['bay', 'tandem', 'aisle']),
            from: day,
          }),
          response: { 200: cardSchema, ...pickErrors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => issueCard(ctx, principalOf(request), request.body),
    );

    app.post(
      '/fees/cards/:cardId/end',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['fees'],
          summary: 'End a monthly card on a day (its last day)',
          security: signedIn,
          params: z.object({ cardId: idParam('card') }),
          body: z.object({ to: day }),
          response: { 200: z.object({ ok: z.literal(true) }), ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        await endCard(ctx, principalOf(request), request.params.cardId, request.body.to);
        return { ok: true as const };
      },
    );

    app.post(
      '/fees/cards/:cardId/pauses',
      {
        config: { access: ['manager', 'resident'] },
        schema: {
          tags: ['fees'],
          summary: 'Pause a monthly card (报停) for whole days, from tomorrow on',
          description:
            'Paused days are not charged; days already billed come back as a credit (an adjustment line) on the next bill.',
          security: signedIn,
          params: z.object({ cardId: idParam('card') }),
          body: z.object({ from: day, to: day }),
          response: {
            200: z.object({ id: z.string(), from: z.string(), to: z.string() }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      async (request) => pauseCard(ctx, principalOf(request), request.params.cardId, request.body),
    );

    app.post(
      '/fees/bills',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['fees'],
          summary: 'Issue the month’s bills (households already billed for it are skipped)',
          security: signedIn,
          body: z.object({ month }),
          response: { 200: z.object({ bills: z.array(billSchema) }), ...pickErrors(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        return { bills: await issueBills(ctx, p.compoundId, p.userId, request.body.month) };
      },
    );

    app.get(
      '/fees/accounts/:householdId',
      {
        config: { access: ['manager', 'resident'] },
        schema: {
          tags: ['fees'],
          summary: 'A household’s bills (paid, partly paid, unpaid) and payments',
          security: signedIn,
          params: z.object({ householdId: idParam('household') }),
          response: {
            200: z.object({
              householdId: z.string(),
              bills: z.array(billSchema),
              payments: z.array(paymentSchema),
              balanceFen: z.number().int().describe('billed minus paid: positive is owed, negative is credit'),
            }),
            ...pickErrors(401, 403, 404),
          },
        },
      },
      async (request) => householdAccount(ctx, principalOf(request), request.params.householdId),
    );

    app.post(
      '/fees/payments',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['fees'],
          summary: 'Record a payment received in cash or by transfer',
          security: signedIn,
          body: z.object({
            householdId: idParam('household'),
            fen,
            method: z.enum(['cash', 'transfer']),
            reference: z.string().min(1).max(64).optional().describe('the transfer’s reference'),
          }),
          response: { 200: paymentSchema, ...pickErrors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        return (await recordPayment(ctx, p.compoundId, p.userId, request.body)).payment;
      },
    );

    app.get(
      '/fees/payments/:paymentId/receipt',
      {
        config: { access: ['manager', 'resident'] },
        schema: {
          tags: ['fees'],
          summary: 'The receipt of a payment',
          security: signedIn,
          params: z.object({ paymentId: idParam('payment') }),
          response: {
            200: z.object({
              receiptNo: z.string(),
              compoundName: z.string(),
              householdId: z.string(),
              fen: z.number().int(),
              yuan: z.string(),
              method: z.enum(PAYMENT_METHODS),
              reference: z.string().nullable(),
              paidAt: z.number(),
              balanceAfterFen: z.number().int(),
            }),
            ...pickErrors(401, 403, 404),
          },
        },
      },
      async (request) => receiptOf(ctx, principalOf(request), request.params.paymentId),
    );

    app.post(
      '/fees/charging-sessions',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['fees'],
          summary: 'Record the energy a resident’s EV took at a charger (the meter’s watt-hours)',
          description:
            'The fee is reckoned now at the EV tariff in force today (half up to the fen) and billed on the household’s next bill.',
          security: signedIn,
          body: z.object({
            vehicleId: idParam('vehicle'),
            wattHours: z.number().int().min(1).max(MAX_SESSION_WH),
            chargerPositionId: idParam('position').optional(),
          }),
          response: {
            200: z.object({
              id: z.string(),
              vehicleId: z.string(),
              householdId: z.string(),
              chargerPositionId: z.string().nullable(),
              wattHours: z.number().int(),
              feeFen: z.number().int(),
              meteredAt: z.number(),
            }),
            ...pickErrors(400, 401, 403, 404),
          },
        },
      },
      async (request) => meterCharging(ctx, principalOf(request), request.body),
    );

    app.get(
      '/fees/summary',
      {
        config: { access: ['manager', 'committee'] },
        schema: {
          tags: ['fees'],
          summary: 'A month’s totals: billed, paid, due, households in arrears (counts only, never who)',
          security: signedIn,
          querystring: z.object({ month }),
          response: {
            200: z.object({
              month: z.string(),
              bills: z.number().int(),
              billedFen: z.number().int(),
              paidFen: z.number().int(),
              dueFen: z.number().int(),
              householdsInArrears: z.number().int(),
            }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => billingSummary(ctx, principalOf(request), request.query.month),
    );

    app.post(
      '/fees/gateway/:compoundId/callback',
      {
        config: { access: 'public' },
        schema: {
          tags: ['fees'],
          summary: 'The payment gateway tells of a payment (signed callback)',
          description: `Headers \`X-Pay-Timestamp\` (unix seconds, within 5 minutes of the server's clock) and \`X-Pay-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under PARKBUTLER_PAY_SECRET>\`. A trade number is recorded once: the gateway's
retries get the same payment back. No card data is sent or stored.`,
          params: z.object({ compoundId: idParam('compound') }),
          body: z.object({
            tradeNo: z.string().min(1).max(64),
            householdId: idParam('household'),
            amountFen: fen,
            paidAt: z.number().int().optional(),
          }),
          response: { 200: z.object({ payment: paymentSchema, replayed: z.boolean() }), ...pickErrors(400, 401, 404) },
        },
      },
      async (request) => {
        verifyGateway(request, secret, ctx.now());
        const b = request.body;
        return recordPayment(ctx, request.params.compoundId, 'system', {
          householdId: b.householdId,
          fen: b.amountFen,
          method: 'gateway',
          reference: b.tradeNo,
          paidAt: b.paidAt,
        });
      },
    );
  };
}
