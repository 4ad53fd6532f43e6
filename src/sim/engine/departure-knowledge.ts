/**
 * @module What the guards know of departures: each noon, every car's next departure (declared, or
 * guessed from its habits), the pre-staging looks scheduled on that knowledge, and the spreads
 * learnt from the departures seen so far.
 */
import { isWeekend } from '../../core/calendar.js';
import { addDays } from '../../core/time.js';
import { DAY, abs, worksNights } from '../behaviour.js';
import {
  HABIT_WEEKS,
  NIGHT_WORK_MINUTE,
  PRESTAGE_SECOND_LOOK,
  knowledgeOf,
  learntKnowledge,
} from '../../planner/compound/index.js';
import { KNOWLEDGE_MINUTE } from './constants.js';
import type { EngineState } from './state.js';
import { enqueue, known } from './state.js';

/**
 * From 12:00 on day k, what the guards know of each car's next morning: the declared time, else
 * a guess from the car's habits. The guess weighs how likely the car is to leave at all (its
 * stay-home rate, and the weekend factor on a Saturday or Sunday): a likely leaver is expected
 * at its habitual time, an unlikely one around midday, with a spread that grows with the doubt.
 * The same knowledge is kept as a mixture (leaves with that probability, then around the habit,
 * within the spread learnt from the mornings seen so far: `departure-spread.ts`; a declared time
 * is kept with the slip learnt the same way).
 * Pre-staging is scheduled on what is known, never on what the residents will actually do: for
 * declared times and, when the policy pre-stages on estimates, for cars more likely to leave
 * than not.
 */
export function updateKnowledge(s: EngineState, k: number): void {
  const { scenario, behaviour, policy, knowledge, startDate } = s;
  const record = s.departureRecord;
  if (record !== null) {
    updateLedgerKnowledge(s, k, record);
    return;
  }
  s.nightBase = abs(k, 0);
  for (let c = 0; c < s.n; c++) {
    // The next departure: tomorrow morning's, or this evening's for a car that works nights.
    const day = worksNights(behaviour.habitDeparture, behaviour.habitArrival, c) ? k : k + 1;
    const weekend = isWeekend(addDays(startDate, day));
    const next = s.plan(day, c);
    const stay = scenario.vehicles[c]?.habits.stayHomeRate ?? 0;
    const declared = next.declared;
    const habit = {
      minute: behaviour.habitDeparture[c] as number,
      leaves: weekend ? (1 - stay) * scenario.behaviour.weekendFactor : 1 - stay,
    };
    knowledge[c] = knowledgeOf(abs(day, 0), habit, declared, s.habitSpread.of(c), s.declaredSlip.of(c));
    const expected =
      declared !== null
        ? Number.isFinite(declared)
          ? declared
          : null
        : policy.prestageEstimated && habit.leaves >= 0.5
          ? knowledge[c]!.estimate
          : null;
    scheduleLooks(s, c, k, declared !== null, expected);
  }
}

/**
 * The pre-staging looks at `car`'s departure expected at `expected` (null: none), known since noon
 * of day `k`: at the policy's lead, the second look, the last look for a declared time, and at
 * night for a declared time when the policy works ahead then.
 */
function scheduleLooks(s: EngineState, car: number, k: number, declared: boolean, expected: number | null): void {
  const { policy } = s;
  if (policy.prestageLeadMinutes === null || expected === null) return;
  const leads = [policy.prestageLeadMinutes, Math.min(PRESTAGE_SECOND_LOOK, policy.prestageLeadMinutes)];
  if (declared && policy.prestageLastLookMinutes !== undefined)
    leads.push(Math.min(policy.prestageLastLookMinutes, policy.prestageLeadMinutes));
  for (const lead of leads)
    s.events.push(Math.max(s.now, expected - lead), { kind: 'prestage', car, departure: expected });
  // Declared departures of the morning are also prepared at night, at the re-sort (just before
  // its moves, which the pre-staging tasks outrank), while the night shift has time.
  const night = abs(k, NIGHT_WORK_MINUTE);
  if (policy.prestageDeclaredAtNight === true && declared && expected > night)
    s.events.push(night - 1, { kind: 'prestage', car, departure: expected });
}

/** Minutes the record is read back for habits, as the server reads its ledger (the planner's `HABIT_WEEKS`). */
const LEDGER_WINDOW = HABIT_WEEKS * 7 * DAY;

/**
 * From 12:00 on day k, with `guardsKnow: 'ledger'`, what the server would know of each car's
 * next morning: the declared time, and the habit the planner's `learntKnowledge` reads from the
 * departures recorded before noon (over the server's window). Pre-staging looks are scheduled as
 * in `updateKnowledge`, on estimates only for cars the record shows leave (the server's
 * `planAhead` looks at no other undeclared car).
 */
function updateLedgerKnowledge(s: EngineState, k: number, record: readonly Map<number, number>[]): void {
  const { policy, knowledge } = s;
  s.nightBase = abs(k, 0);
  const noon = abs(k, KNOWLEDGE_MINUTE);
  const seen = record.map((mine) => [...mine.values()].filter((t) => t >= noon - LEDGER_WINDOW && t < noon));
  const firsts = seen.map((times) => times.map((t) => t % DAY));
  const earliest = Math.min(...seen.flat());
  const days = Number.isFinite(earliest) ? k + 1 - (Math.floor(earliest / DAY) - 1) : 0;
  const declared = Array.from({ length: s.n }, (_, c) => {
    const d = s.plan(k + 1, c).declared;
    return d !== null && Number.isFinite(d) ? d : null;
  });
  const learnt = learntKnowledge({ firsts, days }, declared, abs(k + 1, 0));
  learnt.knowledge.forEach((kc, c) => {
    knowledge[c] = kc;
    const d = declared[c] ?? null;
    const estimated = policy.prestageEstimated && learnt.seen[c] === true && kc.leaves >= 0.5;
    scheduleLooks(s, c, k, d !== null, d ?? (estimated ? kc.estimate : null));
  });
}

/**
 * A pre-staging look for `car`'s departure expected at `departure`: a pre-stage is queued when
 * that is still what is known and the car is blocked.
 */
export function prestageLook(s: EngineState, car: number, departure: number): void {
  const k = known(s, car);
  const current = k.declared !== null && Number.isFinite(k.declared) ? k.declared : k.estimate;
  if (current !== departure || s.loc[car] !== 'compound') return;
  const p = s.lot.where(car);
  if (p !== -1 && (s.lot.blockersOf(p, s.movable)?.length ?? 0) > 0) enqueue(s, 'prestage', car);
}

/**
 * A resident comes for `car` now for day `k`'s departure, declared at `declared` (null: not
 * declared): the spread of undeclared departures around the habit, or the slip of declared ones,
 * learns from it.
 */
export function observeDeparture(s: EngineState, car: number, k: number, declared: number | null): void {
  if (declared === null) s.habitSpread.observe(car, s.now - abs(k, s.behaviour.habitDeparture[car] as number));
  else if (Number.isFinite(declared)) s.declaredSlip.observe(car, s.now - declared);
}
