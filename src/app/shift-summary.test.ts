import { describe, expect, it } from 'vitest';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs, UserId } from '../core/brand.js';
import type { NewEvent } from '../core/events.js';
import { openStore } from '../store/store.js';
import { shiftWindow, summarizeShifts } from './shift-summary.js';

const SHIFTS = [
  { id: 'day', name: '白班', start: '07:00', end: '19:00' },
  { id: 'night', name: '夜班', start: '19:00', end: '07:00' },
];
/** Shanghai wall-clock time on a day of the test. */
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`) as EpochMs;

describe('shift summaries', () => {
  it('a night shift runs from 19:00 to 07:00 the next morning, in Shanghai', () => {
    expect(shiftWindow('2026-11-27', SHIFTS[1]!)).toEqual({
      start: Date.parse('2026-11-27T11:00:00Z'),
      end: Date.parse('2026-11-27T23:00:00Z'),
    });
  });

  it('counts per guard the cars parked, delivered and moved, the retrievals, keys out at hand-over and incidents', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    await store.createCompound('c1', '测试小区', T0);
    const append = (e: Omit<NewEvent, 'actor'>, actor: UserId) =>
      store.transaction('c1', (uow) => uow.append({ ...e, actor } as NewEvent));
    await store.transaction('c1', async (uow) => {
      for (const event of setupEvents(2)) await uow.append(event);
    });
    const [g1, g2] = [id.guard(1), id.guard(2)];
    const [v1, v2] = [id.vehicle(1), id.vehicle(2)];
    const night = '2026-11-27';
    const morning = '2026-11-28';
    await append({ type: 'car.checked-in', payload: { vehicleId: v1 }, at: at(night, '19:10') }, g1);
    await append(
      {
        type: 'car.parked',
        payload: { vehicleId: v1, positionId: id.position('A-1'), taskId: null },
        at: at(night, '19:11'),
      },
      g1,
    );
    await append({ type: 'car.checked-in', payload: { vehicleId: v2 }, at: at(night, '19:20') }, g2);
    await append(
      {
        type: 'car.parked',
        payload: { vehicleId: v2, positionId: id.position('A-0'), taskId: null },
        at: at(night, '19:21'),
      },
      g2,
    );
    await append(
      { type: 'key.checked-out', payload: { keyTag: id.key(1), guardId: g1, taskId: null }, at: at(night, '19:30') },
      g1,
    );
    await append(
      { type: 'record', payload: { kind: 'incident.opened', refId: 'i1', detail: {} }, at: at(night, '23:00') },
      g2,
    );
    const now = (vehicleId: typeof v1, hhmm: string) =>
      append(
        {
          type: 'record',
          payload: { kind: 'departure.declared', refId: `d-${vehicleId}`, vehicleId, detail: { kind: 'now' } },
          at: at(morning, hhmm),
        },
        g1,
      );
    await now(v2, '06:30');
    await append({ type: 'car.departed', payload: { vehicleId: v2, by: 'guard' }, at: at(morning, '06:42') }, g2);
    await now(v1, '06:45');
    await append({ type: 'car.departed', payload: { vehicleId: v1, by: 'guard' }, at: at(morning, '06:50') }, g1);

    const events = await store.events('c1');
    const roster = [
      { day: night, shiftId: 'night', guardIds: [g1, g2] },
      { day: morning, shiftId: 'day', guardIds: [id.guard(3)] },
    ];
    const names = new Map([
      [g1, '王师傅'],
      [g2, '李师傅'],
    ]);
    const [n, d] = summarizeShifts(events, SHIFTS, roster, names, at(morning, '12:00'));
    expect(n).toMatchObject({
      day: night,
      shiftId: 'night',
      shiftName: '夜班',
      guards: [
        { guardId: g1, name: '王师傅', parked: 1, delivered: 1, moves: 0 },
        { guardId: g2, name: '李师傅', parked: 1, delivered: 1, moves: 0 },
      ],
      retrievals: 2,
      retrievalMeanMin: 8.5,
      retrievalMaxMin: 12,
      keysOutAtHandover: 1,
      incidents: 1,
    });
    // The day shift has not handed over at noon, and nothing happened in it yet.
    expect(d).toMatchObject({
      shiftId: 'day',
      guards: [{ guardId: id.guard(3), name: null, parked: 0, delivered: 0, moves: 0 }],
      retrievals: 0,
      retrievalMeanMin: null,
      keysOutAtHandover: null,
      incidents: 0,
    });
    await store.close();
  });
});
