/**
 * @module Who is signed in, asked of the server once as the app starts: the question goes out from the
 * entry, before React and antd have even downloaded, so its answer is there when the shell wants it.
 */
import { get } from './api';
import type { Me } from './types';

/** Set once this browser has signed in; without it a first visit asks nothing and makes no 401. */
export const SIGNED_IN = 'pb_signed_in';

let early: Promise<Me> | null = null;
/** The early question's answer, once it has come. */
let answer: Me | undefined;

/**
 * Sends `GET /api/auth/me` now if this browser signed in before; the shell takes the answer later.
 * Returns the question, or null when nobody signed in here.
 */
export function askWhoIsSignedIn(): Promise<Me> | null {
  if (early === null && localStorage.getItem(SIGNED_IN) !== null) {
    early = get<Me>('/api/auth/me');
    // A failure is not handled here: the shell reads it (an offline start carries on with the last user).
    early.then(
      (m) => {
        answer = m;
      },
      () => undefined,
    );
  }
  return early;
}

/** The answer to the question asked at start, the first time; a new question after that. */
export function whoIsSignedIn(): Promise<Me> {
  const answer = early ?? get<Me>('/api/auth/me');
  early = null;
  return answer;
}

/**
 * The answer to the question asked at start if it has come already, else undefined: a promise's
 * value cannot be read without waiting a turn, and the shell renders at once with what is known.
 */
export function earlyAnswer(): Me | undefined {
  return answer;
}
