import { describe, expect, it } from 'vitest';
import { slotMaxFlow } from '../../../test/support/slot-flow.js';
import { mulberry32 } from '../../core/random.js';
import { canMeetAll, intervalFlow } from './flow.js';

describe("Horn's condition in closed form", () => {
  it('answers as the interval max flow does, and as the independent slot max flow where no charger is held', () => {
    let feasible = 0;
    const disagreements: string[] = [];
    for (let seed = 1; seed <= 3000; seed++) {
      const r = mulberry32(seed * 31);
      const chargers = 1 + Math.floor(r() * 4);
      const slots = 1 + Math.floor(r() * 12);
      const cars = Math.floor(r() * 7);
      const need = Array.from({ length: cars }, () => Math.floor(r() * (slots + 2)));
      const deadline = Array.from({ length: cars }, () => Math.floor(r() * (slots + 1)));
      const busy = Array.from({ length: Math.floor(r() * (chargers + 1)) }, () => Math.floor(r() * (slots + 2)));
      const closed = canMeetAll(need, deadline, chargers, busy);
      if (closed !== intervalFlow(need, deadline, chargers, busy).feasible)
        disagreements.push(`seed ${seed} (held chargers)`);
      const total = need.reduce((a, b) => a + b, 0);
      const free = canMeetAll(need, deadline, chargers);
      if (free !== (slotMaxFlow(need, deadline, chargers, slots) === total)) disagreements.push(`seed ${seed}`);
      if (closed) feasible++;
    }
    expect(disagreements).toEqual([]);
    // Both answers occur often enough for the comparison to mean something.
    expect(feasible).toBeGreaterThan(300);
    expect(feasible).toBeLessThan(2700);
  });
});
