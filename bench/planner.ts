/**
 * @module `npm run bench:planner [-- --quick]`: the planner's acceptance tables in one run (issue 3,
 * points 2–4) over the shared instances — BRP heuristic and exact (10 s) on the CVS groups, both
 * variants; PMP heuristic (1 s) on the DLTS 5×5 and 7×5 groups and exact (10 s) on 5×5. Each table
 * comes from the `brp` and `pmp` benchmarks, which replay every solution with their own checkers.
 * The full run takes hours on two cores (the exact modes); `--quick` runs the heuristic tables only,
 * PMP on the first 5 instances of each group.
 * Every table bounds and times an instance by CPU time (`--clock cpu`), as the reference solvers did.
 * `--brp-dir` and `--pmp-dir` name the instance folders (default `../shared/benchmarks/…`).
 * Then the real-geometry tables (issue 18, points 3–4) on nights drawn from generated compounds
 * (`bench/geometry.ts`): the evening placement against the exact fewest badly placed cars, and the
 * lane relocation and re-sort heuristic against exact IDA*, both counted in nodes, not time.
 * `--seeds A-B` (default 5001–5200, `--quick` 5001–5060) and `--nodes N` (default 300,000,
 * `--quick` 100,000) set them.
 */
import { benchBrp } from './brp.js';
import { geometryGapTable, numberOption, outcomesFor, parseSeeds, placementGapTable } from './geometry.js';
import { benchPmp } from './pmp.js';

function option(args: string[], name: string): string[] {
  const i = args.indexOf(name);
  const value = i < 0 ? undefined : args[i + 1];
  return value === undefined ? [] : value.startsWith('--') ? [] : [value];
}

export async function benchPlanner(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const brpDir = option(args, '--brp-dir').flatMap((d) => ['--dir', d]);
  const pmpDir = option(args, '--pmp-dir').flatMap((d) => ['--dir', d]);
  const section = (title: string): void => void process.stdout.write(`\n## ${title}\n\n`);

  section('BRP heuristic, CVS, restricted and unrestricted (target: mean gap ≤ 1.0%, ≤ 50 ms)');
  await benchBrp([...brpDir, '--variant', 'both', '--mode', 'heuristic', '--clock', 'cpu']);
  if (!quick) {
    section(
      'BRP exact, CVS, 10 s an instance (target: more proofs than the C reference in every group, lower median time)',
    );
    await benchBrp([...brpDir, '--variant', 'both', '--mode', 'exact', '--time-limit-ms', '10000', '--clock', 'cpu']);
  }
  section(
    'PMP heuristic, DLTS 5×5, 7×5 and 10×5, 1 s an instance (target: mean gap ≤ 1% on 5×5 and 7×5, ≤ 2% on 10×5)',
  );
  await benchPmp([
    ...pmpDir,
    '--groups',
    'dlts-5x5,dlts-7x5,dlts-10x5',
    '--mode',
    'heuristic',
    '--time-limit-ms',
    '1000',
    '--clock',
    'cpu',
    ...(quick ? ['--limit', '5'] : []),
  ]);
  const seeds = parseSeeds(args, quick ? '5001-5060' : '5001-5200');
  const nodes = numberOption(args, '--nodes', quick ? 100_000 : 300_000);
  const outcomes = outcomesFor(seeds);
  section(
    `Placement gap, nights from generated compounds, seeds ${seeds[0]}–${seeds[seeds.length - 1]} (reference: exact fewest badly placed cars; target: small)`,
  );
  placementGapTable(outcomes);
  section(
    `Geometry gap, lane heuristic vs exact on the same nights (reference: IDA* proved optimum, ${nodes} nodes a night)`,
  );
  geometryGapTable(outcomes, nodes);
  if (!quick) {
    section('PMP exact, DLTS 5×5, 10 s an instance (target: the optimum proved on ≥ 90% of every priority class)');
    await benchPmp([
      ...pmpDir,
      '--groups',
      'dlts-5x5',
      '--mode',
      'exact',
      '--time-limit-ms',
      '10000',
      '--clock',
      'cpu',
    ]);
  }
}
