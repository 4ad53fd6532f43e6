/** @module Talking to the server: GET with the session cookie, and the error shape every route answers with. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

/** A request that never reached the server (offline, dropped connection), as opposed to a refusal. */
export class NetworkError extends Error {}

export async function parseReply<T>(res: Response): Promise<T> {
  const text = await res.text();
  const body = text === '' ? null : (JSON.parse(text) as unknown);
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? 'HTTP_' + res.status,
      err?.message ?? res.statusText,
      err?.field ?? null,
    );
  }
  return body as T;
}

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
