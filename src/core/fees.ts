/**
 * @module Fee arithmetic, in integer fen (分) only: the monthly card fee (月租) by kind of place and
 * by a household's n-th car, visitors' temporary parking (临停), the partner lot's night and
 * overstay, EV energy, and exemptions. Rules are versions with the day they take effect; a month is
 * charged day by day under the version in force that day, and rounded to the fen once, at the end.
 *
 * Proration: a card pays, for each day of the month on which it is held and not paused (报停),
 * `monthly fee of that day ÷ days in the month`; the sum is rounded half up to the fen. A whole
 * month under one rule is exactly the monthly fee; a rule change on the 16th of a 30-day month
 * charges 15/30 of the old fee and 15/30 of the new.
 */
import type { IsoDate } from './brand.js';
import { DomainError } from './errors.js';
import type { PositionKind } from './layout.js';
import { WASTE_FEE_PER_BAG_FEN } from './renovation.js';
import { addDays } from './time.js';

/** The kinds of place a monthly card is for: a marked bay, a tandem row, an aisle place. */
export const PLACE_KINDS: readonly PositionKind[] = ['bay', 'tandem', 'aisle'];

/** A household exempted (in part) from monthly fees, e.g. the household of a disabled driver. */
export interface Exemption {
  householdId: string;
  reason: string;
  /** 100 waives the fee; 50 halves it. */
  percentOff: number;
}

/** One version of the fee rules; it holds from `effectiveFrom` until the next version starts. */
export interface FeeRules {
  effectiveFrom: IsoDate;
  /** Fen a month per kind of place, by the household's 1st, 2nd, … car; the last entry holds for further cars. */
  monthly: Record<PositionKind, number[]>;
  /** Visitors' temporary parking (临停). */
  temporary: { freeMinutes: number; perHourFen: number; dailyCapFen: number };
  /** The partner lot: a night's fee, and each started hour past the leave-by time. */
  partner: { nightFen: number; overstayPerHourFen: number };
  /** EV energy, fen per kWh. */
  evPerKwhFen: number;
  /** Construction waste (建筑垃圾), fen per bag collected; unset: `WASTE_FEE_PER_BAG_FEN` (¥8). */
  wastePerBagFen?: number | undefined;
  exemptions: Exemption[];
}

/** A monthly card (月卡) of one car: held from `from` to `to` (inclusive; null: until cancelled). */
export interface MonthlyCard {
  id: string;
  vehicleId: string;
  householdId: string;
  placeKind: PositionKind;
  from: IsoDate;
  to: IsoDate | null;
}

/** A pause (报停) of a card: no fee for the days from `from` to `to`, both included. */
export interface CardPause {
  cardId: string;
  from: IsoDate;
  to: IsoDate;
}

/** A month as `YYYY-MM`. */
export type Month = string;

/** Rounds a non-negative fraction `num / den` half up to an integer, without floating point. */
export function roundHalfUp(num: number, den: number): number {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den <= 0 || num < 0)
    throw new Error(`roundHalfUp needs safe integers, num >= 0, den > 0 (got ${num}/${den})`);
  return Math.floor((2 * num + den) / (2 * den));
}

/** Checks that an amount is a whole, non-negative number of fen. */
export function checkFen(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new DomainError('BAD_AMOUNT', `${field}: an amount is a whole, non-negative number of fen (got ${value})`, {
      field,
    });
  return value;
}

/** Validates a rules version: amounts in whole fen, a fee for every kind of place, 0–100 % off. */
export function validateRules(rules: FeeRules, field = 'body'): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(rules.effectiveFrom))
    throw new DomainError('VALIDATION', `${field}.effectiveFrom: a date YYYY-MM-DD`, {
      field: `${field}.effectiveFrom`,
    });
  for (const kind of PLACE_KINDS) {
    const fees = rules.monthly[kind];
    if (fees.length === 0)
      throw new DomainError('VALIDATION', `${field}.monthly.${kind}: at least the first car's fee`, {
        field: `${field}.monthly.${kind}`,
      });
    fees.forEach((f, i) => checkFen(f, `${field}.monthly.${kind}[${i}]`));
  }
  checkFen(rules.temporary.freeMinutes, `${field}.temporary.freeMinutes`);
  checkFen(rules.temporary.perHourFen, `${field}.temporary.perHourFen`);
  checkFen(rules.temporary.dailyCapFen, `${field}.temporary.dailyCapFen`);
  checkFen(rules.partner.nightFen, `${field}.partner.nightFen`);
  checkFen(rules.partner.overstayPerHourFen, `${field}.partner.overstayPerHourFen`);
  checkFen(rules.evPerKwhFen, `${field}.evPerKwhFen`);
  if (rules.wastePerBagFen !== undefined) checkFen(rules.wastePerBagFen, `${field}.wastePerBagFen`);
  rules.exemptions.forEach((e, i) => {
    if (!Number.isInteger(e.percentOff) || e.percentOff < 0 || e.percentOff > 100)
      throw new DomainError('VALIDATION', `${field}.exemptions[${i}].percentOff: a whole number from 0 to 100`, {
        field: `${field}.exemptions[${i}].percentOff`,
      });
  });
}

/** The version in force on `day`: the latest that took effect on or before it, or null. */
export function rulesOn(versions: readonly FeeRules[], day: IsoDate | string): FeeRules | null {
  let best: FeeRules | null = null;
  for (const v of versions)
    if (v.effectiveFrom <= day && (best === null || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}

/** The days of a month, `YYYY-MM-01` to its last. */
export function daysOf(month: Month): IsoDate[] {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new DomainError('VALIDATION', `month: a month is YYYY-MM (got "${month}")`, { field: 'month' });
  const days: IsoDate[] = [];
  for (let d = `${month}-01` as IsoDate; d.startsWith(month); d = addDays(d, 1)) days.push(d);
  return days;
}

function heldOn(card: MonthlyCard, day: string, pauses: readonly CardPause[]): boolean {
  if (card.from > day || (card.to !== null && card.to < day)) return false;
  return !pauses.some((p) => p.cardId === card.id && p.from <= day && day <= p.to);
}

/** One card's charge for a month: the fen, and the days charged and paused. */
export interface CardCharge {
  cardId: string;
  vehicleId: string;
  fen: number;
  daysCharged: number;
  daysPaused: number;
}

/**
 * The monthly charges of one household's cards. On each day the held, unpaused cards are ranked by
 * start day (then id) to find each one's n-th-car fee; a paused card holds no place and does not
 * count. Exemptions of the version in force that day apply. Each card's sum is rounded once.
 */
export function monthlyCharges(
  month: Month,
  cards: readonly MonthlyCard[],
  pauses: readonly CardPause[],
  versions: readonly FeeRules[],
): CardCharge[] {
  const days = daysOf(month);
  const ordered = [...cards].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : 1));
  const acc = new Map(ordered.map((c) => [c.id, { num: 0, charged: 0, paused: 0 }]));
  for (const day of days) {
    const rules = rulesOn(versions, day);
    let rank = 0;
    for (const card of ordered) {
      const a = acc.get(card.id);
      if (a === undefined) continue;
      if (!heldOn(card, day, pauses)) {
        if (heldOn(card, day, [])) a.paused += 1;
        continue;
      }
      const fees = rules?.monthly[card.placeKind] ?? [];
      const fee = fees[Math.min(rank, fees.length - 1)] ?? 0;
      rank += 1;
      const off = rules?.exemptions.find((e) => e.householdId === card.householdId)?.percentOff ?? 0;
      a.num += fee * (100 - off);
      a.charged += 1;
    }
  }
  return ordered.map((card) => {
    const a = acc.get(card.id) ?? { num: 0, charged: 0, paused: 0 };
    return {
      cardId: card.id,
      vehicleId: card.vehicleId,
      fen: roundHalfUp(a.num, days.length * 100),
      daysCharged: a.charged,
      daysPaused: a.paused,
    };
  });
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * Temporary parking (临停) from arrival to departure. A stay within the free minutes costs nothing;
 * a longer one pays every started hour from arrival, each 24 hours from arrival at most the daily cap.
 */
export function temporaryFee(arrivedAt: number, leftAt: number, rules: FeeRules['temporary']): number {
  const minutes = Math.ceil(Math.max(0, leftAt - arrivedAt) / MINUTE);
  if (minutes <= rules.freeMinutes) return 0;
  const fullDays = Math.floor(minutes / DAY_MINUTES);
  const rest = minutes - fullDays * DAY_MINUTES;
  const perDay = (m: number) => Math.min(rules.dailyCapFen, Math.ceil(m / 60) * rules.perHourFen);
  return fullDays * perDay(DAY_MINUTES) + perDay(rest);
}

/** A partner lot night: the night's fee, plus each started hour past the leave-by time. */
export function partnerNightFee(leaveByAt: number, leftAt: number | null, rules: FeeRules['partner']): number {
  const over = leftAt === null ? 0 : Math.max(0, leftAt - leaveByAt);
  return rules.nightFen + Math.ceil(over / (60 * MINUTE)) * rules.overstayPerHourFen;
}

/** EV energy in watt-hours at the tariff, rounded half up to the fen. */
export function energyFee(wattHours: number, evPerKwhFen: number): number {
  return roundHalfUp(Math.round(wattHours) * evPerKwhFen, 1000);
}

/** Construction waste: the bags at the version's tariff per bag, or ¥8 a bag where none is set. */
export function wasteFee(bags: number, rules: FeeRules | null): number {
  return bags * (rules?.wastePerBagFen ?? WASTE_FEE_PER_BAG_FEN);
}

/** A bill's amount and what has been paid of it, oldest first. */
export interface BillBalance {
  id: string;
  month: Month;
  totalFen: number;
}

/**
 * Spreads a household's payments over its bills, oldest month first (a payment settles the oldest
 * debt); returns how much of each bill is paid. What is left over is credit for later bills.
 */
export function allocatePayments(
  bills: readonly BillBalance[],
  paidFen: number,
): { id: string; paidFen: number; dueFen: number }[] {
  let left = paidFen;
  return [...bills]
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.id < b.id ? -1 : 1))
    .map((b) => {
      const paid = Math.min(left, b.totalFen);
      left -= paid;
      return { id: b.id, paidFen: paid, dueFen: b.totalFen - paid };
    });
}

/** Fen as yuan for people: 12345 → "123.45". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
