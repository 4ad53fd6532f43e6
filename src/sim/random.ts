/**
 * @module The simulator's only source of randomness: a seeded PRNG (mulberry32, Tommy Ettinger's
 * public-domain 32-bit generator) and the few distributions the behaviour model draws from. The
 * same seed gives the same stream on every machine, which is what makes a run repeatable.
 */
import { mulberry32 as coreMulberry32 } from '../core/random.js';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
}

/** mulberry32 (see core/random.ts): period 2^32, good enough for behaviour draws, fast, and trivially seedable. */
export function mulberry32(seed: number): Rng {
  return { next: coreMulberry32(seed) };
}

/**
 * An independent stream for one purpose (e.g. day 12's behaviour), so that drawing more or fewer
 * numbers for one day never shifts another day's draws.
 */
export function substream(seed: number, ...keys: number[]): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const k of keys) {
    h = Math.imul(h ^ (k >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return mulberry32(h);
}

/** A standard normal draw (Box–Muller). */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function uniform(rng: Rng, from: number, to: number): number {
  return from + (to - from) * rng.next();
}

/** A Poisson draw (Knuth's method; for the small means of night emergencies). */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
