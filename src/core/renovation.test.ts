import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { checkRenovationPlan, depositRefund, pointNeedsCollection } from './renovation.js';

const plan = { startsOn: '2026-12-01', endsOn: '2026-12-31', kinds: ['walls'], hoursFrom: '08:00', hoursTo: '18:00' };

function failure(p: typeof plan): DomainError {
  try {
    checkRenovationPlan(p, '2026-11-30');
  } catch (error) {
    if (error instanceof DomainError) return error;
  }
  throw new Error('expected a refusal');
}

describe('renovation rules', () => {
  it('accepts a plan within the hours and dates', () => {
    expect(() => checkRenovationPlan(plan, '2026-11-30')).not.toThrow();
    expect(() => checkRenovationPlan({ ...plan, startsOn: '2026-11-30' }, '2026-11-30')).not.toThrow();
  });

  it('refuses forbidden work with its own code and the rule, before anything else', () => {
    const e = failure({ ...plan, kinds: ['walls', 'gas-pipes'], hoursFrom: '06:00' });
    expect(e.code).toBe('RENOVATION_FORBIDDEN');
    expect(e.field).toBe('body.kinds[1]');
    expect(e.message).toContain('gas company');
  });

  it.each([
    [{ kinds: ['painting'] }, 'body.kinds[0]'],
    [{ startsOn: '2026-11-29' }, 'body.startsOn'],
    [{ endsOn: '2026-11-30' }, 'body.endsOn'],
    [{ endsOn: '2027-06-30' }, 'body.endsOn'],
    [{ hoursFrom: '07:59' }, 'body.hoursFrom'],
    [{ hoursTo: '18:01' }, 'body.hoursTo'],
    [{ hoursFrom: '12:00', hoursTo: '12:00' }, 'body.hoursTo'],
    [{ hoursTo: '25:00' }, 'body.hoursTo'],
  ])('refuses %j naming %s', (change, field) => {
    const e = failure({ ...plan, ...change });
    expect(e.code).toBe('RENOVATION_RULE');
    expect(e.field).toBe(field);
  });

  it('returns the deposit less deductions, never below zero, and says what is still owed', () => {
    expect(depositRefund(200_000, 20_000)).toEqual({ refundFen: 180_000, owedFen: 0 });
    expect(depositRefund(200_000, 250_000)).toEqual({ refundFen: 0, owedFen: 50_000 });
  });

  it('calls a point full at 80% of its capacity, rounded up', () => {
    expect(pointNeedsCollection(31, 40)).toBe(false);
    expect(pointNeedsCollection(32, 40)).toBe(true);
    expect(pointNeedsCollection(4, 5)).toBe(true);
    expect(pointNeedsCollection(3, 5)).toBe(false);
  });
});
