/** @module Loading a resource and keeping it fresh: reload on demand, poll while the screen is open. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from './api';
import { takePrefetched } from './prefetch';
import type { GetRoute, Reply } from './types';

export interface Data<T> {
  data: T | null;
  error: Error | null;
  reload: () => void;
}

/**
 * Runs `load` whenever `key` changes (null: not now), on `reload()` and every `pollMs`. With the typed
 * client: `useApi(key, () => unwrap(api.GET('/api/…', { params })))`, whose reply type comes from the
 * OpenAPI document.
 */
export function useApi<T>(key: string | null, load: () => Promise<T>, pollMs = 15_000): Data<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (key === null) return;
    let live = true;
    loader.current().then(
      (d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      },
      (e: unknown) => {
        if (live) setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  useEffect(() => {
    if (pollMs <= 0) return;
    const id = setInterval(reload, pollMs);
    return () => clearInterval(id);
  }, [reload, pollMs]);
  return { data, error, reload };
}

/**
 * A GET by path, typed by the route the path fills in, which the caller names:
 * `useData<'/api/vehicles/{vehicleId}'>(`/api/vehicles/${id}`)`. A reply type written by hand cannot
 * be passed; without the route the data is `never`. The first read may take an early answer (prefetch.ts).
 */
export function useData<R extends GetRoute = never>(path: string | null, pollMs = 15_000): Data<Reply<R>> {
  return useApi<Reply<R>>(path, () => takePrefetched<Reply<R>>(path ?? '') ?? get<Reply<R>>(path ?? ''), pollMs);
}
