/**
 * @module The seeded generator behind every random draw of the simulator and the seeded tests:
 * mulberry32 (Tommy Ettinger's public-domain 32-bit generator). Core has no randomness of its own;
 * whoever draws passes a seed, so a run is repeatable on every machine.
 */

/** A stream of floats in [0, 1) for a 32-bit seed; period 2^32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
