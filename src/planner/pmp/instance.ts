/**
 * @module Validation of a parsed PMP group file (the format of shared/benchmarks/pmp/*.json):
 * `maxHeight`, optional `distinctPriorities`, and `instances: [{ name, stacks, optimal? }]`.
 * Pure: takes the parsed JSON value and returns the group or the first broken rule, naming the
 * instance.
 */
import type { PmpLayout } from './layout.js';

export interface PmpInstance extends PmpLayout {
  readonly name: string;
  /** The recorded optimum, when the source gives one. */
  readonly optimal: number | null;
}

export interface PmpGroup {
  readonly group: string;
  readonly maxHeight: number;
  readonly instances: readonly PmpInstance[];
}

export type PmpGroupParse =
  { readonly ok: true; readonly group: PmpGroup } | { readonly ok: false; readonly error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function checkInstance(
  raw: unknown,
  index: number,
  maxHeight: number,
  distinct: boolean,
): { instance: PmpInstance } | { error: string } {
  if (!isRecord(raw)) return { error: `instance #${index}: must be an object` };
  const name = typeof raw['name'] === 'string' ? raw['name'] : `#${index}`;
  const where = `instance "${name}"`;
  if (typeof raw['name'] !== 'string') return { error: `${where}: "name" must be a string` };
  const stacksRaw = raw['stacks'];
  if (!Array.isArray(stacksRaw) || stacksRaw.length === 0) {
    return { error: `${where}: "stacks" must be a non-empty array of stacks` };
  }
  let maxHeights: number[] | undefined;
  if (raw['maxHeights'] !== undefined) {
    const mh = raw['maxHeights'];
    if (!Array.isArray(mh) || mh.length !== stacksRaw.length || !mh.every(isPositiveInt)) {
      return { error: `${where}: "maxHeights" must list one positive integer per stack` };
    }
    maxHeights = mh;
  }
  const stacks: number[][] = [];
  for (let s = 0; s < stacksRaw.length; s++) {
    const stack: unknown = stacksRaw[s];
    if (!Array.isArray(stack)) return { error: `${where}: stack ${s} must be an array (bottom → top)` };
    for (const v of stack as unknown[]) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
        return { error: `${where}: stack ${s} holds ${JSON.stringify(v)}; values must be non-negative integers` };
      }
    }
    const cap = maxHeights?.[s] ?? maxHeight;
    if (stack.length > cap) {
      return { error: `${where}: stack ${s} holds ${stack.length} items, over its height limit ${cap}` };
    }
    stacks.push(stack as number[]);
  }
  if (distinct) {
    const all = stacks.flat().sort((a, b) => a - b);
    for (let i = 0; i < all.length; i++) {
      if (all[i] !== i + 1) {
        return {
          error: `${where}: distinctPriorities is true, so the values must be exactly 1..${all.length} once each (${
            all[i] === all[i - 1] ? `${all[i]} repeats` : `${i + 1} is missing`
          })`,
        };
      }
    }
  }
  const optimalRaw = raw['optimal'];
  if (
    optimalRaw !== undefined &&
    optimalRaw !== null &&
    !(Number.isInteger(optimalRaw) && (optimalRaw as number) >= 0)
  ) {
    return { error: `${where}: "optimal" must be a non-negative integer or null` };
  }
  const optimal = typeof optimalRaw === 'number' ? optimalRaw : null;
  return { instance: { name, stacks, maxHeight, ...(maxHeights ? { maxHeights } : {}), optimal } };
}

/** Checks a parsed group file; the error names the instance and the rule it breaks. */
export function parsePmpGroup(raw: unknown): PmpGroupParse {
  if (!isRecord(raw)) return { ok: false, error: 'the file must hold one JSON object' };
  const maxHeight = raw['maxHeight'];
  if (!isPositiveInt(maxHeight)) return { ok: false, error: '"maxHeight" must be a positive integer' };
  const distinct = raw['distinctPriorities'];
  if (distinct !== undefined && typeof distinct !== 'boolean') {
    return { ok: false, error: '"distinctPriorities" must be true or false' };
  }
  const list = raw['instances'];
  if (!Array.isArray(list)) return { ok: false, error: '"instances" must be an array' };
  const instances: PmpInstance[] = [];
  for (let i = 0; i < list.length; i++) {
    const checked = checkInstance(list[i], i, maxHeight, distinct === true);
    if ('error' in checked) return { ok: false, error: checked.error };
    instances.push(checked.instance);
  }
  const group = typeof raw['group'] === 'string' ? raw['group'] : 'pmp';
  return { ok: true, group: { group, maxHeight, instances } };
}
