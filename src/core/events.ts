/**
 * @module Ledger events: every key hand-over and every car move, and every other change of the
 * custody state, is one event. Payloads carry ids, never names, phone numbers or plates, so a
 * resident's personal data can be erased later without breaking the hash chain.
 */
import type { EpochMs, HouseholdId, KeyTag, PartnerLotId, PositionId, TaskId, UserId, VehicleId } from './brand.js';
import type { Layout, VehicleSize } from './layout.js';

/** Why a car was moved. */
export type MoveReason = 'relocation' | 'pre-staging' | 'night-resort' | 'charging' | 'override' | 'correction';
/** Who drove a car out of its position when it left. */
export type DepartedBy = 'resident' | 'guard';

/**
 * Operational records: they change no custody state but belong in the history and the audit —
 * departures declared, guard tasks, shift hand-overs, incidents, imports, partner bookings.
 */
export type RecordKind =
  | 'departure.declared'
  | 'departure.cancelled'
  | 'task.created'
  | 'task.assigned'
  | 'task.started'
  | 'task.completed'
  | 'task.failed'
  | 'task.cancelled'
  | 'shift.handover'
  | 'roster.changed'
  | 'incident.opened'
  | 'incident.updated'
  | 'incident.resolved'
  | 'import.applied'
  | 'visitor.registered'
  | 'visitor.overstayed'
  | 'vehicle.plate-changed'
  | 'key.alarm'
  | 'booking.created'
  | 'booking.cancelled'
  | 'booking.checked-in'
  | 'booking.checked-out'
  | 'privacy.erased'
  | 'booking.overstay'
  | 'closure.set'
  | 'charging.planned'
  | 'charging.metered'
  | 'damage.noted'
  | 'renovation.registered'
  | 'renovation.approved'
  | 'renovation.refused'
  | 'renovation.deposit'
  | 'renovation.closed'
  | 'waste.point-saved'
  | 'waste.declared'
  | 'waste.collection-scheduled'
  | 'waste.collected'
  | 'stray.reported'
  | 'stray.reminded'
  | 'stray.escalated'
  | 'stray.cleared'
  | 'camera.registered'
  | 'camera.silent'
  | 'gate.read'
  | 'gate.decided'
  | 'gate.alarm'
  | 'fees.set'
  | 'card.issued'
  | 'card.ended'
  | 'card.paused'
  | 'bill.issued'
  | 'payment.recorded'
  | 'condition.recorded'
  | 'condition.photo'
  | 'condition.acknowledged'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.sessions-revoked'
  | 'account.unlocked';

/** Values a record's detail may hold; ids and times, never names, phone numbers or plates. */
export type RecordDetail = Record<string, string | number | boolean | null>;

export type EventBody =
  | { type: 'compound.created'; payload: { name: string } }
  | { type: 'layout.set'; payload: { layout: Layout } }
  | { type: 'household.added'; payload: { householdId: HouseholdId } }
  | {
      type: 'vehicle.registered';
      payload: { vehicleId: VehicleId; householdId: HouseholdId | null; size: VehicleSize; ev: boolean };
    }
  | { type: 'vehicle.updated'; payload: { vehicleId: VehicleId; size: VehicleSize; ev: boolean } }
  | { type: 'vehicle.removed'; payload: { vehicleId: VehicleId } }
  | { type: 'consent.given'; payload: { vehicleId: VehicleId; textVersion: string } }
  | { type: 'consent.withdrawn'; payload: { vehicleId: VehicleId } }
  | { type: 'guard.on-duty'; payload: { guardId: UserId } }
  | { type: 'guard.off-duty'; payload: { guardId: UserId } }
  | { type: 'key.received'; payload: { keyTag: KeyTag; vehicleId: VehicleId } }
  | { type: 'key.checked-out'; payload: { keyTag: KeyTag; guardId: UserId; taskId: TaskId | null } }
  | { type: 'key.returned'; payload: { keyTag: KeyTag; guardId: UserId } }
  | { type: 'key.handed-over'; payload: { keyTag: KeyTag; fromGuardId: UserId; toGuardId: UserId } }
  | { type: 'key.released'; payload: { keyTag: KeyTag } }
  | { type: 'key.lost'; payload: { keyTag: KeyTag } }
  | { type: 'key.found'; payload: { keyTag: KeyTag } }
  | { type: 'car.checked-in'; payload: { vehicleId: VehicleId } }
  | { type: 'car.parked'; payload: { vehicleId: VehicleId; positionId: PositionId; taskId: TaskId | null } }
  | {
      type: 'car.moved';
      payload: { vehicleId: VehicleId; from: PositionId; to: PositionId; reason: MoveReason; taskId: TaskId | null };
    }
  | { type: 'car.departed'; payload: { vehicleId: VehicleId; by: DepartedBy } }
  | { type: 'car.sent-to-partner'; payload: { vehicleId: VehicleId; partnerLotId: PartnerLotId } }
  | { type: 'car.returned-from-partner'; payload: { vehicleId: VehicleId } }
  | {
      type: 'record';
      payload: { kind: RecordKind; refId: string; vehicleId?: VehicleId; keyTag?: KeyTag; detail: RecordDetail };
    };

export type EventType = EventBody['type'];
export type PayloadOf<T extends EventType> = Extract<EventBody, { type: T }>['payload'];

/** Who caused an event: a user, or the system itself (imports, scheduled jobs). */
export type Actor = UserId | 'system';

/** An event as the use cases propose it, before the ledger numbers and hashes it. */
export type NewEvent = EventBody & { at: EpochMs; actor: Actor };

/** An event in the ledger: numbered from 1 per compound and chained by SHA-256. */
export type LedgerEvent = NewEvent & {
  seq: number;
  prevHash: string;
  hash: string;
};
