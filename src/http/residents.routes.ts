/**
 * @module Residents and their cars, as the manager, the residents and the guards keep them: the CSV
 * import, cars and key-custody consent, spare keys and their tag labels, and visitors.
 */
import type { AppContext } from '../app/context.js';
import { importsRoutes } from './imports.routes.js';
import { keysRoutes } from './keys.routes.js';
import type { RoutePlugin } from './route-helpers.js';
import { vehiclesRoutes } from './vehicles.routes.js';
import { visitorsRoutes } from './visitors.routes.js';

export function residentsRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    await app.register(importsRoutes(ctx));
    await app.register(vehiclesRoutes(ctx));
    await app.register(keysRoutes(ctx));
    await app.register(visitorsRoutes(ctx));
  };
}
