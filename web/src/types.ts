/**
 * @module The shapes of the API replies the screens read, each an alias onto the types generated from
 * the server's OpenAPI document (web/src/api-schema.gen.ts, `npm run gen:api`): a renamed field breaks
 * the type check, not the app at run time.
 */
import type { components, paths } from './api-schema.gen';

/** Methods a path item may have. */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body a route answers with on success (200, else 201). */
export type Reply<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer J } } }
    ? J
    : R extends { 201: { content: { 'application/json': infer J } } }
      ? J
      : never
  : never;

/** The API's paths that answer GET with JSON: what `useData` and `useCachedData` take as their type argument. */
export type GetRoute = { [P in keyof paths]: [Reply<P>] extends [never] ? never : P }[keyof paths];

/** One element of an array type. */
type Item<A> = A extends readonly (infer E)[] ? E : never;

export type ErrorCode = components['schemas']['Error']['error']['code'];

export type Me = Reply<'/api/auth/me'>;
export type Role = Me['role'];

export type Lot = Reply<'/api/compounds/{compoundId}/lot'>;
export type LotLane = Item<Lot['lanes']>;
export type LotPosition = Item<LotLane['positions']>;

export type Task = components['schemas']['Task'];

export type VehicleItem = Item<Reply<'/api/vehicles'>>;
export type VehicleDetail = Reply<'/api/vehicles/{vehicleId}'>;

export type KeyItem = Item<Reply<'/api/keys'>['keys']>;

export type Shifts = Reply<'/api/shifts'>;
export type Handover = NonNullable<Shifts['openHandover']>;
