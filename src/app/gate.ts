/**
 * @module The gate's plate cameras. A camera registered for a gate and a direction pushes each plate
 * read; the read becomes what a guard at the gate would have done:
 *
 * - **in**, a resident's car: the check-in (park task queued, residents told), barrier open;
 *   a visitor pre-registered for now: checked in, open; anything else (an unknown plate, a visitor
 *   outside the window, a near read) waits for the guard's decision, the barrier following the
 *   compound's rule (`hold` or `open`).
 * - **out**: the departure is recorded; a car that should be inside (a guard is moving it, or it
 *   stands blocked) or whose spare key is out with a guard raises an alarm.
 *
 * One plate read again at the same gate and direction within the dedup window (10 s by default),
 * or a near read of it, is the same event: same answer, nothing new recorded. A near read (the
 * province character or one look-alike character off a known plate) is only proposed to the guard.
 * Each read that is not a duplicate is one transaction with its `gate.read` record in the ledger
 * (ids only; the plate stays in `gate_reads`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EpochMs, UserId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { blockersOf } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import { normalizePlate, parsePlate } from '../core/plate.js';
import type { PlateProposal } from '../core/plate-match.js';
import { compareRead, matchRead } from '../core/plate-match.js';
import { shanghaiDate, shanghaiHhmm } from '../core/time.js';
import type { GateCameraRow, GateReadRow } from '../store/gate.repository.js';
import {
  cameraById,
  camerasNotAlarmedSilent,
  camerasOf,
  decideReadRow,
  firstReadsSince,
  gateSettingsOf,
  insertRead,
  lastCheckInAt,
  latestReads,
  latestVisit,
  markCameraSeen,
  markCameraSilent,
  markOpenPending,
  readById,
  readsAwaitingDecision,
  replaceCamera,
  replaceGateSettings,
  takeOpenPending,
  visitAt,
} from '../store/gate.repository.js';
import { platesOf } from '../store/vehicle-plate.repository.js';
import type { Barrier, GateDecision, GateDirection, ReadOutcome, UnknownPlateRule } from '../core/statuses.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { notify, residentsOf, usersWithRole } from './notifications.js';
import { checkInWithin, departWithin } from './operations.js';
import { openTasks, record } from './tasks.js';
import type { RecordDetail } from '../core/events.js';
import { registerVisitorWithin, withinVisit } from './visitors.js';
import { feeVersions } from '../store/billing.repository.js';
import { formatYuan, rulesOn, temporaryFee } from '../core/fees.js';
import { message } from './message-templates.js';

export const GATE_DIRECTIONS: readonly GateDirection[] = ['in', 'out'];
/** How a guard took a hostless visitor's fee at the exit. */
export type FeeMethod = 'cash' | 'qr';
export const FEE_METHODS: readonly FeeMethod[] = ['cash', 'qr'];

export const DEFAULT_DEDUP_SECONDS = 10;
export const DEFAULT_HEARTBEAT_SECONDS = 120;

export interface CameraInput {
  id: string;
  gate: string;
  direction: GateDirection;
  /** The camera's serial number (Vzenith `serialno`); when given, reads must carry it. */
  serialNo?: string | null | undefined;
  /** A shared secret the camera sends (`?secret=` or `X-Camera-Secret`); at least 16 characters. */
  secret?: string | null | undefined;
  /** Addresses the camera calls from; with no secret, the only check. */
  allowedIps?: readonly string[] | undefined;
  heartbeatSeconds?: number | undefined;
}

export interface CameraView {
  id: string;
  gate: string;
  direction: GateDirection;
  serialNo: string | null;
  hasSecret: boolean;
  allowedIps: string[];
  heartbeatSeconds: number;
  lastSeenAt: number | null;
  silentAlarmedAt: number | null;
}

export interface PlateRead {
  plate: string;
  /** 0–100. */
  confidence?: number | null | undefined;
  /** The serial number the camera sent, checked when the camera was registered with one. */
  serialNo?: string | null | undefined;
}

export interface ReadResult {
  readId: string;
  outcome: ReadOutcome;
  barrier: Barrier;
  vehicleId: string | null;
  /** The known plates a near read may be, for the guard to confirm. */
  proposals: PlateProposal[];
  alarm: string | null;
  /** The park task of a check-in. */
  taskId: string | null;
  /** A hostless visitor's temporary-parking fee, held at the exit until a guard takes it (fen). */
  feeFen: number | null;
}

export interface GateReadView {
  id: string;
  cameraId: string;
  gate: string;
  direction: GateDirection;
  plate: string;
  confidence: number | null;
  readAt: number;
  outcome: ReadOutcome;
  barrier: Barrier;
  vehicleId: string | null;
  proposals: PlateProposal[];
  alarm: string | null;
  decision: GateDecision | null;
  decidedBy: string | null;
  decidedAt: number | null;
  /** What a hostless visitor owes at the exit (outcome `fee-due`), in fen; else null. */
  feeFen: number | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function cameraView(row: GateCameraRow): CameraView {
  return {
    id: row.id,
    gate: row.gate,
    direction: row.direction,
    serialNo: row.serial_no,
    hasSecret: row.secret_hash !== null,
    allowedIps: row.allowed_ips === null || row.allowed_ips === '' ? [] : row.allowed_ips.split(','),
    heartbeatSeconds: row.heartbeat_seconds,
    lastSeenAt: row.last_seen_at,
    silentAlarmedAt: row.silent_alarmed_at,
  };
}

export function readView(row: GateReadRow): GateReadView {
  return {
    id: row.id,
    cameraId: row.camera_id,
    gate: row.gate,
    direction: row.direction,
    plate: row.plate,
    confidence: row.confidence,
    readAt: row.read_at,
    outcome: row.outcome,
    barrier: row.barrier,
    vehicleId: row.vehicle_id,
    proposals: row.proposals === null ? [] : (JSON.parse(row.proposals) as PlateProposal[]),
    alarm: row.alarm,
    decision: row.decision,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    feeFen: row.fee_fen === null ? null : Number(row.fee_fen),
  };
}

/** The principal the camera acts as: the system, allowed what a guard at the gate does. */
function cameraPrincipal(compoundId: string): Principal {
  return {
    compoundId,
    userId: 'system' as UserId,
    role: 'manager',
    name: '车牌识别',
    householdId: null,
    partnerLotId: null,
  };
}

/** A manager registers (or replaces) a camera of a gate and direction. */
export async function registerCamera(ctx: AppContext, actor: Principal, input: CameraInput): Promise<CameraView> {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(input.id))
    throw new DomainError('VALIDATION', 'body.id: 1–40 letters, digits, - or _', { field: 'body.id' });
  const secret = input.secret ?? null;
  if (secret !== null && secret.length < 16)
    throw new DomainError('VALIDATION', 'body.secret: a camera secret has at least 16 characters', {
      field: 'body.secret',
    });
  const ips = [...(input.allowedIps ?? [])];
  if (secret === null && ips.length === 0)
    throw new DomainError('VALIDATION', 'body.secret: a camera needs a secret or an address allow-list', {
      field: 'body.secret',
    });
  const heartbeat = input.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
  if (!Number.isInteger(heartbeat) || heartbeat < 10 || heartbeat > 86_400)
    throw new DomainError('VALIDATION', 'body.heartbeatSeconds: a whole number from 10 to 86400', {
      field: 'body.heartbeatSeconds',
    });
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const row: GateCameraRow = {
      compound_id: uow.compoundId,
      id: input.id,
      gate: input.gate,
      direction: input.direction,
      serial_no: input.serialNo ?? null,
      secret_hash: secret === null ? null : sha256(secret),
      allowed_ips: ips.length === 0 ? null : ips.join(','),
      heartbeat_seconds: heartbeat,
      last_seen_at: null,
      silent_alarmed_at: null,
      open_pending: 0,
      created_at: ctx.now(),
    };
    await replaceCamera(uow.trx, row);
    await record(ctx, uow, actor.userId, 'camera.registered', input.id, {
      gate: input.gate,
      direction: input.direction,
      secret: secret !== null,
      allowedIps: ips.length,
      heartbeatSeconds: heartbeat,
    });
    return cameraView(row);
  });
}

export async function listCameras(ctx: AppContext, actor: Principal): Promise<CameraView[]> {
  return (await camerasOf(ctx.store.db, actor.compoundId)).map(cameraView);
}

export interface GateRule {
  unknownPlate: UnknownPlateRule;
  dedupSeconds: number;
}

export async function gateRuleOf(ctx: AppContext, compoundId: string): Promise<GateRule> {
  const row = await gateSettingsOf(ctx.store.db, compoundId);
  return {
    unknownPlate: row?.unknown_plate ?? 'hold',
    dedupSeconds: row?.dedup_seconds ?? DEFAULT_DEDUP_SECONDS,
  };
}

/** A manager sets the compound's gate rule. */
export async function setGateRule(ctx: AppContext, actor: Principal, rule: GateRule): Promise<GateRule> {
  if (!Number.isInteger(rule.dedupSeconds) || rule.dedupSeconds < 1 || rule.dedupSeconds > 300)
    throw new DomainError('VALIDATION', 'body.dedupSeconds: a whole number from 1 to 300', {
      field: 'body.dedupSeconds',
    });
  await ctx.store.transaction(actor.compoundId, async (uow) => {
    await replaceGateSettings(uow.trx, {
      compound_id: uow.compoundId,
      unknown_plate: rule.unknownPlate,
      dedup_seconds: rule.dedupSeconds,
    });
    await record(ctx, uow, actor.userId, 'camera.registered', 'gate-rule', {
      unknownPlate: rule.unknownPlate,
      dedupSeconds: rule.dedupSeconds,
    });
  });
  return rule;
}

/** How a camera proves itself on a request. */
export interface CameraCredentials {
  secret: string | null;
  ip: string;
}

/**
 * The camera of a request, or `CAMERA_REFUSED`: unknown camera, wrong secret, or an address not
 * on its allow-list. A camera with both a secret and a list must pass both.
 */
export async function authenticateCamera(
  ctx: AppContext,
  compoundId: string,
  cameraId: string,
  credentials: CameraCredentials,
): Promise<CameraView & { compoundId: string }> {
  const row = await cameraById(ctx.store.db, compoundId, cameraId);
  const refuse = () =>
    new DomainError('CAMERA_REFUSED', 'camera: not a registered camera, or its credentials are wrong');
  if (row === undefined) throw refuse();
  if (row.secret_hash !== null) {
    const given = Buffer.from(sha256(credentials.secret ?? ''), 'hex');
    if (!timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex'))) throw refuse();
  }
  const view = cameraView(row);
  if (view.allowedIps.length > 0 && !view.allowedIps.includes(normalizeIp(credentials.ip))) throw refuse();
  return { ...view, compoundId };
}

/** `::ffff:10.0.0.5` (IPv4 mapped into IPv6) is `10.0.0.5`. */
function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

async function notifyGuards(ctx: AppContext, uow: UnitOfWork, title: string, body: string, ref: string) {
  const state = await uow.state();
  await notify(uow, { userIds: [...state.onDuty].sort(), kind: 'gate.decision', title, body, ref }, ctx);
}

async function alarm(
  ctx: AppContext,
  uow: UnitOfWork,
  readId: string,
  vehicleId: string,
  reason: string,
  text: string,
) {
  await record(ctx, uow, 'system', 'gate.alarm', readId, { reason }, vehicleId);
  const state = await uow.state();
  const managers = await usersWithRole(uow, 'manager');
  await notify(
    uow,
    {
      userIds: [...managers, ...[...state.onDuty].sort()],
      kind: 'gate.alarm',
      title: '出口告警',
      body: text,
      ref: readId,
    },
    ctx,
  );
}

/** The known plates of the compound, plate → vehicle. */
async function knownPlates(uow: UnitOfWork): Promise<Map<string, VehicleId>> {
  const rows = await platesOf(uow.trx, uow.compoundId);
  return new Map(rows.map((r) => [r.plate, r.vehicle_id as VehicleId]));
}

/**
 * One plate read of a camera. Answers the barrier and records what came of it; a duplicate within
 * the dedup window gets the first read's answer and records nothing but itself.
 */
export async function receiveRead(
  ctx: AppContext,
  camera: CameraView & { compoundId: string },
  read: PlateRead,
): Promise<ReadResult> {
  if (camera.serialNo !== null && read.serialNo != null && read.serialNo !== camera.serialNo)
    throw new DomainError('CAMERA_REFUSED', `serialno: "${read.serialNo}" is not the serial of camera ${camera.id}`);
  const plate = normalizePlate(read.plate);
  if (plate.length < 2 || plate.length > 12)
    throw new DomainError('BAD_PLATE', `license: "${read.plate}" is not a plate read`, { field: 'license' });
  const rule = await gateRuleOf(ctx, camera.compoundId);
  const result = await ctx.store.transaction(camera.compoundId, async (uow) => {
    const now = ctx.now();
    await markCameraSeen(uow.trx, uow.compoundId, camera.id, now);
    const base = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      camera_id: camera.id,
      gate: camera.gate,
      direction: camera.direction,
      plate,
      confidence: read.confidence ?? null,
      read_at: now,
    };
    const recent = await firstReadsSince(
      uow.trx,
      uow.compoundId,
      camera.gate,
      camera.direction,
      now - rule.dedupSeconds * 1000,
    );
    const first = recent.find((r) => compareRead(plate, r.plate) !== null);
    if (first !== undefined) {
      const row: GateReadRow = {
        ...base,
        outcome: 'duplicate',
        barrier: first.decision === 'refused' ? 'no' : first.barrier,
        vehicle_id: first.vehicle_id,
        duplicate_of: first.id,
        proposals: null,
        alarm: null,
        decision: null,
        decided_by: null,
        decided_at: null,
        fee_fen: first.fee_fen,
      };
      await insertRead(uow.trx, row);
      return { ...resultOf(row), taskId: null };
    }
    const outcome =
      camera.direction === 'in'
        ? await readIn(ctx, uow, base.id, plate, rule)
        : await readOut(ctx, uow, base.id, plate);
    const row: GateReadRow = {
      ...base,
      outcome: outcome.outcome,
      barrier: outcome.barrier,
      vehicle_id: outcome.vehicleId,
      duplicate_of: null,
      proposals: outcome.proposals.length === 0 ? null : JSON.stringify(outcome.proposals),
      alarm: outcome.alarm,
      decision: null,
      decided_by: null,
      decided_at: null,
      fee_fen: outcome.feeFen ?? null,
    };
    await insertRead(uow.trx, row);
    await record(
      ctx,
      uow,
      'system',
      'gate.read',
      base.id,
      {
        cameraId: camera.id,
        direction: camera.direction,
        outcome: outcome.outcome,
        barrier: outcome.barrier,
        ...(outcome.feeFen === undefined ? {} : { feeFen: outcome.feeFen }),
      },
      ...(outcome.vehicleId === null ? [] : [outcome.vehicleId]),
    );
    return { ...resultOf(row), taskId: outcome.taskId };
  });
  return result;
}

function resultOf(row: GateReadRow): Omit<ReadResult, 'taskId'> {
  const v = readView(row);
  return {
    readId: v.id,
    outcome: v.outcome,
    barrier: v.barrier,
    vehicleId: v.vehicleId,
    proposals: v.proposals,
    alarm: v.alarm,
    feeFen: v.feeFen,
  };
}

/** What a read came to; `feeFen` only when a hostless visitor owes its fee at the exit. */
type Outcome = Omit<ReadResult, 'readId' | 'feeFen'> & { feeFen?: number };

const held = (rule: GateRule): Barrier => (rule.unknownPlate === 'open' ? 'ok' : 'no');

/** Admits a known car: the check-in as a guard would type it, and its people told. */
async function admit(
  ctx: AppContext,
  uow: UnitOfWork,
  vehicleId: VehicleId,
  plate: string,
): Promise<{ outcome: ReadOutcome; taskId: string | null } | null> {
  const state = await uow.state();
  const v = state.vehicles.get(vehicleId);
  if (v === undefined) return null;
  if (v.location.kind !== 'away') return { outcome: 'already-on-site', taskId: null };
  if (v.householdId === null) {
    const visit = await visitAt(uow.trx, uow.compoundId, vehicleId, ctx.now());
    if (visit === undefined) return null;
    const { task } = await checkInWithin(ctx, uow, cameraPrincipal(uow.compoundId), vehicleId, undefined);
    await notify(
      uow,
      {
        userIds: await residentsOf(uow, visit.host_household_id),
        kind: 'visitor.arrived',
        ...message('visitor.arrived', {
          plate,
          until: `${shanghaiDate(visit.to_at).slice(5)} ${shanghaiHhmm(visit.to_at)}`,
        }),
        ref: visit.id,
      },
      ctx,
    );
    return { outcome: 'visitor', taskId: task?.id ?? null };
  }
  const { task } = await checkInWithin(ctx, uow, cameraPrincipal(uow.compoundId), vehicleId, undefined);
  await notify(
    uow,
    {
      userIds: await residentsOf(uow, v.householdId),
      kind: 'car.arrived',
      title: '车辆已入场',
      body: `您的车辆 ${plate} 已在大门登记，保安将为您停车。`,
      ref: vehicleId,
    },
    ctx,
  );
  return { outcome: 'resident', taskId: task?.id ?? null };
}

async function readIn(
  ctx: AppContext,
  uow: UnitOfWork,
  readId: string,
  plate: string,
  rule: GateRule,
): Promise<Outcome> {
  const known = await knownPlates(uow);
  const match = matchRead(plate, known.keys());
  if (match.kind === 'exact') {
    const vehicleId = known.get(match.plate) as VehicleId;
    const admitted = await admit(ctx, uow, vehicleId, match.plate);
    if (admitted !== null) return { ...admitted, barrier: 'ok', vehicleId, proposals: [], alarm: null };
    await notifyGuards(ctx, uow, '访客车辆待确认', `车辆 ${plate} 不在访客时段内，请决定是否放行。`, readId);
    return { outcome: 'unknown', barrier: held(rule), vehicleId, proposals: [], alarm: null, taskId: null };
  }
  if (match.kind === 'near') {
    await notifyGuards(
      ctx,
      uow,
      '车牌待确认',
      `识别为 ${plate}，可能是 ${match.proposals.map((p) => p.plate).join('、')}，请确认。`,
      readId,
    );
    return {
      outcome: 'proposed',
      barrier: held(rule),
      vehicleId: null,
      proposals: match.proposals,
      alarm: null,
      taskId: null,
    };
  }
  await notifyGuards(ctx, uow, '陌生车辆', `未登记车辆 ${plate} 在大门，请决定放行或拒绝。`, readId);
  return { outcome: 'unknown', barrier: held(rule), vehicleId: null, proposals: [], alarm: null, taskId: null };
}

/** Why a car leaving is suspicious, or null. */
async function exitAlarm(uow: UnitOfWork, state: CompoundState, vehicleId: VehicleId): Promise<string | null> {
  const v = state.vehicles.get(vehicleId);
  if (v === undefined) return null;
  const key = v.keyTag === null ? undefined : state.keys.get(v.keyTag);
  if (key?.custody.kind === 'with-guard') return 'key-out';
  const tasks = (await openTasks(uow)).filter((t) => t.vehicleId === vehicleId);
  if (tasks.some((t) => t.status === 'started')) return 'task-in-progress';
  if (v.location.kind === 'parked' && blockersOf(state, vehicleId).length > 0) return 'blocked';
  return null;
}

const ALARM_TEXT: Record<string, string> = {
  'key-out': '其备用钥匙仍在保安手中',
  'task-in-progress': '保安正在移动该车',
  blocked: '该车在场内被挡，不应能驶出',
};

async function readOut(ctx: AppContext, uow: UnitOfWork, readId: string, plate: string): Promise<Outcome> {
  const known = await knownPlates(uow);
  const match = matchRead(plate, known.keys());
  const none = { proposals: [], alarm: null, taskId: null };
  if (match.kind !== 'exact') return { outcome: 'unknown-out', barrier: 'ok', vehicleId: null, ...none };
  const vehicleId = known.get(match.plate) as VehicleId;
  const state = await uow.state();
  const v = state.vehicles.get(vehicleId);
  if (v === undefined || v.location.kind === 'away' || v.location.kind === 'at-partner')
    return { outcome: 'not-on-site', barrier: 'ok', vehicleId, ...none };
  const valet = (await openTasks(uow)).some((t) => t.vehicleId === vehicleId && t.reason === 'partner');
  if (valet) return { outcome: 'valet', barrier: 'ok', vehicleId, ...none };
  if (v.householdId === null) {
    const due = await exitFeeDue(ctx, uow, vehicleId);
    if (due !== null) {
      await notifyGuards(
        ctx,
        uow,
        '临停收费',
        `访客车辆 ${match.plate} 在出口，停了 ${due.minutes} 分钟，应收临停费 ¥${formatYuan(due.fen)}，收费后放行。`,
        readId,
      );
      return { outcome: 'fee-due', barrier: 'no', vehicleId, ...none, feeFen: due.fen };
    }
  }
  const reason = await departAtExit(ctx, uow, cameraPrincipal(uow.compoundId), readId, vehicleId, match.plate);
  return { outcome: 'departed', barrier: 'ok', vehicleId, proposals: [], alarm: reason, taskId: null };
}

/** Records a car's departure through the exit, with an alarm when it should not have left; returns the alarm's reason. */
async function departAtExit(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  readId: string,
  vehicleId: VehicleId,
  plate: string,
): Promise<string | null> {
  const reason = await exitAlarm(uow, await uow.state(), vehicleId);
  await departWithin(ctx, uow, actor, vehicleId);
  if (reason !== null)
    await alarm(ctx, uow, readId, vehicleId, reason, `车辆 ${plate} 驶出大门，但${ALARM_TEXT[reason] ?? reason}。`);
  return reason;
}

/**
 * What a visitor's car owes at the exit: its temporary parking (临停) since its last check-in, by the
 * fee rules in force today, when it has no host household or came after its hosted visit's window.
 * A stay within a hosted visit goes on the host's monthly bill instead (`usage-charges.ts`); a stay
 * within the free minutes, or a compound with no fee rules, owes nothing. Null when nothing is due.
 */
async function exitFeeDue(
  ctx: AppContext,
  uow: UnitOfWork,
  vehicleId: VehicleId,
): Promise<{ fen: number; minutes: number } | null> {
  const visit = await latestVisit(uow.trx, uow.compoundId, vehicleId);
  const now = ctx.now();
  const rules = rulesOn(await feeVersions(uow.trx, uow.compoundId), shanghaiDate(now));
  const arrivedAt = await lastCheckInAt(uow.trx, uow.compoundId, vehicleId);
  if (visit === undefined || rules === null || arrivedAt === undefined) return null;
  // A stay within a hosted visit goes on the host's bill; one begun after its window pays here.
  if (visit.host_household_id !== null && withinVisit(visit, arrivedAt)) return null;
  const fen = temporaryFee(arrivedAt, now, rules.temporary);
  return fen === 0 ? null : { fen, minutes: Math.ceil((now - arrivedAt) / 60_000) };
}

/** The reads waiting for a guard (unknown plates, near reads, fees due at the exit), oldest first. */
export async function pendingReads(ctx: AppContext, actor: Principal): Promise<GateReadView[]> {
  return (await readsAwaitingDecision(ctx.store.db, actor.compoundId)).map(readView);
}

/** Recent reads of the compound, newest first (for the manager and the guards). */
export async function recentReads(ctx: AppContext, actor: Principal, limit = 100): Promise<GateReadView[]> {
  return (await latestReads(ctx.store.db, actor.compoundId, limit)).map(readView);
}

export type DecisionInput =
  | { action: 'admit'; until: number; householdId?: string | undefined }
  | { action: 'refuse' }
  | { action: 'confirm'; plate: string }
  | { action: 'collect'; method: FeeMethod }
  | { action: 'waive'; reason: string };

/**
 * The guard decides a held read: admit the car as a visitor until a time, refuse it, or confirm one
 * of the proposed plates (which then counts as that car's read). Admitting or confirming tells the
 * camera to open on its next poll. One transaction: the visitor's registration, the check-in, the
 * decision and their ledger records commit together or not at all, and a read is decided once.
 */
export async function decideRead(
  ctx: AppContext,
  actor: Principal,
  readId: string,
  input: DecisionInput,
): Promise<{ read: GateReadView; taskId: string | null }> {
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const row = await readById(uow.trx, uow.compoundId, readId);
    if (row === undefined) throw new DomainError('NOT_FOUND', `readId: no gate read "${readId}"`, { field: 'readId' });
    if (
      !(row.outcome === 'unknown' || row.outcome === 'proposed' || row.outcome === 'fee-due') ||
      row.decision !== null
    )
      throw new DomainError('DECISION_CLOSED', `readId: read "${readId}" is not waiting for a decision`, {
        field: 'readId',
      });
    const settling = input.action === 'collect' || input.action === 'waive';
    if (settling !== (row.outcome === 'fee-due'))
      throw new DomainError(
        'VALIDATION',
        settling
          ? `body.action: only a fee due at the exit is collected or waived; this read is "${row.outcome}"`
          : 'body.action: a fee due at the exit is collected ("collect") or waived ("waive") before the car leaves',
        { field: 'body.action' },
      );
    if (input.action === 'collect' || input.action === 'waive') return settleFee(ctx, uow, actor, row, input);
    let vehicleId: string | null = row.vehicle_id;
    let decision: GateDecision;
    if (input.action === 'admit') {
      const { vehicleId: v } = await registerVisitorWithin(ctx, uow, actor, {
        plate: parsePlate(row.plate, 'plate').plate,
        to: input.until,
        householdId: input.householdId,
      });
      vehicleId = v;
      decision = 'admitted';
    } else if (input.action === 'confirm') {
      const chosen = readView(row).proposals.find((p) => p.plate === normalizePlate(input.plate));
      if (chosen === undefined)
        throw new DomainError(
          'VALIDATION',
          `body.plate: ${input.plate} is not one of the plates proposed for this read`,
          {
            field: 'body.plate',
          },
        );
      decision = 'confirmed';
    } else decision = 'refused';

    let taskId: string | null = null;
    if (decision !== 'refused') {
      const known = await knownPlates(uow);
      const plate = input.action === 'confirm' ? normalizePlate(input.plate) : row.plate;
      const v = known.get(plate);
      if (v !== undefined) {
        vehicleId = v;
        const admitted = await admit(ctx, uow, v, plate);
        taskId = admitted?.taskId ?? null;
      }
      await openOnNextPoll(uow, row.camera_id);
    }
    return { read: await closeRead(ctx, uow, actor, row, vehicleId, { decision }), taskId };
  });
}

/** Stores the guard's decision on the read and records it (`gate.decided`, with `detail`); the read as it now is. */
async function closeRead(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  row: GateReadRow,
  vehicleId: string | null,
  detail: { decision: GateDecision } & RecordDetail,
): Promise<GateReadView> {
  const updated = { decision: detail.decision, decided_by: actor.userId, decided_at: ctx.now(), vehicle_id: vehicleId };
  await decideReadRow(uow.trx, uow.compoundId, row.id, updated);
  await record(ctx, uow, actor.userId, 'gate.decided', row.id, detail, ...(vehicleId === null ? [] : [vehicleId]));
  return readView({ ...row, ...updated });
}

/** The camera opens its barrier on its next heartbeat (`heartbeat` answers `ok` once). */
async function openOnNextPoll(uow: UnitOfWork, cameraId: string): Promise<void> {
  await markOpenPending(uow.trx, uow.compoundId, cameraId);
}

/**
 * The guard took a hostless visitor's fee at the exit (cash or a QR payment), or waived it with a
 * reason: the car departs, the barrier opens on the camera's next poll, and the ledger keeps the sum,
 * how it was taken or why not, and who decided.
 */
async function settleFee(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  row: GateReadRow,
  input: { action: 'collect'; method: FeeMethod } | { action: 'waive'; reason: string },
): Promise<{ read: GateReadView; taskId: null }> {
  const vehicleId = row.vehicle_id as VehicleId;
  const location = (await uow.state()).vehicles.get(vehicleId)?.location.kind;
  if (location !== undefined && location !== 'away' && location !== 'at-partner')
    await departAtExit(ctx, uow, actor, row.id, vehicleId, row.plate);
  await openOnNextPoll(uow, row.camera_id);
  const fen = Number(row.fee_fen ?? 0);
  const detail: { decision: GateDecision } & RecordDetail =
    input.action === 'collect'
      ? { decision: 'paid', fen, method: input.method }
      : { decision: 'waived', fen, reason: input.reason };
  return { read: await closeRead(ctx, uow, actor, row, vehicleId, detail), taskId: null };
}

/**
 * A camera's heartbeat (or poll): it is alive. Answers `ok` once after a guard admitted a car it
 * held, so the barrier opens; otherwise `no`.
 */
export async function heartbeat(ctx: AppContext, camera: CameraView & { compoundId: string }): Promise<Barrier> {
  return ctx.store.db
    .transaction()
    .execute(async (trx) => ((await takeOpenPending(trx, camera.compoundId, camera.id, ctx.now())) ? 'ok' : 'no'));
}

/**
 * Raises an alarm, once per silence, for every camera not heard from for longer than twice its
 * heartbeat (one missed beat is noise). Returns the ids of the cameras alarmed now.
 */
export async function checkCameraSilence(ctx: AppContext, compoundId: string): Promise<string[]> {
  const now = ctx.now();
  const cameras = await camerasNotAlarmedSilent(ctx.store.db, compoundId);
  const silent = cameras.filter((c) => now - (c.last_seen_at ?? c.created_at) > 2 * c.heartbeat_seconds * 1000);
  if (silent.length === 0) return [];
  await ctx.store.transaction(compoundId, async (uow) => {
    const state = await uow.state();
    const managers = await usersWithRole(uow, 'manager');
    for (const c of silent) {
      await markCameraSilent(uow.trx, compoundId, c.id, now);
      const since = c.last_seen_at ?? c.created_at;
      await uow.append({
        type: 'record',
        payload: {
          kind: 'camera.silent',
          refId: c.id,
          detail: {
            gate: c.gate,
            direction: c.direction,
            lastSeenAt: c.last_seen_at,
            minutes: Math.floor((now - since) / 60_000),
          },
        },
        at: now as EpochMs,
        actor: 'system',
      });
      await notify(
        uow,
        {
          userIds: [...managers, ...[...state.onDuty].sort()],
          kind: 'camera.silent',
          title: '道闸相机离线',
          body: `${c.gate} ${c.direction === 'in' ? '入口' : '出口'}相机 ${c.id} 已 ${Math.floor((now - since) / 60_000)} 分钟无心跳，请人工值守。`,
          ref: c.id,
        },
        ctx,
      );
    }
  });
  return silent.map((c) => c.id);
}
