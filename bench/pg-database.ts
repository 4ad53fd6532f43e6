/**
 * @module A PostgreSQL database of one's own beside the one a URL names, for the API bench and the
 * process-level tests: servers started as processes use the default schema, so each run gets its
 * own database and collides with nobody.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates a new, empty database on the server of `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'pbt'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by `createDatabase`, closing the connections still open to it. */
export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
  await client.end();
}
