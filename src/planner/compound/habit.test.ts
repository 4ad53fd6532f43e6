import { describe, expect, it } from 'vitest';
import { knowledgeOf, learnHabit } from './habit.js';

describe('learnHabit', () => {
  it('takes the median first departure, and the share of days with one shrunk towards even odds', () => {
    expect(learnHabit([440, 420, 430], 4)).toEqual({ minute: 430, leaves: 3.5 / 5 });
    expect(learnHabit([420, 440], 2)).toEqual({ minute: 430, leaves: 2.5 / 3 });
  });

  it('makes a car never seen a coin toss around 08:00, and a car seen stay in a fortnight a stayer', () => {
    expect(learnHabit([], 0)).toEqual({ minute: 480, leaves: 0.5 });
    expect(learnHabit([], 14).leaves).toBeLessThan(0.05);
  });
});

describe('knowledgeOf', () => {
  const morning = 1440;
  it('expects a likely leaver at its habit, within the spread learnt', () => {
    expect(knowledgeOf(morning, { minute: 460, leaves: 0.9 }, null, 12, 3)).toEqual({
      declared: null,
      estimate: 1900,
      spread: 30,
      leaves: 0.9,
      at: 1900,
      atSpread: 12,
    });
  });

  it('expects an unlikely leaver around midday with a wide spread, the mixture still at its habit', () => {
    const k = knowledgeOf(morning, { minute: 460, leaves: 0.3 }, null, 12, 3);
    expect(k).toMatchObject({ estimate: 1440 + 14 * 60, spread: 180, leaves: 0.3, at: 1900 });
  });

  it('takes a declared time (with its slip) over the habit, and a declared stay-home day as no departure', () => {
    expect(knowledgeOf(morning, { minute: 460, leaves: 0.9 }, 1920, 12, 3)).toMatchObject({
      declared: 1920,
      leaves: 1,
      at: 1920,
      atSpread: 3,
    });
    expect(knowledgeOf(morning, { minute: 460, leaves: 0.9 }, Infinity, 12, 3)).toMatchObject({ leaves: 0 });
  });
});
