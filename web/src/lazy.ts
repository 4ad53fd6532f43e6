/**
 * @module Code loaded on demand that waits for the network instead of breaking the screen. A guard
 * or a resident can lose the network before the service worker holds every chunk (it installs a few
 * seconds after the first screen); a plain `React.lazy` then rejects, and the whole app goes blank.
 * Here a failed download is tried again once the browser is back online (or after a second when it
 * believes it is online), a few times, before the failure reaches the error boundary.
 */
import { lazy } from 'react';

const ATTEMPTS = 5;

function online(): Promise<void> {
  return new Promise((resolve) => {
    if (navigator.onLine) setTimeout(resolve, 1000);
    else window.addEventListener('online', () => resolve(), { once: true });
  });
}

/** `load()` again after each failure, once there is network, up to `ATTEMPTS` times. */
export async function whenOnline<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await online();
    }
  }
}

/** `React.lazy` over `whenOnline`. */
export const lazyPart: typeof lazy = (load) => lazy(() => whenOnline(load));
