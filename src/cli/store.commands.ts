/** @module `serve`, `demo`, `migrate`, `ledger verify|replay` and `backup`: the commands that run a compound. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configFromEnv } from '../app/config.js';
import type { AppContext } from '../app/context.js';
import { systemContext } from '../app/context.js';
import { deleteCompound, demoScenarioPath, guardsOnDutyAt, loadScenario, readScenarioFile } from '../app/demo.js';
import { replayLedgers, verifyLedgers } from '../app/ledger.js';
import { notificationConfigFromEnv } from '../app/notification-config.js';
import { startNotificationJobs } from '../app/notification-jobs.js';
import { checkPartnerLots } from '../app/partner-lots.js';
import { planAhead } from '../app/operations.js';
import { startPerCompoundJob } from '../app/periodic.js';
import { flagOverstays } from '../app/visitors.js';
import { startCameraSilenceJob } from '../app/gate.js';
import { remindArrears } from '../app/billing.js';
import { packageRoot } from '../app/package-root.js';
import type { Scenario } from '../core/scenario.js';
import { apiRoutes } from '../http/api.js';
import { listen } from '../http/lifecycle.js';
import { buildServer } from '../http/server.js';
import { openStore } from '../store/store.js';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
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
}

async function loadDemo(ctx: AppContext, reset: boolean): Promise<{ loaded: boolean; scenario: Scenario }> {
  const scenario = await readScenarioFile(demoScenarioPath());
  const existing = await ctx.store.compoundIds();
  if (existing.includes(scenario.compound.id)) {
    if (!reset) return { loaded: false, scenario };
    await deleteCompound(ctx, scenario.compound.id);
  }
  const result = await loadScenario(ctx, scenario);
  out(
    `Loaded ${scenario.compound.name} (${result.compoundId}): ${result.households} households, ${result.vehicles} cars, ${result.events} ledger events.`,
  );
  return { loaded: true, scenario };
}

export function registerStoreCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the API, its docs and the web app; loads the demo compound into an empty database')
    .option('--no-demo', 'do not load the demo compound into an empty database')
    .action(async (options: { demo: boolean }) => {
      const config = configFromEnv();
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const ctx = systemContext(store);
      if (options.demo && (await store.compoundIds()).length === 0) {
        const { scenario } = await loadDemo(ctx, false);
        printLogins(scenario, ctx.now());
      }
      const webRoot = join(packageRoot(), 'web', 'dist');
      const app = await buildServer({
        routes: [apiRoutes(ctx)],
        logger: { level: process.env.LOG_LEVEL ?? 'info' },
        webRoot: existsSync(webRoot) ? webRoot : null,
      });
      const jobs = startNotificationJobs(ctx, notificationConfigFromEnv(), app.log);
      // Every two minutes: relocations for the declared departures of the next 90 minutes.
      const planning = startPerCompoundJob(ctx, (compoundId) => planAhead(ctx, compoundId), {
        intervalMs: 2 * 60_000,
        onError: (err, compoundId) => app.log.error({ err, compoundId }, 'planning ahead failed'),
      });
      // Every five minutes: visitors still on site after their window are flagged.
      const overstays = startPerCompoundJob(ctx, (compoundId) => flagOverstays(ctx, compoundId), {
        intervalMs: 5 * 60_000,
        onError: (err, compoundId) => app.log.error({ err, compoundId }, 'visitor overstay check failed'),
      });
      // Every minute: leave-by reminders and overstays at the partner lots.
      const partnerLots = startPerCompoundJob(ctx, (compoundId) => checkPartnerLots(ctx, compoundId), {
        intervalMs: 60_000,
        onError: (err, compoundId) => app.log.error({ err, compoundId }, 'partner lot check failed'),
      });
      // Every minute: gate cameras silent past their heartbeat.
      const cameras = startCameraSilenceJob(ctx, {
        onError: (err, compoundId) => app.log.error({ err, compoundId }, 'camera silence check failed'),
      });
      // Every hour: arrears reminders for bills past their due date (once a week per bill).
      const arrears = startPerCompoundJob(ctx, (compoundId) => remindArrears(ctx, compoundId), {
        intervalMs: 3600_000,
        onError: (err, compoundId) => app.log.error({ err, compoundId }, 'arrears reminders failed'),
      });
      const onClose = async (): Promise<void> => {
        await Promise.all([
          jobs.stop(),
          planning.stop(),
          overstays.stop(),
          partnerLots.stop(),
          cameras.stop(),
          arrears.stop(),
        ]);
        await store.close();
      };
      const address = await listen(app, { port: config.port, host: config.host, onClose });
      const shown = `http://localhost:${new URL(address).port}`;
      out(
        `parkbutler is serving on ${shown} (API docs: ${shown}/docs, database: ${store.kind === 'sqlite' ? resolve(config.dataDir, 'parkbutler.sqlite') : 'PostgreSQL'})`,
      );
    });

  program
    .command('demo')
    .description('create the demo compound (金纺小区), or reset it with --reset')
    .option('--reset', 'delete the demo compound and load it again')
    .action(async (options: { reset?: boolean }) => {
      await withContext(async (ctx) => {
        const { loaded, scenario } = await loadDemo(ctx, options.reset === true);
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
    .action(async (options: { compound?: string }) => {
      await withContext(async (ctx) => {
        const results = await verifyLedgers(ctx.store, options.compound);
        let broken = 0;
        for (const { compoundId, result } of results) {
          if (result.ok) out(`${compoundId}: ok — ${result.events} events, head ${result.headHash.slice(0, 16)}…`);
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
