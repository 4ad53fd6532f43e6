/**
 * @module What route plugins share: the plugin type, the documented error responses and the
 * security requirement, so every route describes its failures and its sign-in the same way.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from './error-handler.js';

/**
 * A group of routes, registered by `buildServer` under `/api`. It is typed with the zod type
 * provider, so `request.body` and friends have the types of the route's schemas.
 */
export type RoutePlugin = FastifyPluginAsyncZod;

/** A documented error response; the schema is kept whole so the document refers to `Error` once. */
function failure(description: string) {
  return { description, content: { 'application/json': { schema: errorBodySchema } } };
}

/** Every status the error handler answers with, each with the one error shape. */
export const errorResponses = {
  400: failure('the input is malformed or breaks a rule (`VALIDATION`, `BAD_JSON`, or a domain code)'),
  401: failure('not signed in (`UNAUTHENTICATED`)'),
  403: failure('signed in, but the role may not do this (`FORBIDDEN`)'),
  404: failure('the thing named does not exist (`NOT_FOUND`)'),
  409: failure('the request conflicts with the current state (a domain code)'),
  429: failure(
    'too many tries: `TOO_MANY_REQUESTS` (per address), `SIGN_IN_DELAYED` or `ACCOUNT_LOCKED` (per phone); see `Retry-After`',
  ),
  500: failure('a bug; the body says only "internal error" (`INTERNAL`)'),
  413: failure('the body is larger than the route accepts (`PAYLOAD_TOO_LARGE`)'),
  414: failure('a path parameter is too long (`BAD_REQUEST`)'),
  415: failure('the body is not of a type the route reads, e.g. not JSON (`UNSUPPORTED_MEDIA_TYPE`)'),
} as const;

/** Picks the error responses a route can give, e.g. `...pickErrors(400, 409)` in `schema.response`. */
export function pickErrors<S extends keyof typeof errorResponses>(...statuses: S[]): Pick<typeof errorResponses, S> {
  const picked = {} as Pick<typeof errorResponses, S>;
  for (const status of statuses) picked[status] = errorResponses[status];
  return picked;
}

/** `schema.security` for routes that need a signed-in user: the session cookie or a bearer token. */
export const signedIn: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

/**
 * An `onRoute` hook: documents the refusals Fastify itself gives before a handler runs, so no
 * route can answer a status it does not document (found by test/fuzz.test.ts): 400 for a route
 * with parameters, a query or a body, and for every change (a malformed Idempotency-Key); 414 for
 * one with path parameters; 413 and 415 for one that takes a body (a sent body is parsed by its
 * content type even where the route reads none). Routes keep documenting their own domain errors
 * with `pickErrors`.
 */
export function documentRequestErrors(route: {
  url: string;
  method: string | string[];
  schema?: { params?: unknown; querystring?: unknown; body?: unknown; response?: unknown };
}): void {
  const schema = route.schema;
  if (schema?.response === undefined || !route.url.startsWith('/api/')) return;
  const response = schema.response as Record<string, unknown>;
  const add = (status: keyof typeof errorResponses) => {
    if (!(status in response)) response[status] = errorResponses[status];
  };
  if (schema.params !== undefined || schema.querystring !== undefined || schema.body !== undefined) add(400);
  if (route.url.includes(':')) add(414);
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (schema.body !== undefined || methods.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))) {
    // A change may carry an Idempotency-Key header, refused with 400 when malformed.
    add(400);
    add(413);
    add(415);
  }
}
