/**
 * @module Accounts and their sessions after sign-in: a user lists and ends their own sessions and
 * changes the password; a manager disables an account (a guard who leaves the company), which ends
 * all its sessions and tokens at once, enables it again, or ends its sessions. Expired sessions are
 * purged by a periodic job.
 */
import type { Kysely } from 'kysely';
import { DomainError } from '../core/errors.js';
import type { UserId } from '../core/brand.js';
import type { Role, SessionKind } from '../core/statuses.js';
import type { UserRow } from '../store/account.repository.js';
import { findUser, pageOfUsers, setDisabledAt, setPasswordHash } from '../store/account.repository.js';
import type { Database } from '../store/schema.js';
import { deleteExpiredSessions, deleteSessionsOf, liveSessionsOf } from '../store/session.repository.js';
import type { Principal } from './actor.js';
import { tokenKey } from './auth.js';
import type { AppContext } from './context.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { clearFailures, lockedPhones, purgeOldFailures } from './sign-in-limits.js';

export interface SessionInfo {
  /** The first 16 hex digits of the stored hash: enough to tell sessions apart, useless as a token. */
  id: string;
  kind: SessionKind;
  createdAt: number;
  expiresAt: number;
  /** The session this request is signed in with. */
  current: boolean;
}

/** The caller's sessions and tokens that have not expired, newest first. */
export async function listSessions(ctx: AppContext, actor: Principal, currentToken: string): Promise<SessionInfo[]> {
  const current = tokenKey(currentToken)?.tokenHash;
  const rows = await liveSessionsOf(ctx.store.db, actor.compoundId, actor.userId, ctx.now());
  return rows.map((r) => ({
    id: r.token_hash.slice(0, 16),
    kind: r.kind,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    current: r.token_hash === current,
  }));
}

/** Ends every session and token of a user, but the one `keepToken` names (when given). */
async function endSessions(db: Kysely<Database>, compoundId: string, userId: string, keepToken: string | null) {
  const keep = keepToken === null ? null : (tokenKey(keepToken)?.tokenHash ?? null);
  return deleteSessionsOf(db, compoundId, userId, keep);
}

/** Signs the caller out everywhere else (other phones, tokens and refresh tokens). */
export async function revokeOtherSessions(
  ctx: AppContext,
  actor: Principal,
  currentToken: string,
): Promise<{ revoked: number }> {
  return { revoked: await endSessions(ctx.store.db, actor.compoundId, actor.userId, currentToken) };
}

/** Sets a new password after checking the current one; every other session ends. */
export async function changePassword(
  ctx: AppContext,
  actor: Principal,
  currentToken: string,
  input: { currentPassword: string; newPassword: string },
): Promise<{ revoked: number }> {
  const user = await findUser(ctx.store.db, actor.compoundId, actor.userId);
  if (user === undefined) throw new Error(`users: no row for the signed-in user ${actor.userId}`);
  if (!(await verifyPassword(input.currentPassword, user.password_hash)))
    throw new DomainError('WRONG_PASSWORD', 'body.currentPassword: the current password is wrong', {
      field: 'body.currentPassword',
    });
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.store.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, actor.compoundId, actor.userId, passwordHash);
    return { revoked: await endSessions(trx, actor.compoundId, actor.userId, currentToken) };
  });
}

async function accountOf(db: Kysely<Database>, actor: Principal, userId: string): Promise<UserRow> {
  const user = await findUser(db, actor.compoundId, userId);
  if (user === undefined)
    throw new DomainError('NOT_FOUND', `userId: no account "${userId}" in this compound`, { field: 'userId' });
  return user;
}

export interface AccountStatus {
  userId: string;
  disabled: boolean;
  /** Sessions and tokens ended by this call. */
  revoked: number;
}

/** An account as the manager's list shows it: no phone, no password. */
export interface AccountSummary {
  userId: string;
  role: Role;
  name: string;
  householdId: string | null;
  partnerLotId: string | null;
  /** The owner has set a password (invitation accepted). */
  activated: boolean;
  disabled: boolean;
  /** Sign-in is locked after too many wrong tries (`POST /users/{id}/unlock` lifts it). */
  locked: boolean;
}

/** One page of the compound's accounts, by id, optionally of one role. */
export async function listAccounts(
  ctx: AppContext,
  actor: Principal,
  query: { limit: number; offset: number; role?: Role | undefined },
): Promise<{ users: AccountSummary[]; total: number }> {
  const { rows, total } = await pageOfUsers(ctx.store.db, actor.compoundId, query);
  const locked = await lockedPhones(
    ctx,
    rows.map((r) => r.phone),
  );
  return {
    total,
    users: rows.map((r) => ({
      userId: r.id,
      role: r.role,
      name: r.name,
      householdId: r.household_id,
      partnerLotId: r.partner_lot_id,
      activated: r.password_hash !== null,
      disabled: r.disabled_at !== null,
      locked: locked.has(r.phone),
    })),
  };
}

/**
 * A manager's action on an account, in one transaction with its ledger record (`account.*`, the
 * user's id only: no name or phone in the ledger), so the record exists exactly when the change does.
 */
async function accountAction<T extends Record<string, string | number | boolean>>(
  ctx: AppContext,
  actor: Principal,
  kind: 'account.disabled' | 'account.enabled' | 'account.sessions-revoked' | 'account.unlocked',
  userId: string,
  change: (trx: Kysely<Database>, user: UserRow) => Promise<T>,
): Promise<T> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const user = await accountOf(uow.trx, actor, userId);
    const result = await change(uow.trx, user);
    await uow.append({
      type: 'record',
      payload: { kind, refId: user.id, detail: result },
      at: ctx.now(),
      actor: actor.userId as UserId,
    });
    return result;
  });
}

/** A manager disables an account of the compound: it cannot sign in, and every session and token ends now. */
export async function disableAccount(ctx: AppContext, actor: Principal, userId: string): Promise<AccountStatus> {
  if (userId === actor.userId)
    throw new DomainError('SELF_DISABLE', 'userId: a manager cannot disable their own account', { field: 'userId' });
  return accountAction(ctx, actor, 'account.disabled', userId, async (trx, user) => {
    if (user.disabled_at === null) await setDisabledAt(trx, actor.compoundId, user.id, ctx.now());
    return { userId: user.id, disabled: true, revoked: await endSessions(trx, actor.compoundId, user.id, null) };
  });
}

/** A manager enables a disabled account again; its owner signs in anew. */
export async function enableAccount(ctx: AppContext, actor: Principal, userId: string): Promise<AccountStatus> {
  return accountAction(ctx, actor, 'account.enabled', userId, async (trx, user) => {
    await setDisabledAt(trx, actor.compoundId, user.id, null);
    return { userId: user.id, disabled: false, revoked: 0 };
  });
}

/** A manager ends every session and token of an account (a lost phone), without disabling it. */
export async function revokeUserSessions(ctx: AppContext, actor: Principal, userId: string): Promise<AccountStatus> {
  return accountAction(ctx, actor, 'account.sessions-revoked', userId, async (trx, user) => ({
    userId: user.id,
    disabled: user.disabled_at !== null,
    revoked: await endSessions(trx, actor.compoundId, user.id, null),
  }));
}

/** A manager lifts the sign-in lockout (and any delay) of an account of the compound. */
export async function unlockAccount(
  ctx: AppContext,
  actor: Principal,
  userId: string,
): Promise<{ userId: string; wasLocked: boolean }> {
  return accountAction(ctx, actor, 'account.unlocked', userId, async (trx, user) => ({
    userId: user.id,
    wasLocked: await clearFailures(ctx, user.phone, trx),
  }));
}

/** Deletes the compound's expired sessions and tokens, and sign-in failures long forgotten. */
export async function purgeExpiredSessions(
  ctx: AppContext,
  compoundId: string,
): Promise<{ sessions: number; failures: number }> {
  const sessions = await deleteExpiredSessions(ctx.store.db, compoundId, ctx.now());
  return { sessions, failures: await purgeOldFailures(ctx, compoundId) };
}
