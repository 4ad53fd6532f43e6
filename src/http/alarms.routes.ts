/** @module Open alarms for the manager: keys out with a guard past the limit. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { openKeyAlarms } from '../app/key-alarms.js';
import { notificationConfigFromEnv } from '../app/notification-config.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';

const keyAlarmSchema = z.object({
  keyTag: z.string(),
  vehicleId: z.string(),
  plate: z.string().nullable(),
  guardId: z.string(),
  guardName: z.string().nullable(),
  taskId: z.string().nullable(),
  since: z.number().int().describe('when the key left the cabinet or was handed to this guard'),
  minutes: z.number().int().describe('minutes out so far'),
  alarmedAt: z.number().int().nullable().describe('when the alarm went out; null until the next minute’s check'),
});

export function alarmRoutes(ctx: AppContext, options: { limitMinutes?: number } = {}): RoutePlugin {
  return async (app) => {
    const limitMinutes = options.limitMinutes ?? notificationConfigFromEnv().keyAlarmMinutes;
    app.get(
      '/alarms',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['keys'],
          summary: 'Open key alarms: keys still out with a guard past the limit',
          description: 'The limit is `PARKBUTLER_KEY_ALARM_MINUTES` (default 15).',
          security: signedIn,
          response: {
            200: z.object({ limitMinutes: z.number().int(), alarms: z.array(keyAlarmSchema) }),
            ...pickErrors(401, 403),
          },
        },
      },
      async (request) => ({ limitMinutes, alarms: await openKeyAlarms(ctx, principalOf(request), limitMinutes) }),
    );
  };
}
