/** The web app's generated API types match the routes: a changed reply schema without `npm run gen:api` fails here. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_SCHEMA_FILE, renderApiSchema } from '../scripts/api-schema.js';

describe('web/src/api-schema.gen.ts', () => {
  it('is what `npm run gen:api` generates from the current OpenAPI document', async () => {
    const committed = await readFile(API_SCHEMA_FILE, 'utf8');
    const fresh = await renderApiSchema();
    // Compared as text; on a mismatch, the message says how to fix it rather than printing 400 KB.
    expect(fresh === committed, 'web/src/api-schema.gen.ts is stale: run `npm run gen:api` and commit it').toBe(true);
  }, 180_000); // builds the whole server and formats 400 KB of types
});
