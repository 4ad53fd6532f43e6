/**
 * @module The status and kind values the compound's records take, one union each. The store types
 * its columns with them and the use cases read rows without casts; routes build their enums from
 * the lists.
 */

/** What an account may do in its compound. */
export const ROLES = ['manager', 'guard', 'resident', 'partner', 'committee'] as const;
export type Role = (typeof ROLES)[number];

/** What sign-in asks for: a browser `session`, or an integration's `token` (with a refresh token). */
export type TokenKind = 'session' | 'token';
/** How a sessions row is used: the two kinds above, and the refresh token that renews a `token`. */
export type SessionKind = TokenKind | 'refresh';

/** A guard's task: park a car from the gate, move a blocker, or deliver a car to the gate. */
export type TaskKind = 'park' | 'move' | 'deliver';
/** A task is `queued` until a guard starts it, then `started`, and ends `done`, `failed` or `cancelled`. */
export type TaskStatus = 'queued' | 'started' | 'done' | 'failed' | 'cancelled';

/** A declared departure: one time (`once`), a weekly time (`standing`), or right away (`now`). */
export type DepartureKind = 'once' | 'standing' | 'now';
/** A departure is `active` until the car leaves (`done`) or the resident withdraws it (`cancelled`). */
export type DepartureStatus = 'active' | 'done' | 'cancelled';

/** A partner-lot booking's life: booked, checked in and out at the partner, or cancelled; an overstay after leave-by. */
export type BookingStatus = 'booked' | 'cancelled' | 'checked-in' | 'checked-out' | 'overstay';

/** Where a resident is told: WeChat, SMS, or only the in-app feed. */
export type Channel = 'wechat' | 'sms' | 'inapp';
/** An outbox row is `pending` until delivered (`sent`) or given up (`failed`). */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

export const INCIDENT_KINDS = ['damage', 'lost-key', 'handover-mismatch', 'complaint'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved', 'rejected'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A shift swap waits for the other guard's consent. */
export type SwapStatus = 'pending' | 'accepted' | 'declined';
/** A hand-over between shifts is `open` until the incoming guards confirm the keys. */
export type HandoverStatus = 'open' | 'closed';

/** A gate camera reads cars coming `in` or going `out`. */
export type GateDirection = 'in' | 'out';
/** What the barrier does with a plate no rule admits, until a guard decides. */
export type UnknownPlateRule = 'hold' | 'open';
/** The barrier's answer to a read: open (`ok`) or stay shut (`no`). */
export type Barrier = 'ok' | 'no';
/** What came of a plate read at the gate. */
export type ReadOutcome =
  | 'resident'
  | 'visitor'
  | 'already-on-site'
  | 'unknown'
  | 'proposed'
  | 'departed'
  | 'valet'
  | 'not-on-site'
  | 'unknown-out'
  | 'fee-due'
  | 'duplicate';
/** A guard's decision on a held read. */
export type GateDecision = 'admitted' | 'refused' | 'confirmed' | 'paid' | 'waived';

/** How a payment arrived: recorded by the manager (cash, transfer) or by the gateway's callback. */
export type PaymentMethod = 'cash' | 'transfer' | 'gateway';
/** The usage a household is billed for besides its cards. */
export type UsageKind = 'visitor' | 'partner' | 'ev' | 'waste';
/** A bill line: a card's month, an adjustment of an earlier month, or a usage. */
export type BillLineKind = 'card' | 'adjustment' | UsageKind;

/** A condition record is taken when the guard takes the car (`check-in`) or gives it back (`delivery`). */
export type ConditionStage = 'check-in' | 'delivery';
/** The corner (or a detail) a condition photo is taken from. */
export type PhotoView = 'front-left' | 'front-right' | 'rear-left' | 'rear-right' | 'detail';
