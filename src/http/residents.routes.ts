/**
 * @module Residents and their cars, as the manager, the residents and the guards keep them: the CSV
 * import, cars and key-custody consent, spare keys and their tag labels, and visitors.
 */
import type { AppContext } from '../app/context.js';
import { importsRoutes } from './imports.routes.js';
import type { RoutePlugin } from './route-helpers.js';

export function residentsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    await app.register(importsRoutes(ctx));
  };
}
