/**
 * @module Whether the key a guard scanned is the one in question, said on the spot in the guard's words.
 * The server refuses a wrong checkout or return too; this saves the walk back to the cabinet.
 */
import type { KeyItem } from '../../types';

type T = (text: string, vars?: Record<string, string | number>) => string;

/** Null when `scanned` is the task's key; else why it is refused. */
export function checkoutRefusal(scanned: string, wanted: KeyItem, t: T): string | null {
  if (scanned === wanted.tag) return null;
  return t('扫到的是钥匙 {scanned}，不是 {plate} 的钥匙（应为 {tag}）。请放回柜中，取正确的钥匙。', {
    scanned,
    plate: wanted.plate ?? wanted.vehicleId,
    tag: wanted.tag,
  });
}

/** The held key `scanned` names, or why it cannot be returned here. */
export function heldKey(scanned: string, mine: readonly KeyItem[], t: T): KeyItem | string {
  return mine.find((k) => k.tag === scanned) ?? t('钥匙 {scanned} 不在你手中，不能由你归还。', { scanned });
}
