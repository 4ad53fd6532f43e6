import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { randomRankedLayout } from '../../../test/pmp-checker.js';
import { Bay } from './layout.js';

describe('Bay.shift', () => {
  it('reads as the move would and leaves the bay exactly as it was once undone', () => {
    const next = rng(9);
    const caps = [4, 3, 4, 2, 4];
    let checked = 0;
    for (let trial = 0; trial < 200; trial++) {
      const ranked = randomRankedLayout(next, caps, 9, 6);
      const bay = Bay.fromRanked(ranked.stacks, caps, ranked.groups);
      const from = Math.floor(next() * caps.length);
      const to = Math.floor(next() * caps.length);
      if (!bay.canMove(from, to)) continue;
      const moved = bay.clone();
      moved.move(from, to);
      const before = { stacks: bay.toRanked(), sorted: Array.from(bay.sortedLen), key: bay.key() };
      const sortedFrom = bay.sortedLen[from]!;
      bay.shift(from, to);
      expect(bay.toRanked()).toEqual(moved.toRanked());
      expect(Array.from(bay.sortedLen)).toEqual(Array.from(moved.sortedLen));
      bay.unshift(from, to, sortedFrom);
      expect({ stacks: bay.toRanked(), sorted: Array.from(bay.sortedLen), key: bay.key() }).toEqual(before);
      // A real move after a shift and its undo hashes as a move from the start.
      bay.move(from, to);
      expect(bay.key()).toBe(moved.key());
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
