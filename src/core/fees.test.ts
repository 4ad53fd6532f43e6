import { describe, expect, it } from 'vitest';
import type { IsoDate } from './brand.js';
import type { CardPause, FeeRules, MonthlyCard } from './fees.js';
import {
  allocatePayments,
  daysOf,
  energyFee,
  formatYuan,
  monthlyCharges,
  partnerNightFee,
  roundHalfUp,
  rulesOn,
  temporaryFee,
  validateRules,
} from './fees.js';

const day = (s: string) => s as IsoDate;
const HOUR = 3600_000;

function rules(from: string, bay: number[], extra: Partial<FeeRules> = {}): FeeRules {
  return {
    effectiveFrom: day(from),
    monthly: { bay, tandem: [20000], aisle: [15000] },
    temporary: { freeMinutes: 30, perHourFen: 500, dailyCapFen: 3000 },
    partner: { nightFen: 1000, overstayPerHourFen: 2000 },
    evPerKwhFen: 80,
    exemptions: [],
    ...extra,
  };
}

const card = (
  id: string,
  from: string,
  to: string | null = null,
  placeKind: 'bay' | 'tandem' = 'bay',
): MonthlyCard => ({
  id,
  vehicleId: `v-${id}`,
  householdId: 'h1',
  placeKind,
  from: day(from),
  to: to === null ? null : day(to),
});

describe('monthly card fees (月租)', () => {
  const v1 = rules('2026-01-01', [30000, 45000]);

  it('charges a whole month under one rule exactly the monthly fee, in any month length', () => {
    for (const month of ['2026-02', '2026-04', '2026-12', '2028-02']) {
      expect(monthlyCharges(month, [card('a', '2025-06-01')], [], [v1])[0]?.fen).toBe(30000);
    }
    expect(daysOf('2028-02')).toHaveLength(29);
  });

  it('charges the household’s second car the second car’s fee, and the first the first', () => {
    const [a, b] = monthlyCharges('2026-03', [card('b', '2026-01-05'), card('a', '2025-06-01')], [], [v1]);
    expect(a).toMatchObject({ cardId: 'a', fen: 30000 });
    expect(b).toMatchObject({ cardId: 'b', fen: 45000 });
  });

  it('prorates a card taken on the 16th of a 30-day month by days, to the fen', () => {
    expect(monthlyCharges('2026-11', [card('a', '2026-11-16')], [], [v1])[0]).toMatchObject({
      fen: 15000,
      daysCharged: 15,
    });
    // 31-day month, 10 days: 30000 × 10 / 31 = 9677.42 → 9677
    expect(monthlyCharges('2026-12', [card('a', '2026-12-22')], [], [v1])[0]?.fen).toBe(9677);
    // 31-day month, 1 day at 15050: 485.48… → 485; 3 days at 15050: 1456.45… → 1456
    const odd = rules('2026-01-01', [15050]);
    expect(monthlyCharges('2026-12', [card('a', '2026-12-31')], [], [odd])[0]?.fen).toBe(485);
    expect(monthlyCharges('2026-12', [card('a', '2026-12-29')], [], [odd])[0]?.fen).toBe(1456);
  });

  it('rounds once per card, half up, not once per day', () => {
    // 100 fen a month, 31 days: every day is 3.2258 fen; rounding per day would give 31 × 3 = 93.
    const cheap = rules('2026-01-01', [100]);
    expect(monthlyCharges('2026-12', [card('a', '2025-01-01')], [], [cheap])[0]?.fen).toBe(100);
    // half a fen rounds up: 1 fen a month for 15 of 30 days = 0.5 → 1
    expect(monthlyCharges('2026-11', [card('a', '2026-11-16')], [], [rules('2026-01-01', [1])])[0]?.fen).toBe(1);
    expect(roundHalfUp(5, 10)).toBe(1);
    expect(roundHalfUp(4, 10)).toBe(0);
  });

  it('charges each day under the rule in force that day when the rule changes mid-month', () => {
    const v2 = rules('2026-11-21', [36000, 50000]);
    // 20 days at 30000 + 10 days at 36000, over 30 days = 20000 + 12000
    expect(monthlyCharges('2026-11', [card('a', '2025-01-01')], [], [v2, v1])[0]?.fen).toBe(32000);
    expect(rulesOn([v1, v2], '2026-11-20')).toBe(v1);
    expect(rulesOn([v1, v2], '2026-11-21')).toBe(v2);
    expect(rulesOn([v1], '2025-12-31')).toBeNull();
  });

  it('charges nothing for paused days (报停), and a paused card does not count as a car', () => {
    const pauses: CardPause[] = [{ cardId: 'a', from: day('2026-11-01'), to: day('2026-11-10') }];
    const [a, b] = monthlyCharges('2026-11', [card('a', '2025-01-01'), card('b', '2025-02-01')], pauses, [v1]);
    expect(a).toMatchObject({ fen: 20000, daysCharged: 20, daysPaused: 10 });
    // b is the first car while a is paused: 10 days at 30000 + 20 days at 45000
    expect(b).toMatchObject({ fen: 10000 + 30000, daysPaused: 0 });
  });

  it('spans a pause across a month boundary', () => {
    const pauses: CardPause[] = [{ cardId: 'a', from: day('2026-11-26'), to: day('2026-12-05') }];
    expect(monthlyCharges('2026-11', [card('a', '2025-01-01')], pauses, [v1])[0]?.fen).toBe(25000);
    // 26 of 31 days: 25161.29 → 25161
    expect(monthlyCharges('2026-12', [card('a', '2025-01-01')], pauses, [v1])[0]?.fen).toBe(25161);
  });

  it('applies an exemption of the household', () => {
    const exempt = rules('2026-01-01', [30000], {
      exemptions: [{ householdId: 'h1', reason: '残疾人', percentOff: 50 }],
    });
    expect(monthlyCharges('2026-11', [card('a', '2025-01-01')], [], [exempt])[0]?.fen).toBe(15000);
  });

  it('charges by the kind of place of the card', () => {
    expect(monthlyCharges('2026-11', [card('a', '2025-01-01', null, 'tandem')], [], [v1])[0]?.fen).toBe(20000);
  });

  it('refuses amounts that are not whole fen', () => {
    expect(() => validateRules(rules('2026-01-01', [300.5]))).toThrow(/monthly.bay\[0\].*whole/);
    expect(() => validateRules(rules('2026-01-01', [-1]))).toThrow(/whole, non-negative/);
    expect(() => validateRules(rules('2026-01-01', [30000]))).not.toThrow();
  });
});

describe('temporary parking (临停)', () => {
  const t = { freeMinutes: 30, perHourFen: 500, dailyCapFen: 3000 };
  it('is free within the free minutes', () => {
    expect(temporaryFee(0, 30 * 60_000, t)).toBe(0);
  });
  it('charges every started hour from arrival once past the free minutes', () => {
    expect(temporaryFee(0, 31 * 60_000, t)).toBe(500);
    expect(temporaryFee(0, 2 * HOUR + 1, t)).toBe(1500);
  });
  it('caps each 24 hours from arrival at the daily cap', () => {
    expect(temporaryFee(0, 10 * HOUR, t)).toBe(3000);
    expect(temporaryFee(0, 26 * HOUR, t)).toBe(3000 + 1000);
  });
});

describe('partner lot, EV energy, payments', () => {
  it('charges the night and every started hour of overstay', () => {
    const p = { nightFen: 1000, overstayPerHourFen: 2000 };
    expect(partnerNightFee(HOUR, HOUR, p)).toBe(1000);
    expect(partnerNightFee(HOUR, HOUR + 61 * 60_000, p)).toBe(1000 + 4000);
    expect(partnerNightFee(HOUR, null, p)).toBe(1000);
  });
  it('charges energy at the tariff, rounded half up to the fen', () => {
    expect(energyFee(12_345, 80)).toBe(988); // 987.6
    expect(energyFee(6_250, 80)).toBe(500);
  });
  it('settles the oldest bill first and leaves the rest due (partial payments)', () => {
    const bills = [
      { id: 'dec', month: '2026-12', totalFen: 30000 },
      { id: 'nov', month: '2026-11', totalFen: 30000 },
    ];
    expect(allocatePayments(bills, 40000)).toEqual([
      { id: 'nov', paidFen: 30000, dueFen: 0 },
      { id: 'dec', paidFen: 10000, dueFen: 20000 },
    ]);
  });
  it('shows fen as yuan', () => {
    expect(formatYuan(12345)).toBe('123.45');
    expect(formatYuan(5)).toBe('0.05');
  });
});
