/**
 * @module The one catalog of domain errors. Each error has a stable `code`; the HTTP error handler
 * and the CLI map its `kind` to a status or an exit code. Core never throws HTTP errors.
 */

/** What kind of failure a code is; the edges decide what that means for HTTP or the CLI. */
export type ErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'rate-limited';

/** Stable codes, each with its kind and a short rule for documentation. */
export const ERROR_CATALOG = {
  VALIDATION: { kind: 'invalid', rule: 'the input does not match its schema' },
  BAD_PLATE: {
    kind: 'invalid',
    rule: 'a plate is a province character, a letter and 5 characters (6 for new-energy plates)',
  },
  FIRE_LANE: { kind: 'invalid', rule: 'no position may stand on a fire lane (消防通道)' },
  LANE_GAP: { kind: 'invalid', rule: 'the positions of a lane are numbered 0, 1, 2, … without a gap' },
  DUPLICATE_POSITION: { kind: 'invalid', rule: 'a position id, or a lane index, appears once in a layout' },
  DUPLICATE_LANE: { kind: 'invalid', rule: 'a lane id appears once in a layout' },
  EMPTY_LANE: { kind: 'invalid', rule: 'a lane has at least one position' },
  BAD_CLOSURE: { kind: 'invalid', rule: 'a closure starts on or before the day it ends' },
  UNAUTHENTICATED: { kind: 'unauthorized', rule: 'sign in first' },
  FORBIDDEN: { kind: 'forbidden', rule: 'your role may not do this' },
  NOT_FOUND: { kind: 'not-found', rule: 'the thing named does not exist in this compound' },
  COMPOUND_EXISTS: { kind: 'conflict', rule: 'a compound id is used once' },
  DUPLICATE_ID: { kind: 'conflict', rule: 'an id is used once in a compound' },
  DUPLICATE_PLATE: { kind: 'conflict', rule: 'a plate is registered once in a compound' },
  POSITION_OCCUPIED: { kind: 'conflict', rule: 'one car stands on a position at a time' },
  POSITION_CLOSED: { kind: 'conflict', rule: 'no car is parked on a closed position' },
  POSITION_TOO_SMALL: { kind: 'conflict', rule: "a car fits the position's size limit" },
  LANE_BLOCKED: {
    kind: 'conflict',
    rule: 'a car moves in or out only when every position between it and an open end is empty',
  },
  NO_KEY_BLOCKING: {
    kind: 'conflict',
    rule: 'a car whose spare key the guards do not hold never stands in front of another car',
  },
  CAR_NOT_ON_SITE: { kind: 'conflict', rule: 'the car must be in the compound for this' },
  CAR_ALREADY_ON_SITE: { kind: 'conflict', rule: 'a car already in the compound cannot check in again' },
  CAR_NOT_AT_GATE: { kind: 'conflict', rule: 'a car is parked only after it is handed over at the gate' },
  CONSENT_REQUIRED: { kind: 'conflict', rule: 'no key is accepted without the household’s key-custody consent' },
  KEY_NOT_IN_CUSTODY: { kind: 'conflict', rule: 'the guards do not hold this key' },
  KEY_ALREADY_IN_CUSTODY: { kind: 'conflict', rule: 'the key is already held by the guards' },
  KEY_NOT_IN_CABINET: { kind: 'conflict', rule: 'a key leaves the cabinet only from the cabinet' },
  KEY_NOT_CHECKED_OUT: { kind: 'conflict', rule: 'only a key that is out can be returned' },
  KEY_HELD_BY_OTHER: { kind: 'conflict', rule: 'the key is held by another guard' },
  KEY_EXISTS: { kind: 'conflict', rule: 'a car has one spare key tag in custody at a time' },
  KEY_NOT_LOST: { kind: 'conflict', rule: 'only a lost key can be found' },
  NOT_ON_DUTY: { kind: 'conflict', rule: 'a guard acts only while on duty' },
  STALE_STATE: { kind: 'conflict', rule: 'the state changed since it was read; reload and try again' },
  BAD_CSV: { kind: 'invalid', rule: 'an import file is UTF-8 CSV with a header row of known columns' },
  MISSING_FIELD: { kind: 'invalid', rule: 'a household row names its building, unit and room' },
  UNKNOWN_UNIT: { kind: 'invalid', rule: "a building and unit follow the pattern of the compound's households" },
  BAD_SIZE: { kind: 'invalid', rule: 'a car size is small, standard or large' },
  BAD_FLAG: { kind: 'invalid', rule: 'a yes/no column is true/false, yes/no, 1/0 or 是/否 (empty is no)' },
  IMPORT_INVALID: {
    kind: 'invalid',
    rule: 'an import is applied only when every row is valid; otherwise nothing is imported',
  },
  ERASURE_BLOCKED: {
    kind: 'conflict',
    rule: 'a household is erased only when the guards hold none of its cars or keys and it has no open booking',
  },
  IMPORT_PARTIAL: {
    kind: 'conflict',
    rule: 'an import whose later rows conflict with a change made meanwhile keeps the chunks already applied',
  },
  UNKNOWN_CONSENT_VERSION: { kind: 'invalid', rule: 'consent is given to a published consent text version' },
  CONSENT_ALREADY_GIVEN: { kind: 'conflict', rule: 'consent to a text version is given once' },
  CONSENT_NOT_GIVEN: { kind: 'conflict', rule: 'only consent in force can be withdrawn' },
  BAD_WINDOW: { kind: 'invalid', rule: 'a visit starts before it ends, ends in the future and lasts at most 7 days' },
  TASK_NOT_OPEN: { kind: 'conflict', rule: 'only a queued or started task can be started, completed or failed' },
  TASK_OF_OTHER: { kind: 'conflict', rule: 'a task is done by the guard it is assigned to' },
  KEY_NEEDS_TASK: {
    kind: 'conflict',
    rule: 'a key leaves the cabinet only for an open task of its car, assigned to you',
  },
  DEPARTURE_IN_PAST: { kind: 'invalid', rule: 'a declared departure lies in the future' },
  OVERRIDE_REASON_REQUIRED: {
    kind: 'invalid',
    rule: 'parking somewhere other than the planned position needs a reason',
  },
  HANDOVER_NOT_OPEN: { kind: 'conflict', rule: 'only an open hand-over can be confirmed' },
  INVITATION_INVALID: {
    kind: 'unauthorized',
    rule: 'an invitation code is used once, before it expires, with the phone it was sent to',
  },
  PHONE_TAKEN: { kind: 'conflict', rule: 'a phone number belongs to one account' },
  IDEMPOTENCY_IN_PROGRESS: { kind: 'conflict', rule: 'a request with this Idempotency-Key is still running' },
  IDEMPOTENCY_KEY_REUSED: { kind: 'invalid', rule: 'an Idempotency-Key is used for one request only' },
  INCIDENT_CLOSED: { kind: 'conflict', rule: 'a resolved or rejected incident takes no photos until it is reopened' },
  RESOLUTION_REQUIRED: {
    kind: 'invalid',
    rule: 'an incident is resolved or rejected with a resolution the resident can read',
  },
  BAD_PHOTO: { kind: 'invalid', rule: 'a photo is a JPEG or PNG of at most 5 MB, base64-encoded' },
  PHOTO_QUOTA: {
    kind: 'conflict',
    rule: 'photos are limited in number and bytes per incident and per household',
  },
  KEY_NOT_OF_VEHICLE: { kind: 'invalid', rule: 'a key tag named with a vehicle is that vehicle’s key' },
  OUTSIDE_WINDOW: {
    kind: 'invalid',
    rule: 'a partner booking lies within the lot’s window that night (with its dated exceptions)',
  },
  BOOKING_OVERLAP: { kind: 'conflict', rule: 'a car has one partner booking a night' },
  SPACE_TAKEN: { kind: 'conflict', rule: 'a partner space is booked once a night' },
  CHARGER_SPACES_FULL: {
    kind: 'conflict',
    rule: 'a partner lot’s charger spaces are booked at most once each a night',
  },
  LOT_FULL: { kind: 'conflict', rule: 'a partner lot takes at most its spaces a night' },
  BOOKING_SUSPENDED: {
    kind: 'conflict',
    rule: 'a household with too many overstays books no partner space until its suspension ends',
  },
  VALET_NOT_ALLOWED: {
    kind: 'conflict',
    rule: 'a guard drives a car to the partner lot only when its resident allowed it',
  },
  BOOKING_NOT_OPEN: {
    kind: 'conflict',
    rule: 'a booking is checked in once, from the window’s start, and checked out after it was checked in',
  },
  RENOVATION_RULE: {
    kind: 'invalid',
    rule: 'a renovation names its kinds of work, dates from today on (at most 180 days) and hours within 08:00–18:00',
  },
  RENOVATION_FORBIDDEN: {
    kind: 'invalid',
    rule: 'load-bearing structure, gas pipes and external-wall openings are never registered as renovation work',
  },
  RENOVATION_STATE: {
    kind: 'conflict',
    rule: 'a renovation is decided once while pending, gets waste and a deposit while approved, and is closed once',
  },
  POINT_FULL: { kind: 'conflict', rule: 'a waste point takes bags up to its capacity until the hauler collects' },
  COLLECTION_DONE: { kind: 'conflict', rule: 'a waste collection is confirmed once, by its hauler, with a photo' },
  STRAY_CLEARED: { kind: 'conflict', rule: 'a stray waste report is cleared once' },
  NOT_ROSTERED: {
    kind: 'forbidden',
    rule: 'a guard goes on duty only in a shift of the roster he is on, or when a manager puts him on duty',
  },
  SWAP_NEEDS_CONSENT: {
    kind: 'forbidden',
    rule: 'a shift swap takes effect only when the other guard accepts it',
  },
  SWAP_NOT_PENDING: { kind: 'conflict', rule: 'only a pending shift swap can be accepted or declined' },
  SIGN_IN_DELAYED: {
    kind: 'rate-limited',
    rule: 'after repeated wrong passwords or codes for one phone, the next try waits a growing delay (Retry-After)',
  },
  ACCOUNT_LOCKED: {
    kind: 'rate-limited',
    rule: 'after too many wrong passwords or codes for one phone, sign-in is locked until a manager lifts it',
  },
  ACCOUNT_DISABLED: { kind: 'forbidden', rule: 'a disabled account cannot sign in; a manager enables it again' },
  CROSS_SITE_REQUEST: {
    kind: 'forbidden',
    rule: 'a change with the session cookie comes from the app’s own origin (Sec-Fetch-Site or Origin)',
  },
  WRONG_PASSWORD: { kind: 'invalid', rule: 'the current password is needed to set a new one' },
  SELF_DISABLE: { kind: 'conflict', rule: 'a manager does not disable their own account' },
  CAMERA_REFUSED: {
    kind: 'unauthorized',
    rule: 'a gate camera is registered, and sends its secret or calls from an allowed address',
  },
  DECISION_CLOSED: { kind: 'conflict', rule: 'a gate decision is taken once' },
  BAD_AMOUNT: { kind: 'invalid', rule: 'an amount is a whole, non-negative number of fen' },
  BAD_SIGNATURE: { kind: 'unauthorized', rule: 'a payment callback is signed with the gateway secret' },
  CARD_EXISTS: { kind: 'conflict', rule: 'a car holds one monthly card at a time' },
  BAD_PAUSE: { kind: 'invalid', rule: 'a pause (报停) starts tomorrow or later and ends on or after its start' },
  BILL_EXISTS: { kind: 'conflict', rule: 'a household gets one bill a month' },
  CONDITION_NOT_OPEN: { kind: 'conflict', rule: 'a condition record takes photos until it is acknowledged' },
} as const satisfies Record<string, { kind: ErrorKind; rule: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface DomainErrorOptions {
  /** The input field the error is about, as a path such as `lanes[2].positions[0].index`. */
  field?: string;
  cause?: unknown;
  /** For `rate-limited` errors: when the caller may try again (the HTTP edge sends `Retry-After`). */
  retryAfterMs?: number;
  /** The cars and place the error is about, by id, for `nameRefusal` (src/core/refusal-names.ts). */
  subjects?: RefusalSubjects;
  /** What the error is about in names people know (plates, place labels); sent to clients as `details`. */
  details?: ErrorDetails;
}

/** Ids an error is about; an edge that knows plates and place labels turns them into `ErrorDetails`. */
export interface RefusalSubjects {
  vehicleId?: string;
  blockerIds?: readonly string[];
  positionId?: string;
  /** The message with `{car}`, `{blockers}` and `{place}` where the names go. */
  template: string;
}

/** `plate` of the car, `blockers` (their plates, masked when not the viewer's), `place` (lane and position). */
export interface ErrorDetails {
  plate?: string;
  blockers?: string[];
  place?: string;
}

/** An expected failure with a stable code, a message for people, and the field it concerns. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly subjects: RefusalSubjects | undefined;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
    this.subjects = options.subjects;
    this.details = options.details;
  }

  get kind(): ErrorKind {
    return ERROR_CATALOG[this.code].kind;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
