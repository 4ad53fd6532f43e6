/**
 * @module Seeded draws for the block relocation tests: a small linear congruential generator and
 * random bays (distinct priorities 1..blocks shuffled, each put on a random stack, the next one with
 * room when that is full). Independent of the planner's code.
 */

/** A generator of whole numbers in 0..k-1 from `seed` (the same sequence for the same seed). */
export function lcg(seed: number): (k: number) => number {
  let state = seed;
  return (k) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % k;
  };
}

/** `blocks` blocks on `stackCount` stacks of height at most `maxHeight`, bottom → top, drawn with `random`. */
export function randomStacks(
  random: (k: number) => number,
  stackCount: number,
  maxHeight: number,
  blocks: number,
): number[][] {
  const order = Array.from({ length: blocks }, (_, i) => i + 1);
  for (let i = blocks - 1; i > 0; i--) {
    const j = random(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const stacks: number[][] = Array.from({ length: stackCount }, () => []);
  for (const b of order) {
    let s = random(stackCount);
    while (stacks[s]!.length >= maxHeight) s = (s + 1) % stackCount;
    stacks[s]!.push(b);
  }
  return stacks;
}
