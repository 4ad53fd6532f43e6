import { describe, expect, it } from 'vitest';
import { UNKNOWN_DEPARTURE } from './departure.js';
import { laneRoom, shareLeavingBy } from './room.js';
import { nightMinute, parkedCar as car, sketchLane as lane } from './sketch.js';

const empty = {};
const half = (): number => 0.5;

describe('shareLeavingBy', () => {
  it('rises with the minute, stays strictly between 0 and 1, and is 1 at infinity', () => {
    const share = shareLeavingBy([nightMinute('07:00'), nightMinute('08:00')]);
    const early = share(nightMinute('06:00'));
    const late = share(nightMinute('10:00'));
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(share(nightMinute('07:30')));
    expect(share(nightMinute('07:30'))).toBeLessThan(late);
    expect(late).toBeLessThan(1);
    expect(share(Infinity)).toBe(1);
  });

  it('falls back to a morning-peak prior with no profile', () => {
    expect(shareLeavingBy([])(nightMinute('08:00'))).toBeCloseTo(0.5, 5);
  });
});

describe('laneRoom', () => {
  it('counts the deepest free position of an empty lane as 1 and the others as a coin toss', () => {
    expect(laneRoom(lane('A', [empty, empty, empty]), half, UNKNOWN_DEPARTURE)).toBe(2);
    expect(laneRoom(lane('bay', [empty]), half, UNKNOWN_DEPARTURE)).toBe(1);
  });

  it('counts the positions in front of a car by the share of cars leaving before it', () => {
    const share = (t: number): number => (t <= nightMinute('08:00') ? 0.3 : 0.9);
    expect(laneRoom(lane('A', [empty, empty, { car: car('a', '08:00') }]), share, UNKNOWN_DEPARTURE)).toBeCloseTo(0.6);
  });

  it('does not count closed positions or those shut off behind a car', () => {
    expect(laneRoom(lane('A', [{ car: car('a', '08:00') }, empty, empty]), half, UNKNOWN_DEPARTURE)).toBe(0);
    expect(laneRoom(lane('A', [empty, { closed: true }]), half, UNKNOWN_DEPARTURE)).toBe(1);
  });

  it('in a through lane, a car that can leave by the far end limits no one', () => {
    expect(laneRoom(lane('T', [{ car: car('a', '06:00') }, empty, empty], 'through'), half, UNKNOWN_DEPARTURE)).toBe(
      1.5,
    );
  });
});
