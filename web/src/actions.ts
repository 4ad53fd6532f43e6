/**
 * @module Every change a user makes goes through this queue: it gets one `Idempotency-Key`, is kept in
 * localStorage until the server answers, and is retried with backoff while the network fails (the
 * same key each time, so the server applies it once); the browser's `online` event retries at once.
 * A refusal (4xx) is shown as failed, never retried and never silently dropped.
 *
 * The queue belongs to the signed-in user: it is stored under their id (`pb_actions:<userId>`), only
 * that user's session replays it, and signing out deletes it, so on a shared phone nothing one guard
 * queued is ever sent under the next guard's session.
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
  /** The HTTP status of a refusal: 409 is a conflict (e.g. the task went to another guard). */
  httpStatus?: number | null;
  /** The input a refusal is about, and what it names (plates, place, the rule broken): see `ApiError`. */
  field?: string | null;
  details?: Readonly<Record<string, unknown>> | null;
  createdAt: number;
}

/** Before queues were bound to a user: whose actions these were is unknown, so they are never sent. */
const UNBOUND = 'pb_actions';
const storageOf = (userId: string) => `pb_actions:${userId}`;
/** The signed-in user whose queue this is; null before sign-in (actions are then kept in memory only). */
let owner: string | null = null;
/** Counts sign-ins and sign-outs: a retry loop started under an earlier one stops. */
let generation = 0;
let actions: Action[] = [];
const listeners = new Set<() => void>();
const waiters = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
/** Backoff sleeps that the `online` event cuts short. */
const sleepers = new Set<() => void>();

localStorage.removeItem(UNBOUND);
if (typeof window !== 'undefined') window.addEventListener('online', wakeAll);

function load(userId: string): Action[] {
  try {
    return JSON.parse(localStorage.getItem(storageOf(userId)) ?? '[]') as Action[];
  } catch {
    return [];
  }
}

function save(): void {
  // Done actions are kept briefly for the status list; the last 20 are enough.
  actions = actions.slice(-20);
  if (owner !== null) {
    try {
      localStorage.setItem(storageOf(owner), JSON.stringify(actions));
    } catch {
      // A full storage keeps the queue in memory: it still runs, it only does not survive a reload.
    }
  }
  for (const l of listeners) l();
}

/**
 * Makes `userId`'s queue the current one and carries on with what was still pending (same keys).
 * Called when a session is known (sign-in, or the last-known user on an offline start).
 */
export function bindUser(userId: string): void {
  if (owner === userId) return;
  forgetWaiters();
  owner = userId;
  generation++;
  wakeAll();
  actions = load(userId);
  for (const l of listeners) l();
  for (const a of actions) if (a.status === 'pending') void run(a);
}

/** Signing out: the user's queue is deleted with whatever it still held. */
export function clearUser(): void {
  if (owner !== null) localStorage.removeItem(storageOf(owner));
  forgetWaiters();
  owner = null;
  generation++;
  actions = [];
  wakeAll();
  for (const l of listeners) l();
}

/** The screens that awaited another user's actions are gone with that user: their promises never settle. */
function forgetWaiters(): void {
  waiters.clear();
}

function wakeAll(): void {
  for (const wake of [...sleepers]) wake();
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

/** Waits `ms`, or less when the network comes back or the user signs out. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}

/** Whether the action is still in the current user's queue and waiting: a signed-out user's stops. */
const stillPending = (key: string) => actions.some((a) => a.key === key && a.status === 'pending');

async function run(action: Action): Promise<void> {
  const mine = generation;
  for (let attempt = action.attempts; ; attempt++) {
    if (generation !== mine || !stillPending(action.key)) return;
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
          httpStatus: e instanceof ApiError ? e.status : null,
          field: e instanceof ApiError ? e.field : null,
          details: e instanceof ApiError ? e.details : null,
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
