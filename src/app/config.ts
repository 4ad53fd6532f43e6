/**
 * @module Configuration from the environment: `PORT` (default 3000), `HOST` (default 0.0.0.0),
 * `PARKBUTLER_DATA` (the data directory holding the SQLite database, default `./data`),
 * `DATABASE_URL` (PostgreSQL instead of SQLite when set), `PARKBUTLER_TRUST_PROXY` (which reverse
 * proxies' forwarded headers to believe) and `PARKBUTLER_SIGN_IN_LIMIT` (sign-in calls per
 * client address and minute).
 */
import { DomainError } from '../core/errors.js';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Fastify's `trustProxy`: false, true (any peer), or the proxies' addresses and CIDRs. */
  trustProxy: boolean | string[];
  signInPerMinute: number | undefined;
}

/**
 * `PARKBUTLER_TRUST_PROXY`: unset or `false`; `true` (any peer: only when nothing but the proxy can
 * reach the server); or the proxies' comma-separated addresses and CIDRs, e.g. `127.0.0.1,10.0.0.0/8`.
 */
export function trustProxyFromEnv(text: string | undefined): boolean | string[] {
  const value = (text ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DomainError('VALIDATION', `PORT: "${portText}" is not a port number (an integer from 0 to 65535)`, {
      field: 'PORT',
    });
  }
  const databaseUrl = env.DATABASE_URL === undefined || env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new DomainError('VALIDATION', 'DATABASE_URL: must be a PostgreSQL URL such as postgres://user@host:5432/db', {
      field: 'DATABASE_URL',
    });
  }
  const perMinuteText = env.PARKBUTLER_SIGN_IN_LIMIT;
  const signInPerMinute = perMinuteText === undefined || perMinuteText === '' ? undefined : Number(perMinuteText);
  if (signInPerMinute !== undefined && !(Number.isInteger(signInPerMinute) && signInPerMinute > 0)) {
    throw new DomainError('VALIDATION', `PARKBUTLER_SIGN_IN_LIMIT: "${perMinuteText}" is not a positive whole number`, {
      field: 'PARKBUTLER_SIGN_IN_LIMIT',
    });
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.PARKBUTLER_DATA ?? './data',
    databaseUrl,
    trustProxy: trustProxyFromEnv(env.PARKBUTLER_TRUST_PROXY),
    signInPerMinute,
  };
}
