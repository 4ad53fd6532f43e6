/**
 * @module The key-out alarm: a spare key out with a guard longer than the limit (15 minutes by
 * default, `PARKBUTLER_KEY_ALARM_MINUTES`) raises an alarm to the managers and to the guard, once
 * per checkout: a `record` event `key.alarm` in the ledger, a row in `key_alarms` that makes the
 * check idempotent, and notifications. A hand-over to another guard starts a new checkout.
 */
import type { Kysely } from 'kysely';
import type { EpochMs, KeyTag, VehicleId } from '../core/brand.js';
import type { Database } from '../store/schema.js';
import { usersOfRole } from '../store/account.repository.js';
import { insertKeyAlarm, keyAlarmsSince, keysOutUnalarmedSince } from '../store/key-alarm.repository.js';
import type { UnitOfWork } from '../store/store.js';
import { platesOf } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import type { PeriodicJob } from './periodic.js';
import { startPerCompoundJob } from './periodic.js';
import { DEFAULT_KEY_ALARM_MINUTES } from './notification-config.js';
import { notify, usersWithRole } from './notifications.js';
import { message } from './message-templates.js';

export interface KeyAlarm {
  keyTag: string;
  vehicleId: string;
  plate: string | null;
  guardId: string;
  guardName: string | null;
  taskId: string | null;
  /** When the key left the cabinet (or was handed to this guard). */
  since: number;
  minutes: number;
  /** When the alarm was raised, or null when the periodic check has not run since the limit passed. */
  alarmedAt: number | null;
}

const MINUTE = 60_000;

/** The ledger record's refId: one alarm per key and checkout time. */
export function keyAlarmRef(keyTag: string, since: number): string {
  return `${keyTag}@${since}`;
}

/**
 * Raises the alarms due in one compound and returns them. Cheap when nothing is due: the
 * compound's ledger is locked only when some key is overdue and not yet alarmed.
 */
export async function checkKeyAlarms(
  ctx: AppContext,
  compoundId: string,
  limitMinutes = DEFAULT_KEY_ALARM_MINUTES,
): Promise<KeyAlarm[]> {
  const cutoff = ctx.now() - limitMinutes * MINUTE;
  const due = await keysOutUnalarmedSince(ctx.store.db, compoundId, cutoff);
  if (due.length === 0) return [];
  const raised = await ctx.store.transaction(compoundId, (uow) => raiseDue(ctx, uow, limitMinutes));
  return raised;
}

async function raiseDue(ctx: AppContext, uow: UnitOfWork, limitMinutes: number): Promise<KeyAlarm[]> {
  const now = ctx.now();
  const state = await uow.state();
  const overdue = (await openAlarmsIn(uow.trx, uow.compoundId, state.keys.values(), now, limitMinutes)).filter(
    (a) => a.alarmedAt === null,
  );
  const managers = await usersWithRole(uow, 'manager');
  for (const alarm of overdue) {
    alarm.alarmedAt = now;
    await insertKeyAlarm(uow.trx, {
      compound_id: uow.compoundId,
      key_tag: alarm.keyTag,
      checked_out_at: alarm.since,
      guard_id: alarm.guardId,
      raised_at: now,
    });
    await uow.append({
      type: 'record',
      payload: {
        kind: 'key.alarm',
        refId: keyAlarmRef(alarm.keyTag, alarm.since),
        keyTag: alarm.keyTag as KeyTag,
        vehicleId: alarm.vehicleId as VehicleId,
        detail: {
          guardId: alarm.guardId,
          taskId: alarm.taskId,
          checkedOutAt: alarm.since,
          minutes: alarm.minutes,
          limitMinutes,
        },
      },
      at: now as EpochMs,
      actor: 'system',
    });
    const car = alarm.plate === null ? '' : `（${alarm.plate}）`;
    await notify(
      uow,
      {
        userIds: managers,
        kind: 'key.alarm',
        title: '钥匙超时未归还',
        body: `钥匙 ${alarm.keyTag}${car} 由保安${alarm.guardName ?? alarm.guardId}取出已 ${alarm.minutes} 分钟，超过 ${limitMinutes} 分钟仍未归还。`,
        ref: alarm.keyTag,
      },
      ctx,
    );
    await notify(
      uow,
      {
        userIds: [alarm.guardId],
        kind: 'key.alarm',
        ...message('key.overdue', {
          key: `${alarm.keyTag}${car}`,
          minutes: String(alarm.minutes),
          limit: String(limitMinutes),
        }),
        ref: alarm.keyTag,
      },
      ctx,
    );
  }
  return overdue;
}

type KeyLike = {
  tag: string;
  vehicleId: string;
  custody: { kind: string; guardId?: string; taskId?: string | null; since?: number };
};

/** The keys out past the limit, with guard names, plates and whether their alarm was raised. */
async function openAlarmsIn(
  db: Kysely<Database>,
  compoundId: string,
  keys: Iterable<KeyLike>,
  now: number,
  limitMinutes: number,
): Promise<KeyAlarm[]> {
  const cutoff = now - limitMinutes * MINUTE;
  const out = [...keys].filter((k) => k.custody.kind === 'with-guard' && (k.custody.since ?? now) <= cutoff);
  if (out.length === 0) return [];
  const [plates, guards, raised] = await Promise.all([
    platesOf(db, compoundId),
    usersOfRole(db, compoundId, 'guard'),
    keyAlarmsSince(db, compoundId, Math.min(...out.map((k) => k.custody.since ?? now))),
  ]);
  const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
  const nameOf = new Map(guards.map((g) => [g.id, g.name]));
  const raisedAt = new Map(raised.map((r) => [keyAlarmRef(r.key_tag, r.checked_out_at), r.raised_at]));
  return out
    .map((k): KeyAlarm => {
      const since = k.custody.since ?? now;
      const guardId = k.custody.guardId ?? '';
      return {
        keyTag: k.tag,
        vehicleId: k.vehicleId,
        plate: plateOf.get(k.vehicleId) ?? null,
        guardId,
        guardName: nameOf.get(guardId) ?? null,
        taskId: k.custody.taskId ?? null,
        since,
        minutes: Math.floor((now - since) / MINUTE),
        alarmedAt: raisedAt.get(keyAlarmRef(k.tag, since)) ?? null,
      };
    })
    .sort((a, b) => a.since - b.since || a.keyTag.localeCompare(b.keyTag));
}

/** For the manager: the keys still out past the limit now, longest out first. */
export async function openKeyAlarms(
  ctx: AppContext,
  principal: Principal,
  limitMinutes = DEFAULT_KEY_ALARM_MINUTES,
): Promise<KeyAlarm[]> {
  const state = await ctx.store.state(principal.compoundId);
  return openAlarmsIn(ctx.store.db, principal.compoundId, state.keys.values(), ctx.now(), limitMinutes);
}

export type KeyAlarmJob = PeriodicJob;

/** Runs `checkKeyAlarms` for every compound every `intervalMs` (a minute by default) until stopped. */
export function startKeyAlarmJob(
  ctx: AppContext,
  options: { limitMinutes: number; intervalMs?: number; onError?: (error: unknown, compoundId: string) => void },
): KeyAlarmJob {
  return startPerCompoundJob(ctx, (compoundId) => checkKeyAlarms(ctx, compoundId, options.limitMinutes), {
    intervalMs: options.intervalMs ?? MINUTE,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
