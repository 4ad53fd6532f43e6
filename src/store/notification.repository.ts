/**
 * @module Notifications in tables: each user's feed (`notifications`) and the deliveries waiting in
 * the outbox. Each function takes the database or the caller's transaction, so a notification is
 * written in the transaction of the change it tells of.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, NotificationOutboxTable, NotificationsTable } from './schema.js';

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
