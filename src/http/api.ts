/**
 * @module All API routes behind the access check. The check is one `onRequest` hook for the whole
 * API, so a route added without `config.access` fails loudly instead of being open.
 */
import fastifyCompress from '@fastify/compress';
import { constants } from 'node:zlib';
import type { AppContext } from '../app/context.js';
import { handoverMismatchIncident } from '../app/incidents.js';
import { alarmRoutes } from './alarms.routes.js';
import { accessHook } from './auth.js';
import { idempotencyClaim, idempotencyRelease, idempotencyScope, idempotencyStore } from './idempotency.js';
import { authRoutes } from './auth.routes.js';
import { chargingRoutes } from './charging.routes.js';
import { closuresRoutes } from './closures.routes.js';
import { gateRoutes } from './gate.routes.js';
import { billingRoutes } from './billing.routes.js';
import { messagesRoutes } from './messages.routes.js';
import { conditionRoutes } from './condition.routes.js';
import { incidentRoutes } from './incidents.routes.js';
import { layoutRoutes } from './layout.routes.js';
import { ledgerRoutes } from './ledger.routes.js';
import { notificationRoutes } from './notifications.routes.js';
import { operationsRoutes } from './operations.routes.js';
import { partnerLotsRoutes } from './partner-lots.routes.js';
import { privacyRoutes } from './privacy.routes.js';
import { residentsRoutes } from './residents.routes.js';
import { renovationRoutes } from './renovations.routes.js';
import { reportsRoutes } from './reports.routes.js';
import { shiftsRoutes } from './shifts.routes.js';
import { tasksRoutes } from './tasks.routes.js';
import { documentRequestErrors, type RoutePlugin } from './route-helpers.js';

export function apiRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('idempotencyKey', null);
    app.addHook('onRoute', documentRequestErrors);
    app.addHook('onRequest', accessHook(ctx));
    app.addHook('preHandler', idempotencyClaim(ctx));
    app.addHook('onSend', idempotencyStore());
    // After the request's own commit above: nothing leaves before what it may show is on disk.
    app.addHook('onSend', async () => ctx.store.durable());
    app.addHook('onResponse', idempotencyRelease);
    app.addHook('onRoute', idempotencyScope);
    // Registered after the hooks above, so it runs after them: the idempotency store keeps a reply
    // as the route made it, and only the bytes on the wire are compressed. A phone on slow 4G reads
    // the lot (about 47 KB of JSON) as about 3 KB. Brotli quality 5: most of its gain at a small part
    // of its best setting's CPU, for every read. The notification stream is hijacked and left alone.
    await app.register(fastifyCompress, {
      threshold: 1024,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
      zlibOptions: { level: 6 },
    });
    await app.register(authRoutes(ctx));
    await app.register(operationsRoutes(ctx));
    await app.register(residentsRoutes(ctx));
    await app.register(tasksRoutes(ctx));
    await app.register(shiftsRoutes(ctx, handoverMismatchIncident(ctx)));
    await app.register(ledgerRoutes(ctx));
    await app.register(reportsRoutes(ctx));
    await app.register(notificationRoutes(ctx));
    await app.register(incidentRoutes(ctx));
    await app.register(alarmRoutes(ctx));
    await app.register(partnerLotsRoutes(ctx));
    await app.register(closuresRoutes(ctx));
    await app.register(chargingRoutes(ctx));
    await app.register(layoutRoutes(ctx));
    await app.register(renovationRoutes(ctx));
    await app.register(privacyRoutes(ctx));
    await app.register(gateRoutes(ctx));
    await app.register(billingRoutes(ctx));
    await app.register(conditionRoutes(ctx));
    await app.register(messagesRoutes(ctx));
  };
}
