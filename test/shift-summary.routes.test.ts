/** GET /api/reports/shifts: the manager's shift summary over the demo compound's roster, through HTTP. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { apiClient, startDemoApi } from './support/api-client.js';

let app: FastifyInstance;
let ctx: AppContext;
const clock = Date.parse('2026-11-30T20:00:00+08:00');
const { call, signIn } = apiClient(() => app);

beforeAll(async () => {
  ({ app, ctx } = await startDemoApi(() => clock));
});

afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

interface Summary {
  day: string;
  shiftId: string;
  start: number;
  end: number;
  guards: { guardId: string; name: string | null; parked: number; delivered: number }[];
  keysOutAtHandover: number | null;
}

describe('GET /api/reports/shifts', () => {
  it('gives the manager one summary per rostered shift, with the roster’s guards by name', async () => {
    const manager = await signIn('13800000001');
    const roster = await call<{ roster: { day: string; shiftId: string; guardIds: string[] }[] }>(
      manager,
      'GET',
      '/api/shifts?from=2026-11-29&days=2',
    );
    const { shifts } = await call<{ shifts: Summary[] }>(manager, 'GET', '/api/reports/shifts?from=2026-11-29&days=2');
    expect(roster.roster.length).toBeGreaterThan(0);
    expect(shifts.map((s) => [s.day, s.shiftId, s.guards.map((g) => g.guardId)]).sort()).toEqual(
      roster.roster.map((r) => [r.day, r.shiftId, r.guardIds]).sort(),
    );
    for (const s of shifts) {
      expect(s.end).toBeGreaterThan(s.start);
      for (const g of s.guards) expect(g.name).toMatch(/\S/);
      // Ended shifts have handed over; the ones still running or ahead have not.
      expect(s.keysOutAtHandover === null).toBe(s.end > clock);
    }
  });

  it('is the manager’s only: a guard is refused, and a bad day is a 400 naming the field', async () => {
    const guard = await signIn('13800000011');
    await call(guard, 'GET', '/api/reports/shifts?from=2026-11-29', undefined, 403);
    const manager = await signIn('13800000001');
    const bad = await call<{ error: { code: string; field?: string } }>(
      manager,
      'GET',
      '/api/reports/shifts?from=29.11.2026',
      undefined,
      400,
    );
    expect(bad.error).toMatchObject({ code: 'VALIDATION', field: 'query.from' });
  });
});
