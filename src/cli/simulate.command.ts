/**
 * @module `parkbutler simulate SCENARIO.json`: runs days of a compound under one policy or several
 * (`--compare`), prints a table or one JSON object (`--json`), and writes an HTML report with
 * charts (`--report`). A progress bar goes to stderr, and only when stderr is a terminal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { parseScenario, type Scenario } from '../core/scenario.js';
import { POLICIES, drawBehaviour, simulate, type SimResult } from '../sim/index.js';
import { formatTable } from './brp.command.js';

interface SimulateOptions {
  days: number;
  policy?: string;
  compare?: string[];
  seed: number;
  report?: string;
  json?: boolean;
}

/** Reads and validates a scenario file; the error names the file and the JSON path of every problem. */
export function readScenarioFile(file: string): Scenario {
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
  try {
    return parseScenario(data);
  } catch (error) {
    throw new Error(`${file} is not a valid scenario: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} is a whole number of at least 1`);
    return n;
  };
}

/** A `--seed` argument: a whole number that fits 32 bits. */
export function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InvalidArgumentError('the seed is a whole number from 0 to 4294967295');
  return n;
}

function policyList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(name in POLICIES))
      throw new InvalidArgumentError(`unknown policy "${name}" (known: ${Object.keys(POLICIES).join(', ')})`);
  }
  if (names.length === 0) throw new InvalidArgumentError('name at least one policy');
  return [...new Set(names)];
}

function policyName(value: string): string {
  const [name, ...rest] = policyList(value);
  if (name === undefined || rest.length > 0)
    throw new InvalidArgumentError('--policy takes one policy; use --compare for several');
  return name;
}

/** The `--json` shape: `{"policies":{"<name>":{…overall figures…}}}`. */
export function resultsJson(results: readonly SimResult[]): string {
  return JSON.stringify({ policies: Object.fromEntries(results.map((r) => [r.policy, r.overall])) });
}

function progressBar(total: number): { tick: (done: number) => void; end: () => void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { tick: () => undefined, end: () => undefined };
  const width = 30;
  return {
    tick: (done) => {
      const filled = Math.round((width * done) / total);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} nights`);
    },
    end: () => stream.write('\n'),
  };
}

export function registerSimulateCommands(program: Command): void {
  program
    .command('simulate')
    .description('simulate days of a compound under a policy and report waits, relocations, guard load and capacity')
    .argument('<scenario>', 'scenario file (JSON, see scenarios/scenario.schema.json)')
    .option('--days <n>', 'days to simulate', positiveInt('--days'), 30)
    .option('--policy <name>', `policy: ${Object.keys(POLICIES).join(', ')} (default planner)`, policyName)
    .option('--compare <list>', 'compare policies, e.g. naive,greedy,planner', policyList)
    .option('--seed <n>', 'seed of the residents’ behaviour', seedValue, 1)
    .option('--report <file>', 'write an HTML report with charts')
    .option('--json', 'print one JSON object with the figures of each policy')
    .action(async (file: string, opts: SimulateOptions) => {
      if (opts.policy !== undefined && opts.compare !== undefined)
        throw new Error('give --policy or --compare, not both');
      const names = opts.compare ?? [opts.policy ?? 'planner'];
      const scenario = readScenarioFile(file);
      const startDate = scenario.roster.rotation.startDate;
      const behaviour = drawBehaviour(scenario, startDate, opts.days, opts.seed);
      const bar = progressBar(opts.days * names.length);
      const results = names.map((name, i) => {
        const policy = POLICIES[name];
        if (policy === undefined) throw new Error(`unknown policy "${name}"`);
        return simulate(scenario, policy, {
          days: opts.days,
          seed: opts.seed,
          startDate,
          behaviour,
          onProgress: (done) => bar.tick(i * opts.days + done),
        });
      });
      bar.end();
      if (opts.report !== undefined) {
        // Loaded only for a report: its charts library adds about 44 MB to every process that loads it, the server too.
        const { renderReport } = await import('../sim/report.js');
        writeFileSync(opts.report, renderReport(scenario.compound.name, results));
      }
      if (opts.json === true) {
        process.stdout.write(`${resultsJson(results)}\n`);
        return;
      }
      const fields = Object.keys(results[0]?.overall ?? {}) as (keyof SimResult['overall'])[];
      process.stdout.write(
        `${scenario.compound.name}: ${opts.days} days from ${startDate}, seed ${opts.seed}\n` +
          formatTable(
            ['', ...results.map((r) => r.policy)],
            fields.map((f) => [f, ...results.map((r) => String(r.overall[f]))]),
          ),
      );
      if (opts.report !== undefined) process.stdout.write(`report: ${opts.report}\n`);
    });
}
