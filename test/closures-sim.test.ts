/**
 * Issue 6, acceptance 3: over a simulated month of the demo compound with 30 more positions closed
 * for 90 days (an elevator retrofit), the planner never chooses a closed position — neither to park
 * an arriving car, nor to put a blocker, nor in the night re-sort. The planner policy is wrapped so
 * every position it returns is checked against the simulator's lot of that day.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../src/core/brand.js';
import { parseScenario } from '../src/core/scenario.js';
import type { Policy, PolicyContext } from '../src/sim/index.js';
import { POLICIES, simulate } from '../src/sim/index.js';

const DAYS = Number(process.env.CLOSURE_SIM_DAYS ?? 30);

describe('a month with a closure', () => {
  it(`plans no car onto a closed position over ${DAYS} simulated days`, () => {
    const scenario = parseScenario(
      JSON.parse(readFileSync(new URL('../scenarios/jinfang.json', import.meta.url), 'utf8')),
    );
    const start = scenario.roster.rotation.startDate;
    const to = new Date(Date.parse(`${start}T00:00:00Z`) + 89 * 86_400_000).toISOString().slice(0, 10) as IsoDate;
    let closed = 0;
    for (const lane of scenario.layout.lanes) {
      for (const p of lane.positions) {
        if (closed < 30 && (p.closures ?? []).length === 0 && lane.positions.length >= 2) {
          p.closures = [{ from: start as IsoDate, to, reason: '加装电梯施工' }];
          closed++;
        }
      }
    }
    expect(closed).toBe(30);
    const planner = POLICIES.planner!;
    const chosen = { total: 0, closed: 0 };
    const check = (ctx: PolicyContext, p: number | null): number | null => {
      if (p !== null) {
        chosen.total++;
        if (ctx.lot.pos(p).closed) chosen.closed++;
      }
      return p;
    };
    const watched: Policy = {
      ...planner,
      park: (ctx, car, avoid) => check(ctx, planner.park(ctx, car, avoid)),
      relocate: (ctx, car, avoid) => check(ctx, planner.relocate(ctx, car, avoid)),
      resortMove: (ctx, avoid) => {
        const m = planner.resortMove(ctx, avoid);
        if (m !== null) check(ctx, m.to);
        return m;
      },
    };
    const result = simulate(scenario, watched, { days: DAYS, seed: 11 });
    expect(result.nights).toHaveLength(DAYS);
    expect(chosen.total).toBeGreaterThan(100 * DAYS);
    expect(chosen.closed).toBe(0);
  }, 600_000);
});
