/**
 * @module The residents' channels: each resident chooses where he is told — 微信 (a WeChat template
 * message), 短信 (an SMS template) and/or 站内 (the app's live feed; the feed itself always keeps the
 * notification) — and quiet hours in which WeChat and SMS wait until the hours end. A user without a
 * choice is told as before the channels: the live feed and the compound's webhook.
 *
 * Delivery goes through a `ChannelAdapter` per channel: the webhook adapter posts the template id and
 * parameters to the compound's SMS/WeChat gateway (signed, as `webhook.ts` does); the log adapter
 * writes what would be sent (ids, template and parameters, never a phone) for a compound without one.
 */
import { DomainError } from '../core/errors.js';
import { addDays, shanghaiDate, shanghaiHhmm, shanghaiInstant } from '../core/time.js';
import { channelChoicesOf, latestDeliveries, replaceChannelChoice } from '../store/notification.repository.js';
import type { Channel, OutboxStatus } from '../core/statuses.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import type { TemplateId, TemplateParams } from './message-templates.js';
import { MESSAGE_TEMPLATES } from './message-templates.js';
import type { WebhookConfig } from './webhook.js';
import { postWebhook } from './webhook.js';

export const CHANNELS: readonly Channel[] = ['wechat', 'sms', 'inapp'];
/** The channels delivered through a gateway adapter. */
export type GatewayChannel = Exclude<Channel, 'inapp'>;

export interface QuietHours {
  /** HH:MM (Asia/Shanghai); the quiet hours wrap past midnight when `to` ≤ `from`. */
  from: string;
  to: string;
}

export interface ChannelChoice {
  channels: Channel[];
  quiet: QuietHours | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** When a message due at `at` may go out: `at`, or the end of the quiet hours it falls in. */
export function quietUntil(at: number, quiet: QuietHours | null): number {
  if (quiet === null || quiet.from === quiet.to) return at;
  const day = shanghaiDate(at);
  const time = shanghaiHhmm(at);
  const wraps = quiet.to <= quiet.from;
  const inside = wraps ? time >= quiet.from || time < quiet.to : time >= quiet.from && time < quiet.to;
  if (!inside) return at;
  const end = shanghaiInstant(day, quiet.to);
  return end > at ? end : shanghaiInstant(addDays(day, 1), quiet.to);
}

/** Checks a resident's choice: one channel at least, each once, quiet hours as HH:MM both or neither. */
export function checkChoice(choice: ChannelChoice): ChannelChoice {
  if (choice.channels.length === 0)
    throw new DomainError('VALIDATION', 'body.channels: choose at least one channel', { field: 'body.channels' });
  if (new Set(choice.channels).size !== choice.channels.length)
    throw new DomainError('VALIDATION', 'body.channels: each channel once', { field: 'body.channels' });
  if (choice.quiet !== null) {
    if (!HHMM.test(choice.quiet.from))
      throw new DomainError('VALIDATION', 'body.quiet.from: a time HH:MM', { field: 'body.quiet.from' });
    if (!HHMM.test(choice.quiet.to))
      throw new DomainError('VALIDATION', 'body.quiet.to: a time HH:MM', { field: 'body.quiet.to' });
  }
  return choice;
}

/** The choices of the given users who made one. */
export async function choicesOf(uow: UnitOfWork, userIds: readonly string[]): Promise<Map<string, ChannelChoice>> {
  if (userIds.length === 0) return new Map();
  const rows = await channelChoicesOf(uow.trx, uow.compoundId, userIds);
  return new Map(
    rows.map((r) => [
      r.user_id,
      {
        channels: JSON.parse(r.channels) as Channel[],
        quiet: r.quiet_from === null || r.quiet_to === null ? null : { from: r.quiet_from, to: r.quiet_to },
      },
    ]),
  );
}

/** `GET /me/channels`: the resident's choice, or null when he has not made one. */
export async function myChannels(ctx: AppContext, actor: Principal): Promise<ChannelChoice | null> {
  return ctx.store.transaction(
    actor.compoundId,
    async (uow) => (await choicesOf(uow, [actor.userId])).get(actor.userId) ?? null,
  );
}

/** `PUT /me/channels`: a resident chooses his channels and quiet hours. */
export async function setMyChannels(ctx: AppContext, actor: Principal, choice: ChannelChoice): Promise<ChannelChoice> {
  if (actor.role !== 'resident')
    throw new DomainError('FORBIDDEN', 'role: residents choose their channels', { field: 'role' });
  checkChoice(choice);
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    await replaceChannelChoice(uow.trx, {
      compound_id: uow.compoundId,
      user_id: actor.userId,
      channels: JSON.stringify(choice.channels),
      quiet_from: choice.quiet?.from ?? null,
      quiet_to: choice.quiet?.to ?? null,
      updated_at: ctx.now(),
    });
    return choice;
  });
}

/** One message to one recipient on one gateway channel. */
export interface ChannelMessage {
  /** The delivery's id: the same on every retry, so a gateway sends it once. */
  deliveryId: string;
  channel: GatewayChannel;
  compoundId: string;
  attempt: number;
  sentAt: number;
  recipient: { userId: string; name: string | null; phone: string | null };
  notification: { id: string; kind: string; title: string; body: string; ref: string | null; createdAt: number };
  /** The registered template and its parameters; null for a notification without a template. */
  template: { id: TemplateId; smsCode: string; wechatTemplate: string; params: TemplateParams } | null;
}

/** Sends one message on its channel; resolves when the gateway took it, throws to have it retried. */
export interface ChannelAdapter {
  readonly name: string;
  send(message: ChannelMessage): Promise<void>;
}

/** Posts to the compound's gateway webhook, with the channel and the template. */
export function webhookAdapter(config: WebhookConfig): ChannelAdapter {
  return {
    name: 'webhook',
    send: (m) =>
      postWebhook(config, {
        id: m.deliveryId,
        type: 'notification',
        compoundId: m.compoundId,
        attempt: m.attempt,
        sentAt: m.sentAt,
        recipient: m.recipient,
        notification: m.notification,
        channel: m.channel,
        template: m.template,
      }),
  };
}

/** Writes each message to `sink` (a logger) without the recipient's name or phone. */
export function logAdapter(sink: (line: string, message: Omit<ChannelMessage, 'recipient'>) => void): ChannelAdapter {
  return {
    name: 'log',
    send: (m) => {
      const { recipient, ...rest } = m;
      const what = m.template === null ? m.notification.body : `${m.template.id} ${JSON.stringify(m.template.params)}`;
      sink(`[${m.channel}] → ${recipient.userId}: ${what}`, rest);
      return Promise.resolve();
    },
  };
}

/** The template part of a message from a stored notification's columns. */
export function templateOf(
  template: string | null | undefined,
  params: string | null | undefined,
): ChannelMessage['template'] {
  if (template === null || template === undefined || !(template in MESSAGE_TEMPLATES)) return null;
  const t = MESSAGE_TEMPLATES[template as TemplateId];
  return {
    id: t.id,
    smsCode: t.smsCode,
    wechatTemplate: t.wechatTemplate,
    params: params === null || params === undefined ? {} : (JSON.parse(params) as TemplateParams),
  };
}

/** One outbox row as the manager sees it: what was sent on which channel, and how it went. No text, no phone. */
export interface DeliveryView {
  id: string;
  notificationId: string;
  userId: string;
  /** The recipient's name and role, as the manager knows them (null once the account is gone). */
  userName: string | null;
  userRole: string | null;
  kind: string;
  template: string | null;
  channel: Channel | 'default';
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  nextAttemptAt: number;
  sentAt: number | null;
}

/** `GET /messages/deliveries`: the compound's latest deliveries, newest first. */
export async function listDeliveries(ctx: AppContext, actor: Principal, limit: number): Promise<DeliveryView[]> {
  const rows = await latestDeliveries(ctx.store.db, actor.compoundId, limit);
  return rows.map((r) => ({
    id: r.id,
    notificationId: r.notification_id,
    userId: r.user_id,
    userName: r.user_name,
    userRole: r.user_role,
    kind: r.kind,
    template: r.template ?? null,
    channel: r.channel ?? 'default',
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    nextAttemptAt: Number(r.next_attempt_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
  }));
}
