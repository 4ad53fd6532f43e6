/**
 * @module The database schema as Kysely sees it. Every table that holds tenant data has
 * `compound_id` first in its primary key, so a city-wide PostgreSQL deployment can distribute rows
 * by compound (e.g. Citus `create_distributed_table(..., 'compound_id')`) without a schema change.
 * Booleans are stored as integers 0/1 and instants as integer milliseconds on both databases.
 */

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
  kind: string;
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
  role: string;
  name: string;
  phone: string;
  /** scrypt hash `scrypt$N$r$p$salt$hash`, or null for an account not yet activated. */
  password_hash: string | null;
  household_id: string | null;
  partner_lot_id: string | null;
}

export interface SessionsTable {
  compound_id: string;
  /** SHA-256 (hex) of the secret part of the token. */
  token_hash: string;
  user_id: string;
  kind: string;
  created_at: number;
  expires_at: number;
}

export interface Database {
  compounds: CompoundsTable;
  compound_state: CompoundStateTable;
  ledger_events: LedgerEventsTable;
  ledger_heads: LedgerHeadsTable;
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
  sessions: SessionsTable;
}

