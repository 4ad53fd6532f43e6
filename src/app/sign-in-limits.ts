/**
 * @module Limits on guessing passwords and invitation codes, per phone and kept in the database so
 * that every server on one PostgreSQL sees the same counts. The first tries are free; after that each
 * failure makes the next try wait twice as long (the server answers 429 with `Retry-After`, it never
 * sleeps); at the lockout only a manager lets the account sign in again, and the managers are told.
 * Phones without an account are counted the same way, so the answers do not tell which phones exist.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../core/errors.js';
import {
  clearAttempts,
  countFailure,
  delayNextAttempt,
  findAttempts,
  forgetStaleFailures,
  lockPhone,
  lockedPhoneHashes,
  purgeUnlockedFailures,
} from '../store/sign-in-attempt.repository.js';
import type { AppContext } from './context.js';
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
  const row = await findAttempts(ctx.store.db, phoneHash(phone));
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
  const db = ctx.store.db;
  await forgetStaleFailures(db, hash, now - FAILURES_FORGOTTEN_AFTER_MS);
  const failures = await countFailure(db, compoundId, hash, now);
  if (failures < LOCK_AFTER_FAILURES) {
    await delayNextAttempt(db, hash, failures, now + delayAfterFailures(failures));
    return;
  }
  if ((await lockPhone(db, hash, now)) && account !== null) await alertManagers(ctx, account);
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
}

/**
 * Forgets the phone's failures, delay and lock: after a right password or code, or when a manager
 * unlocks the account. Tells whether the phone was locked.
 */
export async function clearFailures(ctx: AppContext, phone: string, db = ctx.store.db): Promise<boolean> {
  return clearAttempts(db, phoneHash(phone));
}

/** Which of `phones` are locked out of sign-in now. */
export async function lockedPhones(ctx: AppContext, phones: readonly string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const byHash = new Map(phones.map((p) => [phoneHash(p), p]));
  const locked = await lockedPhoneHashes(ctx.store.db, [...byHash.keys()]);
  return new Set(locked.map((hash) => byHash.get(hash) ?? ''));
}

/** Forgets failures older than a day that did not lock (run by the periodic purge). */
export async function purgeOldFailures(ctx: AppContext, compoundId: string): Promise<number> {
  return purgeUnlockedFailures(ctx.store.db, compoundId, ctx.now() - FAILURES_FORGOTTEN_AFTER_MS);
}
