/** @module `serve`, `demo`, `migrate`, `ledger verify|replay` and `backup`: the commands that run a compound. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configFromEnv } from '../app/config.js';
import type { AppContext } from '../app/context.js';
import { systemContext } from '../app/context.js';
import { deleteCompound, demoScenarioPath, guardsOnDutyAt, readScenarioFile } from '../app/demo.js';
import { checkAgainst, parsePublishedHead, publishDailyHead, replayLedgers, verifyLedgers } from '../app/ledger.js';
import { notificationConfigFromEnv } from '../app/notification-config.js';
import { startNotificationJobs } from '../app/notification-jobs.js';
import { checkPartnerLots } from '../app/partner-overstay.js';
import { demoRenovationPath, loadRenovationSection, readRenovationSection } from '../app/renovation-demo.js';
import { checkWaste } from '../app/waste.js';
import { planAhead } from '../app/operations.js';
import { startPerCompoundJob } from '../app/periodic.js';
import { flagOverstays } from '../app/visitors.js';
import { purgeExpiredSessions } from '../app/sessions.js';
import { checkCameraSilence } from '../app/gate.js';
import { remindArrears } from '../app/billing.js';
import { packageRoot } from '../app/package-root.js';
import type { Scenario } from '../core/scenario.js';
import { apiRoutes } from '../http/api.js';
import { sweepIdempotencyKeys } from '../http/idempotency.js';
import { listen } from '../http/lifecycle.js';
import { buildServer } from '../http/server.js';
import type { LiveDriver } from '../live/driver.js';
import { goLive, loadDemoHistory } from '../live/demo.js';
import { openStore } from '../store/store.js';

/**
 * Live, a queued task waits this long for a guard on the phone before a simulated guard takes it:
 * a newcomer who signs in as a guard on duty sees tasks arrive and can do them; nobody signed in,
 * the lot still moves.
 */
const HUMAN_GRACE_MS = 2 * 60_000;

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = configFromEnv();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await work(systemContext(store));
  } finally {
    await store.close();
  }
}

function printLogins(scenario: Scenario, at: number): void {
  out('Demo logins (phone / password) — demo data only:');
  const roles = ['manager', 'guard', 'resident', 'partner', 'committee'] as const;
  const onDuty = new Set(guardsOnDutyAt(scenario, at));
  for (const role of roles) {
    const users = scenario.users.filter((x) => x.role === role && (role !== 'guard' || onDuty.has(x.id)));
    for (const u of users.slice(0, 3)) {
      out(`  ${role.padEnd(9)} ${u.name.padEnd(6, '　')} ${u.phone} / ${u.password}`);
    }
  }
  out('  hauler    (a partner account: the construction-waste hauler) 13800000401 / demo1234');
}

interface DemoOptions {
  reset: boolean;
  /** Simulated days played before now (0: the bare compound, every car out). */
  historyDays: number;
  seed: number;
}

/**
 * The demo's history by default: three days up to now, so that the reports show whole nights after
 * the warm-up evening (when every car comes home at once). About 25 s of CPU on a small server.
 */
const DEFAULT_HISTORY_DAYS = 3;

function demoOptionsOf(options: { historyDays?: string; seed?: string }): Omit<DemoOptions, 'reset'> {
  const historyDays = Number(options.historyDays ?? process.env.PARKBUTLER_DEMO_HISTORY_DAYS ?? DEFAULT_HISTORY_DAYS);
  const seed = Number(options.seed ?? 1);
  if (!Number.isInteger(historyDays) || historyDays < 0 || historyDays > 60)
    throw new Error('--history-days: a whole number of days from 0 to 60');
  if (!Number.isInteger(seed)) throw new Error('--seed: a whole number');
  return { historyDays, seed };
}

async function loadDemo(
  ctx: AppContext,
  options: DemoOptions,
): Promise<{ loaded: boolean; scenario: Scenario; driver: LiveDriver | null }> {
  const scenario = await readScenarioFile(demoScenarioPath());
  const existing = await ctx.store.compoundIds();
  if (existing.includes(scenario.compound.id)) {
    if (!options.reset) return { loaded: false, scenario, driver: null };
    await deleteCompound(ctx, scenario.compound.id);
  }
  if (options.historyDays > 0)
    out(`Playing the demo's last ${options.historyDays} simulated day(s) up to now through the use cases…`);
  const started = performance.now();
  const { load, driver } = await loadDemoHistory(ctx.store, scenario, {
    historyDays: options.historyDays,
    seed: options.seed,
    now: ctx.now(),
    newId: ctx.newId,
    onProgress: (done, of) => out(`  day ${done}/${of} done (${((performance.now() - started) / 1000).toFixed(0)} s)`),
  });
  await loadRenovationSection(ctx, await readRenovationSection(demoRenovationPath()));
  const events = (await ctx.store.verify(scenario.compound.id)).events;
  const state = await ctx.store.state(scenario.compound.id);
  const parked = [...state.vehicles.values()].filter((v) => v.location.kind === 'parked').length;
  out(
    `Loaded ${scenario.compound.name} (${load.compoundId}): ${load.households} households, ${load.vehicles} cars (${parked} parked now), ${events} ledger events.`,
  );
  return { loaded: true, scenario, driver };
}

export function registerStoreCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the API, its docs and the web app; loads the demo compound into an empty database')
    .option('--no-demo', 'do not load the demo compound into an empty database')
    .option(
      '--history-days <n>',
      `simulated days the demo plays up to now when it loads (0: bare; default $PARKBUTLER_DEMO_HISTORY_DAYS or ${DEFAULT_HISTORY_DAYS})`,
    )
    .option('--seed <n>', "the demo residents' seed", '1')
    .option('--demo-live', "keep the demo's simulated residents and guards going while the server runs")
    .option('--speed <x>', "with --demo-live: the residents' day runs X times faster than the clock", '1')
    .action(
      async (options: { demo: boolean; historyDays?: string; seed?: string; demoLive?: boolean; speed: string }) => {
        const config = configFromEnv();
        const demo = demoOptionsOf(options);
        const speed = Number(options.speed);
        if (!(speed > 0 && speed <= 1000)) throw new Error('--speed: a number above 0, at most 1000');
        const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        const ctx = systemContext(store);
        let driver: LiveDriver | null = null;
        let scenario: Scenario | null = null;
        // One at a time: several servers started together on an empty database load the demo once.
        await store.exclusively('demo', async () => {
          if (options.demo && (await store.compoundIds()).length === 0) {
            ({ scenario, driver } = await loadDemo(ctx, { ...demo, reset: false }));
            printLogins(scenario, ctx.now());
          }
        });
        const webRoot = join(packageRoot(), 'web', 'dist');
        const app = await buildServer({
          routes: [apiRoutes(ctx)],
          logger: { level: process.env.LOG_LEVEL ?? 'info' },
          webRoot: existsSync(webRoot) ? webRoot : null,
          trustProxy: config.trustProxy,
          ...(config.signInPerMinute === undefined ? {} : { signInPerMinute: config.signInPerMinute }),
        });
        const jobs = startNotificationJobs(ctx, notificationConfigFromEnv(), app.log);
        /** The periodic work of every compound: how often, what it is called in the log, the work. */
        const periodic: [number, string, (compoundId: string) => Promise<unknown>][] = [
          // Relocations for the declared and habitual departures ahead, and the night's re-sort.
          [2 * 60_000, 'planning ahead', (id) => planAhead(ctx, id)],
          // Visitors still on site after their window are flagged.
          [5 * 60_000, 'visitor overstay check', (id) => flagOverstays(ctx, id)],
          // Leave-by reminders and overstays at the partner lots.
          [60_000, 'partner lot check', (id) => checkPartnerLots(ctx, id)],
          // Timetabled waste collections, stray waste reminders and escalations.
          [10 * 60_000, 'waste check', (id) => checkWaste(ctx, id)],
          // Expired sessions and tokens, and sign-in failures long forgotten, are deleted.
          [10 * 60_000, 'session purge', (id) => purgeExpiredSessions(ctx, id)],
          // Idempotency keys past their 24 hours are deleted.
          [10 * 60_000, 'idempotency key sweep', (id) => sweepIdempotencyKeys(store, id, ctx.now())],
          // The day's ledger head, once a day, to the committee and the webhook.
          [60 * 60_000, 'publishing the ledger head', (id) => publishDailyHead(ctx, id)],
          // Gate cameras silent past their heartbeat.
          [60_000, 'camera silence check', (id) => checkCameraSilence(ctx, id)],
          // Arrears reminders for bills past their due date (once a week per bill).
          [60 * 60_000, 'arrears reminders', (id) => remindArrears(ctx, id)],
        ];
        const running = periodic.map(([intervalMs, what, work]) =>
          startPerCompoundJob(ctx, work, {
            intervalMs,
            onError: (err, compoundId) => app.log.error({ err, compoundId }, `${what} failed`),
          }),
        );
        const stopLive = new AbortController();
        let living: Promise<unknown> = Promise.resolve();
        if (options.demoLive === true) {
          scenario ??= await readScenarioFile(demoScenarioPath());
          if (!(await store.compoundIds()).includes(scenario.compound.id))
            throw new Error(`--demo-live: the demo compound ${scenario.compound.id} is not in this database`);
          const live = scenario;
          living = goLive(store, live, driver, {
            speed,
            seed: demo.seed,
            newId: ctx.newId,
            humanGraceMs: HUMAN_GRACE_MS,
            signal: stopLive.signal,
          }).catch((err: unknown) => app.log.error({ err }, 'the live demo stopped'));
          out(
            `The demo lives: simulated residents arrive, declare and leave at ${speed}× the clock; a task waits ${HUMAN_GRACE_MS / 60_000} min for a guard on the phone before a simulated guard takes it.`,
          );
        }
        const onClose = async (): Promise<void> => {
          stopLive.abort();
          await living;
          await Promise.all([jobs.stop(), ...running.map((job) => job.stop())]);
          await store.close();
        };
        const address = await listen(app, { port: config.port, host: config.host, onClose });
        const shown = `http://localhost:${new URL(address).port}`;
        out(
          `parkbutler is serving on ${shown} (API docs: ${shown}/docs, database: ${store.kind === 'sqlite' ? resolve(config.dataDir, 'parkbutler.sqlite') : 'PostgreSQL'})`,
        );
      },
    );

  program
    .command('demo')
    .description('create the demo compound (金纺小区), or reset it with --reset')
    .option('--reset', 'delete the demo compound and load it again')
    .option(
      '--history-days <n>',
      `simulated days played up to now (0: bare; default $PARKBUTLER_DEMO_HISTORY_DAYS or ${DEFAULT_HISTORY_DAYS})`,
    )
    .option('--seed <n>', "the demo residents' seed", '1')
    .action(async (options: { reset?: boolean; historyDays?: string; seed?: string }) => {
      await withContext(async (ctx) => {
        const { loaded, scenario } = await loadDemo(ctx, { ...demoOptionsOf(options), reset: options.reset === true });
        if (!loaded) out(`The demo compound ${scenario.compound.id} exists; use --reset to load it again.`);
        printLogins(scenario, ctx.now());
      });
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const config = configFromEnv();
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await store.close();
      out('The database schema is up to date.');
    });

  const ledger = program.command('ledger').description('check the tamper-evident ledger');
  ledger
    .command('verify')
    .description("recompute each compound's hash chain; exits 1 and names the first bad event when a chain is broken")
    .option('--compound <id>', 'only this compound')
    .option('--against <seq:hash>', 'also check that the ledger still holds this published head (needs --compound)')
    .action(async (options: { compound?: string; against?: string }) => {
      await withContext(async (ctx) => {
        const against = options.against === undefined ? null : parsePublishedHead(options.against);
        if (against !== null && options.compound === undefined) throw new Error('--against needs --compound');
        const results = await verifyLedgers(ctx.store, options.compound);
        let broken = 0;
        for (const { compoundId, result } of results) {
          const published = against === null ? null : await checkAgainst(ctx.store, compoundId, against);
          if (published !== null && !published.ok) {
            broken++;
            out(`${compoundId}: BROKEN against the published head — ${published.message}`);
          } else if (result.ok)
            out(`${compoundId}: ok — ${result.events} events, head ${result.events}:${result.headHash}`);
          else {
            broken++;
            out(`${compoundId}: BROKEN at event #${result.badSeq} — ${result.message}`);
          }
        }
        if (results.length === 0) out('No compounds.');
        if (broken > 0) process.exitCode = 1;
      });
    });
  ledger
    .command('replay')
    .description('rebuild the state from the ledger and compare it with the stored state; exits 1 when they differ')
    .option('--compound <id>', 'only this compound')
    .action(async (options: { compound?: string }) => {
      await withContext(async (ctx) => {
        const results = await replayLedgers(ctx.store, options.compound);
        for (const r of results) {
          out(
            `${r.compoundId}: ${r.equal ? 'the replay of' : 'MISMATCH after'} ${r.events} events${r.equal ? ' equals the stored state' : ''}`,
          );
          for (const d of r.differences) out(`  ${d}`);
        }
        if (results.some((r) => !r.equal)) process.exitCode = 1;
      });
    });

  program
    .command('backup <file>')
    .description(
      'write a consistent copy of the SQLite database to FILE while the server runs (restore: stop the server, copy FILE to $PARKBUTLER_DATA/parkbutler.sqlite)',
    )
    .action(async (file: string) => {
      await withContext(async (ctx) => {
        if (ctx.store.kind !== 'sqlite')
          throw new Error('backup copies the SQLite database; for PostgreSQL use pg_dump');
        await ctx.store.backup(resolve(file));
        out(`Backed up to ${resolve(file)}`);
      });
    });
}
