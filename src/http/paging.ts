/**
 * @module Paging of the lists that grow with the compound (cars, keys, incidents, bookings,
 * visitors, tasks, a car's history): `?limit=` (1–500, default 500) and `?offset=` (default 0).
 * A reply with an object body carries `page: { offset, limit, total, nextOffset }`; a reply that is
 * a bare array (`GET /vehicles`) says the same in the `X-Total-Count` and `X-Next-Offset` headers.
 * `nextOffset` is null on the last page. The order of each list is stable, so pages do not overlap.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/** The largest page, and the default: a compound of a few hundred cars fits one page. */
export const MAX_PAGE_SIZE = 500;

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(MAX_PAGE_SIZE)
    .describe(`items on a page, 1–${MAX_PAGE_SIZE} (default ${MAX_PAGE_SIZE})`),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0).describe('items skipped (default 0)'),
};

export const pageSchema = z
  .object({
    offset: z.number().int(),
    limit: z.number().int(),
    total: z.number().int().describe('items in the whole list'),
    nextOffset: z.number().int().nullable().describe('the offset of the next page; null on the last page'),
  })
  .meta({ id: 'Page' });
export type Page = z.infer<typeof pageSchema>;

/** One page of a list already in its stable order. */
export function pageOf<T>(items: readonly T[], query: { limit: number; offset: number }): { items: T[]; page: Page } {
  const end = query.offset + query.limit;
  return {
    items: items.slice(query.offset, end),
    page: {
      offset: query.offset,
      limit: query.limit,
      total: items.length,
      nextOffset: end < items.length ? end : null,
    },
  };
}

export function sendPageHeaders(reply: FastifyReply, page: Page): void {
  reply.header('x-total-count', String(page.total));
  if (page.nextOffset !== null) reply.header('x-next-offset', String(page.nextOffset));
}
