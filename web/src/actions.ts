/**
 * @module Every change a user makes goes through this queue: it gets one `Idempotency-Key`, is kept in
 * localStorage until the server answers, and is retried with backoff while the network fails (the
 * same key each time, so the server applies it once). A refusal (4xx) is shown as failed, never
 * retried and never silently dropped.
 */
import { ApiError, NetworkError, send } from './api';

export type ActionStatus = 'pending' | 'done' | 'failed';

export interface Action {
  key: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** What the user did, shown in the status list (already translated when queued). */
  label: string;
  status: ActionStatus;
  attempts: number;
  error: string | null;
  /** The server's error code of a refusal, for the interface's own words. */
  code?: string | null;
  createdAt: number;
}

const STORAGE = 'pb_actions';
let actions: Action[] = load();
const listeners = new Set<() => void>();
const waiters = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

function load(): Action[] {
  try {
    return JSON.parse(localStorage.getItem(STORAGE) ?? '[]') as Action[];
  } catch {
    return [];
  }
}

function save(): void {
  // Done actions are kept briefly for the status list; the last 20 are enough.
  actions = actions.slice(-20);
  localStorage.setItem(STORAGE, JSON.stringify(actions));
  for (const l of listeners) l();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function snapshot(): Action[] {
  return actions;
}

function newKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function update(key: string, change: Partial<Action>): void {
  actions = actions.map((a) => (a.key === key ? { ...a, ...change } : a));
  save();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(action: Action): Promise<void> {
  for (let attempt = action.attempts; ; attempt++) {
    update(action.key, { attempts: attempt + 1 });
    try {
      const result = await send<unknown>(action.method, action.path, action.body, { 'idempotency-key': action.key });
      update(action.key, { status: 'done', error: null });
      waiters.get(action.key)?.resolve(result);
      waiters.delete(action.key);
      return;
    } catch (e) {
      const retry = e instanceof NetworkError || (e instanceof ApiError && e.status >= 500);
      if (!retry) {
        update(action.key, {
          status: 'failed',
          error: e instanceof Error ? e.message : String(e),
          code: e instanceof ApiError ? e.code : null,
        });
        waiters.get(action.key)?.reject(e);
        waiters.delete(action.key);
        return;
      }
      await sleep(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
    }
  }
}

/** Queues a change and resolves with the server's reply once it is applied; rejects with the refusal. */
export function perform<T>(method: Action['method'], path: string, body: unknown, label: string): Promise<T> {
  const action: Action = {
    key: newKey(),
    method,
    path,
    body,
    label,
    status: 'pending',
    attempts: 0,
    error: null,
    createdAt: Date.now(),
  };
  actions = [...actions, action];
  save();
  const done = new Promise<T>((resolve, reject) =>
    waiters.set(action.key, { resolve: resolve as (v: unknown) => void, reject }),
  );
  void run(action);
  return done;
}

/** After a reload, carries on with what was still pending (same keys). */
export function resumeQueue(): void {
  for (const a of actions) if (a.status === 'pending') void run(a);
}

export function dismiss(key: string): void {
  actions = actions.filter((a) => a.key !== key);
  save();
}

export function retry(key: string): void {
  const a = actions.find((x) => x.key === key);
  if (a === undefined) return;
  update(key, { status: 'pending', error: null, attempts: 0 });
  void run({ ...a, attempts: 0 });
}
