/**
 * The conformance of the product with the fast engine: the same seeded residents of a small
 * compound through the engine with the planner policy and through the product (the driver), their
 * decisions side by side — the first evening's placements on an empty lot, and the first
 * morning's relocations — on seeds chosen for the decisions they exercise. The engine runs as the
 * product plans (`engineDecisions`: the guards know declared times only; no blocker is held on
 * the road); every other rule is the one shared planner's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { smallDemoScenario } from '../../test/support/small-demo.js';
import { loadScenario } from '../app/demo.js';
import { openStore } from '../store/store.js';
import { plannerPolicy } from '../sim/planner-policy.js';
import type { Decisions } from './conformance.js';
import { engineDecisions, productDecisions } from './conformance.js';
import type { Decision } from './driver.js';
import { LiveDriver, originOf } from './driver.js';
import { virtualTimeline } from './timeline.js';

const scenario = smallDemoScenario();
const START = '2026-11-03';
/**
 * Seed 11: one retrieval on the first morning, its blocker moved; seed 5: three retrievals.
 * (Seed 3 parts on the first morning: see `PART`.)
 */
const SEEDS = [11, 5];
/** The warm-up day: every car comes home to an empty lot. */
const FIRST_EVENING = 1440;
/** Noon of the first morning (day 0): its departures are over. */
const FIRST_NOON = 1440 + 12 * 60;

const runs = new Map<
  number,
  { engine: Decisions; product: Decisions; evening: { engine: Decisions; product: Decisions } }
>();

async function productRun(seed: number, days = 1, until = FIRST_NOON): Promise<Decision[]> {
  const store = await openStore({ dataDir: ':memory:' });
  try {
    let n = 0;
    const decisions: Decision[] = [];
    const driver = new LiveDriver({
      scenario,
      seed,
      store,
      timeline: virtualTimeline(originOf(START)),
      startDate: START,
      days,
      newId: () => `c-${++n}`,
      onDecision: (d) => decisions.push(d),
    });
    await loadScenario(driver.ctx, scenario);
    await driver.run(0, until);
    return decisions;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  for (const seed of SEEDS) {
    const decisions = await productRun(seed);
    const options = { seed, startDate: START, days: 1 };
    runs.set(seed, {
      engine: engineDecisions(scenario, plannerPolicy, { ...options, until: FIRST_NOON }),
      product: productDecisions(decisions, FIRST_NOON),
      evening: {
        engine: engineDecisions(scenario, plannerPolicy, { ...options, until: FIRST_EVENING }),
        product: productDecisions(decisions, FIRST_EVENING),
      },
    });
  }
}, 300_000);

const run = (seed: number): NonNullable<ReturnType<typeof runs.get>> => {
  const r = runs.get(seed);
  if (r === undefined) throw new Error(`no run for seed ${seed}`);
  return r;
};

describe.each(SEEDS)('the product and the engine, the same seeded residents (seed %i)', (seed) => {
  it('are asked to park the same cars in the same order, at the same minutes (first evening)', () => {
    const { engine, product } = run(seed).evening;
    expect(engine.placements.length).toBe(scenario.vehicles.length);
    expect(product.placements.map((p) => [p.vehicleId, Math.round(p.minute)])).toEqual(
      engine.placements.map((p) => [p.vehicleId, Math.round(p.minute)]),
    );
  });

  it('give every car the same position (first evening, empty lot)', () => {
    const { engine, product } = run(seed).evening;
    expect(product.placements.every((p) => p.positionId !== null)).toBe(true);
    expect(product.placements).toEqual(engine.placements);
  });

  it('schedule the same relocations and pre-staging moves in the same order on the first morning', () => {
    const { engine, product } = run(seed);
    expect(engine.moves.length).toBeGreaterThan(0);
    // Car, from and to of every move, in the order the guards start them.
    expect(product.moves.map((m) => [m.vehicleId, m.from, m.to])).toEqual(
      engine.moves.map((m) => [m.vehicleId, m.from, m.to]),
    );
    // Each engine task starts when the product's guard starts its first move.
    const starts = (ms: typeof engine.moves): [string, number][] =>
      ms.filter((m) => m.first).map((m) => [m.vehicleId, Math.round(m.minute)]);
    expect(
      starts(
        product.moves.filter((m) =>
          engine.moves.some((e) => e.first && e.vehicleId === m.vehicleId && e.from === m.from),
        ),
      ),
    ).toEqual(starts(engine.moves));
  });

  it('turn away the same cars and free the same cars for their residents', () => {
    const { engine, product } = run(seed);
    expect(engine.waited.length).toBeGreaterThan(0);
    expect(product.waited).toEqual(engine.waited);
    expect(product.turnedAway).toEqual(engine.turnedAway);
  });
});

/** Nights the longer runs play after the warm-up one (each of two measured nights and mornings). */
const DAYS = 2;
/** Noon after the last night of the longer runs. */
const LAST_NOON = 1440 * (DAYS + 1) + 12 * 60;
/** `d<day> HH:MM` on the residents' timeline (day 0 is the first morning). */
const clock = (minute: number): string =>
  `d${Math.floor(minute / 1440) - 1} ${String(Math.floor((minute % 1440) / 60)).padStart(2, '0')}:${String(Math.floor(minute % 60)).padStart(2, '0')}`;

/**
 * Over several nights the two agree up to a point, and then part by a rule they hold differently.
 * Each seed names the first decision where they part and why; the test holds them to agree at
 * least that far (a change that makes them part earlier fails; one that removes the cause shows
 * as a later first difference, and the note is to be moved on).
 */
const PART: Record<number, { at: string; why: string }> = {
  5: {
    at: 'd2 07:20',
    why:
      "the product's `planResort` makes a re-sort move whenever no task is open from 01:00 to noon, " +
      'while the engine stops re-sorting for the night at the first look that finds no move worth it',
  },
  11: {
    at: 'd1 07:30',
    why:
      'a pre-staging move task gets its destination when it is planned (here at the first look, ' +
      '06:45), the engine chooses it when the guard starts (07:30, a bay freed meanwhile)',
  },
  1: { at: 'd0 19:06', why: 'not yet explained (an evening placement after the first morning)' },
  2: { at: 'd0 17:42', why: 'not yet explained (an evening placement after the first morning)' },
  3: {
    at: 'd0 07:30',
    why: "the product re-sorts on the warm-up night too (`planResort`); the engine's re-sort starts with the measured nights",
  },
};
const LONG_SEEDS = Object.keys(PART).map(Number);

/** The minute of the first decision where `a` and `b` differ, or null. */
function firstDifference(a: Decisions, b: Decisions): number | null {
  const at: number[] = [];
  const places = (d: Decisions): string[] => d.placements.map((p) => `${p.vehicleId} ${p.positionId}`);
  const moves = (d: Decisions): string[] => d.moves.map((m) => `${m.reason} ${m.vehicleId} ${m.from} ${m.to}`);
  const differ = <T extends { minute: number }>(x: string[], y: string[], xs: T[], ys: T[]): void => {
    const i = x.findIndex((v, j) => v !== y[j]);
    const k = i === -1 ? (x.length === y.length ? -1 : Math.min(x.length, y.length)) : i;
    if (k !== -1) at.push(Math.min(xs[k]?.minute ?? Infinity, ys[k]?.minute ?? Infinity));
  };
  differ(places(a), places(b), a.placements, b.placements);
  differ(moves(a), moves(b), a.moves, b.moves);
  return at.length === 0 ? null : Math.min(...at);
}

describe('the product and the engine over several nights', () => {
  it.each(LONG_SEEDS)('part first where and as named (seed %i)', async (seed) => {
    const decisions = await productRun(seed, DAYS, LAST_NOON);
    const engine = engineDecisions(scenario, plannerPolicy, { seed, startDate: START, days: DAYS, until: LAST_NOON });
    const product = productDecisions(decisions, LAST_NOON);
    expect(engine.placements.length).toBeGreaterThan(scenario.vehicles.length * DAYS);
    const parted = firstDifference(engine, product);
    const part = PART[seed] as { at: string; why: string };
    expect(parted === null ? 'never' : clock(parted), part.why).toBe(part.at);
  });
});
