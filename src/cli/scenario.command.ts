/**
 * @module `parkbutler scenario generate --seed N [--family F] [--out FILE]`: writes a generated
 * compound (src/sim/generate.ts) as a scenario file, or prints it; the same seed and family give
 * the same file on every machine.
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { seedValue } from './simulate.command.js';
import { COMPOUND_FAMILIES, generateScenario, type CompoundFamily } from '../sim/generate.js';

interface GenerateCommandOptions {
  seed: number;
  family?: CompoundFamily;
  out?: string;
}

function familyValue(value: string): CompoundFamily {
  if (!(COMPOUND_FAMILIES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`unknown family "${value}" (known: ${COMPOUND_FAMILIES.join(', ')})`);
  return value as CompoundFamily;
}

export function registerScenarioCommands(program: Command): void {
  const scenario = program.command('scenario').description('scenario files: generate compounds for the simulator');
  scenario
    .command('generate')
    .description('generate a valid compound of one family of shapes from a seed')
    .requiredOption('--seed <n>', 'seed of the compound', seedValue)
    .option('--family <name>', `family: ${COMPOUND_FAMILIES.join(', ')} (default: chosen by the seed)`, familyValue)
    .option('--out <file>', 'write the scenario to this file instead of printing it')
    .action((opts: GenerateCommandOptions) => {
      const generated = generateScenario({ seed: opts.seed, family: opts.family });
      const text = `${JSON.stringify({ $schema: './scenario.schema.json', ...generated }, null, 2)}\n`;
      if (opts.out === undefined) process.stdout.write(text);
      else {
        writeFileSync(opts.out, text);
        process.stdout.write(
          `${opts.out}: ${generated.compound.name}, ${generated.vehicles.length} cars, ${generated.layout.lanes.reduce((s, l) => s + l.positions.length, 0)} positions\n`,
        );
      }
    });
}
