/**
 * @module `useData` that survives the network going away: each reply is remembered for the signed-in
 * user, and while the server cannot be reached the screen shows the last-known one with its time.
 */
import { useEffect, useMemo } from 'react';
import { NetworkError } from './api';
import { recall, rememberWhenIdle } from './offline';
import type { GetRoute, Reply } from './types';
import { useData, type Data } from './useData';

export interface CachedData<T> extends Data<T> {
  /** When the shown data arrived, if it is a remembered reply rather than a fresh one; else null. */
  savedAt: number | null;
}

/** `useData` with the last-known reply kept for the user; typed the same way, by the route `path` fills in. */
export function useCachedData<R extends GetRoute = never>(
  userId: string,
  path: string,
  pollMs = 15_000,
): CachedData<Reply<R>> {
  const live = useData<R>(path, pollMs);
  const { reload } = live;
  // Back online: fresh data at once, not at the next poll.
  useEffect(() => {
    window.addEventListener('online', reload);
    return () => window.removeEventListener('online', reload);
  }, [reload]);
  // A newer reply, or the screen closing (signing out), cancels a write still waiting.
  useEffect(
    () => (live.data === null ? undefined : rememberWhenIdle(userId, path, live.data)),
    [userId, path, live.data],
  );
  const offline = live.error instanceof NetworkError;
  // Read once per path and whenever the network fails again, not on every render.
  const saved = useMemo(
    () => (live.data === null || offline ? recall<Reply<R>>(userId, path) : null),
    [userId, path, live.data, offline],
  );
  if (live.data !== null && !offline) return { ...live, savedAt: null };
  if (saved !== null) return { ...live, data: saved.data, savedAt: saved.at };
  return { ...live, savedAt: null };
}
