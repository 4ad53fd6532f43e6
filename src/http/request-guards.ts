/**
 * @module Two checks on every change (POST, PUT, PATCH, DELETE) that keep other web sites from acting
 * with a resident's or a guard's session cookie. A request without `Authorization` rides on the
 * cookie, so it must come from the app's own origin: a browser says so in `Sec-Fetch-Site`
 * (`same-origin`, or `none` for what the user typed), and older browsers in `Origin`. A request
 * with a bearer token is exempt: no other site can make a browser send one. And a change is sent as
 * `application/json` (or a type its route declares in `schema.consumes`, e.g. `text/csv`): forms and
 * `text/plain`, which a page elsewhere can send without asking, answer 415, body or none.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** onRequest: a cookie-borne change from another origin answers 403 `CROSS_SITE_REQUEST`. */
export async function sameOriginGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!MUTATING.has(request.method) || request.headers.authorization !== undefined) return;
  const site = single(request.headers['sec-fetch-site']);
  if (site !== undefined) {
    if (ALLOWED_FETCH_SITES.has(site)) return;
    throw new DomainError(
      'CROSS_SITE_REQUEST',
      `headers.sec-fetch-site: a change with the session cookie comes from this site, not "${site}"`,
      { field: 'headers.sec-fetch-site' },
    );
  }
  const origin = single(request.headers.origin);
  if (origin === undefined) return; // not a browser: no other site is acting through it
  const own = `${request.protocol}://${request.host}`;
  if (origin.toLowerCase() !== own.toLowerCase()) {
    throw new DomainError(
      'CROSS_SITE_REQUEST',
      `headers.origin: a change with the session cookie comes from ${own}, not ${origin}`,
      { field: 'headers.origin' },
    );
  }
}

/** An error Fastify's way (`statusCode`), so the one error handler answers it with its code. */
function unsupportedMediaType(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 415 });
}

/** preValidation (after the access check, so a stranger still gets 401 first): changes are JSON. */
export async function jsonOnlyGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!MUTATING.has(request.method)) return;
  const header = request.headers['content-type'];
  if (header === undefined) {
    const length = Number(request.headers['content-length'] ?? '0');
    if (request.headers['transfer-encoding'] === undefined && !(length > 0)) return;
    throw unsupportedMediaType('headers.content-type: a request body is sent as application/json');
  }
  const type = (header.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/json') return;
  const consumes = request.routeOptions.schema?.consumes ?? [];
  if (consumes.includes(type)) return;
  throw unsupportedMediaType(
    `headers.content-type: this route takes ${['application/json', ...consumes].join(' or ')}, not ${type || 'an empty type'}`,
  );
}
