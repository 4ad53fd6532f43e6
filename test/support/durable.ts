/**
 * Helpers of the process-level durability tests (crashes with retries, several servers on one
 * PostgreSQL): HTTP calls with an `Idempotency-Key`, demo sign-ins, and a PostgreSQL database of
 * the test's own, so servers started as processes (which use the default schema) collide with nobody.
 */
import { readFileSync } from 'node:fs';

export interface DemoScenario {
  vehicles: { id: string; plate: string; householdId: string }[];
  users: { id: string; role: string; phone: string; password: string; householdId?: string }[];
}

export const demo = JSON.parse(
  readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8'),
) as DemoScenario;

export interface Reply {
  status: number;
  json: unknown;
  replayed: boolean;
}

/** One HTTP call; `key` becomes the `Idempotency-Key` header. Throws when the connection fails. */
export async function call(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  key?: string,
): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? null : (JSON.parse(text) as unknown),
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

/** Signs in the demo user of `role` (the index-th of them) and returns an API token. */
export async function signIn(url: string, role: string, index = 0): Promise<{ token: string; userId: string }> {
  const user = demo.users.filter((u) => u.role === role)[index];
  if (user === undefined) throw new Error(`no demo ${role} #${index}`);
  const r = await call(url, 'POST', '/api/auth/login', null, {
    phone: user.phone,
    password: user.password,
    kind: 'token',
  });
  if (r.status !== 200) throw new Error(`sign-in of ${user.phone}: ${r.status} ${JSON.stringify(r.json)}`);
  return { token: (r.json as { token: string }).token, userId: user.id };
}

export { createDatabase, dropDatabase } from '../../bench/pg-database.js';
