/**
 * @module The manager's layout editor: one lane is replaced or added at a time, the whole layout is
 * checked again by `validateLayout` (so a position on a fire lane is refused with `FIRE_LANE`) and
 * written as one `layout.set` event. Replaying it refuses removing a position that holds a car.
 */
import type { LayoutInput, Layout } from '../core/layout.js';
import { layoutToInput, validateLayout } from '../core/layout.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { requireCompound } from './queries.js';
import { appendAs } from './vehicles.js';

/** One lane as the editor sends it. */
export type LaneInput = LayoutInput['lanes'][number];

/** Replaces the lane with the same id, or adds it at the end; returns the new layout. */
export async function putLane(ctx: AppContext, actor: Principal, compoundId: string, lane: LaneInput): Promise<Layout> {
  requireCompound(actor, compoundId);
  return ctx.store.transaction(compoundId, async (uow) => {
    const input = layoutToInput((await uow.state()).layout);
    const at = input.lanes.findIndex((l) => l.id === lane.id);
    if (at === -1) input.lanes.push(lane);
    else input.lanes[at] = lane;
    const layout = validateLayout(input);
    await appendAs(ctx, uow, actor, { type: 'layout.set', payload: { layout } });
    return layout;
  });
}
