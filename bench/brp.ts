/**
 * @module Block relocation benchmark: `npm run bench brp -- [--dir D] [--groups a,b] [--variant
 * restricted|unrestricted|both] [--mode heuristic|exact] [--time-limit-ms N] [--clock wall|cpu]`.
 * `--clock cpu` bounds and times each instance by this process's CPU time (as the reference
 * solvers did), which keeps results steady on a shared machine; the default is wall time. Solves every
 * instance of the chosen groups (default: all `cvs-*` files), replays each solution with the
 * independent checker of test/brp-checker.ts, and prints one table per variant.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuClock, readBrpFile, solveBrpGroup, wallClock } from '../src/cli/brp.command.js';
import type { BrpMode, BrpVariant } from '../src/planner/brp/index.js';
import { checkBrpSolution } from '../test/brp-checker.js';

interface BenchArgs {
  dir: string;
  groups: string[] | null;
  variants: BrpVariant[];
  mode: BrpMode;
  timeLimitMs: number | undefined;
  clock: 'wall' | 'cpu';
}

function parseArgs(args: string[]): BenchArgs {
  // the repository root holds package.json; this file runs from bench/ (tsx) or dist/bench/
  let repoRoot = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(repoRoot, 'package.json')) && dirname(repoRoot) !== repoRoot) repoRoot = dirname(repoRoot);
  const out: BenchArgs = {
    dir: resolve(repoRoot, '../shared/benchmarks/brp'),
    groups: null,
    variants: ['restricted', 'unrestricted'],
    mode: 'heuristic',
    timeLimitMs: undefined,
    clock: 'wall',
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    const value = args[i + 1];
    const need = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--dir':
        out.dir = resolve(need());
        break;
      case '--groups':
        out.groups = need()
          .split(',')
          .map((g) => g.trim().replace(/\.json$/, ''))
          // a bare T-S names the CVS group
          .map((g) => (/^\d+-\d+$/.test(g) ? `cvs-${g}` : g))
          .filter((g) => g !== '');
        break;
      case '--variant': {
        const v = need();
        if (v === 'both') out.variants = ['restricted', 'unrestricted'];
        else if (v === 'restricted' || v === 'unrestricted') out.variants = [v];
        else throw new Error(`--variant must be restricted, unrestricted or both, got "${v}"`);
        break;
      }
      case '--mode': {
        const m = need();
        if (m !== 'heuristic' && m !== 'exact') throw new Error(`--mode must be heuristic or exact, got "${m}"`);
        out.mode = m;
        break;
      }
      case '--time-limit-ms': {
        const n = Number(need());
        if (!Number.isInteger(n) || n <= 0) throw new Error('--time-limit-ms must be a positive integer');
        out.timeLimitMs = n;
        break;
      }
      case '--clock': {
        const c = need();
        if (c !== 'wall' && c !== 'cpu') throw new Error(`--clock must be wall or cpu, got "${c}"`);
        out.clock = c;
        break;
      }
      default:
        throw new Error(`unknown argument "${flag}"`);
    }
  }
  return out;
}

/**
 * The reference solvers' recorded seconds per instance for `variant` (the benchmark folder's
 * `referenceSeconds`, wall time of the C exact solvers at 10 s; see its README), or [] if absent.
 */
function referenceSeconds(file: string, variant: BrpVariant): number[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    instances?: { referenceSeconds?: Record<string, unknown> }[];
  };
  return (data.instances ?? []).flatMap((i) => {
    const s = i.referenceSeconds?.[variant];
    return typeof s === 'number' ? [s] : [];
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Sorts cvs-3-3 < cvs-3-10 < cvs-10-6 by the numbers in the name. */
function byNumbers(a: string, b: string): number {
  const na = a.match(/\d+/g)?.map(Number) ?? [];
  const nb = b.match(/\d+/g)?.map(Number) ?? [];
  const pa = a.replace(/[\d-]+/g, '');
  const pb = b.replace(/[\d-]+/g, '');
  if (pa !== pb) return pa < pb ? -1 : 1;
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export async function benchBrp(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const groups =
    opts.groups ??
    readdirSync(opts.dir)
      .filter((f) => f.startsWith('cvs-') && f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
  groups.sort(byNumbers);
  const files = groups.map((g) => join(opts.dir, `${g}.json`));
  const loaded = files.map(readBrpFile);
  const widths = [10, 4, 11, 17, 11, 18, 9, 9, 8, 12, 10, 13, 11];
  const printRow = (cells: readonly string[]): void => {
    process.stdout.write(
      `${cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join(' ')
        .trimEnd()}\n`,
    );
  };
  for (const variant of opts.variants) {
    const rows: string[][] = [];
    const limit = opts.timeLimitMs === undefined ? 'default' : `${opts.timeLimitMs} ms`;
    process.stdout.write(
      `\nbrp ${variant} ${opts.mode} (time limit ${limit} per instance, ${opts.clock} clock; ${opts.dir})\n`,
    );
    const header = [
      'group',
      'n',
      'mean moves',
      'mean optimum (n)',
      'mean gap %',
      'proved/ref-solved',
      'mean ms',
      'max ms',
      'illegal',
      'inconsistent',
      'median ms',
      'ref median ms',
      'vs ref',
    ];
    printRow(header);
    printRow(header.map((h, i) => '-'.repeat(Math.min(h.length, widths[i] ?? 0))));
    let allGaps: number[] = [];
    let allMs: number[] = [];
    let totalProved = 0;
    let totalRef = 0;
    let totalIllegal = 0;
    let totalWrong = 0;
    let groupsAhead = 0;
    for (const [g, group] of loaded.entries()) {
      const results = solveBrpGroup(
        group,
        {
          variant,
          mode: opts.mode,
          ...(opts.timeLimitMs === undefined ? {} : { timeLimitMs: opts.timeLimitMs }),
        },
        opts.clock === 'cpu' ? cpuClock : wallClock,
      );
      let illegal = 0;
      let wrong = 0;
      const gaps: number[] = [];
      const optima: number[] = [];
      results.forEach((r, i) => {
        const instance = group.instances[i]!;
        const check = checkBrpSolution(instance.stacks, group.maxHeight, variant, r.moves);
        if (!check.ok) {
          illegal++;
          process.stderr.write(`ILLEGAL ${group.group} ${r.name} ${variant}: ${check.error ?? ''}\n`);
        }
        const opt = instance.optimal[variant];
        if (opt !== undefined) {
          optima.push(opt);
          gaps.push(opt === 0 ? 0 : (100 * (r.moves.length - opt)) / opt);
          if (r.moves.length < opt || (r.provedOptimal && r.moves.length !== opt) || r.lowerBound > opt) {
            wrong++;
            process.stderr.write(
              `INCONSISTENT ${group.group} ${r.name} ${variant}: moves ${r.moves.length}, lb ${r.lowerBound}, proved ${String(r.provedOptimal)}, recorded optimum ${opt}\n`,
            );
          }
        }
      });
      const proved = results.filter((r) => r.provedOptimal).length;
      const ref = group.referenceSolved[variant];
      const ms = results.map((r) => r.ms);
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
      const refMs = referenceSeconds(files[g] ?? '', variant).map((s) => s * 1000);
      const ahead = ref !== undefined && refMs.length > 0 && proved >= ref && median(ms) < median(refMs);
      if (ahead) groupsAhead++;
      // Ahead: at least as many proofs (more where they left any unproved) and a lower median time.
      const verdict =
        ref === undefined || refMs.length === 0
          ? '-'
          : `${proved > ref ? 'more' : proved === ref ? 'same' : 'fewer'}/${median(ms) < median(refMs) ? 'faster' : 'slower'}`;
      rows.push([
        group.group,
        String(results.length),
        mean(results.map((r) => r.moves.length)).toFixed(2),
        optima.length === 0 ? '-' : `${mean(optima).toFixed(2)} (${optima.length})`,
        gaps.length === 0 ? '-' : mean(gaps).toFixed(2),
        `${proved}/${ref ?? '-'}`,
        mean(ms).toFixed(1),
        Math.max(...ms).toFixed(1),
        String(illegal),
        String(wrong),
        median(ms).toFixed(1),
        refMs.length === 0 ? '-' : median(refMs).toFixed(1),
        verdict,
      ]);
      printRow(rows[rows.length - 1]!);
      allGaps = allGaps.concat(gaps);
      allMs = allMs.concat(ms);
      totalProved += proved;
      totalRef += ref ?? 0;
      totalIllegal += illegal;
      totalWrong += wrong;
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    rows.push([
      'ALL',
      String(allMs.length),
      '',
      '',
      mean(allGaps).toFixed(2),
      `${totalProved}/${totalRef}`,
      mean(allMs).toFixed(1),
      Math.max(...allMs).toFixed(1),
      String(totalIllegal),
      String(totalWrong),
      median(allMs).toFixed(1),
      '',
      `${groupsAhead}/${loaded.length} ahead`,
    ]);
    printRow(rows[rows.length - 1]!);
    process.stdout.write(
      '(vs ref: proofs more/same/fewer than the C exact solvers recorded (10 s each), median time faster/slower; ours is this process, theirs wall time on a 2-core machine; "ahead" = at least as many proofs and faster)\n',
    );
  }
}
