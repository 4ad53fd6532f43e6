/**
 * @module Sign-in with phone and password. A token is `<compound>.<secret>`; only a SHA-256 of the
 * secret is stored, so a database leak gives no usable token. Browser sessions (the cookie) last 12
 * hours. Integrations get an access token of 1 hour and a refresh token of 30 days, which is
 * exchanged (once) for a new pair; there are no long-lived tokens, so a leaked access token is
 * useful for an hour at most and a disabled account loses every token at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HouseholdId, PartnerLotId, UserId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { SessionKind, TokenKind } from '../core/statuses.js';
import type { UserRow } from '../store/account.repository.js';
import { findUser, findUserByPhone } from '../store/account.repository.js';
import { deleteSession, findSessionWithUser, insertSession, takeRefreshToken } from '../store/session.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { verifyPassword } from './passwords.js';
import { assertMayTry, clearFailures, recordFailure } from './sign-in-limits.js';

const LIFETIME_MS: Record<SessionKind, number> = {
  session: 12 * 3600_000,
  token: 3600_000,
  refresh: 30 * 24 * 3600_000,
};

/** The stored form of a token secret or a one-time code. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface SignedIn {
  token: string;
  expiresAt: number;
  principal: Principal;
  /** With `kind: 'token'`: the refresh token and its expiry. */
  refresh: { token: string; expiresAt: number } | null;
}

function unauthenticated(message = 'sign in first'): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}

/** What a principal is made of. */
type PrincipalRow = Pick<UserRow, 'compound_id' | 'id' | 'role' | 'name' | 'household_id' | 'partner_lot_id'>;

/** Refuses a disabled account; called only once its owner proved the password. */
export function assertEnabled(user: Pick<UserRow, 'disabled_at'>): void {
  if (user.disabled_at !== null)
    throw new DomainError('ACCOUNT_DISABLED', 'this account is disabled; ask the property manager');
}

export async function login(
  ctx: AppContext,
  phone: string,
  password: string,
  kind: TokenKind = 'session',
): Promise<SignedIn> {
  await assertMayTry(ctx, phone);
  const user = await findUserByPhone(ctx.store.db, phone);
  // An unknown phone pays the same scrypt as a wrong password and is counted the same way, so
  // neither the answer nor its time tells which phones have accounts.
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  if (user === undefined || !ok) {
    await recordFailure(
      ctx,
      phone,
      user === undefined ? null : { compoundId: user.compound_id, userId: user.id, name: user.name },
    );
    throw unauthenticated('phone or password is wrong');
  }
  await clearFailures(ctx, phone);
  assertEnabled(user);
  return issue(ctx, user, kind);
}

/** Writes a new session (and, for `token`, its refresh token) for a signed-in user. */
export async function issue(ctx: AppContext, user: PrincipalRow, kind: TokenKind): Promise<SignedIn> {
  const now = ctx.now();
  const access = await newSession(ctx, user, kind, now);
  const refresh = kind === 'token' ? await newSession(ctx, user, 'refresh', now) : null;
  return { ...access, principal: principalOfRow(user), refresh };
}

async function newSession(
  ctx: AppContext,
  user: Pick<UserRow, 'compound_id' | 'id'>,
  kind: SessionKind,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = now + LIFETIME_MS[kind];
  await insertSession(ctx.store.db, {
    compound_id: user.compound_id,
    token_hash: sha256(secret),
    user_id: user.id,
    kind,
    created_at: now,
    expires_at: expiresAt,
  });
  return { token: `${user.compound_id}.${secret}`, expiresAt };
}

function principalOfRow(user: PrincipalRow): Principal {
  return {
    compoundId: user.compound_id,
    userId: user.id as UserId,
    role: user.role,
    name: user.name,
    householdId: user.household_id as HouseholdId | null,
    partnerLotId: user.partner_lot_id as PartnerLotId | null,
  };
}

/** The compound and the stored hash of a token, or null for a token that is not `<compound>.<secret>`. */
export function tokenKey(token: string): { compoundId: string; tokenHash: string } | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || dot === token.length - 1) return null;
  return { compoundId: token.slice(0, dot), tokenHash: sha256(token.slice(dot + 1)) };
}

/** The signed-in user of a session or access token, or an `UNAUTHENTICATED` error. */
export async function authenticate(ctx: AppContext, token: string): Promise<Principal> {
  const key = tokenKey(token);
  if (key === null) throw unauthenticated('the token is malformed');
  const row = await findSessionWithUser(ctx.store.db, key.compoundId, key.tokenHash);
  // A refresh token only buys a new access token (POST /api/auth/refresh); it opens nothing else.
  if (row === undefined || row.kind === 'refresh') throw unauthenticated('the session is unknown or was signed out');
  if (row.expires_at <= ctx.now()) throw unauthenticated('the session has expired; sign in again');
  if (row.disabled_at !== null) throw unauthenticated('the account is disabled');
  return principalOfRow(row);
}

/**
 * Exchanges a refresh token for a new access token and a new refresh token. The old refresh token
 * is deleted in the same statement that checks it, so a stolen copy used after its owner (or the
 * owner after the thief) is refused.
 */
export async function refresh(ctx: AppContext, refreshToken: string): Promise<SignedIn> {
  const key = tokenKey(refreshToken);
  const refuse = () => unauthenticated('the refresh token is unknown, used or expired; sign in again');
  if (key === null) throw refuse();
  const userId = await takeRefreshToken(ctx.store.db, key.compoundId, key.tokenHash, ctx.now());
  if (userId === undefined) throw refuse();
  const user = await findUser(ctx.store.db, key.compoundId, userId);
  if (user === undefined || user.disabled_at !== null) throw refuse();
  return issue(ctx, user, 'token');
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  const key = tokenKey(token);
  if (key === null) return;
  await deleteSession(ctx.store.db, key.compoundId, key.tokenHash);
}
