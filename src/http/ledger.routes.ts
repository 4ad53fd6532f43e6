/** @module The ledger's own checks, for managers and the committee: verify the chain, replay it against the state. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { replayLedgers, verifyLedgers } from '../app/ledger.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';

export function ledgerRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/ledger/verify',
      {
        config: { access: ['manager', 'committee'] },
        schema: {
          tags: ['system'],
          summary: "Recompute your compound's hash chain and compare its replay with the stored state",
          security: signedIn,
          response: {
            200: z.object({
              ok: z.boolean(),
              events: z.number(),
              headHash: z.string().nullable(),
              message: z.string(),
              replayMatches: z.boolean(),
            }),
            ...pickErrors(401, 403),
          },
        },
      },
      async (request) => {
        const compoundId = principalOf(request).compoundId;
        const [verified] = await verifyLedgers(ctx.store, compoundId, { fromCheckpoint: true });
        const [replayed] = await replayLedgers(ctx.store, compoundId);
        const r = verified!.result;
        return {
          ok: r.ok,
          events: r.events,
          headHash: r.ok ? r.headHash : null,
          message: r.ok ? `the chain of ${r.events} events verifies` : r.message,
          replayMatches: replayed?.equal ?? false,
        };
      },
    );
  };
}
