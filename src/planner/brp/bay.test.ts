import { describe, expect, it } from 'vitest';
import { BayState } from './bay.js';

function layout(bay: BayState): number[][] {
  return Array.from({ length: bay.stackCount }, (_, s) =>
    Array.from({ length: bay.height[s]! }, (_, i) => bay.cells[s * bay.width + i]!),
  );
}

function blockingByHand(stacks: number[][]): number {
  let count = 0;
  for (const stack of stacks) stack.forEach((p, i) => (stack.slice(0, i).some((q) => q < p) ? count++ : 0));
  return count;
}

describe('BayState', () => {
  it('retrieves blocks that are free at the start', () => {
    const bay = BayState.fromRanks(
      [
        [4, 1],
        [2, 3],
      ],
      [3, 3],
    );
    expect(bay.next).toBe(2);
    expect(layout(bay)).toEqual([[4], [2, 3]]);
  });

  it('keeps the blocking count equal to a recount after every relocation', () => {
    const bay = BayState.fromRanks(
      [
        [3, 7, 1],
        [2, 6, 5],
        [8, 9, 4],
      ],
      [5, 5, 5],
    );
    expect(bay.blocking).toBe(blockingByHand(layout(bay)));
    const moves: [number, number][] = [
      [0, 1],
      [0, 2],
      [1, 0],
    ];
    for (const [from, to] of moves) {
      bay.relocate(from, to);
      expect(bay.blocking).toBe(blockingByHand(layout(bay)));
    }
  });

  it('undoes a relocation and the retrievals it caused exactly', () => {
    const bay = BayState.fromRanks([[2, 1, 3], [4], []], [3, 3, 3]);
    const before = {
      layout: layout(bay),
      next: bay.next,
      blocking: bay.blocking,
      hash: bay.hash(),
    };
    const retrieved = bay.relocate(0, 2); // frees 1, and then 2, 3 and 4 leave in turn
    expect(retrieved).toBe(4);
    expect(bay.isDone()).toBe(true);
    bay.undo(0, 2, retrieved);
    expect({
      layout: layout(bay),
      next: bay.next,
      blocking: bay.blocking,
      hash: bay.hash(),
    }).toEqual(before);
  });
});
