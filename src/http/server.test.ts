import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { testServer } from '../../test/support/http.js';
import type { RoutePlugin } from './route-helpers.js';
import { pickErrors, signedIn } from './route-helpers.js';

/** A route shaped like the business routes to come: a body, params, a reply and its errors. */
const sampleRoutes: RoutePlugin = async (app) => {
  app.post(
    '/lanes/:laneId/cars',
    {
      schema: {
        tags: ['vehicles'],
        summary: 'Park a car in a lane',
        security: signedIn,
        params: z.object({ laneId: z.string() }),
        body: z.object({ plate: z.string().describe('e.g. 京A12345'), position: z.number().int().min(0) }),
        response: {
          201: z.object({ laneId: z.string(), plate: z.string(), position: z.number() }),
          ...pickErrors(400, 409),
        },
      },
    },
    async (request, reply) => reply.code(201).send({ laneId: request.params.laneId, ...request.body }),
  );
};

describe('buildServer', () => {
  it('answers GET /api/health with {"status":"ok"}', async () => {
    const app = await testServer([]);
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves /openapi.json as a valid OpenAPI 3 document', async () => {
    const app = await testServer([sampleRoutes], { version: '1.2.3' });
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();

    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toEqual({ title: 'parkbutler 泊车管家 API', version: '1.2.3' });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'pb_session' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists a registered route with its request and response schemas', async () => {
    const app = await testServer([sampleRoutes]);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();

    const op = doc.paths['/api/lanes/{laneId}/cars'].post;
    expect(op.tags).toEqual(['vehicles']);
    expect(op.security).toEqual([{ session: [] }, { bearer: [] }]);
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'laneId', in: 'path', required: true }));
    const body = op.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['plate', 'position']);
    expect(body.properties.plate).toMatchObject({ type: 'string', description: 'e.g. 京A12345' });
    expect(op.responses['201'].content['application/json'].schema.properties.plate).toEqual({ type: 'string' });
    expect(op.responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    expect(doc.paths['/api/health'].get.responses['200']).toBeDefined();
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('serves the API docs as HTML under /docs', async () => {
    const app = await testServer([]);
    let res = await app.inject({ method: 'GET', url: '/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400) {
      res = await app.inject({ method: 'GET', url: new URL(res.headers.location as string, 'http://x/docs').pathname });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html');
  });

  it('runs the route a plugin adds, under /api', async () => {
    const app = await testServer([sampleRoutes]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/lanes/A/cars',
      payload: { plate: '京A12345', position: 2 },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ laneId: 'A', plate: '京A12345', position: 2 });
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const app = await testServer([]);
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route for GET /api/nothing-here' } });
  });

  describe('with a web root', () => {
    function webRoot(): string {
      const dir = mkdtempSync(join(tmpdir(), 'parkbutler-web-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body>parkbutler app</body></html>');
      writeFileSync(join(dir, 'app.js'), 'console.log("app")');
      return dir;
    }

    it('serves its files, and index.html for client-side routes', async () => {
      const app = await testServer([], { webRoot: webRoot() });
      const file = await app.inject({ method: 'GET', url: '/app.js' });
      expect(file.statusCode).toBe(200);
      expect(file.body).toBe('console.log("app")');
      const page = await app.inject({ method: 'GET', url: '/lanes/A' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('parkbutler app');
      const root = await app.inject({ method: 'GET', url: '/' });
      expect(root.body).toContain('parkbutler app');
    });

    it('lets browsers keep hashed assets for a year and check every other file on each use', async () => {
      const dir = webRoot();
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'index-B97hajll.js'), 'console.log("hashed")');
      const app = await testServer([], { webRoot: dir });
      const asset = await app.inject({ method: 'GET', url: '/assets/index-B97hajll.js' });
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      for (const url of ['/', '/app.js', '/lanes/A']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.headers['cache-control'], url).toBe('no-cache');
      }
    });

    it('still answers unknown API routes with 404 in the error shape', async () => {
      const app = await testServer([], { webRoot: webRoot() });
      const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.json()).toEqual({ status: 'ok' });
    });

    it('is skipped when the folder has no index.html', async () => {
      const app = await testServer([], { webRoot: join(tmpdir(), 'parkbutler-no-such-dir') });
      const res = await app.inject({ method: 'GET', url: '/lanes/A' });
      expect(res.statusCode).toBe(404);
    });
  });
});
