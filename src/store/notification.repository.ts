/**
 * @module Notifications in tables: each user's feed (`notifications`) and the deliveries waiting in
 * the outbox. Each function takes the database or the caller's transaction, so a notification is
 * written in the transaction of the change it tells of.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, NotificationOutboxTable, NotificationsTable, ResidentChannelsTable } from './schema.js';

type Db = Kysely<Database>;

export type NotificationRow = Selectable<NotificationsTable>;

export async function insertNotification(db: Db, row: Insertable<NotificationsTable>): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export async function insertOutboxRow(db: Db, row: Insertable<NotificationOutboxTable>): Promise<void> {
  await db.insertInto('notification_outbox').values(row).execute();
}

/** One of the user's own notifications; another user's is not found. */
export async function findNotification(
  db: Db,
  compoundId: string,
  userId: string,
  notificationId: string,
): Promise<NotificationRow | undefined> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId)
    .where('id', '=', notificationId)
    .executeTakeFirst();
}

export interface FeedPage {
  unreadOnly: boolean;
  /** Only notifications created at or after `createdAt`, but `exceptId`. */
  since: { createdAt: number; exceptId: string } | null;
  limit: number;
}

/** A page of the user's feed, newest first. */
export async function feedOf(db: Db, compoundId: string, userId: string, page: FeedPage): Promise<NotificationRow[]> {
  let select = db
    .selectFrom('notifications')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId);
  if (page.unreadOnly) select = select.where('read_at', 'is', null);
  if (page.since !== null)
    select = select.where('created_at', '>=', page.since.createdAt).where('id', '!=', page.since.exceptId);
  return select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

export async function countUnread(db: Db, compoundId: string, userId: string): Promise<number> {
  const unread = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('compound_id', '=', compoundId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(unread.n);
}

/** Marks a notification read at `at` unless it was read already. */
export async function markNotificationRead(
  db: Db,
  compoundId: string,
  notificationId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('compound_id', '=', compoundId)
    .where('id', '=', notificationId)
    .where('read_at', 'is', null)
    .execute();
}

export type OutboxRow = Selectable<NotificationOutboxTable>;

/** Up to `limit` pending deliveries due at `now` that no dispatcher holds, oldest due first; across compounds. */
export async function dueOutboxRows(
  db: Db,
  now: number,
  limit: number,
): Promise<Pick<OutboxRow, 'compound_id' | 'id' | 'notification_id' | 'attempts' | 'channel'>[]> {
  return db
    .selectFrom('notification_outbox')
    .select(['compound_id', 'id', 'notification_id', 'attempts', 'channel'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/**
 * Claims a pending delivery until `until`, if it is still at `attempts` and no dispatcher holds it
 * at `now`; true when this caller got it, so two servers do not both send it.
 */
export async function claimOutboxRow(
  db: Db,
  compoundId: string,
  id: string,
  attempts: number,
  now: number,
  until: number,
): Promise<boolean> {
  const claimed = await db
    .updateTable('notification_outbox')
    .set({ locked_until: until })
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** Records the outcome of a delivery attempt and lets go of the claim. */
export async function settleOutboxRow(
  db: Db,
  compoundId: string,
  id: string,
  outcome: Pick<
    Updateable<NotificationOutboxTable>,
    'status' | 'attempts' | 'last_error' | 'sent_at' | 'next_attempt_at'
  >,
): Promise<void> {
  await db
    .updateTable('notification_outbox')
    .set({ ...outcome, locked_until: null })
    .where('compound_id', '=', compoundId)
    .where('id', '=', id)
    .execute();
}

/** A notification with its recipient's name and phone (null when the account is gone). */
export async function notificationWithRecipient(
  db: Db,
  compoundId: string,
  notificationId: string,
): Promise<(NotificationRow & { user_name: string | null; user_phone: string | null }) | undefined> {
  return db
    .selectFrom('notifications')
    .leftJoin('users', (j) =>
      j.onRef('users.compound_id', '=', 'notifications.compound_id').onRef('users.id', '=', 'notifications.user_id'),
    )
    .selectAll('notifications')
    .select(['users.name as user_name', 'users.phone as user_phone'])
    .where('notifications.compound_id', '=', compoundId)
    .where('notifications.id', '=', notificationId)
    .executeTakeFirst();
}

/** The compound's latest `limit` deliveries with their notification and recipient, newest first. */
export async function latestDeliveries(db: Db, compoundId: string, limit: number) {
  return db
    .selectFrom('notification_outbox')
    .innerJoin('notifications', (j) =>
      j
        .onRef('notifications.compound_id', '=', 'notification_outbox.compound_id')
        .onRef('notifications.id', '=', 'notification_outbox.notification_id'),
    )
    .leftJoin('users', (j) =>
      j.onRef('users.compound_id', '=', 'notifications.compound_id').onRef('users.id', '=', 'notifications.user_id'),
    )
    .select([
      'users.name as user_name',
      'users.role as user_role',
      'notification_outbox.id as id',
      'notification_outbox.notification_id as notification_id',
      'notifications.user_id as user_id',
      'notifications.kind as kind',
      'notifications.template as template',
      'notification_outbox.channel as channel',
      'notification_outbox.status as status',
      'notification_outbox.attempts as attempts',
      'notification_outbox.last_error as last_error',
      'notification_outbox.created_at as created_at',
      'notification_outbox.next_attempt_at as next_attempt_at',
      'notification_outbox.sent_at as sent_at',
    ])
    .where('notification_outbox.compound_id', '=', compoundId)
    .orderBy('notification_outbox.created_at', 'desc')
    .orderBy('notification_outbox.id', 'desc')
    .limit(limit)
    .execute();
}

/** The channel choices of those of `userIds` who made one. */
export async function channelChoicesOf(
  db: Db,
  compoundId: string,
  userIds: readonly string[],
): Promise<Selectable<ResidentChannelsTable>[]> {
  return db
    .selectFrom('resident_channels')
    .selectAll()
    .where('compound_id', '=', compoundId)
    .where('user_id', 'in', userIds)
    .execute();
}

/** Sets a user's channel choice, replacing the one they had. */
export async function replaceChannelChoice(db: Db, row: Insertable<ResidentChannelsTable>): Promise<void> {
  await db
    .deleteFrom('resident_channels')
    .where('compound_id', '=', row.compound_id)
    .where('user_id', '=', row.user_id)
    .execute();
  await db.insertInto('resident_channels').values(row).execute();
}
