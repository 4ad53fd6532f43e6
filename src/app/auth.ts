/**
 * @module Sign-in with phone and password. A token is `<compound>.<secret>`; only a SHA-256 of the
 * secret is stored, so a database leak gives no usable token. Sessions (browser cookie) last 12
 * hours, API tokens (integrations) 90 days.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HouseholdId, PartnerLotId, UserId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { Principal, Role } from './actor.js';
import type { AppContext } from './context.js';
import { verifyPassword } from './passwords.js';

export type TokenKind = 'session' | 'token';
const LIFETIME_MS: Record<TokenKind, number> = { session: 12 * 3600_000, token: 90 * 24 * 3600_000 };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface SignedIn {
  token: string;
  expiresAt: number;
  principal: Principal;
}

function unauthenticated(message = 'sign in first'): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}

export async function login(
  ctx: AppContext,
  phone: string,
  password: string,
  kind: TokenKind = 'session',
): Promise<SignedIn> {
  const user = await ctx.store.db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
  // The same answer for an unknown phone and a wrong password, so phones cannot be probed.
  if (user === undefined || !(await verifyPassword(password, user.password_hash))) {
    throw unauthenticated('phone or password is wrong');
  }
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = now + LIFETIME_MS[kind];
  await ctx.store.db
    .insertInto('sessions')
    .values({
      compound_id: user.compound_id,
      token_hash: sha256(secret),
      user_id: user.id,
      kind,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { token: `${user.compound_id}.${secret}`, expiresAt, principal: principalOf(user) };
}

function principalOf(user: {
  compound_id: string;
  id: string;
  role: string;
  name: string;
  household_id: string | null;
  partner_lot_id: string | null;
}): Principal {
  return {
    compoundId: user.compound_id,
    userId: user.id as UserId,
    role: user.role as Role,
    name: user.name,
    householdId: user.household_id as HouseholdId | null,
    partnerLotId: user.partner_lot_id as PartnerLotId | null,
  };
}

function splitToken(token: string): { compoundId: string; secret: string } | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || dot === token.length - 1) return null;
  return { compoundId: token.slice(0, dot), secret: token.slice(dot + 1) };
}

/** The signed-in user of a token, or an `UNAUTHENTICATED` error. */
export async function authenticate(ctx: AppContext, token: string): Promise<Principal> {
  const parts = splitToken(token);
  if (parts === null) throw unauthenticated('the token is malformed');
  const row = await ctx.store.db
    .selectFrom('sessions')
    .innerJoin('users', (j) =>
      j.onRef('users.compound_id', '=', 'sessions.compound_id').onRef('users.id', '=', 'sessions.user_id'),
    )
    .select([
      'users.compound_id',
      'users.id',
      'users.role',
      'users.name',
      'users.household_id',
      'users.partner_lot_id',
      'sessions.expires_at',
    ])
    .where('sessions.compound_id', '=', parts.compoundId)
    .where('sessions.token_hash', '=', sha256(parts.secret))
    .executeTakeFirst();
  if (row === undefined) throw unauthenticated('the session is unknown or was signed out');
  if (row.expires_at <= ctx.now()) throw unauthenticated('the session has expired; sign in again');
  return principalOf(row);
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  const parts = splitToken(token);
  if (parts === null) return;
  await ctx.store.db
    .deleteFrom('sessions')
    .where('compound_id', '=', parts.compoundId)
    .where('token_hash', '=', sha256(parts.secret))
    .execute();
}
