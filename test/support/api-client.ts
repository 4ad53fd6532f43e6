/** Calls to an in-process API server for tests: a checked request, sign-in with the demo password, and the demo server itself. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../../src/app/demo.js';
import type { EpochMs } from '../../src/core/brand.js';
import type { Scenario } from '../../src/core/scenario.js';
import { apiRoutes } from '../../src/http/api.js';
import { buildServer } from '../../src/http/server.js';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';
import { injectAs, remember } from './renewing-tokens.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function apiClient(app: () => FastifyInstance) {
  /** Sends a request (with a bearer token when given) and asserts its status; returns the JSON reply. */
  async function call<T = Record<string, unknown>>(
    token: string | null,
    method: Method,
    url: string,
    payload?: unknown,
    expected = 200,
  ): Promise<T> {
    const r = await injectAs(app(), token || null, {
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    expect(r.statusCode, `${method} ${url} → ${r.body}`).toBe(expected);
    return r.json() as T;
  }

  /** A bearer token for a demo login (every demo password is demo1234), renewed by `call` when it expires. */
  async function signIn(phone: string): Promise<string> {
    return remember(
      await call<{ token: string; refreshToken: string }>(null, 'POST', '/api/auth/login', {
        phone,
        password: 'demo1234',
        kind: 'token',
      }),
    );
  }

  return { call, signIn };
}

/** The demo compound in a store (in memory by default) behind an in-process API server, on the test's clock. */
export async function startDemoApi(
  now: () => number,
  open: () => Promise<Store> = () => openStore({ dataDir: ':memory:' }),
): Promise<{ app: FastifyInstance; ctx: AppContext; scenario: Scenario }> {
  const store = await open();
  let ids = 0;
  const ctx: AppContext = { store, now: () => now() as EpochMs, newId: () => `id${++ids}` };
  const scenario = await readScenarioFile(demoScenarioPath());
  await loadScenario(ctx, scenario);
  const app = await buildServer({ routes: [apiRoutes(ctx)] });
  return { app, ctx, scenario };
}
