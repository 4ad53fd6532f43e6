/** @module Sign-in and sign-out; the session cookie for the browser, a bearer token for integrations. */
import { z } from 'zod';
import { ROLES } from '../app/actor.js';
import { login, logout } from '../app/auth.js';
import { activate, invite } from '../app/invitations.js';
import type { AppContext } from '../app/context.js';
import { SESSION_COOKIE, principalOf, tokenOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';

const principalSchema = z.object({
  compoundId: z.string(),
  userId: z.string(),
  role: z.enum(ROLES),
  name: z.string(),
  householdId: z.string().nullable(),
  partnerLotId: z.string().nullable(),
});

export function authRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with phone and password',
          description:
            'Sets the `pb_session` cookie and returns the token, for use as `Authorization: Bearer <token>`.',
          body: z.object({
            phone: z
              .string()
              .regex(/^1[3-9]\d{9}$/, 'a phone number is 11 digits starting with 1')
              .meta({ examples: ['13800000001'] }),
            password: z.string().min(1, 'password is required').max(200),
            kind: z.enum(['session', 'token']).default('session').describe('`token` lasts 90 days, for integrations'),
          }),
          response: {
            200: z.object({ token: z.string(), expiresAt: z.number(), user: principalSchema }),
            ...pickErrors(400, 401),
          },
        },
      },
      async (request, reply) => {
        const signed = await login(ctx, request.body.phone, request.body.password, request.body.kind);
        if (request.body.kind === 'session') {
          const maxAge = Math.floor((signed.expiresAt - ctx.now()) / 1000);
          void reply.header(
            'set-cookie',
            `${SESSION_COOKIE}=${encodeURIComponent(signed.token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`,
          );
        }
        return { token: signed.token, expiresAt: signed.expiresAt, user: signed.principal };
      },
    );

    app.post(
      '/auth/activate',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Set the password of an invited account with its one-time code, and sign in',
          body: z.object({
            phone: z.string().regex(/^1[3-9]\d{9}$/, 'a phone number is 11 digits starting with 1'),
            code: z.string().min(8).max(12).describe('the one-time code, e.g. 7K2Q-9XDA'),
            password: z.string().min(8, 'a password has at least 8 characters').max(200),
          }),
          response: {
            200: z.object({ token: z.string(), expiresAt: z.number(), user: principalSchema }),
            ...pickErrors(400, 401),
          },
        },
      },
      async (request, reply) => {
        const signed = await activate(ctx, request.body.phone, request.body.code, request.body.password);
        const maxAge = Math.floor((signed.expiresAt - ctx.now()) / 1000);
        void reply.header(
          'set-cookie',
          `${SESSION_COOKIE}=${encodeURIComponent(signed.token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`,
        );
        return { token: signed.token, expiresAt: signed.expiresAt, user: signed.principal };
      },
    );

    app.post(
      '/invitations',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['auth'],
          summary: 'Invite a resident or a guard: the account and a one-time code (7 days) to set the password',
          security: signedIn,
          body: z.object({
            role: z.enum(['resident', 'guard']),
            name: z.string().min(1).max(40),
            phone: z.string().regex(/^1[3-9]\d{9}$/, 'a phone number is 11 digits starting with 1'),
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
          security: signedIn,
          response: { 200: z.object({ ok: z.literal(true) }), ...pickErrors(401) },
        },
      },
      async (request, reply) => {
        const token = tokenOf(request);
        if (token !== null) await logout(ctx, token);
        void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
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
          security: signedIn,
          response: { 200: principalSchema, ...pickErrors(401) },
        },
      },
      (request) => principalOf(request),
    );
  };
}
