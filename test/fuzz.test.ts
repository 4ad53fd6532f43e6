/**
 * Hostile input over the whole API (issue 14, item 9): for every route of the OpenAPI document and
 * every role (and no session), fast-check generates requests — wrong types, huge and unicode
 * strings, missing and extra fields, bad ids and query values, odd headers — with a fixed seed and
 * a bounded number of runs. Every reply must be documented: no 500, a status the route documents,
 * a body valid against its documented schema, and no change of state on a 4xx (fingerprint: every
 * compound's ledger head and the row count of every table but the idempotency replies, which are
 * stored for 4xx too, by design).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { PostgresAdapter, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

/** The fixed seed: a failure names it, and the same run repeats it. */
const SEED = 20261207;
/** Requests per route and role. */
const RUNS = 2;

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
};
interface Operation {
  parameters?: { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const PHONES = {
  manager: '13800000001',
  guard: '13800000011',
  resident: '13800000101',
  partner: '13800000201',
  committee: '13800000301',
} as const;
type Who = keyof typeof PHONES | 'anonymous';
const WHO: Who[] = ['anonymous', 'manager', 'guard', 'resident', 'partner', 'committee'];

/** Routes a fuzzer must not call: the live stream never ends; sign-out and erasure end the session under test. */
const SKIP = new Set(['GET /api/notifications/stream', 'POST /api/auth/logout', 'POST /api/me/erasure']);

/** Ids of the demo, so some requests reach past "not found". */
const KNOWN_IDS = ['jinfang', 'v001', 'v003', 'K-v001', 'K-v003', 'r001', 'g01', 'L01', 'L01-0', 'bus-station'];

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    '%',
    '沪A12345',
    '<script>',
    "' OR 1=1 --",
    'NaN',
    '-1',
    '1e999',
  ),
  fc.integer({ min: 5000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(...KNOWN_IDS),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A value for one documented property: sometimes a valid-looking one (an enum member), mostly hostile. */
function valueFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const valid: fc.Arbitrary<unknown>[] = [];
  if (schema?.enum !== undefined && schema.enum.length > 0) valid.push(fc.constantFrom(...schema.enum));
  if (schema?.type === 'integer' || schema?.type === 'number') valid.push(fc.integer({ min: -5, max: 10_000 }));
  if (schema?.type === 'boolean') valid.push(fc.boolean());
  return valid.length === 0 ? hostileValue : fc.oneof(...valid, hostileValue);
}

/** A body: nothing, any JSON, or the documented object with fields dropped, mistyped and added. */
function bodyFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const props = Object.entries(schema?.properties ?? {});
  const shaped = fc
    .tuple(
      ...props.map(([name, s]) => fc.option(valueFor(s), { nil: undefined }).map((v) => [name, v] as const)),
      fc.option(fc.tuple(fc.string({ maxLength: 8 }), hostileValue), { nil: undefined }),
    )
    .map((entries) => {
      const out: Record<string, unknown> = {};
      for (const e of entries) if (e !== undefined && e[1] !== undefined) out[String(e[0])] = e[1];
      return out;
    });
  return fc.oneof({ weight: 3, arbitrary: shaped }, fc.constant(undefined), fc.jsonValue());
}

interface FuzzRequest {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

function requestFor(path: string, op: Operation): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const jsonBody = op.requestBody?.content['application/json']?.schema;
  return fc
    .record({
      path: fc.tuple(...pathParams.map(() => hostileString)),
      query: fc.tuple(
        ...queryParams.map((p) => fc.option(valueFor(p.schema), { nil: undefined })),
        fc.option(hostileString, { nil: undefined }),
      ),
      body: op.requestBody === undefined ? fc.constant(undefined) : bodyFor(jsonBody),
      headers: fc.record(
        {
          'idempotency-key': fc.oneof(hostileString, fc.uuid()),
          'content-type': fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin1',
          ),
          cookie: fc.constantFrom('pb_session=forged', 'pb_session=', '\u00ff=\u00ff'),
          'accept-language': hostileString,
        },
        { requiredKeys: [] },
      ),
    })
    .map(({ path: values, query, body, headers }) => {
      let url = path;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeURIComponent(String(values[i] ?? '')).slice(0, 4000) || 'x');
      });
      const search = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const v = query[i];
        if (v !== undefined) search.append(p.name, typeof v === 'string' ? v : JSON.stringify(v));
      });
      const extra = query[queryParams.length];
      if (extra !== undefined) search.append('extra', String(extra));
      const qs = search.toString();
      return { url: qs === '' ? url : `${url}?${qs}`, body, headers: headers as Record<string, string> };
    });
}

let world: ResidentsWorld;
let doc: Doc;
let tables: string[];
const tokens = new Map<Who, string>();
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
formats.default(ajv);
ajv.addFormat('binary', true);
const validators = new Map<Schema, ValidateFunction>();

beforeAll(async () => {
  world = await residentsWorld(BACKENDS.at(-1));
  doc = (await world.app.inject({ method: 'GET', url: '/openapi.json' })).json<Doc>();
  ajv.addSchema({ $id: 'doc', components: doc.components });
  const db = world.ctx.store.db;
  // On PostgreSQL only the tables of this store's own schema (other tests' schemas share the database).
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
      : undefined;
  tables = (await db.introspection.getTables())
    .filter((t) => schema === undefined || t.schema === schema)
    .map((t) => t.name)
    .filter((t) => t !== 'idempotency_keys' && !t.startsWith('kysely_'))
    .sort();
  for (const who of WHO) if (who !== 'anonymous') tokens.set(who, await world.login(PHONES[who]));
}, 120_000);
afterAll(() => world.close());

/** The ledger heads of every compound and the row count of every table, in one query. */
async function fingerprint(): Promise<string> {
  const db = world.ctx.store.db;
  const heads = await db.selectFrom('ledger_heads').selectAll().orderBy('compound_id').execute();
  const counts = await sql
    .raw(`select ${tables.map((t, i) => `(select count(*) from ${t}) as c${i}`).join(', ')}`)
    .execute(db);
  return JSON.stringify([heads, counts.rows]);
}

function validatorFor(schema: Schema): ValidateFunction {
  const known = validators.get(schema);
  if (known !== undefined) return known;
  const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as Schema;
  const compiled = ajv.compile(rewritten);
  validators.set(schema, compiled);
  return compiled;
}

/** What is wrong with one reply, or null. */
function problemOf(op: Operation, status: number, contentType: string, body: string): string | null {
  if (status >= 500) return `answered ${status}: ${body.slice(0, 200)}`;
  const documented = op.responses[String(status)] ?? op.responses.default;
  if (documented === undefined) return `answered ${status}, which it does not document: ${body.slice(0, 200)}`;
  if (!contentType.startsWith('application/json')) return null;
  const schema = documented.content?.['application/json']?.schema;
  if (schema === undefined) return null;
  const validate = validatorFor(schema);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `answered ${status} with a body that is not JSON`;
  }
  return validate(json)
    ? null
    : `answered ${status} with a body that does not match its schema: ${ajv.errorsText(validate.errors)} — ${body.slice(0, 200)}`;
}

describe('hostile input on every route, as every role', () => {
  it('never answers 500, keeps the state on a 4xx, and answers as documented', async () => {
    const failures: string[] = [];
    let requests = 0;
    /** The fingerprint after the last request, while no request since may have changed the state. */
    let known: string | null = null;
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
      .filter(({ path, method }) => !SKIP.has(`${method.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThan(60);
    for (const [i, { path, method, op }] of operations.entries()) {
      for (const [w, who] of WHO.entries()) {
        const key = `${who} ${method.toUpperCase()} ${path}`;
        await fc.assert(
          fc.asyncProperty(requestFor(path, op), async (req) => {
            const before = known ?? (await fingerprint());
            const token = tokens.get(who);
            const payload =
              req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
            const r = await world.app.inject({
              method: method.toUpperCase() as 'GET',
              url: req.url,
              headers: {
                ...req.headers,
                ...(payload !== undefined && req.headers['content-type'] === undefined
                  ? { 'content-type': 'application/json' }
                  : {}),
                ...(token === undefined ? {} : { authorization: token }),
              },
              ...(payload === undefined ? {} : { payload }),
            });
            requests++;
            const problem = problemOf(op, r.statusCode, String(r.headers['content-type'] ?? ''), r.body);
            if (problem !== null) failures.push(`${key} ${req.url.slice(0, 120)}: ${problem}`);
            known = null;
            if (r.statusCode >= 400 && r.statusCode < 500) {
              const after = await fingerprint();
              if (after !== before)
                failures.push(`${key} ${req.url.slice(0, 120)}: answered ${r.statusCode} but changed the state`);
              known = after;
            }
          }),
          { seed: SEED + i * 16 + w, numRuns: RUNS, endOnFailure: true },
        );
      }
    }
    expect(requests).toBeGreaterThan(operations.length * WHO.length);
    expect(failures).toEqual([]);
  }, 240_000);
});
