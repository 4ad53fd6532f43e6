/**
 * @module Who may call what. Every API route declares `config.access`: `'public'` (sign-in, health)
 * or the roles allowed. The check runs in `onRequest`, before Fastify parses or validates the body,
 * so an unauthenticated caller learns nothing about a route's input rules: 401 first, then 403.
 * Also the session cookie: `pb_session` over plain HTTP, `__Host-pb_session` (with `Secure`) when
 * the request came over TLS, directly or through a trusted reverse proxy (`X-Forwarded-Proto`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../app/actor.js';
import { authenticate } from '../app/auth.js';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../core/errors.js';

export const SESSION_COOKIE = 'pb_session';
/** The cookie over TLS: a `__Host-` cookie is Secure, for this host only, and no subdomain can set it. */
export const TLS_SESSION_COOKIE = '__Host-pb_session';

/** The session cookie's name for this request; a plain-HTTP cookie is not read over TLS, nor the reverse. */
export function sessionCookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? TLS_SESSION_COOKIE : SESSION_COOKIE;
}

/** Sets the session cookie (HttpOnly, SameSite=Lax; Secure over TLS) for `maxAgeSeconds`. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
): void {
  const secure = request.protocol === 'https';
  void reply.setCookie(sessionCookieName(request), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  setSessionCookie(request, reply, '', 0);
}

export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The token of a request: `Authorization: Bearer …` first, then the session cookie (parsed by @fastify/cookie). */
export function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ?? null;
  }
  const value = request.cookies[sessionCookieName(request)];
  return value === undefined || value === '' ? null : value;
}

/** The signed-in user; routes behind the access check may rely on it. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new DomainError('UNAUTHENTICATED', 'sign in first');
  return request.principal;
}

export function accessHook(ctx: AppContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    if (access === undefined) {
      // A route without a declared access rule is a bug; refuse rather than guess.
      throw new Error(`route ${request.routeOptions.url ?? request.url} declares no access rule`);
    }
    const token = tokenOf(request);
    if (token === null)
      throw new DomainError('UNAUTHENTICATED', 'sign in first (session cookie or Authorization: Bearer token)');
    const principal = await authenticate(ctx, token);
    request.principal = principal;
    if (!access.includes(principal.role)) {
      throw new DomainError(
        'FORBIDDEN',
        `a ${principal.role} may not ${request.method} ${request.routeOptions.url ?? request.url}`,
      );
    }
  };
}
