/**
 * @module The signed-in user's notification feed: list, mark read, and the live stream over
 * Server-Sent Events. The stream authenticates like every route (the `pb_session` cookie works,
 * since a browser's EventSource cannot set headers), sends each new notification as an event
 * `notification` with the notification's id as the SSE id (a reconnecting EventSource sends it back
 * as `Last-Event-ID`, and what it missed is sent first), and a comment every 25 s so proxies keep
 * the connection open.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Role } from '../app/actor.js';
import type { AppContext } from '../app/context.js';
import type { Notification } from '../app/notification-bus.js';
import { notificationBusOf } from '../app/notification-bus.js';
import { listNotifications, markRead } from '../app/notifications.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam } from './schemas.js';

/** Everyone with a feed; the committee reads aggregate figures only. */
const FEED_ROLES: readonly Role[] = ['manager', 'guard', 'resident', 'partner'];

export const notificationSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    kind: z.string().describe('e.g. `key.alarm`, `incident.opened`, `incident.resolved`'),
    title: z.string(),
    body: z.string().describe('Chinese text for people'),
    ref: z.string().nullable().describe('what it is about: a vehicle id, an incident id, a key tag'),
    createdAt: z.number().int(),
    readAt: z.number().int().nullable(),
  })
  .meta({
    examples: [
      {
        id: 'n-1',
        userId: 'u-manager',
        kind: 'key.alarm',
        title: '钥匙超时未归还',
        body: '钥匙 K-v001 已取出 20 分钟，仍未归还。',
        ref: 'K-v001',
        createdAt: 1764241200000,
        readAt: null,
      },
    ],
  });

export interface NotificationRoutesOptions {
  /** The interval of the keep-alive comment; default 25 s. */
  heartbeatMs?: number;
}

export function notificationRoutes(ctx: AppContext, options: NotificationRoutesOptions = {}): RoutePlugin {
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  return async (app) => {
    const streams = new Set<ServerResponse>();
    // Open streams never finish by themselves; end them so the server can close.
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.end();
    });

    app.get(
      '/notifications',
      {
        config: { access: FEED_ROLES },
        schema: {
          tags: ['notifications'],
          summary: 'Your notifications, newest first',
          security: signedIn,
          querystring: z.object({
            unread: z.enum(['true', 'false']).optional().describe('`true`: only the unread ones'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({ notifications: z.array(notificationSchema), unread: z.number().int() }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      (request) =>
        listNotifications(ctx, principalOf(request), {
          unread: request.query.unread === 'true',
          limit: request.query.limit,
        }),
    );

    app.post(
      '/notifications/:id/read',
      {
        config: { access: FEED_ROLES },
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of your notifications read',
          security: signedIn,
          params: z.object({ id: idParam('notification') }),
          response: { 200: notificationSchema, ...pickErrors(400, 401, 403, 404) },
        },
      },
      (request) => markRead(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/notifications/stream',
      {
        config: { access: FEED_ROLES },
        schema: {
          tags: ['notifications'],
          summary: 'Your new notifications, live (Server-Sent Events)',
          description:
            'An `EventSource` stream: each new notification is an event `notification` whose data is the notification as JSON and whose id is its id. ' +
            'With `Last-Event-ID` the notifications created since that one are sent first. A comment `: heartbeat` comes every 25 s.',
          security: signedIn,
          response: {
            200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
            ...pickErrors(401, 403),
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        // Listen first and hold what arrives while the missed ones are read, so none falls in between.
        const held: Notification[] = [];
        let write: ((n: Notification) => void) | null = null;
        const unsubscribe = notificationBusOf(ctx.store).subscribe(principal.compoundId, principal.userId, (n) =>
          write === null ? held.push(n) : write(n),
        );
        let missed: Notification[] = [];
        const lastEventId = request.headers['last-event-id'];
        try {
          if (typeof lastEventId === 'string' && lastEventId !== '') {
            missed = (
              await listNotifications(ctx, principal, { after: lastEventId, limit: 200 })
            ).notifications.reverse();
          }
        } catch (error) {
          unsubscribe();
          throw error;
        }
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          // nginx would otherwise buffer the stream.
          'x-accel-buffering': 'no',
          'x-request-id': request.id,
        });
        res.write('retry: 5000\n: connected\n\n');
        // A notification both read as missed and published live is sent once.
        const sentAsMissed = new Set(missed.map((n) => n.id));
        const send = (n: Notification): void => {
          if (sentAsMissed.delete(n.id)) return;
          res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
        };
        for (const n of missed) res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
        for (const n of held) send(n);
        write = send;
        const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
        streams.add(res);
        const cleanup = (): void => {
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(res);
        };
        res.once('close', cleanup);
        // The client may have gone while the missed ones were read; then 'close' has already fired.
        if (res.socket === null || res.socket.destroyed) cleanup();
      },
    );
  };
}
