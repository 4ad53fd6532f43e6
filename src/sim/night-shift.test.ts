import { describe, expect, it } from 'vitest';
import { oneLaneScenario } from '../../test/support/one-lane-scenario.js';
import { DAY, abs, drawBehaviour } from './behaviour.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';

/** One place; a car that never leaves holds it, and a night-shift worker's car (out 21:00–07:00). */
function onePlaceTwoCars(): ReturnType<typeof oneLaneScenario> {
  return oneLaneScenario(
    ['large'],
    [
      { size: 'standard', habits: { departure: '09:00', arrival: '10:00', stayHomeRate: 1, declaresDeparture: 0 } },
      { size: 'standard', habits: { departure: '21:00', arrival: '07:00', stayHomeRate: 0, declaresDeparture: 1 } },
    ],
  );
}

describe('a night-shift worker', () => {
  it('leaves in the evening and comes back the next morning', () => {
    const scenario = onePlaceTwoCars();
    const behaviour = drawBehaviour(scenario, scenario.roster.rotation.startDate, 3, 5);
    for (let k = 0; k < 3; k++) {
      const day = behaviour.days[k + 1]![1]!;
      expect(day.leaves).toBe(true);
      expect(Math.abs(day.departAt - abs(k, 21 * 60))).toBeLessThan(90);
      expect(Math.abs(day.returnAt - abs(k + 1, 7 * 60))).toBeLessThan(3 * 60);
      expect(day.returnAt - day.departAt).toBeGreaterThan(DAY / 4);
    }
  });

  it('turned away in the morning by a full lot comes back a day later, and the run ends', () => {
    const scenario = onePlaceTwoCars();
    for (const policy of Object.values(POLICIES)) {
      const turnedAway: number[] = [];
      const result = simulate(scenario, policy, { days: 3, seed: 5, onTurnedAway: (_car, at) => turnedAway.push(at) });
      expect(result.nights).toHaveLength(3);
      // Once a morning at most: never again at the same minute.
      expect(new Set(turnedAway).size, policy.name).toBe(turnedAway.length);
      expect(turnedAway.length, policy.name).toBeLessThanOrEqual(4);
    }
  });
});
