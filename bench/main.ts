/**
 * @module Benchmarks: `npm run bench <name> [args]`. Speed and quality targets are checked here,
 * never in timed tests. Each benchmark reads its instances from a folder given as an argument
 * (default `../shared/benchmarks`).
 */
import { benchApi } from './api.js';
import { benchBrp } from './brp.js';
import { benchCompounds } from './compounds.js';
import { benchGeometry } from './geometry.js';
import { benchLedger } from './ledger.js';
import { benchPlanner } from './planner.js';
import { benchPmp } from './pmp.js';
import { benchSim } from './sim.js';

const benches: Record<string, (args: string[]) => Promise<void>> = {
  // name → runner, registered one line each.
  api: benchApi,
  brp: benchBrp,
  compounds: benchCompounds,
  geometry: benchGeometry,
  ledger: benchLedger,
  planner: benchPlanner,
  pmp: benchPmp,
  sim: benchSim,
};

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const runner = name === undefined ? undefined : benches[name];
  if (runner === undefined) {
    process.stderr.write(`usage: npm run bench <${Object.keys(benches).join('|')}> [args]\n`);
    process.exitCode = 2;
    return;
  }
  await runner(args);
}

await run();
