/**
 * @module Validation of block relocation instances as parsed from JSON (the format of
 * shared/benchmarks/brp/*.json: `{maxHeight, distinctPriorities, instances: [{name, stacks}]}`, or
 * a single `{name?, stacks, maxHeight}`). Pure: it takes the parsed value and returns either the
 * checked group or a message naming the instance and the rule broken.
 */
import type { BrpVariant } from './types.js';

export interface BrpInstance {
  readonly name: string;
  /** Stacks bottom → top. */
  readonly stacks: number[][];
  /** Recorded optimum per variant where the file has one. */
  readonly optimal: Partial<Record<BrpVariant, number>>;
}

export interface BrpGroup {
  readonly group: string;
  readonly maxHeight: number;
  readonly distinctPriorities: boolean;
  readonly instances: BrpInstance[];
  /** Instances the reference exact solver proved, per variant, where the file records it. */
  readonly referenceSolved: Partial<Record<BrpVariant, number>>;
}

export type BrpParseResult =
  { readonly ok: true; readonly group: BrpGroup } | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optimalOf(value: unknown): Partial<Record<BrpVariant, number>> {
  const out: Partial<Record<BrpVariant, number>> = {};
  if (!isRecord(value)) return out;
  for (const v of ['restricted', 'unrestricted'] as const) {
    const x = value[v];
    if (typeof x === 'number' && Number.isInteger(x) && x >= 0) out[v] = x;
  }
  return out;
}

/** Checks one instance's stacks; returns a message (without the instance name) or null. */
function checkStacks(stacks: unknown, maxHeight: number, distinct: boolean): string | null {
  if (!Array.isArray(stacks) || stacks.length === 0) return 'stacks must be a non-empty array of stacks';
  const seen = new Map<number, number>();
  let total = 0;
  for (let s = 0; s < stacks.length; s++) {
    const stack: unknown = stacks[s];
    if (!Array.isArray(stack)) return `stack ${s} must be an array of priorities (bottom to top)`;
    if (stack.length > maxHeight) return `stack ${s} holds ${stack.length} blocks, over maxHeight ${maxHeight}`;
    for (const p of stack as unknown[]) {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) {
        return `stack ${s} holds ${JSON.stringify(p)}; a priority must be a positive integer`;
      }
      if (distinct && seen.has(p))
        return `priority ${p} appears in stack ${seen.get(p)} and stack ${s}; distinctPriorities requires each of 1..N once`;
      seen.set(p, s);
      total++;
    }
  }
  if (distinct) {
    for (let p = 1; p <= total; p++) {
      if (!seen.has(p)) return `priority ${p} is missing; distinctPriorities requires each of 1..${total} once`;
    }
  }
  return null;
}

/**
 * Validates a parsed group file or single instance. `fallbackName` names a single instance
 * without a `name` (e.g. the file name).
 */
export function parseBrpInstances(data: unknown, fallbackName: string): BrpParseResult {
  if (!isRecord(data))
    return {
      ok: false,
      error: `${fallbackName}: expected a JSON object with maxHeight and instances (or stacks)`,
    };
  const maxHeight = data['maxHeight'];
  if (typeof maxHeight !== 'number' || !Number.isInteger(maxHeight) || maxHeight < 1) {
    return {
      ok: false,
      error: `${fallbackName}: maxHeight must be a positive integer`,
    };
  }
  const distinctField = data['distinctPriorities'];
  if (distinctField !== undefined && typeof distinctField !== 'boolean') {
    return {
      ok: false,
      error: `${fallbackName}: distinctPriorities must be true or false`,
    };
  }
  const distinct = distinctField !== false;
  const groupName = typeof data['group'] === 'string' ? data['group'] : fallbackName;
  const rawInstances: unknown[] = Array.isArray(data['instances'])
    ? (data['instances'] as unknown[])
    : data['stacks'] !== undefined
      ? [data]
      : [];
  if (rawInstances.length === 0)
    return {
      ok: false,
      error: `${fallbackName}: no instances (expected "instances": [...] or "stacks")`,
    };
  const instances: BrpInstance[] = [];
  for (let i = 0; i < rawInstances.length; i++) {
    const raw = rawInstances[i];
    if (!isRecord(raw))
      return {
        ok: false,
        error: `${fallbackName}: instance ${i} must be an object with stacks`,
      };
    const rawName = raw['name'];
    if (rawName !== undefined && typeof rawName !== 'string')
      return {
        ok: false,
        error: `${fallbackName}: instance ${i}: name must be a string`,
      };
    const name = rawName ?? (rawInstances.length === 1 ? fallbackName : `${fallbackName}#${i}`);
    const problem = checkStacks(raw['stacks'], maxHeight, distinct);
    if (problem !== null) return { ok: false, error: `instance "${name}": ${problem}` };
    instances.push({
      name,
      stacks: (raw['stacks'] as number[][]).map((s) => [...s]),
      optimal: optimalOf(raw['optimal']),
    });
  }
  const reference = isRecord(data['reference']) ? data['reference'] : {};
  const referenceSolved: Partial<Record<BrpVariant, number>> = {};
  if (typeof reference['solvedRestricted'] === 'number') referenceSolved.restricted = reference['solvedRestricted'];
  if (typeof reference['solvedUnrestricted'] === 'number')
    referenceSolved.unrestricted = reference['solvedUnrestricted'];
  return {
    ok: true,
    group: {
      group: groupName,
      maxHeight,
      distinctPriorities: distinct,
      instances,
      referenceSolved,
    },
  };
}
