/**
 * @module `parkbutler compound add <scenario>` and `compound list`: the compounds of a deployment.
 * A district adds its compounds to one database from scenario files (the simulator's format).
 */
import type { Command } from 'commander';
import { addCompound } from '../app/compounds.js';
import { readScenarioFile } from '../app/demo.js';
import { out, withContext } from './store.commands.js';

export function registerCompoundCommands(program: Command): void {
  const compound = program
    .command('compound')
    .description("the deployment's compounds: add one from a file, list them");
  compound
    .command('add <scenario>')
    .description(
      'add a compound from a scenario file (layout, households, cars, accounts, shifts, partner lots; no history); refuses an id or a phone already in use, and then writes nothing',
    )
    .action(async (file: string) => {
      const scenario = await readScenarioFile(file);
      await withContext(async (ctx) => {
        const r = await addCompound(ctx, scenario);
        out(
          `Added ${scenario.compound.name} (${r.compoundId}): ${r.households} households, ${r.vehicles} cars, ${r.users} accounts, ${r.events} ledger events.`,
        );
      });
    });
  compound
    .command('list')
    .description('every compound: its id, name, households and cars (how many parked now)')
    .action(async () => {
      await withContext(async (ctx) => {
        const ids = await ctx.store.compoundIds();
        for (const id of ids) {
          const state = await ctx.store.state(id);
          const parked = state.occupancy.size;
          out(
            `${id}\t${state.name ?? ''}\t${state.households.size} households\t${state.vehicles.size} cars (${parked} parked)`,
          );
        }
        if (ids.length === 0) out('No compounds.');
      });
    });
}
