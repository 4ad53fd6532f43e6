/**
 * @module What the phone remembers for when the network is gone: the last-known reply of each GET a
 * screen reads, and who was signed in. Stored in localStorage under the user's id, so a shared phone
 * never shows one user's data to another; signing out deletes it.
 */
import { useSyncExternalStore } from 'react';
import type { Me } from './types';

const ME = 'pb_me';
const prefixOf = (userId: string) => `pb_cache:${userId}:`;

/** A remembered reply and when it arrived (epoch ms). */
export interface Remembered<T> {
  data: T;
  at: number;
}

/** A remembered reply is written within this long of arriving, even on a phone that is never idle. */
const REMEMBER_WITHIN_MS = 2000;

function remember(userId: string, path: string, data: unknown, at: number): void {
  // Signed out meanwhile (a write waits for the phone to be idle): nothing of theirs stays behind.
  if (lastUser()?.userId !== userId) return;
  try {
    localStorage.setItem(prefixOf(userId) + path, JSON.stringify({ data, at }));
  } catch {
    // A full storage only means this reply is not there offline; the screen works on.
  }
}

/**
 * `remember`, once the phone is idle rather than at once; returns the cancel. The replies of the
 * guard's first screen are a few hundred KB of JSON: written in the commit that shows them, they held
 * the screen back ~0.4 s on a phone with a slowed CPU.
 */
export function rememberWhenIdle(userId: string, path: string, data: unknown): () => void {
  const at = Date.now();
  const write = () => remember(userId, path, data, at);
  // Safari has no requestIdleCallback.
  if (typeof requestIdleCallback !== 'function') {
    const id = setTimeout(write, REMEMBER_WITHIN_MS);
    return () => clearTimeout(id);
  }
  const id = requestIdleCallback(write, { timeout: REMEMBER_WITHIN_MS });
  return () => cancelIdleCallback(id);
}

export function recall<T>(userId: string, path: string): Remembered<T> | null {
  try {
    const text = localStorage.getItem(prefixOf(userId) + path);
    return text === null ? null : (JSON.parse(text) as Remembered<T>);
  } catch {
    return null;
  }
}

/** The user signed in last on this phone, for starting offline. */
export function lastUser(): Me | null {
  try {
    return JSON.parse(localStorage.getItem(ME) ?? 'null') as Me | null;
  } catch {
    return null;
  }
}

export function rememberUser(me: Me): void {
  localStorage.setItem(ME, JSON.stringify(me));
}

/** Signing out: the user and every reply remembered for them are deleted. */
export function forgetUser(userId: string): void {
  localStorage.removeItem(ME);
  const prefix = prefixOf(userId);
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) localStorage.removeItem(key);
}

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** Whether the browser believes it has a network (`navigator.onLine`), kept current by its events. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}
