import { describe, expect, it } from 'vitest';
import { isWeekend, minutesOf, weekdayOf, windowOnNight } from './calendar.js';

describe('calendar', () => {
  it('names the weekday of a calendar day', () => {
    expect(weekdayOf('2026-12-07')).toBe('mon');
    expect(weekdayOf('2026-12-13')).toBe('sun');
    expect(isWeekend('2026-12-12')).toBe(true);
    expect(isWeekend('2026-12-11')).toBe(false);
  });

  it('reads clock times as minutes since midnight', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('21:30')).toBe(1290);
  });

  const lot = {
    windows: [
      { days: ['mon' as const, 'tue' as const], from: '21:30', to: '08:30' },
      { days: ['sat' as const], from: '08:00', to: '20:00' },
    ],
    leaveBy: '07:30',
  };

  it('opens an overnight window on its weekdays, leave-by the next morning', () => {
    expect(windowOnNight(lot, undefined, '2026-12-07')).toEqual({ from: 1290, to: 1440 + 510, leaveBy: 1440 + 450 });
    expect(windowOnNight(lot, undefined, '2026-12-09')).toBeNull();
  });

  it('ends leave-by at the closing when the window closes first', () => {
    expect(windowOnNight(lot, undefined, '2026-12-12')).toEqual({ from: 480, to: 1200, leaveBy: 1200 });
  });

  it('lets a dated exception replace the weekly windows or close the night', () => {
    expect(windowOnNight(lot, { from: '22:00', to: '06:00' }, '2026-12-09')).toEqual({
      from: 1320,
      to: 1440 + 360,
      leaveBy: 1440 + 360,
    });
    expect(windowOnNight(lot, { from: null, to: null }, '2026-12-07')).toBeNull();
  });
});
