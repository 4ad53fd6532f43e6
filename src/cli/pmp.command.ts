/**
 * @module `parkbutler pmp solve FILE.json [--mode heuristic|exact] [--time-limit-ms N] [--json]`:
 * solves every instance of a PMP group file (shared/benchmarks/pmp format) and prints either one
 * JSON object or a readable per-group table.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { parsePmpGroup, type PmpInstance } from '../planner/pmp/instance.js';
import { solvePmp, type PmpMode, type PmpResult } from '../planner/pmp/solve.js';

interface SolveFlags {
  readonly mode: PmpMode;
  readonly timeLimitMs?: number;
  readonly json?: boolean;
}

interface Row {
  readonly instance: PmpInstance;
  readonly result: PmpResult;
  readonly ms: number;
}

/** A usage error (exit code 2): the option's value breaks its rule. */
function parseMode(mode: string): PmpMode {
  if (mode === 'heuristic' || mode === 'exact') return mode;
  throw new InvalidArgumentError(`--mode must be "heuristic" or "exact", not "${mode}"`);
}

function parseLimit(raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`--time-limit-ms must be a positive number, not "${raw}"`);
  return n;
}

function defaultLimit(mode: PmpMode): number {
  return mode === 'heuristic' ? 1000 : 10000;
}

function readGroup(file: string): { group: string; instances: readonly PmpInstance[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const parsed = parsePmpGroup(raw);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  return parsed.group;
}

function table(group: string, rows: readonly Row[]): string {
  const n = rows.length;
  const withOpt = rows.filter((r) => r.instance.optimal !== null && r.instance.optimal > 0);
  const solved = rows.filter((r) => r.result.status === 'optimal' || r.result.status === 'feasible');
  const mean = (xs: number[]): string =>
    xs.length === 0 ? '-' : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  const gaps = withOpt.map(
    (r) => (100 * (r.result.moves.length - (r.instance.optimal ?? 0))) / (r.instance.optimal ?? 1),
  );
  const ms = rows.map((r) => r.ms);
  const lines = [
    ['group', 'instances', 'solved', 'mean moves', 'mean gap %', 'optimal', 'mean ms', 'max ms'],
    [
      group,
      String(n),
      String(solved.length),
      mean(solved.map((r) => r.result.moves.length)),
      mean(gaps),
      String(rows.filter((r) => r.result.status === 'optimal').length),
      mean(ms),
      n === 0 ? '-' : Math.max(...ms).toFixed(1),
    ],
  ];
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  return lines.map((l) => l.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n');
}

/** Registers `pmp solve`. */
export function registerPmpCommands(program: Command): void {
  const pmp = program.command('pmp').description('pre-marshalling (night re-sort) solver');
  pmp
    .command('solve')
    .description('sort every instance of a PMP group file with as few moves as possible')
    .argument('<file>', 'group file: { maxHeight, instances: [{ name, stacks, optimal }] }')
    .option('--mode <mode>', 'heuristic (beam search) or exact (iterative deepening)', parseMode, 'heuristic')
    .option('--time-limit-ms <n>', 'time budget per instance (default 1000 heuristic, 10000 exact)', parseLimit)
    .option('--json', 'print one JSON object with the move sequences')
    .action((file: string, flags: SolveFlags) => {
      const mode = flags.mode;
      const limit = flags.timeLimitMs ?? defaultLimit(mode);
      const group = readGroup(file);
      const rows: Row[] = group.instances.map((instance) => {
        const start = performance.now();
        const result = solvePmp(instance, { mode, clock: () => performance.now(), deadline: start + limit });
        return { instance, result, ms: performance.now() - start };
      });
      if (flags.json === true) {
        const results = rows.map((r) => ({
          name: r.instance.name,
          moves: r.result.moves.map(([from, to]) => [from, to]),
          provedOptimal: r.result.status === 'optimal',
          lowerBound: r.result.lowerBound,
          ms: Math.round(r.ms * 10) / 10,
        }));
        process.stdout.write(`${JSON.stringify({ results })}\n`);
        return;
      }
      process.stdout.write(`${table(group.group, rows)}\n`);
      const failed = rows.filter((r) => r.result.status === 'unsolved' || r.result.status === 'infeasible');
      for (const r of failed) process.stdout.write(`${r.instance.name}: ${r.result.status}\n`);
    });
}
