/** Calls to an in-process API server for tests: a checked request and sign-in with the demo password. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function apiClient(app: () => FastifyInstance) {
  /** Sends a request (with a bearer token when given) and asserts its status; returns the JSON reply. */
  async function call<T = Record<string, unknown>>(token: string | null, method: Method, url: string, payload?: unknown, expected = 200): Promise<T> {
    const r = await app().inject({
      method,
      url,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    expect(r.statusCode, `${method} ${url} → ${r.body}`).toBe(expected);
    return r.json() as T;
  }

  /** A bearer token for a demo login (every demo password is demo1234). */
  async function signIn(phone: string): Promise<string> {
    return (await call<{ token: string }>(null, 'POST', '/api/auth/login', { phone, password: 'demo1234', kind: 'token' })).token;
  }

  return { call, signIn };
}
