/** @module What every use case may use: the store, a clock and an id generator, passed in so tests control them. */
import { randomUUID } from 'node:crypto';
import type { EpochMs } from '../core/brand.js';
import type { Store } from '../store/store.js';

export interface AppContext {
  store: Store;
  now: () => EpochMs;
  newId: () => string;
}

export function systemContext(store: Store): AppContext {
  return { store, now: () => Date.now() as EpochMs, newId: () => randomUUID() };
}
