/**
 * @module The rules of renovation (装修) and construction waste (建筑垃圾) in a compound, as the
 * property company states them to every renovating household: what work may be registered, at
 * which hours, the deposit (装修押金) and what is deducted from it, and how long stray waste may
 * lie before it is escalated. Pure: dates and times come in as arguments.
 *
 * Words: a **renovation** is one flat's registered work, from `startsOn` to `endsOn`; it is
 * **active** on the days between while approved. A **waste point** (统一堆放点) is a designated
 * stacking place with a capacity in bags; a **declaration** puts bags there; a **collection** by
 * the hauler empties it. A **stray report** is waste found outside a point.
 */
import { DomainError } from './errors.js';

/** Kinds of work a household may register. */
export const WORK_KINDS = ['walls', 'floors', 'plumbing', 'electrics', 'windows', 'kitchen', 'bathroom'] as const;

/**
 * Work that is never allowed, each with the rule a refusal names. 《住宅室内装饰装修管理办法》
 * (Ministry of Construction order 110) forbids changing the load-bearing structure, and Shanghai's
 * rules forbid moving gas pipes or enlarging openings in external walls without the utility's or the
 * authority's permit.
 */
export const FORBIDDEN_WORK = {
  'load-bearing-walls':
    'no change to load-bearing walls, columns, beams or floor slabs (住宅室内装饰装修管理办法 第五条)',
  'gas-pipes': 'gas pipes and meters are moved only by the gas company (燃气管道不得擅自改动)',
  'external-walls': 'no new or enlarged openings in external walls without a permit (不得擅自在外墙开门窗)',
} as const;
export type ForbiddenWork = keyof typeof FORBIDDEN_WORK;

export function isForbiddenWork(kind: string): kind is ForbiddenWork {
  return Object.hasOwn(FORBIDDEN_WORK, kind);
}

/** Noisy work is allowed only between these times of day (Asia/Shanghai), inclusive of the start. */
export const WORKING_HOURS = { from: '08:00', to: '18:00' } as const;
/** A renovation is registered for at most this many days (a longer one registers again). */
export const MAX_RENOVATION_DAYS = 180;
/** The deposit the manager collects before work starts, in fen (¥2,000). */
export const DEFAULT_DEPOSIT_FEN = 200_000;

/** A stray report not cleared this long after it was made is reminded to its owner once. */
export const STRAY_REMIND_MS = 12 * 3600_000;
/** A stray report not cleared this long after it was made is escalated to the managers. */
export const STRAY_ESCALATE_MS = 24 * 3600_000;
/** Deducted from the responsible renovation's deposit when its stray report is escalated (¥200). */
export const STRAY_DEDUCTION_FEN = 20_000;
/** What the renovating household pays the hauler per bag collected, in fen (¥8). */
export const WASTE_FEE_PER_BAG_FEN = 800;
/** A point is full (a collection is scheduled) when it holds this share of its capacity. */
export const POINT_FULL_SHARE = 0.8;

export interface RenovationPlan {
  startsOn: string;
  endsOn: string;
  kinds: readonly string[];
  hoursFrom: string;
  hoursTo: string;
}

function invalid(field: string, rule: string): DomainError {
  return new DomainError('RENOVATION_RULE', `${field}: ${rule}`, { field });
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Checks a plan against the compound's rules; `today` is the Shanghai date of now. Forbidden work is
 * refused with its own code and rule (`RENOVATION_FORBIDDEN`), every other breach with
 * `RENOVATION_RULE`, each naming the field.
 */
export function checkRenovationPlan(plan: RenovationPlan, today: string): void {
  for (const [i, kind] of plan.kinds.entries()) {
    if (isForbiddenWork(kind)) {
      throw new DomainError('RENOVATION_FORBIDDEN', `body.kinds[${i}]: "${kind}" is refused: ${FORBIDDEN_WORK[kind]}`, {
        field: `body.kinds[${i}]`,
      });
    }
    if (!(WORK_KINDS as readonly string[]).includes(kind)) {
      throw invalid(`body.kinds[${i}]`, `"${kind}" is not a kind of work (one of ${WORK_KINDS.join(', ')})`);
    }
  }
  if (plan.kinds.length === 0) throw invalid('body.kinds', 'name at least one kind of work');
  if (!DATE.test(plan.startsOn) || Number.isNaN(Date.parse(plan.startsOn)))
    throw invalid('body.startsOn', 'a date YYYY-MM-DD');
  if (!DATE.test(plan.endsOn) || Number.isNaN(Date.parse(plan.endsOn)))
    throw invalid('body.endsOn', 'a date YYYY-MM-DD');
  if (plan.startsOn < today) throw invalid('body.startsOn', `the work cannot start in the past (today is ${today})`);
  if (plan.endsOn < plan.startsOn) throw invalid('body.endsOn', 'the work ends on or after the day it starts');
  const days = (Date.parse(plan.endsOn) - Date.parse(plan.startsOn)) / DAY_MS + 1;
  if (days > MAX_RENOVATION_DAYS)
    throw invalid('body.endsOn', `a renovation is registered for at most ${MAX_RENOVATION_DAYS} days`);
  if (!TIME.test(plan.hoursFrom)) throw invalid('body.hoursFrom', 'a time HH:MM');
  if (!TIME.test(plan.hoursTo)) throw invalid('body.hoursTo', 'a time HH:MM');
  if (plan.hoursFrom < WORKING_HOURS.from)
    throw invalid('body.hoursFrom', `work starts no earlier than ${WORKING_HOURS.from}`);
  if (plan.hoursTo > WORKING_HOURS.to) throw invalid('body.hoursTo', `work ends no later than ${WORKING_HOURS.to}`);
  if (plan.hoursTo <= plan.hoursFrom) throw invalid('body.hoursTo', 'the working hours end after they start');
}

/**
 * What is returned of a deposit after deductions: never below zero; the deductions beyond the
 * deposit are what the household still owes.
 */
export function depositRefund(depositFen: number, deductedFen: number): { refundFen: number; owedFen: number } {
  return { refundFen: Math.max(0, depositFen - deductedFen), owedFen: Math.max(0, deductedFen - depositFen) };
}

/** Whether a point holding `bags` of `capacity` should be collected now. */
export function pointNeedsCollection(bags: number, capacity: number): boolean {
  return bags >= Math.ceil(capacity * POINT_FULL_SHARE);
}
