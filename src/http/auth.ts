/**
 * @module Who may call what. Every API route declares `config.access`: `'public'` (sign-in, health)
 * or the roles allowed. The check runs in `onRequest`, before Fastify parses or validates the body,
 * so an unauthenticated caller learns nothing about a route's input rules: 401 first, then 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../app/actor.js';
import { authenticate } from '../app/auth.js';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../core/errors.js';

export const SESSION_COOKIE = 'pb_session';

export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The token of a request: `Authorization: Bearer …` first, then the session cookie. */
export function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ?? null;
  }
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
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
