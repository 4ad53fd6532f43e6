/** @module The shapes of the API replies the screens read (see /openapi.json). */
export type Role = 'manager' | 'guard' | 'resident' | 'partner' | 'committee';

export interface Me {
  compoundId: string;
  userId: string;
  role: Role;
  name: string;
  householdId: string | null;
  partnerLotId: string | null;
}

export interface Closure {
  from: string;
  to: string;
  reason: string;
}

export interface LotPosition {
  id: string;
  index: number;
  kind: string;
  chargerKw: number | null;
  maxSize: string;
  closedToday: boolean;
  closures: Closure[];
  vehicle: { id: string; plate: string | null; blocked: boolean; ev: boolean } | null;
  occupied: boolean;
}

export interface LotLane {
  id: string;
  name: string;
  access: string;
  area: string;
  positions: LotPosition[];
}

export interface Lot {
  compoundId: string;
  name: string | null;
  day: string;
  fireLanes: string[];
  lanes: LotLane[];
  counts: { positions: number; open: number; occupied: number; atGate: number; onSite: number };
}

export interface Task {
  id: string;
  kind: 'park' | 'move' | 'deliver';
  vehicleId: string;
  from: string | null;
  to: string | null;
  reason: string;
  status: 'queued' | 'started' | 'done' | 'failed' | 'cancelled';
  guardId: string | null;
  dueAt: number;
  note: string | null;
}

export type CarLocation =
  | { kind: 'away' }
  | { kind: 'at-gate'; since: number }
  | { kind: 'parked'; positionId: string }
  | { kind: 'at-partner'; partnerLotId: string };

export type KeyCustody =
  | { kind: 'with-resident' }
  | { kind: 'in-cabinet' }
  | { kind: 'with-guard'; guardId: string; taskId: string | null; since: number }
  | { kind: 'lost'; since: number };

export interface VehicleItem {
  id: string;
  plate: string | null;
  householdId: string | null;
  ev: boolean;
  location: CarLocation;
}

export interface VehicleDetail extends VehicleItem {
  size: string;
  blockedBy: { id: string; plate: string | null }[];
  consent: string | null;
  key: { tag: string; custody: KeyCustody } | null;
  nextDeparture: number | null;
  readyAt: number | null;
  openTasks: { id: string; kind: string; vehicleId: string; to: string | null; dueAt: number; status: string }[];
}

export interface KeyItem {
  tag: string;
  vehicleId: string;
  plate: string | null;
  custody: KeyCustody;
}

export interface Shifts {
  shifts: { id: string; name: string; start: string; end: string }[];
  roster: { day: string; shiftId: string; guardIds: string[] }[];
  onDuty: string[];
  openHandover: Handover | null;
}

export interface Handover {
  id: string;
  status: 'open' | 'closed';
  fromGuardIds: string[];
  toGuardIds: string[];
  expected: { keys: number; cars: number };
  outgoing: { keys: number; cars: number };
  incoming: { keys: number; cars: number } | null;
  mismatch: string | null;
}

export interface Alarm {
  keyTag: string;
  vehicleId: string;
  plate: string | null;
  guardId: string;
  guardName: string | null;
  minutes: number;
}

export interface LedgerEvent {
  seq: number;
  type: string;
  at: number;
  actor: string;
  payload: Record<string, unknown>;
}
