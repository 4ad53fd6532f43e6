/**
 * @module Nights drawn from generated compounds (`src/sim/generate.ts`), and the two tables measured
 * on them: `npm run bench geometry -- [--seeds A-B] [--nodes N]`.
 *
 * A **night** is a piece of one generated compound: a random set of its lanes (8–14 places, lanes
 * as they are: depths, through rows, size limits, the closures of a random day), and 60–100% as many
 * of its cars as the open places (at most 12, night-shift workers left out), each leaving at its
 * habit's minute plus noise (sd 20 min) and arriving at its habit's evening minute plus noise.
 * What the planner believes of the departures: **known** — every departure declared, exactly; or
 * **uncertain** — each car declares (exactly) with its habit's declaring share, the others are
 * estimated at their habit's minute ± 20 min. The truth is what is scored.
 *
 * - **Placement gap**: the evening placement (`placeEvening`, cars in arrival order) against the
 *   fewest badly placed cars over all placements of the same cars with the true departures
 *   (`fewestBadlyPlaced`, exact), both scored by `morningLowerBound` with the true departures.
 * - **Geometry gap**: from the lot the placement left (uncertain beliefs), the morning retrieval and
 *   the night re-sort, heuristic (`solveLanesHeuristic`) against exact (`solveLanesExact`, a node
 *   budget), both replayed by `checkLaneMoves`.
 *
 * Seeds 1–60 were used while building; the default seeds (5001–5200) were not looked at before.
 */
import type { IsoDate, VehicleId } from '../src/core/brand.js';
import { isClosedOn, validateLayout } from '../src/core/layout.js';
import type { VehicleSize } from '../src/core/layout.js';
import type { ArrivingCar, LotView } from '../src/planner/placement/index.js';
import { morningLowerBound, placeEvening } from '../src/planner/placement/index.js';
import { checkLaneMoves, solveLanesExact, type LaneProblem } from '../src/planner/lanes/exact.js';
import { solveLanesHeuristic } from '../src/planner/lanes/heuristic.js';
import { nightOfLot, type Night } from '../src/planner/lanes/night.js';
import { fewestBadlyPlaced } from '../src/planner/lanes/placement-optimum.js';
import { minutesOf } from '../src/core/calendar.js';
import { addDays } from '../src/core/time.js';
import { COMPOUND_FAMILIES, familyOfSeed, generateScenario, type CompoundFamily } from '../src/sim/generate.js';
import { normal, substream } from '../src/sim/random.js';

/** One car of a drawn night. */
interface DrawnCar {
  vehicleId: VehicleId;
  size: VehicleSize;
  movable: boolean;
  arrival: number;
  habit: number;
  truth: number;
  declares: boolean;
}

export interface DrawnNight {
  seed: number;
  family: CompoundFamily;
  /** The empty lot of the night. */
  lot: LotView;
  /** In arrival order. */
  cars: DrawnCar[];
}

const DEPARTURE_NOISE = 20;
const MAX_CARS = 12;

export function drawNight(seed: number): DrawnNight {
  const family = familyOfSeed(seed);
  const scenario = generateScenario({ seed, family });
  const layout = validateLayout(scenario.layout);
  const rng = substream(seed, 0x6e69, 0x6768);
  const int = (a: number, b: number): number => a + Math.floor(rng.next() * (b - a + 1));
  const day = addDays(scenario.roster.rotation.startDate, int(0, 40)) as IsoDate;
  const lanes = [...layout.lanes];
  for (let i = lanes.length - 1; i > 0; i--) {
    const j = int(0, i);
    [lanes[i], lanes[j]] = [lanes[j]!, lanes[i]!];
  }
  const target = int(8, 14);
  const chosen: typeof lanes = [];
  let places = 0;
  for (const lane of lanes) {
    if (places >= target) break;
    if (places + lane.positions.length > 16) continue;
    chosen.push(lane);
    places += lane.positions.length;
  }
  const lot: LotView = {
    lanes: chosen.map((lane) => ({
      id: lane.id,
      name: lane.name,
      access: lane.access,
      positions: lane.positions.map((p) => ({
        id: p.id,
        index: p.index,
        chargerKw: null,
        maxSize: p.maxSize,
        closed: isClosedOn(p, day),
        car: null,
      })),
    })),
  };
  const open = lot.lanes.reduce((s, l) => s + l.positions.filter((p) => !p.closed).length, 0);
  const fill = 0.6 + 0.4 * rng.next();
  const count = Math.min(MAX_CARS, Math.round(open * fill));
  const pool = scenario.vehicles.filter((v) => minutesOf(v.habits.arrival) >= 12 * 60);
  const cars: DrawnCar[] = [];
  const taken = new Set<number>();
  while (cars.length < count && taken.size < pool.length) {
    const k = int(0, pool.length - 1);
    if (taken.has(k)) continue;
    taken.add(k);
    const v = pool[k]!;
    const habit = 24 * 60 + minutesOf(v.habits.departure);
    cars.push({
      vehicleId: v.id,
      size: v.size,
      movable: v.keyConsent,
      arrival: minutesOf(v.habits.arrival) + normal(rng, 0, 30),
      habit,
      truth: Math.round(habit + normal(rng, 0, DEPARTURE_NOISE)),
      declares: rng.next() < v.habits.declaresDeparture,
    });
  }
  cars.sort((a, b) => a.arrival - b.arrival);
  return { seed, family, lot, cars };
}

/** The lot with every car's true departure, for scoring. */
function withTruth(lot: LotView, truth: ReadonlyMap<string, number>): LotView {
  return {
    lanes: lot.lanes.map((l) => ({
      ...l,
      positions: l.positions.map((p) =>
        p.car === null ? p : { ...p, car: { ...p.car, departure: truth.get(p.car.vehicleId) ?? 0, estimate: null } },
      ),
    })),
  };
}

/** The night of the drawn lot and cars, true departures, for the exact placement optimum. */
function optimumNight(d: DrawnNight): Night {
  const sorted = [...d.cars].sort((a, b) => a.truth - b.truth);
  return {
    lanes: d.lot.lanes.map((l) => ({
      access: l.access,
      places: l.positions.map((p) => ({ maxSize: p.maxSize, closed: p.closed })),
    })),
    cars: sorted.map((c) => ({ size: c.size, leaves: c.truth, movable: c.movable })),
  };
}

export interface NightOutcome {
  family: CompoundFamily;
  /** Each car's size, for the lane solvers. */
  sizes: ReadonlyMap<string, VehicleSize>;
  optimum: number | null;
  placed: Record<'known' | 'uncertain', { bad: number; unplaced: number; lot: LotView }>;
  /** The same rule with known departures, the cars arriving latest leaver first (no surprise from arrival order). */
  latestFirst: { bad: number; unplaced: number };
}

export function placeNight(d: DrawnNight): NightOutcome {
  const truth = new Map(d.cars.map((c) => [c.vehicleId as string, c.truth]));
  const run = (mode: 'known' | 'uncertain', cars: readonly DrawnCar[] = d.cars) => {
    const arrivals: ArrivingCar[] = cars.map((c) => ({
      vehicleId: c.vehicleId,
      size: c.size,
      movable: c.movable,
      wantsCharge: false,
      departure: mode === 'known' || c.declares ? c.truth : null,
      estimate: { at: c.habit, spread: DEPARTURE_NOISE },
    }));
    const result = placeEvening(d.lot, arrivals);
    const lot = withTruth(result.lot, truth);
    return { bad: morningLowerBound(lot), unplaced: result.unplaced.length, lot };
  };
  return {
    family: d.family,
    sizes: new Map(d.cars.map((c) => [c.vehicleId as string, c.size])),
    optimum: fewestBadlyPlaced(optimumNight(d)),
    placed: { known: run('known'), uncertain: run('uncertain') },
    latestFirst: run(
      'known',
      [...d.cars].sort((a, b) => b.truth - a.truth),
    ),
  };
}

const pad = (cells: readonly string[], widths: readonly number[]): string =>
  `${cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join(' ')
    .trimEnd()}\n`;

export function parseSeeds(args: string[], fallback = '5001-5200'): number[] {
  const i = args.indexOf('--seeds');
  const spec = i >= 0 ? args[i + 1] : undefined;
  const [a, b] = (spec ?? fallback).split('-').map(Number);
  if (a === undefined || b === undefined || !Number.isInteger(a) || !Number.isInteger(b) || b < a)
    throw new Error('--seeds must be A-B');
  return Array.from({ length: b - a + 1 }, (_, k) => a + k);
}

export function numberOption(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
}

/** The placement-gap table over the given seeds (one night a seed). */
export function placementGapTable(outcomes: readonly NightOutcome[]): void {
  const widths = [8, 11, 7, 9, 10, 10, 11, 9, 6, 13];
  process.stdout.write(
    pad(
      [
        'family',
        'beliefs',
        'nights',
        'optimum',
        'placement',
        'gap/night',
        'at optimum',
        'unplaced',
        'below',
        'latest-first',
      ],
      widths,
    ),
  );
  for (const mode of ['known', 'uncertain'] as const) {
    for (const family of [...COMPOUND_FAMILIES, 'ALL'] as const) {
      const rows = outcomes.filter((o) => o.optimum !== null && (family === 'ALL' || o.family === family));
      if (rows.length === 0) continue;
      const opt = rows.reduce((s, o) => s + (o.optimum ?? 0), 0);
      const bad = rows.reduce((s, o) => s + o.placed[mode].bad, 0);
      const atOpt = rows.filter((o) => o.placed[mode].bad === o.optimum).length;
      const unplaced = rows.reduce((s, o) => s + o.placed[mode].unplaced, 0);
      const below = rows.filter((o) => o.placed[mode].bad < (o.optimum ?? 0)).length;
      process.stdout.write(
        pad(
          [
            family,
            mode,
            String(rows.length),
            (opt / rows.length).toFixed(3),
            (bad / rows.length).toFixed(3),
            ((bad - opt) / rows.length).toFixed(3),
            `${((100 * atOpt) / rows.length).toFixed(1)}%`,
            String(unplaced),
            String(below),
            mode === 'known'
              ? `${(rows.reduce((s, o) => s + o.latestFirst.bad - (o.optimum ?? 0), 0) / rows.length).toFixed(3)} (${rows.reduce((s, o) => s + o.latestFirst.unplaced, 0)})`
              : '',
          ],
          widths,
        ),
      );
    }
  }
  const skipped = outcomes.filter((o) => o.optimum === null).length;
  process.stdout.write(
    `(optimum: exact fewest badly placed cars, true departures; gap/night: placement − optimum, cars scored with true departures; unplaced: cars the placement sent away (not scored); "below": nights the placement beat the optimum — must be 0; latest-first: gap/night (unplaced) of the same rule when the cars arrive latest leaver first; ${skipped} nights whose cars cannot all be placed left out)\n`,
  );
}

/** The geometry-gap table: heuristic against exact, retrieval and re-sort, from the placement's lots. */
export function geometryGapTable(outcomes: readonly NightOutcome[], maxNodes: number): void {
  const widths = [8, 9, 7, 7, 11, 11, 8, 9, 10];
  process.stdout.write(
    pad(['family', 'problem', 'nights', 'proved', 'exact sum', 'heur sum', 'gap %', 'at opt', 'heur fail'], widths),
  );
  const nights = outcomes.map((o) => {
    const lot = o.placed.uncertain.lot;
    const leaves = new Map<string, number>();
    for (const l of lot.lanes)
      for (const p of l.positions) if (p.car) leaves.set(p.car.vehicleId, p.car.departure ?? 0);
    return { family: o.family, lot, leaves };
  });
  for (const problem of ['retrieve', 'resort'] as LaneProblem[]) {
    const per = new Map<
      string,
      { n: number; proved: number; exact: number; heur: number; atOpt: number; fail: number }
    >();
    for (const [i, o] of outcomes.entries()) {
      const n = nights[i]!;
      const { night, state } = nightOfLot(
        n.lot,
        (id) => o.sizes.get(id) ?? 'large',
        (id) => n.leaves.get(id) ?? 0,
      );
      const exact = solveLanesExact(night, state, problem, { maxNodes });
      const heur = solveLanesHeuristic(night, state, problem);
      for (const key of [o.family, 'ALL']) {
        const row = per.get(key) ?? { n: 0, proved: 0, exact: 0, heur: 0, atOpt: 0, fail: 0 };
        row.n++;
        if (exact.proved && exact.moves !== null) {
          if (checkLaneMoves(night, state, problem, exact.moves) !== null)
            throw new Error(`illegal exact plan, ${key}`);
          row.proved++;
          if (heur.moves === null) row.fail++;
          else {
            if (checkLaneMoves(night, state, problem, heur.moves) !== null)
              throw new Error(`illegal heuristic plan, ${key}`);
            row.exact += exact.moves.length;
            row.heur += heur.moves.length;
            if (heur.moves.length === exact.moves.length) row.atOpt++;
          }
        }
        per.set(key, row);
      }
    }
    for (const family of [...COMPOUND_FAMILIES, 'ALL']) {
      const r = per.get(family);
      if (r === undefined) continue;
      const solvedBoth = r.proved - r.fail;
      process.stdout.write(
        pad(
          [
            family,
            problem,
            String(r.n),
            String(r.proved),
            String(r.exact),
            String(r.heur),
            r.exact === 0 ? (r.heur === 0 ? '0.00' : 'inf') : ((100 * (r.heur - r.exact)) / r.exact).toFixed(2),
            solvedBoth === 0 ? '-' : `${((100 * r.atOpt) / solvedBoth).toFixed(1)}%`,
            String(r.fail),
          ],
          widths,
        ),
      );
    }
  }
  process.stdout.write(
    `(exact: IDA* on the lanes as they are, ${maxNodes} nodes a night; sums over nights proved by exact and solved by the heuristic; from the lot the evening placement left under uncertain beliefs, true departures)\n`,
  );
}

/** Draws and places the night of every seed. */
export function outcomesFor(seeds: readonly number[]): NightOutcome[] {
  return seeds.map((seed) => placeNight(drawNight(seed)));
}

export async function benchGeometry(args: string[]): Promise<void> {
  const seeds = parseSeeds(args);
  const maxNodes = numberOption(args, '--nodes', 300_000);
  const outcomes = outcomesFor(seeds);
  process.stdout.write(`\nplacement gap, seeds ${seeds[0]}–${seeds[seeds.length - 1]}\n`);
  placementGapTable(outcomes);
  process.stdout.write(`\ngeometry gap, seeds ${seeds[0]}–${seeds[seeds.length - 1]}\n`);
  geometryGapTable(outcomes, maxNodes);
  await Promise.resolve();
}
