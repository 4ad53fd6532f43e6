/**
 * @module `parkbutler brp solve`: runs the block relocation planner on benchmark-format files
 * (shared/benchmarks/brp/*.json) and prints the moves as JSON or a per-group summary table.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseBrpInstances, solveBrp, type BrpGroup, type BrpMode, type BrpVariant } from '../planner/brp/index.js';

export interface BrpSolvedInstance {
  readonly name: string;
  readonly moves: [number, number][];
  readonly provedOptimal: boolean;
  readonly lowerBound: number;
  readonly ms: number;
  /** False when no solution was found in time (then `moves` is empty). */
  readonly solved: boolean;
}

/** Reads and validates a group file; throws an Error naming the file, instance and rule. */
export function readBrpFile(file: string): BrpGroup {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const name = basename(file, '.json');
  const parsed = parseBrpInstances(data, name);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  return { ...parsed.group, group: name };
}

/** Milliseconds of wall time: the planner's default time source. */
export const wallClock = (): number => performance.now();

/** Milliseconds of CPU time used by this process: steadier than wall time on a loaded machine. */
export const cpuClock = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/** Solves every instance of a group; `clock` (default: wall time) bounds and times each one. */
export function solveBrpGroup(
  group: BrpGroup,
  opts: { variant: BrpVariant; mode: BrpMode; timeLimitMs?: number },
  clock: () => number = wallClock,
): BrpSolvedInstance[] {
  return group.instances.map((instance) => {
    const start = clock();
    const result = solveBrp(
      { stacks: instance.stacks, maxHeight: group.maxHeight },
      {
        variant: opts.variant,
        mode: opts.mode,
        clock,
        ...(opts.timeLimitMs === undefined ? {} : { timeLimitMs: opts.timeLimitMs }),
      },
    );
    const ms = clock() - start;
    return {
      name: instance.name,
      moves: result.moves.map(([from, to]) => [from, to] as [number, number]),
      provedOptimal: result.status === 'optimal',
      lowerBound: result.lowerBound,
      ms: Math.round(ms * 100) / 100,
      solved: result.status !== 'infeasible',
    };
  });
}

/** Renders rows as a left-aligned text table with a header rule. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

function summaryRow(group: BrpGroup, variant: BrpVariant, results: readonly BrpSolvedInstance[]): string[] {
  const n = results.length;
  const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  const gaps: number[] = [];
  results.forEach((r, i) => {
    const opt = group.instances[i]!.optimal[variant];
    if (opt !== undefined && r.solved)
      gaps.push(opt === 0 ? (r.moves.length === 0 ? 0 : 100) : (100 * (r.moves.length - opt)) / opt);
  });
  const solved = results.filter((r) => r.solved);
  return [
    group.group,
    String(n),
    mean(solved.map((r) => r.moves.length)).toFixed(2),
    gaps.length === 0 ? '-' : `${mean(gaps).toFixed(2)}% (${gaps.length})`,
    String(results.filter((r) => r.provedOptimal).length),
    String(n - solved.length),
    mean(results.map((r) => r.ms)).toFixed(1),
    Math.max(...results.map((r) => r.ms)).toFixed(1),
  ];
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`--time-limit-ms must be a positive integer, got "${value}"`);
  }
  return n;
}

export function registerBrpCommands(program: Command): void {
  const brp = program.command('brp').description('block relocation problem: morning retrieval from packed lanes');
  brp
    .command('solve')
    .description('plan relocations for every instance of a benchmark-format JSON file')
    .argument(
      '<files...>',
      'group files ({maxHeight, instances: [{name, stacks}]}) or single instances ({name?, stacks, maxHeight})',
    )
    .addOption(
      new Option('--variant <variant>', 'which relocations are allowed')
        .choices(['restricted', 'unrestricted'])
        .default('restricted'),
    )
    .addOption(
      new Option('--mode <mode>', 'heuristic (fast) or exact (prove optimality)')
        .choices(['heuristic', 'exact'])
        .default('heuristic'),
    )
    .option('--time-limit-ms <n>', 'time allowed per instance', parseLimit)
    .option('--json', 'print {"results": [...]} instead of a table')
    .action(
      (
        files: string[],
        opts: {
          variant: BrpVariant;
          mode: BrpMode;
          timeLimitMs?: number;
          json?: boolean;
        },
      ) => {
        const groups = files.map(readBrpFile);
        const solveOpts = {
          variant: opts.variant,
          mode: opts.mode,
          ...(opts.timeLimitMs === undefined ? {} : { timeLimitMs: opts.timeLimitMs }),
        };
        if (opts.json === true) {
          const results = groups.flatMap((g) => solveBrpGroup(g, solveOpts));
          const out = results.map(({ name, moves, provedOptimal, lowerBound, ms }) => ({
            name,
            moves,
            provedOptimal,
            lowerBound,
            ms,
          }));
          process.stdout.write(`${JSON.stringify({ results: out })}\n`);
          return;
        }
        const rows = groups.map((g) => summaryRow(g, opts.variant, solveBrpGroup(g, solveOpts)));
        process.stdout.write(`brp ${opts.variant} ${opts.mode}\n`);
        process.stdout.write(
          formatTable(
            [
              'group',
              'instances',
              'mean moves',
              `mean gap to optimal.${opts.variant}`,
              'proved optimal',
              'unsolved',
              'mean ms',
              'max ms',
            ],
            rows,
          ),
        );
      },
    );
}
