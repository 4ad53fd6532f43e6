/** @module Loading a resource and keeping it fresh: reload on demand, poll while the screen is open. */
import { useCallback, useEffect, useState } from 'react';
import { get } from './api';

export interface Data<T> {
  data: T | null;
  error: Error | null;
  reload: () => void;
}

export function useData<T>(path: string | null, pollMs = 15_000): Data<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    get<T>(path).then(
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
  }, [path, tick]);
  useEffect(() => {
    if (pollMs <= 0) return;
    const id = setInterval(reload, pollMs);
    return () => clearInterval(id);
  }, [reload, pollMs]);
  return { data, error, reload };
}
