/**
 * @module Invitations: a manager invites a resident (of a household) or a guard by phone; the
 * account exists at once without a password, and a one-time code (valid 7 days, sent by SMS or read
 * out by the manager) lets its owner set the password. Only a SHA-256 of the code is stored.
 */
import { randomInt } from 'node:crypto';
import type { HouseholdId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import {
  findInvitation,
  findUserByPhone,
  insertInvitation,
  insertUser,
  isPhoneTaken,
  setPasswordHash,
  useInvitation,
} from '../store/account.repository.js';
import type { Principal } from './actor.js';
import type { SignedIn } from './auth.js';
import { assertEnabled, issue, sha256 } from './auth.js';
import type { AppContext } from './context.js';
import { hashPassword } from './passwords.js';
import { assertMayTry, clearFailures, recordFailure } from './sign-in-limits.js';

const VALID_MS = 7 * 24 * 3600_000;
/** Letters and digits that cannot be mistaken for each other when read aloud or typed on a phone. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function newCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

function normalizeCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/^(.{4})(.{4})$/, '$1-$2');
}

export interface InviteInput {
  role: 'resident' | 'guard';
  name: string;
  phone: string;
  householdId?: string;
}

export interface Invitation {
  userId: string;
  code: string;
  expiresAt: number;
}

export async function invite(ctx: AppContext, actor: Principal, input: InviteInput): Promise<Invitation> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    if (input.role === 'resident') {
      if (input.householdId === undefined)
        throw new DomainError('VALIDATION', 'body.householdId: a resident belongs to a household', {
          field: 'body.householdId',
        });
      if (!(await uow.state()).households.has(input.householdId as HouseholdId)) {
        throw new DomainError('NOT_FOUND', `body.householdId: no household "${input.householdId}"`, {
          field: 'body.householdId',
        });
      }
    }
    if (await isPhoneTaken(uow.trx, input.phone))
      throw new DomainError('PHONE_TAKEN', `body.phone: ${input.phone} already has an account`, {
        field: 'body.phone',
      });
    const userId = `u-${ctx.newId()}`;
    await insertUser(uow.trx, {
      compound_id: uow.compoundId,
      id: userId,
      role: input.role,
      name: input.name,
      phone: input.phone,
      password_hash: null,
      household_id: input.role === 'resident' ? (input.householdId ?? null) : null,
      partner_lot_id: null,
    });
    const code = newCode();
    const now = ctx.now();
    await insertInvitation(uow.trx, {
      compound_id: uow.compoundId,
      code_hash: sha256(code),
      user_id: userId,
      created_by: actor.userId,
      created_at: now,
      expires_at: now + VALID_MS,
      used_at: null,
    });
    return { userId, code, expiresAt: now + VALID_MS };
  });
}

/**
 * Sets the password of an invited account with its one-time code, and signs in. Wrong codes count
 * against the phone like wrong passwords; an unknown phone pays the same scrypt and is counted too.
 */
export async function activate(ctx: AppContext, phone: string, code: string, password: string): Promise<SignedIn> {
  await assertMayTry(ctx, phone);
  const user = await findUserByPhone(ctx.store.db, phone);
  const passwordHash = await hashPassword(password);
  const refuse = (): DomainError =>
    new DomainError('INVITATION_INVALID', 'body.code: the code is wrong, used or expired, or not for this phone', {
      field: 'body.code',
    });
  const accepted =
    user !== undefined &&
    (await ctx.store.db.transaction().execute(async (trx) => {
      const invitation = await findInvitation(trx, user.compound_id, sha256(normalizeCode(code)));
      if (
        invitation === undefined ||
        invitation.user_id !== user.id ||
        invitation.used_at !== null ||
        invitation.expires_at <= ctx.now()
      )
        return false;
      if (!(await useInvitation(trx, user.compound_id, invitation.code_hash, ctx.now()))) return false;
      await setPasswordHash(trx, user.compound_id, user.id, passwordHash);
      return true;
    }));
  if (!accepted) {
    await recordFailure(
      ctx,
      phone,
      user === undefined ? null : { compoundId: user.compound_id, userId: user.id, name: user.name },
    );
    throw refuse();
  }
  await clearFailures(ctx, phone);
  assertEnabled(user);
  return issue(ctx, user, 'session');
}
