import { describe, expect, it } from 'vitest';
import { mulberry32, normal, poisson, substream } from './random.js';

describe('seeded randomness', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('keeps substreams independent of each other', () => {
    expect(substream(1, 2).next()).toBe(substream(1, 2).next());
    expect(substream(1, 2).next()).not.toBe(substream(1, 3).next());
  });

  it('draws normal and Poisson values with about the right mean', () => {
    const rng = mulberry32(7);
    let sum = 0;
    let events = 0;
    for (let i = 0; i < 20_000; i++) {
      sum += normal(rng, 10, 3);
      events += poisson(rng, 0.2);
    }
    expect(sum / 20_000).toBeCloseTo(10, 1);
    expect(events / 20_000).toBeCloseTo(0.2, 1);
  });
});
