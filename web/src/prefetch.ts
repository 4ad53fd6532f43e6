/**
 * @module Replies asked for before the screen that reads them has loaded: once the server has said who
 * is signed in, the entry asks for the first screen's data while the screen's code is still on its way
 * (a slow phone downloads code for seconds). The screen's first read takes the answer (`useData`);
 * later reads and polls ask anew.
 */
import { get } from './api';
import type { Me } from './types';

/** An answer older than this is not taken: the screen asks again. */
const FRESH_MS = 10_000;

const early = new Map<string, { at: number; reply: Promise<unknown> }>();

/** What the guard's first screen reads (web/src/screens/GuardScreen.tsx reads these paths). */
export function guardReads(me: Pick<Me, 'compoundId'>) {
  return {
    tasks: '/api/tasks?mine=true',
    shifts: '/api/shifts',
    keys: '/api/keys',
    lot: `/api/compounds/${me.compoundId}/lot`,
    vehicles: '/api/vehicles',
    notifications: '/api/notifications',
  } as const;
}

/** Asks now for what `me`'s first screen reads (the guard's; other screens read on their own). */
export function prefetchFirstScreen(me: Pick<Me, 'role' | 'compoundId'>): void {
  if (me.role !== 'guard') return;
  for (const path of Object.values(guardReads(me))) {
    const reply = get<unknown>(path);
    // Not handled here: the screen's read takes the outcome, a failure included.
    reply.catch(() => undefined);
    early.set(path, { at: Date.now(), reply });
  }
}

/** The early answer for `path`, once; null if none was asked or it is too old. */
export function takePrefetched<T>(path: string): Promise<T> | null {
  const hit = early.get(path);
  early.delete(path);
  return hit === undefined || Date.now() - hit.at > FRESH_MS ? null : (hit.reply as Promise<T>);
}
