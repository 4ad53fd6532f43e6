/**
 * @module Sign-in, sessions and accounts: the session cookie for the browser, a short access token
 * with a refresh token for integrations, the caller's own sessions and password, and the manager's
 * control of the compound's accounts (disable, enable, end sessions, lift a sign-in lockout).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../app/actor.js';
import type { SignedIn } from '../app/auth.js';
import { login, logout, refresh } from '../app/auth.js';
import type { AppContext } from '../app/context.js';
import { activate, invite } from '../app/invitations.js';
import {
  changePassword,
  disableAccount,
  enableAccount,
  listAccounts,
  listSessions,
  revokeOtherSessions,
  revokeUserSessions,
  unlockAccount,
} from '../app/sessions.js';
import { clearSessionCookie, principalOf, setSessionCookie, tokenOf } from './auth.js';
import { pageQuery, pageSchema } from './paging.js';
import { pickErrors, signedIn as security, type RoutePlugin } from './route-helpers.js';
import { idParam, phoneSchema } from './schemas.js';

const principalSchema = z.object({
  compoundId: z.string(),
  userId: z.string(),
  role: z.enum(ROLES),
  name: z.string(),
  householdId: z.string().nullable(),
  partnerLotId: z.string().nullable(),
});

const newPasswordSchema = z.string().min(8, 'a password has at least 8 characters').max(200);

const signedInSchema = z.object({
  token: z.string(),
  expiresAt: z.number(),
  refreshToken: z.string().optional().describe('with `kind: "token"`: exchange it at `/api/auth/refresh`'),
  refreshExpiresAt: z.number().optional(),
  user: principalSchema,
});

/** The per-address limit of @fastify/rate-limit (the numbers are the server's; see `buildServer`). */
const limited = { rateLimit: {} };

function reply(signed: SignedIn) {
  return {
    token: signed.token,
    expiresAt: signed.expiresAt,
    ...(signed.refresh === null
      ? {}
      : { refreshToken: signed.refresh.token, refreshExpiresAt: signed.refresh.expiresAt }),
    user: signed.principal,
  };
}

function withCookie(ctx: AppContext, request: FastifyRequest, response: FastifyReply, signed: SignedIn) {
  setSessionCookie(request, response, signed.token, Math.floor((signed.expiresAt - ctx.now()) / 1000));
  return reply(signed);
}

/** The token the request is signed in with; behind the access check there is one. */
function currentToken(request: FastifyRequest): string {
  return tokenOf(request) ?? '';
}

const accountParams = z.object({ userId: idParam('user') });
const accountStatus = z.object({ userId: z.string(), disabled: z.boolean(), revoked: z.number() });
const accountSummary = z
  .object({
    userId: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    householdId: z.string().nullable(),
    partnerLotId: z.string().nullable(),
    activated: z.boolean().describe('the owner has set a password'),
    disabled: z.boolean(),
    locked: z.boolean().describe('sign-in locked after wrong tries; `POST /users/{userId}/unlock` lifts it'),
  })
  .meta({ id: 'AccountSummary' });

export function authRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with phone and password',
          description:
            'A browser session (default) sets the session cookie (`pb_session`, or `__Host-pb_session` over TLS) for 12 hours. ' +
            '`kind: "token"` is for integrations: an access token for 1 hour (`Authorization: Bearer <token>`) and a refresh token for 30 days. ' +
            'Wrong passwords for one phone make the next try wait 2 s, 4 s, 8 s, … (429 `SIGN_IN_DELAYED` with `Retry-After`) and lock the phone at 10 (429 `ACCOUNT_LOCKED`, the managers are told; a manager unlocks it). ' +
            'Each client address may call this 30 times a minute (429 `TOO_MANY_REQUESTS`).',
          body: z.object({
            phone: phoneSchema,
            password: z.string().min(1, 'password is required').max(200),
            kind: z
              .enum(['session', 'token'])
              .default('session')
              .describe('`token`: 1-hour access token and a refresh token, for integrations'),
          }),
          response: { 200: signedInSchema, ...pickErrors(400, 401, 403, 415, 429) },
        },
      },
      async (request, response) => {
        const signed = await login(ctx, request.body.phone, request.body.password, request.body.kind);
        return request.body.kind === 'session' ? withCookie(ctx, request, response, signed) : reply(signed);
      },
    );

    app.post(
      '/auth/refresh',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Exchange a refresh token for a new access token and a new refresh token',
          description: 'A refresh token works once; the old one is void after the exchange.',
          body: z.object({ refreshToken: z.string().min(1).max(300) }),
          response: { 200: signedInSchema, ...pickErrors(400, 401, 415, 429) },
        },
      },
      async (request) => reply(await refresh(ctx, request.body.refreshToken)),
    );

    app.post(
      '/auth/activate',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Set the password of an invited account with its one-time code, and sign in',
          description: 'Wrong codes count against the phone like wrong passwords at sign-in.',
          body: z.object({
            phone: phoneSchema,
            code: z.string().min(8).max(12).describe('the one-time code, e.g. 7K2Q-9XDA'),
            password: newPasswordSchema,
          }),
          response: { 200: signedInSchema, ...pickErrors(400, 401, 403, 415, 429) },
        },
      },
      async (request, response) =>
        withCookie(
          ctx,
          request,
          response,
          await activate(ctx, request.body.phone, request.body.code, request.body.password),
        ),
    );

    app.post(
      '/invitations',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: 'Invite a resident or a guard: the account and a one-time code (7 days) to set the password',
          security,
          body: z.object({
            role: z.enum(['resident', 'guard']),
            name: z.string().min(1).max(40),
            phone: phoneSchema,
            householdId: z.string().min(1).max(64).optional().describe("the resident's household"),
          }),
          response: {
            200: z.object({ userId: z.string(), code: z.string(), expiresAt: z.number() }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      (request) => invite(ctx, principalOf(request), request.body),
    );

    app.post(
      '/auth/logout',
      {
        config: { access: ROLES },
        schema: {
          tags: ['auth'],
          summary: 'Sign out',
          security,
          response: { 200: z.object({ ok: z.literal(true) }), ...pickErrors(401) },
        },
      },
      async (request, response) => {
        const token = tokenOf(request);
        if (token !== null) await logout(ctx, token);
        clearSessionCookie(request, response);
        return { ok: true as const };
      },
    );

    app.get(
      '/auth/me',
      {
        config: { access: ROLES },
        schema: {
          tags: ['auth'],
          summary: 'Who is signed in',
          security,
          response: { 200: principalSchema, ...pickErrors(401) },
        },
      },
      (request) => principalOf(request),
    );

    app.get(
      '/auth/sessions',
      {
        config: { access: ROLES },
        schema: {
          tags: ['auth'],
          summary: 'Your sessions and tokens that have not expired',
          security,
          response: {
            200: z.object({
              sessions: z.array(
                z.object({
                  id: z.string(),
                  kind: z.enum(['session', 'token', 'refresh']),
                  createdAt: z.number(),
                  expiresAt: z.number(),
                  current: z.boolean(),
                }),
              ),
            }),
            ...pickErrors(401),
          },
        },
      },
      async (request) => ({ sessions: await listSessions(ctx, principalOf(request), currentToken(request)) }),
    );

    app.post(
      '/auth/sessions/revoke',
      {
        config: { access: ROLES },
        schema: {
          tags: ['auth'],
          summary: 'Sign out everywhere else: every other session, token and refresh token ends',
          security,
          response: { 200: z.object({ revoked: z.number() }), ...pickErrors(400, 401, 415) },
        },
      },
      (request) => revokeOtherSessions(ctx, principalOf(request), currentToken(request)),
    );

    app.post(
      '/auth/password',
      {
        config: { access: ROLES },
        schema: {
          tags: ['auth'],
          summary: 'Change your password; every other session ends',
          security,
          body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: newPasswordSchema }),
          response: { 200: z.object({ revoked: z.number() }), ...pickErrors(400, 401, 415) },
        },
      },
      (request) => changePassword(ctx, principalOf(request), currentToken(request), request.body),
    );

    app.get(
      '/users',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: "The compound's accounts, by id, with their state (activated, disabled, locked)",
          description: 'Paged: `limit` (1–500, default 500) and `offset`; `role` keeps one role. No phone numbers.',
          security,
          querystring: z.object({ role: z.enum(ROLES).optional(), ...pageQuery }),
          response: {
            200: z.object({ users: z.array(accountSummary), page: pageSchema }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { role, limit, offset } = request.query;
        const { users, total } = await listAccounts(ctx, principalOf(request), { role, limit, offset });
        const next = offset + limit;
        return { users, page: { offset, limit, total, nextOffset: next < total ? next : null } };
      },
    );

    app.post(
      '/users/:userId/disable',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: 'Disable an account of the compound (a guard who left): no sign-in, every session ends now',
          security,
          params: accountParams,
          response: { 200: accountStatus, ...pickErrors(400, 401, 403, 404, 409, 415) },
        },
      },
      (request) => disableAccount(ctx, principalOf(request), request.params.userId),
    );

    app.post(
      '/users/:userId/enable',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: 'Enable a disabled account again',
          security,
          params: accountParams,
          response: { 200: accountStatus, ...pickErrors(400, 401, 403, 404, 415) },
        },
      },
      (request) => enableAccount(ctx, principalOf(request), request.params.userId),
    );

    app.post(
      '/users/:userId/sessions/revoke',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: 'End every session and token of an account (a lost phone), without disabling it',
          security,
          params: accountParams,
          response: { 200: accountStatus, ...pickErrors(400, 401, 403, 404, 415) },
        },
      },
      (request) => revokeUserSessions(ctx, principalOf(request), request.params.userId),
    );

    app.post(
      '/users/:userId/unlock',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: "Lift the sign-in lockout (and any delay) of an account's phone",
          security,
          params: accountParams,
          response: {
            200: z.object({ userId: z.string(), wasLocked: z.boolean() }),
            ...pickErrors(400, 401, 403, 404, 415),
          },
        },
      },
      (request) => unlockAccount(ctx, principalOf(request), request.params.userId),
    );
  };
}
