/**
 * @module Talking to the server: requests with the session cookie, and the error shape every route
 * answers with. `api` is typed from the OpenAPI document (web/src/api-schema.gen.ts): paths, parameters,
 * bodies and replies are checked at compile time, so a screen never names a reply type by hand.
 */
import createClient from 'openapi-fetch';
import type { paths } from './api-schema.gen';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
    /** What the refusal is about, in names people know (plates, places); see `details` in the Error schema. */
    readonly details: Readonly<Record<string, unknown>> | null = null,
  ) {
    super(message);
  }
}

/** A request that never reached the server (offline, dropped connection), as opposed to a refusal. */
export class NetworkError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The refusal a reply body carries (`{"error":{code,message,field?,details?}}`), read without trusting it. */
export function apiError(status: number, statusText: string, body: unknown): ApiError {
  const err = isRecord(body) && isRecord(body.error) ? body.error : {};
  return new ApiError(
    status,
    str(err.code) ?? 'HTTP_' + status,
    str(err.message) ?? statusText,
    str(err.field) ?? null,
    isRecord(err.details) ? err.details : null,
  );
}

async function fetchOrOffline(input: Request): Promise<Response> {
  try {
    return await fetch(input);
  } catch (cause) {
    throw new NetworkError('network', { cause });
  }
}

/** The typed client: `await unwrap(api.GET('/api/vehicles/{vehicleId}', { params: { path: { vehicleId } } }))`. */
export const api = createClient<paths>({ credentials: 'same-origin', fetch: fetchOrOffline });

/** The JSON reply of a typed call, or its refusal thrown as an `ApiError` (an empty reply is refused too). */
export async function unwrap<D, E>(
  call: Promise<{ data: D; error?: never; response: Response } | { data?: never; error: E; response: Response }>,
): Promise<NonNullable<D>> {
  const r = await call;
  if (r.error !== undefined || r.data === undefined || r.data === null)
    throw apiError(r.response.status, r.response.statusText, r.error ?? null);
  return r.data;
}

export async function parseReply<T>(res: Response): Promise<T> {
  const text = await res.text();
  const body: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) throw apiError(res.status, res.statusText, body);
  return body as T;
}

/**
 * An untyped request, for the offline action queue (web/src/actions.ts), which stores method, path and
 * body as data and so cannot name the route at compile time. Screens use `api`.
 */
export async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (cause) {
    throw new NetworkError('network', { cause });
  }
  return parseReply<T>(res);
}

export const get = <T>(path: string): Promise<T> => send<T>('GET', path);
