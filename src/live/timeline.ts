/**
 * @module The driver's agenda and its clock. Events are kept in time order (ties in the order they
 * were scheduled) on the residents' timeline, in minutes from the behaviour's minute 0 (midnight,
 * Asia/Shanghai, of the warm-up day; see `src/sim/behaviour.ts`). A **timeline** maps those minutes
 * to instants: a virtual one runs as fast as the machine can (history, tests), a live one waits for
 * the wall clock, optionally `speed` times faster.
 */
import type { EpochMs } from '../core/brand.js';

/** One scheduled event: its minute on the residents' timeline and what happens. */
interface Entry<E> {
  minute: number;
  seq: number;
  event: E;
}

/** Events in time order, first scheduled first on a tie. */
export class Agenda<E> {
  private readonly entries: Entry<E>[] = [];
  private seq = 0;

  push(minute: number, event: E): void {
    const entry = { minute, seq: this.seq++, event };
    // Binary search for the first entry later than this one (ties keep their scheduling order).
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.entries[mid] as Entry<E>).minute <= minute) lo = mid + 1;
      else hi = mid;
    }
    this.entries.splice(lo, 0, entry);
  }

  /** The minute of the next event, or null when none is left. */
  peek(): number | null {
    return this.entries[0]?.minute ?? null;
  }

  shift(): { minute: number; event: E } | undefined {
    return this.entries.shift();
  }
}

/** How the residents' minutes meet the clock the use cases read. */
export interface Timeline {
  /** The instant of a minute of the residents' timeline. */
  instant(minute: number): EpochMs;
  /** The clock the use cases read (`AppContext.now`). */
  now(): EpochMs;
  /** Brings the clock to `minute`: a virtual timeline sets it, a live one waits for it. */
  reach(minute: number, signal?: AbortSignal): Promise<void>;
  /** Nobody but the driver acts on a virtual timeline (no wall-clock time passes between its events). */
  readonly virtual: boolean;
}

/** A virtual clock: minute m is `origin + m` minutes, and reaching it takes no time. */
export function virtualTimeline(origin: EpochMs): Timeline {
  let now = origin;
  return {
    virtual: true,
    instant: (minute) => (origin + minute * 60_000) as EpochMs,
    now: () => now,
    reach: (minute) => {
      now = Math.max(now, origin + Math.round(minute * 60_000)) as EpochMs;
      return Promise.resolve();
    },
  };
}

/**
 * The wall clock: minute `fromMinute` is the instant the timeline starts, and the residents' day
 * runs `speed` times faster than the clock (the use cases always read the real time, so a human
 * guard's actions and the simulated ones share one clock and one ledger order).
 */
export function liveTimeline(fromMinute: number, speed: number, clock: () => number = Date.now): Timeline {
  const start = clock();
  const instant = (minute: number): EpochMs => Math.round(start + ((minute - fromMinute) * 60_000) / speed) as EpochMs;
  return {
    virtual: false,
    instant,
    now: () => clock() as EpochMs,
    reach: async (minute, signal) => {
      const wait = instant(minute) - clock();
      if (wait <= 0 || signal?.aborted === true) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
}
