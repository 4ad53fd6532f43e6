/**
 * @module Simulator benchmark: `npm run bench sim -- [scenario] [--days N] [--policy P] [--seed S]`
 * (default scenarios/jinfang.json, 30 days, planner, seed 1). Times the whole run — drawing the
 * residents' behaviour and simulating — by the wall clock and by this process's CPU time, and
 * checks the target of issue 7: 30 days of the demo compound with the planner in ≤ 10 s.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readScenarioFile } from '../src/cli/simulate.command.js';
import { POLICIES, drawBehaviour, simulate } from '../src/sim/index.js';

const TARGET_SECONDS = 10;

const USAGE = `npm run bench sim -- [scenario] [--days N] [--policy P] [--seed S]
  scenario   a scenario file (default scenarios/jinfang.json)
  --days     simulated days (default 30)
  --policy   ${Object.keys(POLICIES).join(', ')} (default planner)
  --seed     the residents' seed (default 1)
Times the run by the wall clock and CPU (target: 30 days of the demo in <= ${TARGET_SECONDS} s).
For the figures of a run (waits, gate waits, relocations, EV energy) use \`parkbutler simulate\`.
`;

interface BenchArgs {
  scenario: string;
  days: number;
  policy: string;
  seed: number;
}

function parseArgs(args: string[]): BenchArgs | null {
  // bench/sim.ts from source, dist/bench/sim.js when built: the repository is one or two levels up.
  const here = fileURLToPath(import.meta.url);
  const scenario = ['../..', '../../..']
    .map((up) => resolve(here, up, 'scenarios/jinfang.json'))
    .find((f) => existsSync(f));
  const out: BenchArgs = {
    scenario: scenario ?? resolve('scenarios/jinfang.json'),
    days: 30,
    policy: 'planner',
    seed: 1,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    const need = (): string => {
      const value = args[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--help':
        process.stdout.write(USAGE);
        return null;
      case '--days':
        out.days = Number(need());
        break;
      case '--policy':
        out.policy = need();
        break;
      case '--seed':
        out.seed = Number(need());
        break;
      default:
        if (flag.startsWith('--')) throw new Error(`unknown option ${flag}`);
        out.scenario = resolve(flag);
    }
  }
  if (!Number.isInteger(out.days) || out.days < 1) throw new Error('--days is a whole number of at least 1');
  return out;
}

export async function benchSim(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  if (opts === null) return;
  const policy = POLICIES[opts.policy];
  if (policy === undefined) throw new Error(`unknown policy "${opts.policy}"`);
  const scenario = readScenarioFile(opts.scenario);
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const behaviour = drawBehaviour(scenario, scenario.roster.rotation.startDate, opts.days, opts.seed);
  const result = simulate(scenario, policy, { days: opts.days, seed: opts.seed, behaviour });
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - wall0) / 1000;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const line = (label: string, value: string): string => `${label.padEnd(28)}${value}\n`;
  process.stdout.write(
    `sim bench: ${scenario.compound.name}, ${opts.days} days, policy ${policy.name}, seed ${opts.seed}\n` +
      line('wall time', `${wallS.toFixed(2)} s`) +
      line('CPU time (this process)', `${cpuS.toFixed(2)} s`) +
      line('simulated days per second', (opts.days / wallS).toFixed(1)) +
      line(
        'target',
        `≤ ${TARGET_SECONDS} s for 30 days: ${opts.days === 30 ? (wallS <= TARGET_SECONDS ? 'met' : 'MISSED') : 'n/a (not 30 days)'}`,
      ) +
      line('figures', JSON.stringify(result.overall)) +
      '\n',
  );
  await Promise.resolve();
}
