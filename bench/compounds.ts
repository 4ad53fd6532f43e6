/**
 * @module Generated-compounds benchmark (issue 13, items 5 and 6):
 * `npm run bench compounds -- [--count N] [--days D] [--from SEED] [--families a,b] [--policies a,b]`
 * (default 200 compounds, 14 days, seeds from 1, every family, naive,greedy,planner). Compound i
 * is family i mod |families| with seed from + ⌊i / |families|⌋. Each policy runs the same drawn
 * residents. Prints one table per family: compounds, violations, housed, nights with cars unhoused
 * although the capacity check had room, declared departures on time, p95 wait, p95 gate wait
 * (hand-over at the gate to the car in its place), relocations over
 * the nightly lower bound and per departure, moves by reason, EV energy met (over what was asked
 * and over what the chargers could deliver), the slowest run (CPU seconds), and for the planner the
 * compounds on which it is worse than greedy on some figure. Targets: every run ≤ 10 s for 14
 * days; planner 0 violations, ≥ 99% on time, p95 ≤ 2 min, relocations ≤ 1.5× bound, EV ≥ 95%
 * of what the chargers can deliver.
 */
import type { Behaviour } from '../src/sim/behaviour.js';
import { abs, drawBehaviour, partnerWindows } from '../src/sim/behaviour.js';
import { addDays } from '../src/core/time.js';
import type { Scenario } from '../src/core/scenario.js';
import { isClosedOn, validateLayout } from '../src/core/layout.js';
import type { IsoDate } from '../src/core/brand.js';
import { carsTonight, nightRoom, shortfall } from '../src/sim/capacity.js';
import type { CompoundFamily } from '../src/sim/generate.js';
import { COMPOUND_FAMILIES, generateScenario } from '../src/sim/generate.js';
import { POLICIES, simulate } from '../src/sim/index.js';
import type { SimResult } from '../src/sim/index.js';
import type { ChargeStay, ChargerSpan } from '../src/sim/kpi.js';
import { chargerDeliverableKwh, percentile } from '../src/sim/kpi.js';
import { formatTable } from '../src/cli/brp.command.js';

const RUN_TARGET_SECONDS = 10;

/** The bound's site for every partner lot's chargers (a resident's own choice may take any open lot). */
const PARTNER_SITE = 'partner';

const USAGE = `npm run bench compounds -- [--count N] [--days D] [--from SEED] [--families a,b] [--policies a,b]
  --count     generated compounds (default 200); compound i is family i mod |families|
  --days      simulated days per compound (default 14)
  --from      first seed (default 1); compound i has seed from + floor(i / |families|)
  --families  ${COMPOUND_FAMILIES.join(',')} (default all)
  --policies  ${Object.keys(POLICIES).join(',')} (default all)
Columns: violations; housed; nights short beyond the capacity check; declared departures on time;
p95 wait (median / max over compounds); p95 gate wait, from the hand-over at the gate to the car
in its place (median / max over compounds); relocations (on demand + pre-staging + re-sort) over the
nightly lower bound (taken on each policy's own lot, the largest from 22:00 to 04:00) and per departure; moves by reason;
EV energy over what was asked and over what the chargers could deliver; slowest run (CPU s);
compounds on which the planner is worse than greedy on some figure (relocations per departure).
`;

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
    if (flag === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
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

/**
 * What the chargers could deliver over the run (`chargerDeliverableKwh`): each EV's stays at home
 * from its return to its next departure, the compound's chargers open that day and the partner
 * lots' chargers in their windows, from the first night's noon to the run's end. A night the
 * resident chose a partner lot (`partnerTonight`, drawn with the residents, the same under every
 * policy) the EV stands there until it leaves or the lot's leave-by time, and only the partner
 * lots' chargers can reach it: counting the compound's idle chargers for it counted energy no
 * policy could deliver.
 */
function deliverableKwh(scenario: Scenario, behaviour: Behaviour, days: number): number {
  const start = scenario.roster.rotation.startDate;
  const first = abs(0, 12 * 60);
  const end = abs(days, 12 * 60);
  const stays: ChargeStay[] = [];
  scenario.vehicles.forEach((v, c) => {
    if (!v.ev) return;
    const day = (k: number) => behaviour.days[k + 1]?.[c];
    // From the first measured night on (energy taken for the warm-up day's requests counts nowhere).
    for (let k = 0; k < days; k++) {
      const today = day(k);
      if (today === undefined) continue;
      const arrives = (today.leaves && !today.awayTonight) || (k >= 0 && day(k - 1)?.awayTonight === true);
      if (!arrives || today.energyKwh <= 0) continue;
      let to = end;
      for (let j = k + 1; j <= days; j++) {
        const next = day(j);
        if (next?.leaves === true) {
          to = Math.min(end, next.departAt);
          break;
        }
      }
      const from = Math.max(first, today.returnAt);
      if (k >= 0 && today.partnerTonight) {
        const leaveBy = Math.max(...partnerWindows(scenario, addDays(start, k)).map((w) => abs(k, w.leaveBy)));
        stays.push({ from, to: Math.min(to, leaveBy), kwh: today.energyKwh, site: PARTNER_SITE });
      } else stays.push({ from, to, kwh: today.energyKwh });
    }
  });
  const layout = validateLayout(scenario.layout);
  const chargers: ChargerSpan[] = [];
  for (let k = -1; k <= days; k++) {
    const date = addDays(start, k) as IsoDate;
    const byKw = new Map<number, number>();
    for (const lane of layout.lanes)
      for (const p of lane.positions)
        if (p.chargerKw !== null && !isClosedOn(p, date)) byKw.set(p.chargerKw, (byKw.get(p.chargerKw) ?? 0) + 1);
    for (const [kw, count] of byKw) chargers.push({ from: abs(k, 0), to: abs(k + 1, 0), kw, count });
    for (const w of partnerWindows(scenario, date)) {
      const lot = scenario.partnerLots[w.lot];
      if (lot === undefined || lot.chargerKw === null || lot.chargerSpaces === 0) continue;
      chargers.push({
        from: abs(k, w.from),
        to: abs(k, w.leaveBy),
        kw: lot.chargerKw,
        count: lot.chargerSpaces,
        site: PARTNER_SITE,
      });
    }
  }
  return chargerDeliverableKwh(stays, chargers);
}

/** One policy on one compound. */
interface Run {
  result: SimResult;
  /** What the chargers could deliver (the same for every policy of a compound). */
  deliverable: number;
  departures: number;
  /** Moves by reason: on demand, pre-staging, re-sort, charger swaps, closures. */
  moves: { onDemand: number; prestage: number; resort: number; charger: number; closure: number };
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
  const deliverable = deliverableKwh(scenario, behaviour, days);
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
    const moves = { onDemand: 0, prestage: 0, resort: 0, charger: 0, closure: 0 };
    for (const n of result.nights)
      for (const k of Object.keys(moves) as (keyof typeof moves)[]) moves[k] += n.relocations[k];
    runs.set(name, {
      result,
      deliverable,
      departures: result.nights.reduce((s, n) => s + n.departures, 0),
      moves,
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
  if (x.gateWaitP95Min > y.gateWaitP95Min + 0.5) out.push('p95 gate wait');
  // Relocations per departure: both policies serve the same residents, while each one's nightly
  // bound is taken on its own lot overnight (a policy that parks well lowers its own bound).
  if (a.relocations / Math.max(1, a.departures) > b.relocations / Math.max(1, b.departures) + 1e-3)
    out.push('relocations');
  if (evMet(a) < evMet(b) - 1e-3) out.push('EV energy');
  return out;
}

/** Energy delivered over what the chargers could deliver. */
function evMet(r: Run): number {
  const delivered = r.result.nights.reduce((s, n) => s + n.evEnergyDeliveredKwh, 0);
  return r.deliverable <= 1e-9 ? 1 : delivered / r.deliverable;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export async function benchCompounds(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const wall0 = Date.now();
  const cpu0 = process.cpuUsage();
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
      const gateP95s = runs.map((r) => r.result.overall.gateWaitP95Min);
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
        `${percentile(gateP95s, 0.5).toFixed(1)} / ${Math.max(0, ...gateP95s).toFixed(1)}`,
        (
          sum((r) => r.relocations) /
          Math.max(
            1,
            sum((r) => r.bound),
          )
        ).toFixed(2),
        (
          sum((r) => r.relocations) /
          Math.max(
            1,
            sum((r) => r.departures),
          )
        ).toFixed(3),
        (['prestage', 'resort', 'charger', 'closure'] as const).map((k) => String(sum((r) => r.moves[k]))).join('/'),
        pct(
          nights((n) => n.evEnergyDeliveredKwh) /
            Math.max(
              1e-9,
              nights((n) => n.evEnergyRequestedKwh),
            ),
        ),
        pct(
          sum((r) => r.result.nights.reduce((t, n) => t + n.evEnergyDeliveredKwh, 0)) /
            Math.max(
              1e-9,
              sum((r) => r.deliverable),
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
            'gate p95 med/max',
            'reloc/bound',
            'reloc/dep',
            'pre/res/chg/clo',
            'EV/asked',
            'EV/chargers',
            'max run s',
            'planner worse',
          ],
          rows,
        ),
    );
    const worseOnes = compounds.flatMap((c) => {
      const p = c.runs.get('planner');
      const g = c.runs.get('greedy');
      const figures = p !== undefined && g !== undefined ? worseFigures(p, g) : [];
      return figures.length > 0 ? [`seed ${c.seed} (${figures.join(', ')})`] : [];
    });
    if (worseOnes.length > 0) process.stdout.write(`planner worse than greedy: ${worseOnes.join('; ')}\n`);
  }
  process.stdout.write(
    `\nruns over ${RUN_TARGET_SECONDS} s CPU: ${slow.length === 0 ? 'none' : `${slow.length}\n  ${slow.slice(0, 20).join('\n  ')}`}\n`,
  );
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `whole bench: ${((Date.now() - wall0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU\n`,
  );
  await Promise.resolve();
}
