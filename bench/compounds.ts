/**
 * @module Generated-compounds benchmark (issue 13, items 5 and 6):
 * `npm run bench compounds -- [--count N] [--days D] [--from SEED] [--families a,b] [--policies a,b]`
 * (default 200 compounds, 14 days, seeds from 1, every family, naive,greedy,planner). Compound i
 * is family i mod |families| with seed from + ⌊i / |families|⌋. Each policy runs the same drawn
 * residents. Prints one table per family: compounds, violations, housed, nights with cars unhoused
 * although the capacity check had room, declared departures on time, p95 wait, relocations over
 * the nightly lower bound, EV energy met, the slowest run (CPU seconds), and for the planner the
 * compounds on which it is worse than greedy on some figure. Targets: every run ≤ 10 s for 14
 * days; planner 0 violations, ≥ 99% on time, p95 ≤ 2 min, relocations ≤ 1.5× bound, EV ≥ 95%.
 */
import { addDays, drawBehaviour } from '../src/sim/behaviour.js';
import { carsTonight, nightRoom, shortfall } from '../src/sim/capacity.js';
import type { CompoundFamily } from '../src/sim/generate.js';
import { COMPOUND_FAMILIES, generateScenario } from '../src/sim/generate.js';
import { POLICIES, simulate } from '../src/sim/index.js';
import type { SimResult } from '../src/sim/index.js';
import { percentile } from '../src/sim/kpi.js';
import { formatTable } from '../src/cli/brp.command.js';

const RUN_TARGET_SECONDS = 10;

interface Args {
  count: number;
  days: number;
  from: number;
  families: CompoundFamily[];
  policies: string[];
}

function parseArgs(args: string[]): Args {
  const out: Args = {
    count: 200,
    days: 14,
    from: 1,
    families: [...COMPOUND_FAMILIES],
    policies: Object.keys(POLICIES),
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    const value = args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--count':
        out.count = Number(value);
        break;
      case '--days':
        out.days = Number(value);
        break;
      case '--from':
        out.from = Number(value);
        break;
      case '--families':
        out.families = value.split(',') as CompoundFamily[];
        for (const f of out.families) if (!COMPOUND_FAMILIES.includes(f)) throw new Error(`unknown family "${f}"`);
        break;
      case '--policies':
        out.policies = value.split(',');
        for (const p of out.policies) if (!(p in POLICIES)) throw new Error(`unknown policy "${p}"`);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  for (const [name, n] of [
    ['--count', out.count],
    ['--days', out.days],
  ] as const)
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} is a whole number of at least 1`);
  return out;
}

/** One policy on one compound. */
interface Run {
  result: SimResult;
  /** Nights with more cars unhoused than the capacity check finds short. */
  shortBeyondCheck: number;
  relocations: number;
  bound: number;
  cpuSeconds: number;
}

function runOne(family: CompoundFamily, seed: number, days: number, policies: string[]): Map<string, Run> {
  const scenario = generateScenario({ seed, family });
  const start = scenario.roster.rotation.startDate;
  const behaviour = drawBehaviour(scenario, start, days, seed);
  const runs = new Map<string, Run>();
  for (const name of policies) {
    const policy = POLICIES[name];
    if (policy === undefined) continue;
    const check: number[] = [];
    const cpu0 = process.cpuUsage();
    const result = simulate(scenario, policy, {
      days,
      seed,
      behaviour,
      onNightCount: (k, needing) => {
        check[k] = shortfall(
          nightRoom(scenario, addDays(start, k)),
          carsTonight(needing.map((c) => scenario.vehicles[c] as (typeof scenario.vehicles)[number])),
        );
      },
    });
    const cpu = process.cpuUsage(cpu0);
    runs.set(name, {
      result,
      shortBeyondCheck: result.nights.filter((n, k) => n.carsNeedingPlace - n.carsHoused > (check[k] ?? 0)).length,
      relocations: result.nights.reduce(
        (s, n) => s + n.relocations.onDemand + n.relocations.prestage + n.relocations.resort,
        0,
      ),
      bound: result.nights.reduce((s, n) => s + n.relocationLowerBound, 0),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    });
  }
  return runs;
}

/** The figures on which `a` is worse than `b` (beyond rounding). */
function worseFigures(a: Run, b: Run): string[] {
  const x = a.result.overall;
  const y = b.result.overall;
  const out: string[] = [];
  if (x.violations > y.violations) out.push('violations');
  if (x.housedRate < y.housedRate - 1e-3) out.push('housed');
  if (x.onTimeRate < y.onTimeRate - 1e-3) out.push('on time');
  if (x.waitP95Min > y.waitP95Min + 0.05) out.push('p95 wait');
  if (a.relocations / Math.max(1, a.bound) > b.relocations / Math.max(1, b.bound) + 1e-3) out.push('relocations');
  if (x.evEnergyMetRate < y.evEnergyMetRate - 1e-3) out.push('EV energy');
  return out;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export async function benchCompounds(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const byFamily = new Map<CompoundFamily, { seed: number; runs: Map<string, Run> }[]>();
  for (let i = 0; i < opts.count; i++) {
    const family = opts.families[i % opts.families.length] as CompoundFamily;
    const seed = opts.from + Math.floor(i / opts.families.length);
    const runs = runOne(family, seed, opts.days, opts.policies);
    const list = byFamily.get(family) ?? [];
    list.push({ seed, runs });
    byFamily.set(family, list);
    process.stderr.write(`\r${i + 1}/${opts.count} compounds`);
  }
  process.stderr.write('\n');
  process.stdout.write(
    `compounds bench: ${opts.count} generated compounds x ${opts.days} days, seeds from ${opts.from}\n`,
  );
  const slow: string[] = [];
  for (const [family, compounds] of byFamily) {
    const rows = opts.policies.map((name) => {
      const runs = compounds.map((c) => c.runs.get(name)).filter((r): r is Run => r !== undefined);
      const sum = (f: (r: Run) => number): number => runs.reduce((s, r) => s + f(r), 0);
      const nights = (f: (n: SimResult['nights'][number]) => number): number =>
        runs.reduce((s, r) => s + r.result.nights.reduce((t, n) => t + f(n), 0), 0);
      for (const [k, r] of runs.entries())
        if (r.cpuSeconds > RUN_TARGET_SECONDS)
          slow.push(`${family} ${compounds[k]?.seed} ${name} ${r.cpuSeconds.toFixed(1)} s`);
      const worse =
        name === 'planner'
          ? String(
              compounds.filter((c) => {
                const p = c.runs.get('planner');
                const g = c.runs.get('greedy');
                return p !== undefined && g !== undefined && worseFigures(p, g).length > 0;
              }).length,
            )
          : '';
      const p95s = runs.map((r) => r.result.overall.waitP95Min);
      return [
        name,
        String(runs.length),
        String(sum((r) => r.result.overall.violations)),
        pct(
          nights((n) => n.carsHoused) /
            Math.max(
              1,
              nights((n) => n.carsNeedingPlace),
            ),
        ),
        String(sum((r) => r.shortBeyondCheck)),
        pct(
          nights((n) => n.declaredOnTime) /
            Math.max(
              1,
              nights((n) => n.declaredDepartures),
            ),
        ),
        `${percentile(p95s, 0.5).toFixed(1)} / ${Math.max(0, ...p95s).toFixed(1)}`,
        (
          sum((r) => r.relocations) /
          Math.max(
            1,
            sum((r) => r.bound),
          )
        ).toFixed(2),
        pct(
          nights((n) => n.evEnergyDeliveredKwh) /
            Math.max(
              1e-9,
              nights((n) => n.evEnergyRequestedKwh),
            ),
        ),
        Math.max(0, ...runs.map((r) => r.cpuSeconds)).toFixed(1),
        worse,
      ];
    });
    process.stdout.write(
      `\n${family}\n` +
        formatTable(
          [
            'policy',
            'compounds',
            'violations',
            'housed',
            'short>check',
            'on time',
            'p95 wait med/max',
            'reloc/bound',
            'EV met',
            'max run s',
            'planner worse',
          ],
          rows,
        ),
    );
  }
  process.stdout.write(
    `\nruns over ${RUN_TARGET_SECONDS} s CPU: ${slow.length === 0 ? 'none' : `${slow.length}\n  ${slow.slice(0, 20).join('\n  ')}`}\n`,
  );
  await Promise.resolve();
}
