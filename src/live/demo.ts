/**
 * @module The demo that lives: the demo compound loaded as it stands at this hour after some
 * simulated days (cars in their places, keys in custody, ledger history, nightly figures), played
 * through the real use cases by the driver; and the same residents going on in real time (or
 * faster) while the server runs.
 */
import type { EpochMs } from '../core/brand.js';
import type { Scenario } from '../core/scenario.js';
import { addDays, shanghaiDate } from '../core/time.js';
import type { LoadResult } from '../app/demo.js';
import { loadScenario } from '../app/demo.js';
import type { Store } from '../store/store.js';
import { LiveDriver, originOf } from './driver.js';
import type { DriverOptions } from './driver.js';
import { liveTimeline, virtualTimeline } from './timeline.js';

/** Days of residents' behaviour drawn ahead for a live run (a year; the draw is cheap). */
const LIVE_DAYS = 366;

export interface DemoHistoryOptions {
  /** Simulated days before today: 0 loads the bare compound (no car on site), 1 starts yesterday at midnight. */
  historyDays: number;
  seed: number;
  /** The instant the history ends at ("now"). */
  now: EpochMs;
  newId: () => string;
  /** Called after each simulated day with the days done and the days to do. */
  onProgress?: (done: number, of: number) => void;
}

export interface DemoHistory {
  load: LoadResult;
  /** The driver, stopped at `now`; hand it to `goLive` to keep the residents coming. */
  driver: LiveDriver | null;
}

function driverFor(store: Store, scenario: Scenario, seed: number, newId: () => string, startDate: string) {
  const options: DriverOptions = {
    scenario,
    seed,
    store,
    timeline: virtualTimeline(originOf(startDate)),
    startDate,
    days: LIVE_DAYS,
    newId,
  };
  return new LiveDriver(options);
}

/**
 * Loads `scenario` into an empty compound as it stands at `now` after `historyDays` simulated days:
 * the compound is created at midnight (Asia/Shanghai) `historyDays` days ago with every car out,
 * and the residents and guards play every day since through the use cases, on a virtual clock.
 * One call, so a caller can hold a start-up lock around it.
 */
export async function loadDemoHistory(
  store: Store,
  scenario: Scenario,
  options: DemoHistoryOptions,
): Promise<DemoHistory> {
  if (options.historyDays <= 0) {
    const load = await loadScenario({ store, now: () => options.now, newId: options.newId }, scenario);
    return { load, driver: null };
  }
  // The warm-up day (every car comes home in its evening) is `historyDays` days ago.
  const startDate = addDays(shanghaiDate(options.now), 1 - options.historyDays);
  const driver = driverFor(store, scenario, options.seed, options.newId, startDate);
  const load = await loadScenario(driver.ctx, scenario);
  const origin = originOf(startDate);
  const end = (options.now - origin) / 60_000;
  const days = Math.ceil(end / 1440);
  for (let d = 1; d <= days; d++) {
    await driver.run(0, Math.min(end, d * 1440));
    options.onProgress?.(d, days);
  }
  return { load, driver };
}

export interface LiveOptions {
  /** The residents' day runs this many times faster than the clock (1: real time). */
  speed: number;
  seed: number;
  newId: () => string;
  /** Milliseconds a queued task waits for a person on the phone before a simulated guard takes it. */
  humanGraceMs: number;
  signal: AbortSignal;
}

/**
 * Keeps the demo's residents arriving, declaring and leaving on the wall clock until `signal`
 * aborts: with the driver that just played the history, or (a restart on a loaded database) with a
 * new one whose residents start from the compound's state today.
 */
export async function goLive(
  store: Store,
  scenario: Scenario,
  driver: LiveDriver | null,
  options: LiveOptions,
): Promise<LiveDriver> {
  const live = driver ?? driverFor(store, scenario, options.seed, options.newId, shanghaiDate(Date.now()));
  const from = driver === null ? (Date.now() - originOf(shanghaiDate(Date.now()))) / 60_000 : live.now;
  live.follow(liveTimeline(from, options.speed));
  live.humanGrace(options.humanGraceMs);
  await live.run(from, Infinity, options.signal);
  return live;
}
