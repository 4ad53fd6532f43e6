/**
 * @module The database schema as Kysely sees it. Every table that holds tenant data has
 * `compound_id` first in its primary key, so a city-wide PostgreSQL deployment can distribute rows
 * by compound (e.g. Citus `create_distributed_table(..., 'compound_id')`) without a schema change.
 * Booleans are stored as integers 0/1 and instants as integer milliseconds on both databases.
 */
import type { PositionKind } from '../core/layout.js';
import type {
  BookingStatus,
  Channel,
  OutboxStatus,
  DepartureKind,
  DepartureStatus,
  HandoverStatus,
  IncidentKind,
  IncidentStatus,
  Role,
  SessionKind,
  SwapStatus,
  TaskKind,
  TaskStatus,
  GateDirection,
  UnknownPlateRule,
  ReadOutcome,
  Barrier,
  GateDecision,
  BillLineKind,
  PaymentMethod,
  ConditionStage,
  PhotoView,
} from '../core/statuses.js';

export interface CompoundsTable {
  id: string;
  name: string;
  created_at: number;
}

/** The append-only, hash-chained ledger: one row per event, numbered from 1 per compound. */
export interface LedgerEventsTable {
  compound_id: string;
  seq: number;
  at: number;
  actor: string;
  type: string;
  /** Canonical JSON of the payload. */
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Which events are about a car (`vehicle:ID`) or a key (`key:TAG`): a car's history reads only these. */
export interface LedgerSubjectsTable {
  compound_id: string;
  subject: string;
  seq: number;
}

/** The last point of a compound's chain that a verification found sound; the next one goes on from it. */
export interface LedgerCheckpointsTable {
  compound_id: string;
  seq: number;
  hash: string;
  verified_at: number;
}

/** The head of a compound's chain at the end of a day (Asia/Shanghai), as published outside the database. */
export interface LedgerPublishedHeadsTable {
  compound_id: string;
  /** YYYY-MM-DD */
  day: string;
  seq: number;
  hash: string;
  published_at: number;
}

/** The last event of each compound's chain; its row is locked to serialise appends. */
export interface LedgerHeadsTable {
  compound_id: string;
  seq: number;
  hash: string;
}

export interface LanesTable {
  compound_id: string;
  id: string;
  name: string;
  access: string;
  area: string;
  sort: number;
}

export interface PositionsTable {
  compound_id: string;
  id: string;
  lane_id: string;
  idx: number;
  kind: PositionKind;
  charger_kw: number | null;
  max_size: string;
}

export interface ClosuresTable {
  compound_id: string;
  position_id: string;
  seq: number;
  from_date: string;
  to_date: string;
  reason: string;
}

export interface FireLanesTable {
  compound_id: string;
  area: string;
}

export interface HouseholdsTable {
  compound_id: string;
  id: string;
}

/** Personal data lives outside the ledger, so it can be erased without breaking the chain. */
export interface HouseholdAddressesTable {
  compound_id: string;
  household_id: string;
  building: string;
  unit: string;
  room: string;
}

export interface VehiclesTable {
  compound_id: string;
  id: string;
  household_id: string | null;
  size: string;
  ev: number;
  consent: string | null;
  key_tag: string | null;
  location: string;
  position_id: string | null;
  partner_lot_id: string | null;
  since: number | null;
}

export interface VehiclePlatesTable {
  compound_id: string;
  vehicle_id: string;
  plate: string;
}

export interface KeysTable {
  compound_id: string;
  tag: string;
  vehicle_id: string;
  custody: string;
  guard_id: string | null;
  task_id: string | null;
  since: number | null;
}

export interface GuardsOnDutyTable {
  compound_id: string;
  guard_id: string;
}

export interface CompoundStateTable {
  compound_id: string;
  name: string | null;
}

export interface UsersTable {
  compound_id: string;
  id: string;
  role: Role;
  name: string;
  phone: string;
  /** scrypt hash `scrypt$N$r$p$salt$hash`, or null for an account not yet activated. */
  password_hash: string | null;
  household_id: string | null;
  partner_lot_id: string | null;
  /** When a manager disabled the account; null while it may sign in. */
  disabled_at: number | null;
}

/** Failed sign-ins (passwords or invitation codes) per phone since the last success. */
export interface SignInAttemptsTable {
  /** The compound of the phone's account, or '' for a phone without one. */
  compound_id: string;
  /** SHA-256 (hex) of the phone number. */
  phone_hash: string;
  failures: number;
  last_failure_at: number;
  /** No try is checked before this instant (the growing delay). */
  next_attempt_at: number;
  /** Set when the failures reached the lockout; only a manager clears it. */
  locked_at: number | null;
}

export interface SessionsTable {
  compound_id: string;
  /** SHA-256 (hex) of the secret part of the token. */
  token_hash: string;
  user_id: string;
  kind: SessionKind;
  created_at: number;
  expires_at: number;
}

export interface TasksTable {
  compound_id: string;
  id: string;
  kind: TaskKind;
  vehicle_id: string;
  /** null: the gate. */
  from_position: string | null;
  /** null: the gate (a delivery). */
  to_position: string | null;
  reason: string;
  status: TaskStatus;
  guard_id: string | null;
  due_at: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  note: string | null;
  departure_id: string | null;
}

export interface DeparturesTable {
  compound_id: string;
  id: string;
  vehicle_id: string;
  kind: DepartureKind;
  at: number | null;
  time_of_day: string | null;
  weekdays: string | null;
  exceptions: string | null;
  status: DepartureStatus;
  created_by: string;
  created_at: number;
}

export interface IdempotencyKeysTable {
  compound_id: string;
  user_id: string;
  key: string;
  method: string;
  path: string;
  status_code: number | null;
  body: string | null;
  created_at: number;
}

export interface RosterTable {
  compound_id: string;
  day: string;
  shift_id: string;
  guard_ids: string;
}

export interface ShiftDefinitionsTable {
  compound_id: string;
  id: string;
  name: string;
  start: string;
  end: string;
}

export interface HandoversTable {
  compound_id: string;
  id: string;
  status: HandoverStatus;
  from_guard_ids: string;
  to_guard_ids: string | null;
  expected_keys: number;
  expected_cars: number;
  out_keys: number;
  out_cars: number;
  in_keys: number | null;
  in_cars: number | null;
  mismatch: string | null;
  opened_at: number;
  closed_at: number | null;
}

/** A shift swap a guard asked for; `pending` until the other guard accepts or declines. */
export interface ShiftSwapsTable {
  compound_id: string;
  id: string;
  day: string;
  shift_id: string;
  /** The guard who gives the shift up. */
  guard_id: string;
  /** The guard who takes it. */
  with_guard_id: string;
  requested_by: string;
  status: SwapStatus;
  created_at: number;
  decided_at: number | null;
}

/** The in-app feed: one row per notification per user; `read_at` is null until read. */
export interface NotificationsTable {
  compound_id: string;
  id: string;
  user_id: string;
  kind: string;
  title: string;
  /** Chinese text for people. */
  body: string;
  /** What it is about, e.g. a vehicle id or an incident id. */
  ref: string | null;
  created_at: number;
  read_at: number | null;
  /** The message template (see app/message-templates.ts) and its named parameters (JSON), when templated. */
  template?: string | null;
  params?: string | null;
}

/** One delivery (live feed and webhook) of one notification; its `id` is the delivery's idempotency id. */
export interface NotificationOutboxTable {
  compound_id: string;
  id: string;
  notification_id: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  /** A dispatcher's claim on the row while it delivers, so two servers do not both send it. */
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** The resident's channel this row delivers on; null: the compound's webhook, as before channels. */
  channel?: Channel | null;
}

export interface IncidentsTable {
  compound_id: string;
  id: string;
  /** 'damage' | 'lost-key' | 'handover-mismatch' | 'complaint' */
  kind: IncidentKind;
  vehicle_id: string | null;
  key_tag: string | null;
  opened_by: string;
  /** The user who handles it. */
  owner: string | null;
  /** 'open' | 'investigating' | 'resolved' | 'rejected' */
  status: IncidentStatus;
  title: string;
  description: string;
  resolution: string | null;
  created_at: number;
  updated_at: number;
}

export interface IncidentPhotosTable {
  compound_id: string;
  id: string;
  incident_id: string;
  content_type: string;
  bytes: number;
  sha256: string;
  data: Buffer;
  uploaded_by: string;
  created_at: number;
}

/** Key-out alarms already raised: one per key checkout. */
export interface KeyAlarmsTable {
  compound_id: string;
  key_tag: string;
  checked_out_at: number;
  guard_id: string;
  raised_at: number;
}

/** A visit: a visitor's car (a vehicle with no household) expected or on site in a window. */
export interface VisitorsTable {
  compound_id: string;
  id: string;
  vehicle_id: string;
  /** The household that invited the visitor; null for a gate registration without a host. */
  host_household_id: string | null;
  from_at: number;
  to_at: number;
  registered_by: string;
  registered_at: number;
  /** The ledger seq of the visit's `visitor.registered` record: arrivals after it belong to this visit. */
  registered_seq: number;
  /** Set when the car was already on site at registration; later arrivals are read from the ledger. */
  arrived_at: number | null;
  /** When `visitor.overstayed` was recorded; once per visit. */
  overstay_flagged_at: number | null;
}

export interface InvitationsTable {
  compound_id: string;
  /** SHA-256 (hex) of the one-time code. */
  code_hash: string;
  user_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A partner lot offered for off-peak shared parking; windows and contacts are JSON. */
export interface PartnerLotsTable {
  compound_id: string;
  id: string;
  name: string;
  organisation: string;
  spaces: number;
  charger_spaces: number;
  charger_kw: number | null;
  /** JSON `[{ days: ['mon', …], from: 'HH:MM', to: 'HH:MM' }]`. */
  windows: string;
  walk_minutes: number;
  leave_by: string;
  /** JSON `[{ name, role, phone }]`. */
  contacts: string;
  reminder_minutes: number;
  strike_limit: number;
  strike_days: number;
  suspension_days: number;
  updated_at: number;
}

/** A dated exception to a partner lot's weekly window: closed (no times) or open at other times. */
export interface PartnerLotExceptionsTable {
  compound_id: string;
  lot_id: string;
  /** The day whose evening starts the night. */
  night: string;
  open_from: string | null;
  open_to: string | null;
  reason: string;
}

/** A night's booking of a partner space (spaces 1..charger_spaces have chargers). */
export interface BookingsTable {
  compound_id: string;
  id: string;
  lot_id: string;
  vehicle_id: string;
  household_id: string | null;
  night: string;
  space: number;
  charger: number;
  standing_id: string | null;
  valet: number;
  task_id: string | null;
  status: BookingStatus;
  start_at: number;
  leave_by_at: number;
  checked_in_at: number | null;
  checked_out_at: number | null;
  reminded_at: number | null;
  overstay_at: number | null;
  created_by: string;
  created_at: number;
}

export interface BookingStrikesTable {
  compound_id: string;
  booking_id: string;
  household_id: string;
  at: number;
}

export interface BookingSuspensionsTable {
  compound_id: string;
  household_id: string;
  from_at: number;
  until_at: number;
  reason: string;
}

/** Nights a household was sent to a partner lot in a month (`YYYY-MM`), for the fair rotation. */
export interface PartnerRotationTable {
  compound_id: string;
  household_id: string;
  month: string;
  nights: number;
}

/** An EV's charging request for a night. */
export interface ChargingRequestsTable {
  compound_id: string;
  id: string;
  vehicle_id: string;
  night: string;
  energy_kwh: number;
  target_percent: number | null;
  departure_at: number;
  created_by: string;
  created_at: number;
  cancelled_at: number | null;
}

/** A flat's registered renovation (装修登记); the contractor's name and phone are personal data kept off the ledger. */
export interface RenovationsTable {
  compound_id: string;
  id: string;
  household_id: string;
  contractor_name: string;
  contractor_phone: string;
  /** How many workers the contractor sends. */
  workers: number;
  starts_on: string;
  ends_on: string;
  /** Kinds of work, comma-separated (`WORK_KINDS`). */
  kinds: string;
  hours_from: string;
  hours_to: string;
  status: 'pending' | 'approved' | 'refused' | 'closed';
  refusal: string | null;
  deposit_fen: number;
  deposit_status: 'due' | 'received' | 'returned';
  deducted_fen: number;
  created_by: string;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
  closed_at: number | null;
}

/** A designated waste stacking point (统一堆放点). */
export interface WastePointsTable {
  compound_id: string;
  id: string;
  name: string;
  /** The building it serves, or null for the whole compound. */
  building: string | null;
  capacity_bags: number;
  /** The hauler's user (a partner account). */
  hauler_id: string;
  /** A timetabled collection this many hours after the last, or null for collections when full only. */
  collect_every_hours: number | null;
  last_collected_at: number | null;
}

export interface WasteDeclarationsTable {
  compound_id: string;
  id: string;
  point_id: string;
  renovation_id: string;
  bags: number;
  kind: 'construction' | 'bulky';
  fee_fen: number;
  declared_by: string;
  declared_at: number;
  collection_id: string | null;
}

export interface WasteCollectionsTable {
  compound_id: string;
  id: string;
  point_id: string;
  hauler_id: string;
  reason: 'full' | 'timetable' | 'manual';
  status: 'scheduled' | 'done';
  scheduled_at: number;
  done_at: number | null;
  bags: number | null;
  photo_id: string | null;
}

export interface WastePhotosTable {
  compound_id: string;
  id: string;
  content_type: string;
  bytes: number;
  sha256: string;
  data: Buffer;
  uploaded_by: string;
  created_at: number;
}

/** Waste found outside a point, reported with a photo and a place. */
export interface StrayReportsTable {
  compound_id: string;
  id: string;
  building: string;
  unit: string;
  place: string;
  photo_id: string;
  reported_by: string;
  reported_at: number;
  /** The renovation held responsible, or null when the property company handles it. */
  renovation_id: string | null;
  status: 'open' | 'cleared';
  reminded_at: number | null;
  escalated_at: number | null;
  cleared_at: number | null;
  cleared_by: string | null;
  deducted_fen: number;
}

/** A gate plate camera; `secret_hash` is the SHA-256 of its secret, `allowed_ips` a comma list. */
export interface GateCamerasTable {
  compound_id: string;
  id: string;
  gate: string;
  direction: GateDirection;
  serial_no: string | null;
  secret_hash: string | null;
  allowed_ips: string | null;
  heartbeat_seconds: number;
  last_seen_at: number | null;
  silent_alarmed_at: number | null;
  /** 1 when a guard admitted a held car and the camera has not yet been told to open. */
  open_pending: number;
  created_at: number;
}

export interface GateSettingsTable {
  compound_id: string;
  unknown_plate: UnknownPlateRule;
  dedup_seconds: number;
}

/** One plate read of a gate camera, with what came of it. */
export interface GateReadsTable {
  compound_id: string;
  id: string;
  camera_id: string;
  gate: string;
  direction: GateDirection;
  plate: string;
  confidence: number | null;
  read_at: number;
  outcome: ReadOutcome;
  barrier: Barrier;
  vehicle_id: string | null;
  duplicate_of: string | null;
  /** JSON list of proposed plates for a near read. */
  proposals: string | null;
  alarm: string | null;
  decision: GateDecision | null;
  decided_by: string | null;
  decided_at: number | null;
  /** The temporary-parking fee a hostless visitor owes at the exit (outcome `fee-due`), in fen. */
  fee_fen: number | null;
}

export interface FeeRulesTable {
  compound_id: string;
  effective_from: string;
  /** JSON of the `FeeRules` version. */
  rules: string;
  set_by: string;
  set_at: number;
}

export interface MonthlyCardsTable {
  compound_id: string;
  id: string;
  vehicle_id: string;
  household_id: string;
  place_kind: PositionKind;
  from_date: string;
  to_date: string | null;
  created_at: number;
}

export interface CardPausesTable {
  compound_id: string;
  id: string;
  card_id: string;
  from_date: string;
  to_date: string;
  created_by: string;
  created_at: number;
}

export interface BillsTable {
  compound_id: string;
  id: string;
  household_id: string;
  month: string;
  total_fen: number;
  issued_at: number;
  due_at: number;
  reminded_at: number | null;
}

export interface BillLinesTable {
  compound_id: string;
  bill_id: string;
  line_no: number;
  for_month: string;
  kind: BillLineKind;
  card_id: string;
  vehicle_id: string;
  fen: number;
  days_charged: number;
  days_paused: number;
  /** What a usage line is about: a visit, a partner booking, a charging session, a waste declaration. */
  ref_id: string | null;
  /** JSON array of the ledger seqs the line was computed from. */
  events: string | null;
  /** Minutes (visitor), hours over (partner), watt-hours (EV), bags (waste). */
  quantity: number | null;
}

/** The energy one car took at a charger, as metered; billed to its household at the tariff of the day. */
export interface ChargingSessionsTable {
  compound_id: string;
  id: string;
  vehicle_id: string;
  household_id: string;
  charger_position_id: string | null;
  watt_hours: number;
  fee_fen: number;
  metered_at: number;
  recorded_by: string;
}

/** The channels a resident is told on, and the quiet hours in which 微信/短信 wait (站内 never waits). */
export interface ResidentChannelsTable {
  compound_id: string;
  user_id: string;
  /** JSON array of 'wechat' | 'sms' | 'inapp'. */
  channels: string;
  quiet_from: string | null;
  quiet_to: string | null;
  updated_at: number;
}

export interface PaymentsTable {
  compound_id: string;
  id: string;
  household_id: string;
  fen: number;
  method: PaymentMethod;
  reference: string | null;
  receipt_no: string;
  paid_at: number;
  recorded_by: string;
}

export interface ConditionRecordsTable {
  compound_id: string;
  id: string;
  vehicle_id: string;
  stage: ConditionStage;
  notes: string;
  damage: number;
  check_in_record_id: string | null;
  incident_id: string | null;
  recorded_by: string;
  created_at: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
}

export interface ConditionPhotosTable {
  compound_id: string;
  id: string;
  record_id: string;
  view: PhotoView;
  content_type: string;
  bytes: number;
  sha256: string;
  data: Buffer;
  created_at: number;
}

export interface Database {
  compounds: CompoundsTable;
  compound_state: CompoundStateTable;
  ledger_events: LedgerEventsTable;
  ledger_heads: LedgerHeadsTable;
  ledger_subjects: LedgerSubjectsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  ledger_published_heads: LedgerPublishedHeadsTable;
  lanes: LanesTable;
  positions: PositionsTable;
  closures: ClosuresTable;
  fire_lanes: FireLanesTable;
  households: HouseholdsTable;
  household_addresses: HouseholdAddressesTable;
  vehicles: VehiclesTable;
  vehicle_plates: VehiclePlatesTable;
  keys: KeysTable;
  guards_on_duty: GuardsOnDutyTable;
  users: UsersTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  visitors: VisitorsTable;
  tasks: TasksTable;
  departures: DeparturesTable;
  idempotency_keys: IdempotencyKeysTable;
  roster: RosterTable;
  shift_definitions: ShiftDefinitionsTable;
  handovers: HandoversTable;
  shift_swaps: ShiftSwapsTable;
  notifications: NotificationsTable;
  notification_outbox: NotificationOutboxTable;
  incidents: IncidentsTable;
  incident_photos: IncidentPhotosTable;
  key_alarms: KeyAlarmsTable;
  partner_lots: PartnerLotsTable;
  partner_lot_exceptions: PartnerLotExceptionsTable;
  bookings: BookingsTable;
  booking_strikes: BookingStrikesTable;
  booking_suspensions: BookingSuspensionsTable;
  partner_rotation: PartnerRotationTable;
  charging_requests: ChargingRequestsTable;
  renovations: RenovationsTable;
  waste_points: WastePointsTable;
  waste_declarations: WasteDeclarationsTable;
  waste_collections: WasteCollectionsTable;
  waste_photos: WastePhotosTable;
  stray_reports: StrayReportsTable;
  sign_in_attempts: SignInAttemptsTable;
  gate_cameras: GateCamerasTable;
  gate_settings: GateSettingsTable;
  gate_reads: GateReadsTable;
  fee_rules: FeeRulesTable;
  monthly_cards: MonthlyCardsTable;
  card_pauses: CardPausesTable;
  bills: BillsTable;
  bill_lines: BillLinesTable;
  payments: PaymentsTable;
  condition_records: ConditionRecordsTable;
  condition_photos: ConditionPhotosTable;
  charging_sessions: ChargingSessionsTable;
  resident_channels: ResidentChannelsTable;
}
