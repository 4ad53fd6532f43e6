/**
 * @module Spare keys coming into and going out of custody: a guard on duty accepts a resident's
 * spare key under a tag (`K0123`, assigned when none is given) and hands it back to the resident.
 * Checkout and return for tasks are in `operations.ts`.
 */
import type { KeyTag, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import type { LedgerEvent } from '../core/events.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { appendAs, vehicleFor } from './vehicles.js';

/** Tags the guards assign: `K` and four digits or more. Other well-formed tags may be given by hand. */
const ASSIGNED_TAG = /^K(\d{4,})$/;

/** The next free assigned tag: one more than the highest `K…` number in the compound, `K0001` first. */
export function nextKeyTag(state: CompoundState): KeyTag {
  let highest = 0;
  for (const tag of state.keys.keys()) {
    const m = ASSIGNED_TAG.exec(tag);
    if (m !== null) highest = Math.max(highest, Number(m[1]));
  }
  return `K${String(highest + 1).padStart(4, '0')}` as KeyTag;
}

/**
 * A guard on duty takes a car's spare key into the cabinet (`key.received`). Without a tag, a key
 * that was handed back earlier gets its old tag again (its label is still on it); otherwise the
 * next free one. The core refuses it without the household's consent (`CONSENT_REQUIRED`).
 */
export async function acceptKey(
  ctx: AppContext,
  actor: Principal,
  vehicleId: VehicleId,
  tag?: string,
): Promise<{ tag: KeyTag; event: LedgerEvent }> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const state = await uow.state();
    const v = await vehicleFor(uow, actor, vehicleId);
    const previous = v.keyTag === null ? undefined : state.keys.get(v.keyTag);
    const keyTag = (tag ?? (previous?.custody.kind === 'with-resident' ? previous.tag : nextKeyTag(state))) as KeyTag;
    const event = await appendAs(ctx, uow, actor, { type: 'key.received', payload: { keyTag, vehicleId } });
    return { tag: keyTag, event };
  });
}

/** A guard on duty hands a spare key from the cabinet back to the resident (`key.released`). */
export async function releaseKey(ctx: AppContext, actor: Principal, tag: KeyTag): Promise<LedgerEvent> {
  return ctx.store.transaction(actor.compoundId, (uow) =>
    appendAs(ctx, uow, actor, { type: 'key.released', payload: { keyTag: tag } }),
  );
}
