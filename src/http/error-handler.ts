/**
 * @module The one place an HTTP status is decided. Core and use cases throw `DomainError`s with a
 * `kind`; Fastify reports malformed requests; everything else is a bug. All three answer in one
 * shape, `{"error":{"code","message","field"?,"details"?}}`, so clients handle failures in one way.
 * A body or query that breaks its schema (`VALIDATION`) also says which rule it broke in `details`
 * (the zod issue code and its limit), so an interface can say it in the user's language.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ErrorKind } from '../core/errors.js';
import { ERROR_CATALOG, assertNever, isDomainError } from '../core/errors.js';

/** Codes only the HTTP edge produces: the request itself was unreadable, or the server failed. */
export const HTTP_ERROR_CODES = [
  'BAD_JSON',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'INTERNAL',
] as const;

/**
 * The rules an input can break, as zod names its issue codes; a client words each in its own language.
 * An issue of a validator other than zod is reported as `custom`.
 */
const INPUT_RULES = [
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_format',
  'invalid_value',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'custom',
] as const;
type InputRule = (typeof INPUT_RULES)[number];

const ALL_CODES = [...(Object.keys(ERROR_CATALOG) as (keyof typeof ERROR_CATALOG)[]), ...HTTP_ERROR_CODES];

/** Registered under the id `Error`, so the OpenAPI document holds it once and routes refer to it. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ALL_CODES).describe('stable; clients branch on it'),
      message: z.string().describe('for people; names the field and the rule when the input was wrong'),
      field: z.string().optional().describe('the input the error is about, e.g. `body.plate` or `body.lanes[2].id`'),
      details: z
        .object({
          plate: z.string().optional().describe('the plate of the car the refusal is about'),
          blockers: z.array(z.string()).optional().describe('plates of the cars in the way (others masked: 沪A·***45)'),
          place: z.string().optional().describe('the place as people say it: lane name and position from the open end'),
          rule: z
            .enum(INPUT_RULES)
            .optional()
            .describe('`VALIDATION`: the rule `field` broke, as zod names it (its first issue; `message` lists all)'),
          limit: z
            .number()
            .optional()
            .describe('`too_small`/`too_big`: the least or most allowed; `not_multiple_of`: the divisor'),
          inclusive: z.boolean().optional().describe('`too_small`/`too_big`: whether `limit` itself is allowed'),
          origin: z
            .string()
            .optional()
            .describe('`too_small`/`too_big`: what was measured: `string` (characters), `number`, `array` (items)…'),
          expected: z.string().optional().describe('`invalid_type`: the type wanted, e.g. `string`, `number`, `int`'),
          format: z.string().optional().describe('`invalid_format`: the format wanted, e.g. `regex`, `email`, `date`'),
          values: z.array(z.string()).optional().describe('`invalid_value`: the values allowed'),
        })
        .optional()
        .describe(
          'what the refusal is about in names people know, never internal ids; for `VALIDATION`, the rule broken',
        ),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
export type ErrorCodeOnWire = ErrorBody['error']['code'];

export interface HttpFailure {
  status: number;
  body: ErrorBody;
  /** Seconds until a rate-limited caller may try again; sent as `Retry-After`. */
  retryAfterSeconds?: number;
}

export function statusOfKind(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'rate-limited':
      return 429;
    default:
      return assertNever(kind, 'error kind');
  }
}

export function errorBody(
  code: ErrorCodeOnWire,
  message: string,
  field?: string,
  details?: ErrorBody['error']['details'],
): ErrorBody {
  return {
    error: { code, message, ...(field === undefined ? {} : { field }), ...(details === undefined ? {} : { details }) },
  };
}

/** Statuses Fastify or a plugin may attach to a request-level error, and the code each answers with. */
const REQUEST_ERROR_CODES: Readonly<Record<number, ErrorCodeOnWire>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Decides the status and body for anything thrown while handling a request. Pure, so the mapping
 * is tested without a server. Whatever is not recognised is a bug: 500 `INTERNAL`, with nothing of
 * the error itself in the body.
 */
export function toHttpFailure(error: unknown): HttpFailure {
  if (isDomainError(error)) {
    const failure = {
      status: statusOfKind(error.kind),
      body: errorBody(error.code, error.message, error.field, error.details),
    };
    if (error.retryAfterMs === undefined) return failure;
    return { ...failure, retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) };
  }
  if (!(error instanceof Error)) return internalFailure();

  const { code, statusCode, validation, validationContext } = error as Error & FastifyErrorFields;
  if (Array.isArray(validation) && validation.length > 0) {
    return { status: 400, body: validationBody(validation, validationContext) };
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, body: errorBody('BAD_JSON', `body: ${error.message}`, 'body') };
  }
  // Fastify and its plugins mark errors the client caused with a 4xx status; their messages are
  // written for the client (Fastify's own handler shows them), so they are passed on.
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: errorBody(REQUEST_ERROR_CODES[statusCode] ?? 'BAD_REQUEST', error.message) };
  }
  return internalFailure();
}

function internalFailure(): HttpFailure {
  return { status: 500, body: errorBody('INTERNAL', 'internal error') };
}

/** The fields Fastify puts on errors it raises; all optional, since any Error may arrive here. */
interface FastifyErrorFields {
  code?: unknown;
  statusCode?: unknown;
  validation?: ValidationIssue[];
  validationContext?: string;
}

/** Fastify's `FastifySchemaValidationError`, as much of it as is read here. */
interface ValidationIssue {
  instancePath: string;
  message?: string;
  /** The zod issue code (fastify-type-provider-zod), or an Ajv keyword. */
  keyword?: string;
  /** The zod issue's other properties: `minimum`, `maximum`, `inclusive`, `origin`, `expected`, `format`, `values`… */
  params?: Record<string, unknown>;
}

/** The request part as a client names it: Fastify says `querystring` where the request has `query`. */
const CONTEXT_NAMES: Readonly<Record<string, string>> = { querystring: 'query' };

/**
 * One message for all issues, so a client fixes everything in one round; `field` is the first.
 * The zod type provider writes the issue path as `/lanes/2/id`; it becomes `body.lanes[2].id`,
 * the path style of `DomainError.field`.
 */
function validationBody(issues: ValidationIssue[], context = 'body'): ErrorBody {
  const part = CONTEXT_NAMES[context] ?? context;
  const described = issues.map((issue) => {
    const field = part + fieldPath(issue.instancePath);
    // zod opens most messages with "Invalid input: "; the field name says that already.
    const rule = (issue.message ?? 'is invalid').replace(/^Invalid input: /, '');
    return { field, text: `${field}: ${rule}` };
  });
  const first = issues[0];
  return errorBody(
    'VALIDATION',
    described.map((d) => d.text).join('; '),
    described[0]?.field,
    first === undefined ? undefined : ruleOf(first),
  );
}

const isInputRule = (keyword: unknown): keyword is InputRule => INPUT_RULES.some((r) => r === keyword);

/** The rule an issue broke and its limit, from the zod issue the type provider passes on as `keyword` and `params`. */
function ruleOf(issue: ValidationIssue): ErrorBody['error']['details'] {
  const p = issue.params ?? {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const limit = num(p.minimum) ?? num(p.maximum) ?? num(p.divisor);
  const details: NonNullable<ErrorBody['error']['details']> = {
    rule: isInputRule(issue.keyword) ? issue.keyword : 'custom',
    ...(limit === undefined ? {} : { limit }),
    ...(typeof p.inclusive === 'boolean' ? { inclusive: p.inclusive } : {}),
  };
  const origin = text(p.origin);
  const expected = text(p.expected);
  const format = text(p.format);
  if (origin !== undefined) details.origin = origin;
  if (expected !== undefined) details.expected = expected;
  if (format !== undefined) details.format = format;
  if (Array.isArray(p.values)) details.values = p.values.map((v) => String(v));
  return details;
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}

/** The handler installed on the root instance; route plugins inherit it and must not set their own. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = toHttpFailure(error);
  if (failure.status >= 500) {
    // The request id comes with `request.log`; the client gets only "internal error".
    request.log.error({ err: error }, 'request failed');
  }
  if (failure.retryAfterSeconds !== undefined) void reply.header('retry-after', String(failure.retryAfterSeconds));
  return reply.code(failure.status).send(failure.body);
}
