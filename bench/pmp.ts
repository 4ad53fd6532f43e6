/**
 * @module `npm run bench pmp -- [--dir D] [--groups a,b] [--mode heuristic|exact] [--time-limit-ms N]
 * [--limit N] [--every K] [--offset J] [--clock wall|cpu] [--per-instance]`: solves the shared PMP groups, replays every move sequence with its own checker and
 * prints one table row per group (moves, gap to the recorded optimum, proofs, time, illegal).
 * Means of moves, optimum and gap are over the legally solved instances; an instance without a
 * legal sorting sequence (illegal move, unsorted end, or no solution in time) counts as illegal.
 * `--clock cpu` bounds and times each instance by this process's CPU time (as in bench/brp.ts),
 * which keeps results steady on a shared machine; the default is wall time. `--every K` takes every
 * K-th instance of each group (before `--limit`), a sample spread over the group; `--offset J` starts
 * that sample at the J-th instance (0 ≤ J < K), a second sample disjoint from the first, to confirm a
 * change measured on one sample. `--per-instance` also
 * writes one line per instance to stderr (name, moves, optimum, status, ms), to see which instances
 * carry the gap and by how much.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuClock, wallClock } from '../src/cli/brp.command.js';
import { parsePmpGroup } from '../src/planner/pmp/instance.js';
import type { PmpMode } from '../src/planner/pmp/solve.js';
import { solvePmp } from '../src/planner/pmp/solve.js';

interface BenchArgs {
  dir: string;
  groups: string[] | undefined;
  mode: PmpMode;
  timeLimitMs: number | undefined;
  limit: number | undefined;
  every: number;
  offset: number;
  clock: 'wall' | 'cpu';
  perInstance: boolean;
}

/** The repository root: dist/bench/pmp.js → ../.. (or bench/pmp.ts → .. when run from source). */
function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..');
}

function parseArgs(args: string[]): BenchArgs {
  const out: BenchArgs = {
    dir: path.resolve(repoRoot(), '../shared/benchmarks/pmp'),
    groups: undefined,
    mode: 'heuristic',
    timeLimitMs: undefined,
    limit: undefined,
    every: 1,
    offset: 0,
    clock: 'wall',
    perInstance: false,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    const need = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--dir':
        out.dir = path.resolve(need());
        break;
      case '--groups':
        out.groups = need()
          .split(',')
          .filter((g) => g.length > 0);
        break;
      case '--mode': {
        const m = need();
        if (m !== 'heuristic' && m !== 'exact') throw new Error(`--mode must be heuristic or exact, not ${m}`);
        out.mode = m;
        break;
      }
      case '--time-limit-ms':
        out.timeLimitMs = Number(need());
        break;
      case '--limit':
        out.limit = Number(need());
        break;
      case '--clock': {
        const c = need();
        if (c !== 'wall' && c !== 'cpu') throw new Error(`--clock must be wall or cpu, not ${c}`);
        out.clock = c;
        break;
      }
      case '--every': {
        const k = Number(need());
        if (!Number.isInteger(k) || k < 1) throw new Error(`--every must be a positive integer, not ${k}`);
        out.every = k;
        break;
      }
      case '--offset': {
        const j = Number(need());
        if (!Number.isInteger(j) || j < 0) throw new Error(`--offset must be a non-negative integer, not ${j}`);
        out.offset = j;
        break;
      }
      case '--per-instance':
        out.perInstance = true;
        break;
      case undefined:
      default:
        throw new Error(`unknown argument ${String(flag)}`);
    }
  }
  if (out.offset >= out.every) throw new Error(`--offset must be below --every (${out.every}), not ${out.offset}`);
  return out;
}

/** Independent replay: every move legal, final layout sorted. Returns an error text or undefined. */
function replay(
  stacks: readonly (readonly number[])[],
  caps: readonly number[],
  moves: readonly (readonly number[])[],
): string | undefined {
  const st = stacks.map((s) => [...s]);
  for (const [i, mv] of moves.entries()) {
    const [from, to] = mv;
    if (from === undefined || to === undefined || from === to) return `move ${i}: bad stacks`;
    const a = st[from];
    const b = st[to];
    if (a === undefined || b === undefined) return `move ${i}: no such stack`;
    const item = a.pop();
    if (item === undefined) return `move ${i}: stack ${from} is empty`;
    if (b.length >= (caps[to] ?? 0)) return `move ${i}: stack ${to} is full`;
    b.push(item);
  }
  for (const s of st) for (let j = 1; j < s.length; j++) if (s[j]! > s[j - 1]!) return 'final layout not sorted';
  return undefined;
}

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Runs the PMP benchmark (see the module comment). */
export async function benchPmp(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const budgetMs = opts.timeLimitMs ?? (opts.mode === 'heuristic' ? 1000 : 10000);
  const clock = opts.clock === 'cpu' ? cpuClock : wallClock;
  const files = readdirSync(opts.dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((g) => opts.groups === undefined || opts.groups.some((want) => g === want || g.startsWith(want)))
    .sort();
  process.stdout.write(
    `PMP benchmark: mode=${opts.mode}, budget ${budgetMs} ms/instance (${opts.clock} clock), dir ${opts.dir}` +
      `${opts.every === 1 ? '' : `, every ${opts.every}th instance from #${opts.offset}`}` +
      `${opts.limit === undefined ? '' : `, first ${opts.limit} instances per group`}\n`,
  );
  const header = ['group', 'n', 'mean moves', 'mean optimum', 'mean gap %', 'proved', 'mean ms', 'max ms', 'illegal'];
  process.stdout.write(`${header.join('\t')}\n`);
  const total = { n: 0, solved: 0, moves: 0, opt: 0, gapSum: 0, gapN: 0, proved: 0, ms: 0, maxMs: 0, illegal: 0 };
  for (const file of files) {
    const parsed = parsePmpGroup(JSON.parse(readFileSync(path.join(opts.dir, `${file}.json`), 'utf8')) as unknown);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
    const instances = parsed.group.instances
      .filter((_, i) => i % opts.every === opts.offset)
      .slice(0, opts.limit ?? Number.POSITIVE_INFINITY);
    let moves = 0;
    let optSum = 0;
    let optN = 0;
    let gapSum = 0;
    let gapN = 0;
    let proved = 0;
    let msSum = 0;
    let maxMs = 0;
    let illegal = 0;
    let solved = 0;
    for (const inst of instances) {
      const start = clock();
      const result = solvePmp(inst, { mode: opts.mode, clock, deadline: start + budgetMs });
      const ms = clock() - start;
      msSum += ms;
      maxMs = Math.max(maxMs, ms);
      const caps = inst.stacks.map((_, s) => inst.maxHeights?.[s] ?? inst.maxHeight);
      const problem = replay(inst.stacks, caps, result.moves);
      if (problem !== undefined || result.status === 'unsolved' || result.status === 'infeasible') {
        illegal++;
        process.stderr.write(`${inst.name}: ${result.status}, ${problem ?? 'no replay problem'}\n`);
        continue;
      }
      solved++;
      if (opts.perInstance) {
        process.stderr.write(
          `${[inst.name, result.moves.length, inst.optimal ?? '-', result.status, ms.toFixed(0)].join('\t')}\n`,
        );
      }
      moves += result.moves.length;
      if (inst.optimal !== null) {
        optSum += inst.optimal;
        optN++;
        if (inst.optimal > 0) {
          gapSum += (100 * (result.moves.length - inst.optimal)) / inst.optimal;
          gapN++;
        }
      }
      if (result.status === 'optimal') proved++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const n = instances.length;
    const row = [
      file,
      String(n),
      fmt(moves / solved, 2),
      optN === 0 ? '-' : fmt(optSum / optN, 2),
      gapN === 0 ? '-' : fmt(gapSum / gapN, 2),
      `${proved}/${n}`,
      fmt(msSum / n, 1),
      fmt(maxMs, 1),
      String(illegal),
    ];
    process.stdout.write(`${row.join('\t')}\n`);
    total.n += n;
    total.moves += moves;
    total.solved += solved;
    total.opt += optSum;
    total.gapSum += gapSum;
    total.gapN += gapN;
    total.proved += proved;
    total.ms += msSum;
    total.maxMs = Math.max(total.maxMs, maxMs);
    total.illegal += illegal;
  }
  if (files.length > 1) {
    const row = [
      'ALL',
      String(total.n),
      fmt(total.moves / total.solved, 2),
      '',
      total.gapN === 0 ? '-' : fmt(total.gapSum / total.gapN, 2),
      `${total.proved}/${total.n}`,
      fmt(total.ms / total.n, 1),
      fmt(total.maxMs, 1),
      String(total.illegal),
    ];
    process.stdout.write(`${row.join('\t')}\n`);
  }
}
