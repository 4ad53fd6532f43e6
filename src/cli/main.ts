/**
 * @module The `parkbutler` command line: serve, demo, compound, migrate, ledger, backup, and the planner's
 * benchmark solvers (`brp solve`, `pmp solve`).
 */
import { Command, CommanderError } from 'commander';
import { registerStoreCommands } from './store.commands.js';
import { registerBrpCommands } from './brp.command.js';
import { registerPmpCommands } from './pmp.command.js';
import { registerSimulateCommands } from './simulate.command.js';
import { registerScenarioCommands } from './scenario.command.js';

/** The exit codes, as `--help` and the README state them. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 success, 1 the work failed (bad data, a broken ledger, an unknown compound), 2 usage error (unknown command or option, an option value that breaks its rule).';
import { registerGateCommands } from './gate.command.js';
import { registerCompoundCommands } from './compound.command.js';

/** Builds the command tree; kept separate from `main` so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('parkbutler')
    .description('泊车管家 parkbutler — valet parking for dense residential compounds')
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .exitOverride();
  // Subcommand groups register themselves here, one line each.
  registerStoreCommands(program);
  registerCompoundCommands(program);
  registerBrpCommands(program);
  registerPmpCommands(program);
  registerSimulateCommands(program);
  registerScenarioCommands(program);
  registerGateCommands(program);
  return program;
}

/** Runs the CLI and returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`parkbutler: ${message}\n`);
    return 1;
  }
}
