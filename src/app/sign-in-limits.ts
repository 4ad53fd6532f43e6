/**
 * @module Limits on guessing passwords and invitation codes, per phone and kept in the database so
 * that every server on one PostgreSQL sees the same counts. The first tries are free; after that each
 * failure makes the next try wait twice as long (the server answers 429 with `Retry-After`, it never
 * sleeps); at the lockout only a manager lets the account sign in again, and the managers are told.
 * Phones without an account are counted the same way, so the answers do not tell which phones exist.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../core/errors.js';
import type { AppContext } from './context.js';
import { notificationBusOf } from './notification-bus.js';
import { notify, usersWithRole } from './notifications.js';

/** Failures answered at once; from the next one on, a delay grows. */
export const FREE_FAILURES = 4;
/** Failures at which the phone is locked until a manager lifts it. */
export const LOCK_AFTER_FAILURES = 10;
/** A phone's count starts again after this long without a failure (unless it is locked). */
export const FAILURES_FORGOTTEN_AFTER_MS = 24 * 3600_000;

/** The wait before the next try after `failures` failures: 0, then 2 s, 4 s, 8 s, … doubling. */
export function delayAfterFailures(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : 1000 * 2 ** (failures - FREE_FAILURES);
}

function phoneHash(phone: string): string {
  return createHash('sha256').update(`phone:${phone}`).digest('hex');
}

/** Refuses a try while the phone waits out its delay or is locked; call before checking the secret. */
export async function assertMayTry(ctx: AppContext, phone: string): Promise<void> {
  const row = await ctx.store.db
    .selectFrom('sign_in_attempts')
    .selectAll()
    .where('phone_hash', '=', phoneHash(phone))
    .executeTakeFirst();
  if (row === undefined) return;
  if (row.locked_at !== null) {
    throw new DomainError(
      'ACCOUNT_LOCKED',
      'sign-in for this phone is locked after too many wrong tries; ask the property manager to unlock it',
      { field: 'body.phone' },
    );
  }
  const now = ctx.now();
  if (row.next_attempt_at > now) {
    throw new DomainError('SIGN_IN_DELAYED', 'too many wrong tries for this phone; wait before trying again', {
      field: 'body.phone',
      retryAfterMs: row.next_attempt_at - now,
    });
  }
}

/**
 * Counts a wrong password or code for the phone (of the account `account`, or of none). The count
 * is one atomic increment, so concurrent servers never lose a failure, and the lock is set by one
 * conditional update, so exactly one of them tells the managers.
 */
export async function recordFailure(
  ctx: AppContext,
  phone: string,
  account: { compoundId: string; userId: string; name: string } | null,
): Promise<void> {
  const now = ctx.now();
  const hash = phoneHash(phone);
  const compoundId = account?.compoundId ?? '';
  await ctx.store.db
    .deleteFrom('sign_in_attempts')
    .where('phone_hash', '=', hash)
    .where('locked_at', 'is', null)
    .where('last_failure_at', '<', now - FAILURES_FORGOTTEN_AFTER_MS)
    .execute();
  const counted = await ctx.store.db
    .insertInto('sign_in_attempts')
    .values({
      compound_id: compoundId,
      phone_hash: hash,
      failures: 1,
      last_failure_at: now,
      next_attempt_at: now,
      locked_at: null,
    })
    .onConflict((oc) =>
      oc.column('phone_hash').doUpdateSet((eb) => ({
        failures: eb('sign_in_attempts.failures', '+', 1),
        last_failure_at: now,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const failures = Number(counted.failures);
  if (failures < LOCK_AFTER_FAILURES) {
    await ctx.store.db
      .updateTable('sign_in_attempts')
      .set({ next_attempt_at: now + delayAfterFailures(failures) })
      .where('phone_hash', '=', hash)
      .where('failures', '=', failures)
      .execute();
    return;
  }
  const locked = await ctx.store.db
    .updateTable('sign_in_attempts')
    .set({ locked_at: now })
    .where('phone_hash', '=', hash)
    .where('locked_at', 'is', null)
    .returning('failures')
    .execute();
  if (locked.length > 0 && account !== null) await alertManagers(ctx, account);
}

async function alertManagers(ctx: AppContext, account: { compoundId: string; userId: string; name: string }) {
  await ctx.store.transaction(account.compoundId, async (uow) =>
    notify(
      uow,
      {
        userIds: await usersWithRole(uow, 'manager'),
        kind: 'account.locked',
        title: '账号已锁定',
        body: `${account.name} 的账号连续 ${LOCK_AFTER_FAILURES} 次密码或邀请码错误，已锁定登录；确认是本人后可在管理端解锁。`,
        ref: account.userId,
      },
      ctx,
    ),
  );
  notificationBusOf(ctx.store).wake();
}

/**
 * Forgets the phone's failures, delay and lock: after a right password or code, or when a manager
 * unlocks the account. Tells whether the phone was locked.
 */
export async function clearFailures(ctx: AppContext, phone: string, db = ctx.store.db): Promise<boolean> {
  const removed = await db
    .deleteFrom('sign_in_attempts')
    .where('phone_hash', '=', phoneHash(phone))
    .returning('locked_at')
    .execute();
  return removed.some((r) => r.locked_at !== null);
}

/** Which of `phones` are locked out of sign-in now. */
export async function lockedPhones(ctx: AppContext, phones: readonly string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const byHash = new Map(phones.map((p) => [phoneHash(p), p]));
  const rows = await ctx.store.db
    .selectFrom('sign_in_attempts')
    .select('phone_hash')
    .where('phone_hash', 'in', [...byHash.keys()])
    .where('locked_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => byHash.get(r.phone_hash) ?? ''));
}

/** Forgets failures older than a day that did not lock (run by the periodic purge). */
export async function purgeOldFailures(ctx: AppContext, compoundId: string): Promise<number> {
  const deleted = await ctx.store.db
    .deleteFrom('sign_in_attempts')
    .where('compound_id', 'in', [compoundId, ''])
    .where('locked_at', 'is', null)
    .where('last_failure_at', '<', ctx.now() - FAILURES_FORGOTTEN_AFTER_MS)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
