import { describe, expect, it } from 'vitest';
import { moves, packBlocks } from './pack-blocks.js';
import { planCharging } from './plan-night.js';

// Two chargers, every slot up to 40 taken: cars 0 and 5 stand on the chargers, the others arrive.
const amount = [15, 2, 13, 25, 19, 12];
const deadline = [19, 36, 40, 42, 44, 37];
const initial = [0, null, null, null, null, 1];

describe('block packing', () => {
  it('finds a plan with one run per car where one exists: one move for each car that arrives', () => {
    const pieces = packBlocks(amount, deadline, 2, [0, 5], initial, 'longest-first');
    expect(pieces).not.toBeNull();
    expect(pieces!.map((p) => p.car).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const p of pieces!) expect(p.to, `car ${p.car}`).toBeLessThanOrEqual(deadline[p.car]!);
    expect(moves(pieces!, initial)).toBe(4);
  });

  it('gives the night plan its fewest swaps: the lower bound, where charging slot by slot needs two more', () => {
    const plan = planCharging({
      slotMinutes: 60,
      slots: 44,
      chargers: [
        { id: 'A', kw: 7 },
        { id: 'B', kw: 7 },
      ],
      requests: amount.map((a, j) => ({
        vehicleId: `V${j}`,
        needKwh: 7 * a,
        departureSlot: deadline[j]!,
        onCharger: initial[j] === null ? null : ['A', 'B'][initial[j]!]!,
      })),
    });
    expect(plan.status).toBe('all-met');
    expect(plan.lowerBound).toBe(4);
    expect(plan.swaps).toHaveLength(4);
  });

  it('splits a car in two when no single run keeps the night feasible, never putting it on two chargers at once', () => {
    // Three 2-slot cars by slot 3 on two chargers: McNaughton's wrap-around splits one of them.
    const pieces = packBlocks([2, 2, 2], [3, 3, 3], 2, [], [null, null, null], 'longest-first');
    expect(pieces).not.toBeNull();
    const byCar = new Map<number, { from: number; to: number }[]>();
    for (const p of pieces!) byCar.set(p.car, [...(byCar.get(p.car) ?? []), p]);
    expect([...byCar.values()].map((ps) => ps.reduce((s, p) => s + p.to - p.from, 0))).toEqual([2, 2, 2]);
    const split = [...byCar.values()].filter((ps) => ps.length === 2);
    expect(split).toHaveLength(1);
    const [a, b] = split[0]!.sort((x, y) => x.from - y.from);
    expect(a!.to).toBeLessThanOrEqual(b!.from);
    expect(moves(pieces!, [null, null, null])).toBe(4);
  });
});
