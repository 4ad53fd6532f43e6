/** @module A job that runs some work for every compound, again and again, until stopped; `stop` waits for the pass in progress. */
import type { AppContext } from './context.js';

export interface PeriodicJob {
  stop(): Promise<void>;
}

export function startPerCompoundJob(
  ctx: AppContext,
  work: (compoundId: string) => Promise<unknown>,
  options: { intervalMs: number; onError?: (error: unknown, compoundId: string) => void },
): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const pass = async (): Promise<void> => {
    for (const compoundId of await ctx.store.compoundIds()) {
      if (stopped) return;
      try {
        await work(compoundId);
      } catch (error) {
        options.onError?.(error, compoundId);
      }
    }
  };
  const tick = (): void => {
    running = pass()
      .catch((error: unknown) => options.onError?.(error, ''))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}
