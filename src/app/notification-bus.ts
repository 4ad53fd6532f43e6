/**
 * @module The bus between the outbox dispatcher and the live feeds (Server-Sent Events). There is
 * one bus per store, so a test's servers and dispatchers never hear another test's. With several
 * servers on one PostgreSQL, a connected bus (`connect`, which the dispatcher does) publishes with
 * NOTIFY and every server's bus hears it with LISTEN, so a feed on any server gets every
 * notification; unconnected (SQLite, or while the LISTEN connection is down) it publishes in this
 * process only. It also carries the "outbox has rows" wake-up that use cases send after their
 * commit, so the dispatcher delivers at once instead of at its next poll.
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

/** The LISTEN/NOTIFY topic of the live feeds. */
const FEED = 'feed';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; larger ones stay in this process. */
const MAX_PAYLOAD = 7900;

export class NotificationBus {
  private readonly emitter = new EventEmitter();
  private unlisten: (() => Promise<void>) | null = null;
  private connections = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store | null = null) {
    // Every open browser tab is a listener; the default limit of 10 is a leak warning for servers.
    this.emitter.setMaxListeners(0);
  }

  /** Listens for the user's new notifications; returns the function that stops listening. */
  subscribe(compoundId: string, userId: string, listener: NotificationListener): () => void {
    const channel = channelOf(compoundId, userId);
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  /** Delivers a notification to its user's live feeds: on every server when connected, else in this process. */
  async publish(compoundId: string, notification: Notification): Promise<void> {
    if (this.unlisten !== null && this.store !== null) {
      const payload = JSON.stringify({ compoundId, notification });
      if (Buffer.byteLength(payload) < MAX_PAYLOAD) {
        await this.store.notify(FEED, payload);
        return;
      }
    }
    this.emit(compoundId, notification);
  }

  private emit(compoundId: string, notification: Notification): void {
    this.emitter.emit(channelOf(compoundId, notification.userId), notification);
  }

  /**
   * Hears the notifications every server on this database publishes (PostgreSQL LISTEN), until
   * each `connect` has its `disconnect`. A lost connection is made again after a second;
   * meanwhile this server publishes to its own feeds only.
   */
  async connect(onError: (error: unknown) => void): Promise<void> {
    this.connections++;
    if (this.connections === 1) await this.listen(onError);
  }

  async disconnect(): Promise<void> {
    this.connections = Math.max(0, this.connections - 1);
    if (this.connections > 0) return;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.();
  }

  private async listen(onError: (error: unknown) => void): Promise<void> {
    if (this.store === null || this.connections === 0) return;
    const again = (error: unknown): void => {
      onError(error);
      const unlisten = this.unlisten;
      this.unlisten = null;
      void unlisten?.().catch(() => undefined);
      if (this.connections > 0 && this.retry === null)
        this.retry = setTimeout(() => {
          this.retry = null;
          void this.listen(onError);
        }, 1000).unref();
    };
    try {
      this.unlisten = await this.store.listen(
        FEED,
        (payload) => {
          const { compoundId, notification } = JSON.parse(payload) as {
            compoundId: string;
            notification: Notification;
          };
          this.emit(compoundId, notification);
        },
        again,
      );
    } catch (error) {
      again(error);
    }
  }

  /** How many live feeds listen, for one user or in all. */
  listeners(compoundId?: string, userId?: string): number {
    if (compoundId !== undefined && userId !== undefined)
      return this.emitter.listenerCount(channelOf(compoundId, userId));
    return this.emitter.eventNames().reduce((n, name) => n + (name === WAKE ? 0 : this.emitter.listenerCount(name)), 0);
  }

  /** Tells the dispatcher that committed outbox rows wait (inside a request's transaction: once it commits). */
  wake(): void {
    if (this.store === null) this.emitter.emit(WAKE);
    else this.store.afterCommit(() => this.emitter.emit(WAKE));
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
    bus = new NotificationBus(store);
    buses.set(store, bus);
  }
  return bus;
}
