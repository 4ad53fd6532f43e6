/**
 * @module Configuration from the environment: `PORT` (default 3000), `HOST` (default 0.0.0.0),
 * `PARKBUTLER_DATA` (the data directory holding the SQLite database, default `./data`) and
 * `DATABASE_URL` (PostgreSQL instead of SQLite when set).
 */
import { DomainError } from '../core/errors.js';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
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
  return { port, host: env.HOST ?? '0.0.0.0', dataDir: env.PARKBUTLER_DATA ?? './data', databaseUrl };
}
