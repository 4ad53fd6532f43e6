/**
 * @module How a camera's plate read is matched to the plates a compound knows. Cameras misread:
 * the province character (a small Chinese glyph at the plate's edge) and characters that look
 * alike (0/D, 8/B, 1/I…). A read that is a known plate but for one such slip is a **proposal**
 * for a guard to confirm, never applied by itself.
 */
import { normalizePlate } from './plate.js';

/**
 * Groups of characters a camera confuses. Plates never use I or O, but cameras do read them, so
 * they stand in the groups too. Two characters look alike when one group holds both.
 */
export const LOOK_ALIKE_GROUPS: readonly string[] = ['0DOQU', '8B', '1IL7T', '2Z', '5S', '6G', '4A'];

/** Whether a camera may read `a` where the plate says `b` (or the reverse). */
export function looksAlike(a: string, b: string): boolean {
  return a !== b && LOOK_ALIKE_GROUPS.some((g) => g.includes(a) && g.includes(b));
}

/** Why a known plate was proposed for a read. */
export type ProposalReason = 'province' | 'look-alike';

export interface PlateProposal {
  plate: string;
  reason: ProposalReason;
  /** The index of the character that differs. */
  index: number;
}

/** How a read relates to the known plates: the same plate, near ones to propose, or none. */
export type PlateMatch =
  { kind: 'exact'; plate: string } | { kind: 'near'; proposals: PlateProposal[] } | { kind: 'none' };

/**
 * Compares one read with one known plate: equal, one slip away (the province character, or one
 * look-alike character elsewhere), or neither. Plates of different lengths never match.
 */
export function compareRead(read: string, known: string): 'exact' | PlateProposal | null {
  const r = [...normalizePlate(read)];
  const k = [...normalizePlate(known)];
  if (r.length !== k.length) return null;
  const differ = r.flatMap((c, i) => (c === k[i] ? [] : [i]));
  if (differ.length === 0) return 'exact';
  if (differ.length > 1) return null;
  const index = differ[0] ?? 0;
  if (index === 0) return { plate: k.join(''), reason: 'province', index };
  return looksAlike(r[index] ?? '', k[index] ?? '') ? { plate: k.join(''), reason: 'look-alike', index } : null;
}

/** Matches a read against every known plate; proposals are sorted by plate so the answer is stable. */
export function matchRead(read: string, known: Iterable<string>): PlateMatch {
  const proposals: PlateProposal[] = [];
  for (const plate of known) {
    const c = compareRead(read, plate);
    if (c === 'exact') return { kind: 'exact', plate: normalizePlate(plate) };
    if (c !== null) proposals.push(c);
  }
  if (proposals.length === 0) return { kind: 'none' };
  return { kind: 'near', proposals: proposals.sort((a, b) => (a.plate < b.plate ? -1 : a.plate > b.plate ? 1 : 0)) };
}
