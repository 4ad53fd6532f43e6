/**
 * @module Builds the Fastify server: zod schemas for validation, serialization and the OpenAPI
 * document, the one error handler, the browser defences (security headers and a CSP, cookies, the
 * same-origin and JSON rules for changes, a per-address limit on sign-in), the API docs, and the
 * route plugins under `/api`. It does not listen; `lifecycle.ts` does, so tests run the same server
 * in-process with `app.inject()`.
 */
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorBody, errorHandler } from './error-handler.js';
import { jsonOnlyGuard, sameOriginGuard } from './request-guards.js';
import type { RoutePlugin } from './route-helpers.js';

export interface ServerOptions {
  /** Route plugins, each registered under `/api` after the docs plugin so the document lists them. */
  routes: RoutePlugin[];
  logger?: FastifyServerOptions['logger'];
  /** The API version shown in the document. */
  version?: string;
  /** The built web app; served with a fallback to `index.html` for client-side routes. */
  webRoot?: string | null;
  /**
   * Which proxies' `X-Forwarded-For`/`-Proto`/`-Host` to believe (Fastify's `trustProxy`: `true`, a
   * hop count, or addresses and CIDRs). Off by default: behind no proxy, a client could lie in them.
   */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Sign-in, activation and token refresh calls one client address may make per minute, per route. */
  signInPerMinute?: number;
}

/** Sign-in calls per client address and minute, each of login, activate and refresh. */
export const SIGN_IN_PER_MINUTE = 30;

/**
 * The Content-Security-Policy of the app, the docs and the API. Scripts only from this origin (and
 * WebAssembly, for the barcode reader); styles inline too, since Ant Design writes its CSS at run
 * time; no framing by anyone; no plugins; forms post only here. No `upgrade-insecure-requests`: a
 * compound may serve plain HTTP on its own network, and the upgrade would break every request.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  manifestSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'", 'blob:'],
  upgradeInsecureRequests: null,
};

/** Helmet's security headers: the CSP above; isolation headers that break nothing (the app's scripts and workers are same-origin). */
const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'same-origin' },
} as const;

/**
 * The headers helmet sets with `options`, worked out once. Its middleware (and @fastify/helmet,
 * which built a new one for every request) composes them again on each call, the CSP string too:
 * 2-3% of the server's CPU under bench:api. They depend on nothing in the request.
 */
function securityHeaders(options: Parameters<typeof helmet>[0]): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

export const API_PREFIX = '/api';

/** Tags group the document; route plugins use these names in `schema.tags`. */
const TAGS = [
  { name: 'system', description: 'health and the API document' },
  { name: 'auth', description: 'sign-in, sessions and tokens' },
  { name: 'lot', description: 'lanes, positions, closures and the fire lane' },
  { name: 'vehicles', description: 'households, cars, check-in, parking, moves and retrieval' },
  { name: 'keys', description: 'spare-key custody and the key cabinet' },
  { name: 'shifts', description: 'guard shifts and handovers' },
  { name: 'partners', description: 'partner lots and their booking windows' },
  { name: 'renovation', description: 'renovation registration, waste points, collections and stray waste' },
];

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // frameworkErrors: the router's own refusals (a path parameter over 100 characters: 414, a bad
  // URL: 400) get the one error shape too; test/fuzz.test.ts found them answered in Fastify's.
  const app = Fastify({
    logger: options.logger ?? false,
    frameworkErrors: errorHandler,
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // The id the logs carry, so a user reporting a failure can hand it to whoever reads the logs.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // On the raw response, so the hijacked notification stream carries them too.
  const security = securityHeaders(HELMET_OPTIONS);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of security) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(fastifyCookie);
  // Only routes that ask for it (`config.rateLimit`) are limited; the store is this process's memory.
  await app.register(fastifyRateLimit, {
    global: false,
    max: options.signInPerMinute ?? SIGN_IN_PER_MINUTE,
    timeWindow: 60_000,
  });
  app.addHook('onRequest', sameOriginGuard);
  app.addHook('preValidation', jsonOnlyGuard);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'parkbutler 泊车管家 API', version: options.version ?? '0.0.0' },
      tags: TAGS,
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'pb_session',
            description: 'the session cookie set at sign-in',
          },
          bearer: { type: 'http', scheme: 'bearer', description: 'an API token, for scripts and partner systems' },
        },
      },
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(healthRoutes, { prefix: API_PREFIX });
  for (const routes of options.routes) await app.register(routes, { prefix: API_PREFIX });

  const webRoot = options.webRoot ? resolve(options.webRoot) : null;
  const serveWeb = webRoot !== null && existsSync(resolve(webRoot, 'index.html'));
  // The build writes .br and .gz beside each file: a phone on slow 4G gets a third of the bytes.
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => res.setHeader('cache-control', webCacheControl(webRoot, path)),
    });
  }
  app.setNotFoundHandler((request, reply) => notFound(request, reply, serveWeb));

  return app;
}

/**
 * The built app's files under assets/ are named by their content's hash, so a browser may keep them
 * for a year without asking again; the rest (index.html, the service worker, the manifest, icons)
 * keep their names from build to build and are checked on every use.
 */
export function webCacheControl(webRoot: string, path: string): string {
  const assets = resolve(webRoot, 'assets') + sep;
  return resolve(path).startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

const healthRoutes: RoutePlugin = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'The server is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
};

/**
 * Unknown API routes answer in the error shape. With the web app served, other page loads get
 * `index.html`, so a reload on a client-side route such as `/lanes/A` still opens the app.
 */
function notFound(request: FastifyRequest, reply: FastifyReply, serveWeb: boolean): FastifyReply {
  const path = request.url.split('?')[0] ?? request.url;
  const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
  if (serveWeb && !isApi && (request.method === 'GET' || request.method === 'HEAD')) {
    return reply.sendFile('index.html');
  }
  return reply.code(404).send(errorBody('NOT_FOUND', `no route for ${request.method} ${path}`));
}
