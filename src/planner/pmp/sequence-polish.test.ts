import { describe, expect, it } from 'vitest';
import { checkPmpSolution } from '../../../test/pmp-checker.js';
import { greedyComplete } from './greedy-completion.js';
import { bayOf, stackCaps, type PmpLayout } from './layout.js';
import { polishSequence } from './sequence-polish.js';

const S = 3;
const enc = (from: number, to: number): number => from * S + to;
const decode = (path: readonly number[]): [number, number][] => path.map((m) => [Math.floor(m / S), m % S]);

describe('polishSequence', () => {
  it('merges an item parked and moved on into one move', () => {
    // 2 goes 0 → 1 (badly, on a 1) and later 1 → 2 (on the 3); one move 0 → 2 does the same.
    const layout: PmpLayout = { stacks: [[1, 2], [1], [3]], maxHeight: 3 };
    const path = [enc(0, 1), enc(1, 2)];
    const polished = polishSequence(bayOf(layout), path);
    expect(polished).toEqual([enc(0, 2)]);
    expect(checkPmpSolution(layout.stacks, stackCaps(layout), decode(polished))).toMatchObject({ ok: true });
  });

  it('drops an item moved away and straight back later', () => {
    // 5 is parked on stack 2 and returns; nothing needed it moved. Then 3 moves onto the 4.
    const layout: PmpLayout = { stacks: [[5], [1, 3], [4]], maxHeight: 3 };
    const path = [enc(0, 2), enc(2, 0), enc(1, 2)];
    expect(polishSequence(bayOf(layout), path)).toEqual([enc(1, 2)]);
  });

  it('keeps a legal sorting sequence on a dense layout, never longer, and is stable', () => {
    const layout: PmpLayout = {
      stacks: [
        [14, 7, 19, 17, 1],
        [22, 4, 12, 20, 16],
        [8, 5, 21, 3, 9],
        [10, 11, 6, 13, 15],
        [18, 25, 2, 23, 24],
      ],
      maxHeight: 7,
    };
    const bay = bayOf(layout);
    const path: number[] = [];
    expect(greedyComplete(bay.clone(), 200, path)).toBeGreaterThan(0);
    const polished = polishSequence(bay, path);
    expect(polished.length).toBeLessThanOrEqual(path.length);
    const moves = polished.map((m): [number, number] => [Math.floor(m / 5), m % 5]);
    expect(checkPmpSolution(layout.stacks, stackCaps(layout), moves)).toMatchObject({ ok: true });
    expect(polishSequence(bay, polished)).toEqual(polished);
  });
});
