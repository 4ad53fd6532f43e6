/**
 * @module Delivers the notification outbox after commit: each pending row is published once to the
 * live feeds of this process and, when a webhook is configured, POSTed to the gateway until it
 * answers 2xx. A failed POST is retried after `backoffBaseMs · 2^(attempt−1)` (1 s, 2 s, 4 s, …)
 * until `maxAttempts`, then the row is marked `failed`. Rows are claimed with a lease
 * (`locked_until`), so two servers on one PostgreSQL never send one row twice at once, and a
 * dispatcher started after a restart resumes every row still `pending`.
 *
 * A row of a resident's channel (see `channels.ts`) goes its own way: `inapp` to the live feed only,
 * `wechat` and `sms` through that channel's adapter (by default the webhook adapter when a webhook is
 * configured), retried like the webhook; a channel with no adapter fails the row, named in its error.
 *
 * The live feeds are those of every server on the database (the bus publishes with PostgreSQL
 * NOTIFY once the dispatcher has connected it); on SQLite, those of this process.
 */
import type { Notification } from './notification-bus.js';
import { notificationBusOf } from './notification-bus.js';
import { rowToNotification } from './notifications.js';
import {
  claimOutboxRow,
  dueOutboxRows,
  notificationWithRecipient,
  settleOutboxRow,
} from '../store/notification.repository.js';
import type { Channel, OutboxStatus } from '../core/statuses.js';
import type { AppContext } from './context.js';
import type { ChannelAdapter, GatewayChannel } from './channels.js';
import { templateOf, webhookAdapter } from './channels.js';
import type { WebhookConfig, WebhookPayload } from './webhook.js';
import { postWebhook } from './webhook.js';

export interface DispatcherOptions {
  webhook: WebhookConfig | null;
  /** The adapters of the residents' gateway channels; unset ones use the webhook adapter when a webhook is set. */
  adapters?: Partial<Record<GatewayChannel, ChannelAdapter>>;
  /** Attempts before a row is marked failed; default 8 (the last retry about 2 minutes after the first). */
  maxAttempts?: number;
  /** The first retry's delay; default 1000 ms. Tests make it small. */
  backoffBaseMs?: number;
  /** How often to look for due rows when nobody wakes the dispatcher; default 1000 ms. */
  pollMs?: number;
  /** Rows taken per pass; default 100. */
  batchSize?: number;
  /** How long a claim holds before another dispatcher may take the row; default 60 s. */
  leaseMs?: number;
  /** Told of each failed attempt, and of a pass that failed as a whole (no delivery then); the server logs them. */
  onError?: (error: unknown, delivery: { compoundId: string; id: string; attempt: number } | null) => void;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

interface OutboxRow {
  compound_id: string;
  id: string;
  notification_id: string;
  attempts: number;
  channel?: Channel | null;
}

export class OutboxDispatcher {
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private running: Promise<DrainResult> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopWake: (() => void) | null = null;
  private stopped = true;
  private connected: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: DispatcherOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Delivers every row due now, once; concurrent calls share one pass (and run one more after it). */
  drain(): Promise<DrainResult> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.drain().catch(() => undefined);
      }
    });
    return this.running;
  }

  /**
   * Polls every `pollMs` and whenever a use case wakes the bus after its commit. Connects the bus
   * first, so the live feeds of every server on the database hear what this one delivers.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const bus = notificationBusOf(this.ctx.store);
    this.connected = bus.connect((e) => this.reportError(e));
    this.stopWake = bus.onWake(() => void this.drain().catch((e: unknown) => this.reportError(e)));
    const tick = (): void => {
      this.drain()
        .catch((e: unknown) => this.reportError(e))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs).unref();
        });
    };
    void this.connected.finally(tick);
  }

  /** Stops polling and waits for a pass in progress, so the store can be closed after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWake?.();
    this.stopWake = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    if (this.connected !== null) {
      await this.connected;
      this.connected = null;
      await notificationBusOf(this.ctx.store).disconnect();
    }
  }

  private reportError(error: unknown): void {
    this.options.onError?.(error, null);
  }

  private async pass(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
    const now = this.ctx.now();
    const due = await dueOutboxRows(this.ctx.store.db, now, this.batchSize);
    for (const row of due) {
      const outcome = await this.deliver(row);
      if (outcome !== null) result[outcome]++;
    }
    return result;
  }

  /** Claims one row and delivers it; null when another dispatcher holds it. */
  private async deliver(row: OutboxRow): Promise<keyof DrainResult | null> {
    const db = this.ctx.store.db;
    const now = this.ctx.now();
    if (!(await claimOutboxRow(db, row.compound_id, row.id, row.attempts, now, now + this.leaseMs))) return null;

    const found = await notificationWithRecipient(db, row.compound_id, row.notification_id);
    const done = (set: {
      status: OutboxStatus;
      attempts: number;
      last_error: string | null;
      sent_at?: number;
      next_attempt_at?: number;
    }) => settleOutboxRow(db, row.compound_id, row.id, set);
    if (found === undefined) {
      await done({ status: 'failed', attempts: row.attempts, last_error: 'the notification no longer exists' });
      return 'failed';
    }
    const notification = rowToNotification(found);
    // Nothing goes out (feed, gateway, webhook) before the change it tells of is on disk.
    await this.ctx.store.durable();
    const channel = row.channel ?? null;
    // The live feed hears of a notification once, on the first attempt; retries are the gateway's.
    if (row.attempts === 0 && (channel === null || channel === 'inapp'))
      await notificationBusOf(this.ctx.store).publish(row.compound_id, notification);

    const webhook = this.options.webhook;
    const attempt = row.attempts + 1;
    const adapter =
      channel === null || channel === 'inapp'
        ? null
        : (this.options.adapters?.[channel] ?? (webhook === null ? null : webhookAdapter(webhook)));
    if (channel !== null && channel !== 'inapp' && adapter === null) {
      await done({ status: 'failed', attempts: attempt, last_error: `no gateway for the ${channel} channel` });
      return 'failed';
    }
    if (adapter === null && (channel === 'inapp' || webhook === null)) {
      await done({ status: 'sent', attempts: attempt, last_error: null, sent_at: this.ctx.now() });
      return 'sent';
    }
    try {
      const recipient = { name: found.user_name, phone: found.user_phone };
      if (adapter !== null && channel !== null && channel !== 'inapp')
        await adapter.send({
          deliveryId: row.id,
          channel,
          compoundId: row.compound_id,
          attempt,
          sentAt: this.ctx.now(),
          recipient: { userId: notification.userId, ...recipient },
          notification: payloadOf(row, notification, recipient, attempt, 0).notification,
          template: templateOf(found.template, found.params),
        });
      else if (webhook !== null)
        await postWebhook(webhook, payloadOf(row, notification, recipient, attempt, this.ctx.now()));
    } catch (error) {
      this.options.onError?.(error, { compoundId: row.compound_id, id: row.id, attempt });
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= this.maxAttempts) {
        await done({ status: 'failed', attempts: attempt, last_error: message });
        return 'failed';
      }
      await done({
        status: 'pending',
        attempts: attempt,
        last_error: message,
        next_attempt_at: this.ctx.now() + this.backoffBaseMs * 2 ** (attempt - 1),
      });
      return 'retrying';
    }
    await done({ status: 'sent', attempts: attempt, last_error: null, sent_at: this.ctx.now() });
    return 'sent';
  }
}

function payloadOf(
  row: OutboxRow,
  n: Notification,
  user: { name: string | null; phone: string | null },
  attempt: number,
  sentAt: number,
): WebhookPayload {
  return {
    id: row.id,
    type: 'notification',
    compoundId: row.compound_id,
    attempt,
    sentAt,
    recipient: { userId: n.userId, name: user.name, phone: user.phone },
    notification: { id: n.id, kind: n.kind, title: n.title, body: n.body, ref: n.ref, createdAt: n.createdAt },
  };
}
