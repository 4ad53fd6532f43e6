/**
 * @module The background work of notifications that `serve` runs: the outbox dispatcher (live
 * feed and webhook deliveries) and the key-out alarm check every minute for every compound.
 */
import { logAdapter } from './channels.js';
import type { AppContext } from './context.js';
import { startKeyAlarmJob } from './key-alarms.js';
import type { NotificationConfig } from './notification-config.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';

/** What the jobs log to; the server's pino logger fits. */
export interface JobLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface NotificationJobs {
  /** Stops both and waits for work in progress, so the store can be closed after it. */
  stop(): Promise<void>;
}

export function startNotificationJobs(ctx: AppContext, config: NotificationConfig, log: JobLogger): NotificationJobs {
  // Without a gateway, residents' WeChat and SMS messages are written to the log (ids and template only).
  const channelLog = logAdapter((line) => log.warn({ line }, 'channel message (no gateway configured)'));
  const dispatcher = new OutboxDispatcher(ctx, {
    webhook: config.webhook,
    ...(config.webhook === null ? { adapters: { wechat: channelLog, sms: channelLog } } : {}),
    onError: (err, delivery) =>
      delivery === null
        ? log.error({ err }, 'notification outbox pass failed')
        : log.warn({ err, delivery }, 'notification webhook delivery failed'),
  });
  dispatcher.start();
  const alarms = startKeyAlarmJob(ctx, {
    limitMinutes: config.keyAlarmMinutes,
    onError: (err, compoundId) => log.error({ err, compoundId }, 'key alarm check failed'),
  });
  return {
    stop: async () => {
      await Promise.all([alarms.stop(), dispatcher.stop()]);
    },
  };
}
