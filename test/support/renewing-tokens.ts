/**
 * Test clients hold integration tokens across hours of simulated time. Access tokens last an hour,
 * so, like a real integration, a client renews an expired one with its refresh token and sends the
 * request again. A test keeps using the token it was first given; the renewals are tracked here.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** The first access token → its current refresh token, and its current access token. */
const refreshOf = new Map<string, string>();
const currentOf = new Map<string, string>();

/** Remembers a sign-in's refresh token; returns the access token the test keeps using. */
export function remember(signedIn: { token: string; refreshToken?: string }): string {
  if (signedIn.refreshToken !== undefined) refreshOf.set(signedIn.token, signedIn.refreshToken);
  return signedIn.token;
}

/** The access token to send now for a token a test was given (after any renewal). */
export function currentToken(token: string): string {
  return currentOf.get(token) ?? token;
}

/** Renews an expired access token; returns its new expiry, or null when it cannot be renewed. */
export async function renew(app: FastifyInstance, token: string): Promise<number | null> {
  const refreshToken = refreshOf.get(token);
  if (refreshToken === undefined) return null;
  const renewed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  if (renewed.statusCode !== 200) return null;
  const body = renewed.json<{ token: string; refreshToken: string; expiresAt: number }>();
  currentOf.set(token, body.token);
  refreshOf.set(token, body.refreshToken);
  return body.expiresAt;
}

/** `app.inject` with `Authorization: Bearer`, renewing the token once when it has expired. */
export async function injectAs(
  app: FastifyInstance,
  token: string | null,
  options: InjectOptions,
): Promise<LightMyRequestResponse> {
  if (token === null) return app.inject(options);
  const send = () =>
    app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${currentToken(token)}` } });
  const first = await send();
  if (first.statusCode !== 401 || !first.body.includes('expired') || (await renew(app, token)) === null) return first;
  return send();
}
