/**
 * @module Password hashing with scrypt (node:crypto): `scrypt$N$r$p$salt$hash`, compared in constant
 * time. A check against no stored hash (an unknown phone, an account not yet activated) still runs
 * scrypt, on a dummy hash, so the time of a refusal does not tell whether the account exists.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };

/**
 * The key derivation every check goes through; an object so a test can count the derivations (both
 * refusal paths must pay for one).
 */
export const passwordHasher = {
  derive: (password: string, salt: Buffer, keylen: number, params: typeof PARAMS): Promise<Buffer> =>
    scrypt(password, salt, keylen, params),
};

/** A well-formed hash of no known password, with the parameters of real ones, for refusals to pay the same work. */
const DUMMY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await passwordHasher.derive(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True when `password` matches `stored`; with no (or an unreadable) stored hash, false after the same work. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = parseHash(stored);
  const usable = parsed ?? parseHash(DUMMY_HASH)!;
  const actual = await passwordHasher.derive(password, usable.salt, usable.hash.length, usable.params);
  return parsed !== null && timingSafeEqual(actual, usable.hash);
}

function parseHash(stored: string | null): { salt: Buffer; hash: Buffer; params: typeof PARAMS } | null {
  if (stored === null) return null;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return null;
  return { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64'), params };
}
