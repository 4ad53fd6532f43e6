/**
 * @module Custody of cars and keys as explicit state machines.
 *
 * **Car location**: `away` → (check-in at the gate) `at-gate` → (parked by a guard) `parked` →
 * (moved) `parked` … → (departs) `away`; or to and from a partner lot.
 *
 * **Key custody** (the spare key): `with-resident` → (received, needs consent) `in-cabinet` →
 * (checked out to an on-duty guard) `with-guard` → (returned) `in-cabinet` → (released to the
 * resident) `with-resident`; any held key can become `lost`, and a lost key can be found again.
 * A transition not listed is a `DomainError` with a stable code.
 */
import type { EpochMs, PartnerLotId, PositionId, TaskId, UserId } from './brand.js';

export type CarLocation =
  | { kind: 'away' }
  | { kind: 'at-gate'; since: EpochMs }
  | { kind: 'parked'; positionId: PositionId }
  | { kind: 'at-partner'; partnerLotId: PartnerLotId };

export type KeyCustody =
  | { kind: 'with-resident' }
  | { kind: 'in-cabinet' }
  | { kind: 'with-guard'; guardId: UserId; taskId: TaskId | null; since: EpochMs }
  | { kind: 'lost'; since: EpochMs };

/** True while the guards hold the key (in the cabinet or out with a guard): the car can be moved. */
export function guardsHoldKey(custody: KeyCustody | undefined): boolean {
  return custody !== undefined && (custody.kind === 'in-cabinet' || custody.kind === 'with-guard');
}
