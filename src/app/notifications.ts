/**
 * @module Notifications: `notify` writes a user's feed rows and their outbox rows in the caller's
 * transaction, so a notification exists exactly when the change it tells of was committed, and a
 * rolled-back change tells no one. The feed is read and marked read here; delivery (live feed and
 * webhook) is the outbox dispatcher's job, after the commit.
 */
import { DomainError } from '../core/errors.js';
import type { Role } from '../core/statuses.js';
import { residentIdsOf, usersOfRole } from '../store/account.repository.js';
import type { NotificationRow } from '../store/notification.repository.js';
import {
  countUnread,
  feedOf,
  findNotification,
  insertNotification,
  insertOutboxRow,
  markNotificationRead,
} from '../store/notification.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { choicesOf, quietUntil } from './channels.js';
import type { TemplateId, TemplateParams } from './message-templates.js';
import type { Notification } from './notification-bus.js';
import { notificationBusOf } from './notification-bus.js';

export type { Notification } from './notification-bus.js';

export interface NotifyInput {
  /** The recipients; duplicates are dropped. */
  userIds: readonly string[];
  kind: string;
  title: string;
  body: string;
  ref?: string | null;
  /** A templated message (see `message()` in message-templates.ts): delivered on the recipient's channels. */
  template?: { id: TemplateId; params: TemplateParams } | undefined;
}

/**
 * Writes one feed row per recipient and its outbox rows inside `uow`'s transaction: one row (the
 * live feed and the compound's webhook) for a user who chose no channels, else one row per chosen
 * channel, WeChat and SMS held until the end of the user's quiet hours. Once the transaction
 * has committed, the dispatcher is woken for immediate delivery (once per transaction).
 */
export async function notify(
  uow: UnitOfWork,
  input: NotifyInput,
  ctx: Pick<AppContext, 'now' | 'newId' | 'store'>,
): Promise<Notification[]> {
  const at = ctx.now();
  const created: Notification[] = [];
  const choices = await choicesOf(uow, [...new Set(input.userIds)]);
  for (const userId of new Set(input.userIds)) {
    const n: Notification = {
      id: ctx.newId(),
      userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      ref: input.ref ?? null,
      createdAt: at,
      readAt: null,
    };
    await insertNotification(uow.trx, {
      compound_id: uow.compoundId,
      id: n.id,
      user_id: userId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      ref: n.ref,
      created_at: at,
      read_at: null,
      ...(input.template === undefined
        ? {}
        : { template: input.template.id, params: JSON.stringify(input.template.params) }),
    });
    const choice = choices.get(userId);
    const rows =
      choice === undefined
        ? [{ channel: null, due: at }]
        : choice.channels.map((channel) => ({
            channel,
            due: channel === 'inapp' ? at : quietUntil(at, choice.quiet),
          }));
    for (const row of rows)
      await insertOutboxRow(uow.trx, {
        compound_id: uow.compoundId,
        id: ctx.newId(),
        notification_id: n.id,
        status: 'pending',
        attempts: 0,
        next_attempt_at: row.due,
        locked_until: null,
        last_error: null,
        created_at: at,
        sent_at: null,
        ...(row.channel === null ? {} : { channel: row.channel }),
      });
    created.push(n);
  }
  if (created.length > 0 && !waking.has(uow)) {
    waking.add(uow);
    uow.afterCommit(() => notificationBusOf(ctx.store).wake());
  }
  return created;
}

/** The units of work that wake the dispatcher after their commit already. */
const waking = new WeakSet<UnitOfWork>();

/** The compound's users with one of the roles, e.g. the managers an alarm goes to. */
export async function usersWithRole(uow: UnitOfWork, role: Role): Promise<string[]> {
  return (await usersOfRole(uow.trx, uow.compoundId, role)).map((r) => r.id);
}

/** The resident accounts of a household: the people told about their car. */
export async function residentsOf(uow: UnitOfWork, householdId: string | null): Promise<string[]> {
  if (householdId === null) return [];
  return residentIdsOf(uow.trx, uow.compoundId, householdId);
}

export function rowToNotification(
  row: Pick<NotificationRow, 'id' | 'user_id' | 'kind' | 'title' | 'body' | 'ref' | 'created_at' | 'read_at'>,
): Notification {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    ref: row.ref,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export interface FeedQuery {
  unread?: boolean;
  limit?: number;
  /** Only notifications created after this one (for a live feed that reconnects). */
  after?: string;
}

/** The signed-in user's own feed, newest first, with the count of unread ones. */
export async function listNotifications(
  ctx: AppContext,
  principal: Principal,
  query: FeedQuery = {},
): Promise<{ notifications: Notification[]; unread: number }> {
  const db = ctx.store.db;
  const { compoundId, userId } = principal;
  const anchor = query.after === undefined ? undefined : await findNotification(db, compoundId, userId, query.after);
  const rows = await feedOf(db, compoundId, userId, {
    unreadOnly: query.unread === true,
    // Siblings of the same millisecond are sent again rather than missed; a client knows them by id.
    since: anchor === undefined ? null : { createdAt: anchor.created_at, exceptId: anchor.id },
    limit: query.limit ?? 50,
  });
  const unread = await countUnread(db, compoundId, userId);
  return { notifications: rows.map(rowToNotification), unread };
}

/** Marks one of the user's own notifications read; reading it again keeps the first time. */
export async function markRead(ctx: AppContext, principal: Principal, notificationId: string): Promise<Notification> {
  const row = await findNotification(ctx.store.db, principal.compoundId, principal.userId, notificationId);
  // Another user's notification is answered as absent, so ids cannot be probed.
  if (row === undefined)
    throw new DomainError('NOT_FOUND', `id: no notification "${notificationId}" in your feed`, { field: 'id' });
  if (row.read_at !== null) return rowToNotification(row);
  const readAt = ctx.now();
  await markNotificationRead(ctx.store.db, principal.compoundId, notificationId, readAt);
  return rowToNotification({ ...row, read_at: readAt });
}
