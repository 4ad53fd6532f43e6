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

export const INCIDENT_KINDS = ['damage', 'lost-key', 'handover-mismatch', 'complaint'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved', 'rejected'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A shift swap waits for the other guard's consent. */
export type SwapStatus = 'pending' | 'accepted' | 'declined';
/** A hand-over between shifts is `open` until the incoming guards confirm the keys. */
export type HandoverStatus = 'open' | 'closed';
