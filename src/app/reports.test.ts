import { describe, expect, it } from 'vitest';
import type { EpochMs, VehicleId } from '../core/brand.js';
import type { EventBody, LedgerEvent, RecordKind } from '../core/events.js';
import { shanghaiInstant } from '../core/time.js';
import { dayProfiles, nightlyFigures } from './reports.js';

const at = (day: string, hhmm: string) => shanghaiInstant(day, hhmm);

function ledger(bodies: [EpochMs, EventBody][]): LedgerEvent[] {
  return bodies.map(
    ([when, body], i) => ({ ...body, at: when, actor: 'system', seq: i + 1, prevHash: '', hash: '' }) as LedgerEvent,
  );
}
const car = (id: string) => id as VehicleId;
const checkIn = (id: string): EventBody => ({ type: 'car.checked-in', payload: { vehicleId: car(id) } });
const departed = (id: string): EventBody => ({ type: 'car.departed', payload: { vehicleId: car(id), by: 'resident' } });
const record = (
  kind: RecordKind,
  refId: string,
  vehicleId?: string,
  detail: Record<string, string> = {},
): EventBody => ({
  type: 'record',
  payload: { kind, refId, ...(vehicleId === undefined ? {} : { vehicleId: car(vehicleId) }), detail },
});
const nowRequest = (id: string) => record('departure.declared', `d-${id}`, id, { kind: 'now' });

// Window of two nights up to 2026-12-02 13:00: from 12-01 12:00, so 12:00–13:00 is seen twice, the rest once.
const events = ledger([
  [at('2026-11-30', '20:00'), checkIn('A')],
  [at('2026-11-30', '21:00'), checkIn('F')],
  [at('2026-12-01', '11:50'), nowRequest('F')],
  [at('2026-12-01', '11:50'), record('task.started', 't1')],
  [at('2026-12-01', '12:05'), departed('F')],
  [at('2026-12-01', '12:10'), record('task.completed', 't1')],
  [at('2026-12-01', '18:15'), checkIn('B')],
  [at('2026-12-01', '19:00'), checkIn('E')],
  [
    at('2026-12-01', '22:00'),
    { type: 'car.sent-to-partner', payload: { vehicleId: car('B'), partnerLotId: 'p1' as never } },
  ],
  [at('2026-12-01', '23:50'), record('task.started', 't3')],
  [at('2026-12-02', '00:00'), record('task.started', 't4')],
  [at('2026-12-02', '00:20'), record('task.failed', 't3')],
  [at('2026-12-02', '00:30'), record('task.completed', 't4')],
  [at('2026-12-02', '01:00'), record('task.cancelled', 't6')],
  [at('2026-12-02', '06:20'), nowRequest('E')],
  [at('2026-12-02', '06:40'), departed('E')],
  [at('2026-12-02', '06:50'), nowRequest('A')],
  [at('2026-12-02', '07:00'), departed('A')],
  [at('2026-12-02', '08:00'), { type: 'car.returned-from-partner', payload: { vehicleId: car('B') } }],
  [at('2026-12-02', '12:10'), checkIn('C')],
  [at('2026-12-02', '12:20'), record('task.started', 't2')],
  [at('2026-12-02', '12:40'), record('task.completed', 't2')],
  [at('2026-12-02', '12:50'), record('task.started', 't5')],
]);
const now = at('2026-12-02', '13:00');

describe('dayProfiles', () => {
  it('averages the waits of "now" requests made in the window by local hour of the request', () => {
    const { waitByHour } = dayProfiles(events, now, 2);
    expect(waitByHour).toHaveLength(24);
    // E waited 20 minutes, A 10; F asked before the window opened.
    expect(waitByHour[6]).toBe(15);
    expect(waitByHour.filter((w) => w !== null)).toEqual([15]);
  });

  it('spreads each started task over the half hours until it completes, fails or the window ends', () => {
    const load = dayProfiles(events, now, 2).guardBusyMinByHalfHour;
    expect(load).toHaveLength(48);
    expect(load[24]).toBe(10); // 12:00: t1's last 10 minutes on 12-01, t2's first 10 on 12-02, over two days
    expect(load[25]).toBe(10); // 12:30: t2 10 and t5 (still running) 10 on 12-02, nothing on 12-01
    expect(load[47]).toBe(10); // 23:30: t3
    expect(load[0]).toBe(50); // 00:00: t3 20 and t4 30 at the same time
    expect(load.reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(80);
  });

  it('counts cars on site from check-in to departure or partner lot, time-weighted per half hour', () => {
    const occ = dayProfiles(events, now, 2).occupancyByHalfHour;
    expect(occ).toHaveLength(48);
    expect(occ[24]).toBe(0.9); // 12-01: A and F for 5 min, A for 25; 12-02: C for 20 min → 55 car-minutes over 2 × 30
    expect(occ[25]).toBe(1); // A on 12-01, C on 12-02
    expect(occ[36]).toBe(1.5); // 18:00: A, B from 18:15
    expect(occ[38]).toBe(3); // 19:00: A, B, E
    expect(occ[44]).toBe(2); // 22:00: B went to the partner lot
    expect(occ[13]).toBe(1.3); // 06:30: A, E until 06:40
    expect(occ[14]).toBe(0); // A left at 07:00; B's return from the partner lot brings no car on site
    expect(occ[23]).toBe(0);
  });

  it('leaves the half hours and hours that have not passed in the window empty', () => {
    const p = dayProfiles(events, now, 1);
    expect(p.occupancyByHalfHour.map((v, s) => (v === null ? null : s)).filter((s) => s !== null)).toEqual([24, 25]);
    expect(p.occupancyByHalfHour[24]).toBe(0.7); // C from 12:10
    expect(p.guardBusyMinByHalfHour[25]).toBe(20);
    expect(p.waitByHour.every((w) => w === null)).toBe(true);
  });

  it('averages only over the nights since the first event in the ledger', () => {
    const p = dayProfiles(events, now, 3);
    expect(p.occupancyByHalfHour[40]).toBe(2); // 20:00: A alone on 11-30, A, B and E on 12-01
    expect(dayProfiles(events, now, 30)).toEqual(p);
  });
});

describe('nightlyFigures gate waits', () => {
  const parked = (id: string): EventBody => ({
    type: 'car.parked',
    payload: { vehicleId: car(id), positionId: 'L1-0' as never, taskId: null },
  });
  it('count from each check-in to the car in its place, sent to a partner lot or driven off, by the night it came', () => {
    const gate = ledger([
      [at('2026-12-01', '18:00'), checkIn('A')],
      [at('2026-12-01', '18:05'), checkIn('B')],
      [at('2026-12-01', '18:06'), parked('A')],
      [at('2026-12-01', '18:40'), parked('B')],
      [at('2026-12-01', '19:00'), checkIn('C')],
      [
        at('2026-12-01', '19:10'),
        { type: 'car.sent-to-partner', payload: { vehicleId: car('C'), partnerLotId: 'p1' as never } },
      ],
      // A car moved later is not parked again from the gate.
      [at('2026-12-02', '06:00'), parked('A')],
      [at('2026-12-02', '11:30'), checkIn('D')],
      [at('2026-12-02', '11:50'), departed('D')],
      [at('2026-12-02', '12:30'), checkIn('E')],
    ]);
    const [first, second] = nightlyFigures(gate, at('2026-12-02', '13:00'), 2);
    // A 6, B 35, C 10 and D 20 minutes (11:30 is still the night of 12-01): mean 17.75.
    expect(first).toMatchObject({ night: '2026-12-01', gateWaitMeanMin: 17.8, gateWaitMaxMin: 35 });
    // E is still at the gate: no wait counted yet.
    expect(second).toMatchObject({ night: '2026-12-02', gateWaitMeanMin: null, gateWaitMaxMin: null });
  });
});
