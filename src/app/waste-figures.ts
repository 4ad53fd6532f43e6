/**
 * @module Renovation and waste figures for the committee (居委/业委会): per month, renovations under
 * way and finished, bags declared and collected per point, stray reports and how long they took to
 * clear. Aggregates only: no household, flat or name appears.
 */
import { shanghaiDate } from '../core/time.js';
import { renovationsEndingFrom, wasteSince } from '../store/renovation.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';

export interface PointMonth {
  pointId: string;
  name: string;
  declaredBags: number;
  collectedBags: number;
  collections: number;
}

export interface WasteMonth {
  /** YYYY-MM (Asia/Shanghai). */
  month: string;
  renovationsActive: number;
  renovationsDone: number;
  points: PointMonth[];
  strayReported: number;
  strayCleared: number;
  /** Mean hours from report to clearing of the reports cleared this month; null when none. */
  strayMeanHoursToClear: number | null;
  strayEscalated: number;
}

/** The last `count` months up to the one holding `now`, oldest first (YYYY-MM). */
export function monthsUpTo(now: number, count: number): string[] {
  const [y, m] = shanghaiDate(now).split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

const monthOf = (at: number): string => shanghaiDate(at).slice(0, 7);

/** `GET /reports/waste?months=N`: the figures of the last N months (1–24). */
export async function wasteFigures(ctx: AppContext, principal: Principal, months: number): Promise<WasteMonth[]> {
  const list = monthsUpTo(ctx.now(), months);
  const first = list[0] as string;
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const c = uow.compoundId;
    const renovations = await renovationsEndingFrom(uow.trx, c, `${first}-01`);
    const since = Date.parse(`${first}-01T00:00:00+08:00`);
    const { points, declarations, collections, strays } = await wasteSince(uow.trx, c, since);
    return list.map((month) => {
      const start = `${month}-01`;
      const end = `${month}-31`;
      const cleared = strays.filter((s) => s.cleared_at !== null && monthOf(Number(s.cleared_at)) === month);
      return {
        month,
        renovationsActive: renovations.filter((r) => r.starts_on <= end && r.ends_on >= start).length,
        renovationsDone: renovations.filter((r) => r.closed_at !== null && monthOf(Number(r.closed_at)) === month)
          .length,
        points: points.map((p) => {
          const done = collections.filter((x) => x.point_id === p.id && monthOf(Number(x.done_at)) === month);
          return {
            pointId: p.id,
            name: p.name,
            declaredBags: declarations
              .filter((d) => d.point_id === p.id && monthOf(Number(d.declared_at)) === month)
              .reduce((sum, d) => sum + d.bags, 0),
            collectedBags: done.reduce((sum, x) => sum + (x.bags ?? 0), 0),
            collections: done.length,
          };
        }),
        strayReported: strays.filter((s) => monthOf(Number(s.reported_at)) === month).length,
        strayCleared: cleared.length,
        strayMeanHoursToClear:
          cleared.length === 0
            ? null
            : Math.round(
                (cleared.reduce((sum, s) => sum + (Number(s.cleared_at) - Number(s.reported_at)), 0) /
                  cleared.length /
                  3600_000) *
                  10,
              ) / 10,
        strayEscalated: strays.filter((s) => s.escalated_at !== null && monthOf(Number(s.escalated_at)) === month)
          .length,
      };
    });
  });
}
