/**
 * @module The in-process bus between the outbox dispatcher and the live feeds (Server-Sent
 * Events). There is one bus per store, so a test's servers and dispatchers never hear another
 * test's. It also carries the "outbox has rows" wake-up that use cases send after their commit, so
 * the dispatcher delivers at once instead of at its next poll.
 */
import { EventEmitter } from 'node:events';
import type { Store } from '../store/store.js';

/** A notification as its user sees it in the feed. */
export interface Notification {
  id: string;
  userId: string;
  /** What happened, in the dotted style of ledger records, e.g. `key.alarm`, `incident.opened`. */
  kind: string;
  title: string;
  /** Chinese text for people. */
  body: string;
  /** What it is about: a vehicle id, an incident id, a key tag. */
  ref: string | null;
  createdAt: number;
  readAt: number | null;
}

export type NotificationListener = (notification: Notification) => void;

export class NotificationBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open browser tab is a listener; the default limit of 10 is a leak warning for servers.
    this.emitter.setMaxListeners(0);
  }

  /** Listens for the user's new notifications; returns the function that stops listening. */
  subscribe(compoundId: string, userId: string, listener: NotificationListener): () => void {
    const channel = channelOf(compoundId, userId);
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  publish(compoundId: string, notification: Notification): void {
    this.emitter.emit(channelOf(compoundId, notification.userId), notification);
  }

  /** How many live feeds listen, for one user or in all. */
  listeners(compoundId?: string, userId?: string): number {
    if (compoundId !== undefined && userId !== undefined)
      return this.emitter.listenerCount(channelOf(compoundId, userId));
    return this.emitter.eventNames().reduce((n, name) => n + (name === WAKE ? 0 : this.emitter.listenerCount(name)), 0);
  }

  /** Tells the dispatcher that committed outbox rows wait. */
  wake(): void {
    this.emitter.emit(WAKE);
  }

  onWake(listener: () => void): () => void {
    this.emitter.on(WAKE, listener);
    return () => this.emitter.off(WAKE, listener);
  }
}

const WAKE = Symbol('outbox-wake');

function channelOf(compoundId: string, userId: string): string {
  return `${compoundId}\u0000${userId}`;
}

const buses = new WeakMap<Store, NotificationBus>();

/** The bus of a store (created on first use). */
export function notificationBusOf(store: Store): NotificationBus {
  let bus = buses.get(store);
  if (bus === undefined) {
    bus = new NotificationBus();
    buses.set(store, bus);
  }
  return bus;
}
