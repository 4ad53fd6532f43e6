/** @module The manager's CSV import of households and cars (dry run first) and its export. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { decodeUtf8 } from '../app/csv.js';
import { COLUMN_ALIASES, IMPORT_COLUMNS, exportHouseholds, importHouseholds } from '../app/import.js';
import { ERROR_CATALOG } from '../core/errors.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';

/** The largest file accepted, as `text/csv` or inside JSON. 2 MiB is some 40 000 rows. */
export const IMPORT_BODY_LIMIT = 2 * 1024 * 1024;

const aliases = (column: string) =>
  Object.entries(COLUMN_ALIASES)
    .filter(([, c]) => c === column)
    .map(([a]) => a)
    .join('/');

export const IMPORT_DESCRIPTION = `Imports households and their cars from one CSV file: UTF-8 (with or without a BOM), comma-separated,
quoted fields as spreadsheets write them, a header row, then one row per car. Send it as \`text/csv\`, or as JSON \`{"csv": "…"}\`;
at most 2 MiB.

**Dry run by default**: without \`?dryRun=false\` nothing is written and the reply reports every row. With \`dryRun=false\`
the file is applied only if every row is valid, else nothing is imported and the answer is 400 \`IMPORT_INVALID\` listing
the bad rows. A valid file is written in chunks of 500 rows, each one transaction with its ledger events (\`household.added\`,
\`vehicle.registered\`, \`consent.given\` and a \`record\` \`import.applied\` with the chunk's rows), and the server answers other
requests between chunks. Should a plate of a later chunk be registered meanwhile by someone else, the import stops with
409 \`IMPORT_PARTIAL\` naming the rows already imported.

Columns (any order; the header names are case-insensitive, Chinese names accepted):

| column | required | values |
|---|---|---|
| \`building\` (${aliases('building')}) | yes | e.g. \`5号\` |
| \`unit\` (${aliases('unit')}) | yes | e.g. \`2单元\` |
| \`room\` (${aliases('room')}) | yes | e.g. \`302\` |
| \`plate\` (${aliases('plate')}) | no | a Chinese plate, e.g. \`沪A12345\`, \`沪AD12345\`; empty: a household without a car |
| \`size\` (${aliases('size')}) | no | \`small\`, \`standard\` (default), \`large\` (or 小/标准/大) |
| \`ev\` (${aliases('ev')}) | no | yes/no: \`true\`/\`false\`, \`yes\`/\`no\`, \`1\`/\`0\`, \`是\`/\`否\`; empty is no |
| \`keyConsent\` (${aliases('keyConsent')}) | no | yes/no: the household signed the key-custody consent (recorded as the current text version) |

Rows with the same building, unit and room are one household; a row for an existing address adds cars to that household.
Row problems (each with the row number as a spreadsheet shows it, the header being row 1, the column and the rule):
${(
  [
    'MISSING_FIELD',
    'UNKNOWN_UNIT',
    'BAD_PLATE',
    'DUPLICATE_PLATE',
    'BAD_SIZE',
    'BAD_FLAG',
    'BAD_CSV',
    'VALIDATION',
  ] as const
)
  .map((code) => `- \`${code}\`: ${ERROR_CATALOG[code].rule}`)
  .join('\n')}

"Unknown unit": once the compound has households, a new address's building and unit must follow the pattern of the existing
ones, digits and Latin letters aside (\`7号\`/\`3单元\` fits \`1号\`/\`1单元\`; \`7栋\` or \`三单元\` does not). In an empty
compound the file defines the buildings and units. A plate may appear once in the file and not already be registered.`;

const issueSchema = z.object({
  column: z.enum([...IMPORT_COLUMNS, 'row']),
  code: z.string(),
  rule: z.string(),
  message: z.string(),
});

const reportSchema = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean().describe('true only when the import was written'),
    valid: z.boolean().describe('every row is ok, so the file can be applied'),
    counts: z.object({
      rows: z.number(),
      ok: z.number(),
      bad: z.number(),
      newHouseholds: z.number(),
      vehicles: z.number(),
      consents: z.number(),
    }),
    rows: z.array(
      z.object({
        row: z.number().int().describe('as a spreadsheet numbers it: the header is row 1'),
        status: z.enum(['ok', 'error']),
        household: z.enum(['new', 'existing']).nullable(),
        plate: z.string().nullable(),
        issues: z.array(issueSchema),
      }),
    ),
    importId: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        dryRun: true,
        applied: false,
        valid: false,
        counts: { rows: 2, ok: 1, bad: 1, newHouseholds: 1, vehicles: 1, consents: 1 },
        rows: [
          { row: 2, status: 'ok', household: 'new', plate: '沪A12345', issues: [] },
          {
            row: 3,
            status: 'error',
            household: 'new',
            plate: null,
            issues: [
              {
                column: 'plate',
                code: 'BAD_PLATE',
                rule: ERROR_CATALOG.BAD_PLATE.rule,
                message: 'plate: "沪A1234" is not a Chinese plate (e.g. 沪A12345, 沪AD12345)',
              },
            ],
          },
        ],
        importId: null,
      },
    ],
  });

export function importsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    // Scoped to this plugin: only the import route reads CSV bodies.
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => {
        try {
          done(null, decodeUtf8(body as Buffer));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );

    app.post(
      '/imports/households',
      {
        config: { access: ['manager'] },
        bodyLimit: IMPORT_BODY_LIMIT + 1024,
        schema: {
          tags: ['vehicles'],
          summary: 'Import households and cars from CSV (dry run by default)',
          description: IMPORT_DESCRIPTION,
          security: signedIn,
          consumes: ['text/csv', 'application/json'],
          querystring: z.object({
            dryRun: z
              .enum(['true', 'false'])
              .default('true')
              .describe('`false` applies the file; anything else only reports'),
          }),
          body: z.union([
            z.string().describe('the CSV file (`Content-Type: text/csv`)'),
            z.object({ csv: z.string().describe('the CSV file as text') }),
          ]),
          response: { 200: reportSchema, ...pickErrors(400, 401, 403, 409) },
        },
      },
      (request) => {
        const csv = typeof request.body === 'string' ? request.body : request.body.csv;
        return importHouseholds(ctx, principalOf(request), csv, { dryRun: request.query.dryRun !== 'false' });
      },
    );

    app.get(
      '/imports/households.csv',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['vehicles'],
          summary: 'Export the households and cars as the import CSV',
          description:
            'The same columns as `POST /api/imports/households` (UTF-8 with a BOM): one row per car, a row without a plate for a household without a car. Visitors are left out.',
          security: signedIn,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV'), ...pickErrors(401, 403) },
        },
      },
      async (request, reply) => {
        const csv = await exportHouseholds(ctx, principalOf(request).compoundId);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="households.csv"')
          .send(csv);
      },
    );
  };
}
