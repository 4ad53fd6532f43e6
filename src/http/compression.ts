/**
 * @module Compressed replies for the API's reads. A phone on a slow mobile network (a basement, 4G at
 * 1.6 Mbps) reads the lot, the cars and the keys as it opens; as JSON they are tens of kilobytes,
 * brotli or gzip makes them a tenth of that. Only reads (GET) are compressed, so a change's reply
 * stays as the idempotency store keeps it; the web app's files are compressed once, at build time
 * (@fastify/static `preCompressed`).
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Replies shorter than this are sent as they are: the saving would not pay for a packet. */
export const COMPRESS_MIN_BYTES = 1024;

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** The encoding to send: brotli if the client takes it, else gzip, else none (`q=0` refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, q]) => q === undefined || !/^\s*q\s*=\s*0(\.0*)?\s*$/.test(q))
      .map(([name]) => name),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

/** onSend: compresses a GET's JSON reply of at least `COMPRESS_MIN_BYTES` for a client that accepts it. */
export async function compressReads(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (request.method !== 'GET') return payload;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  if (reply.hasHeader('content-encoding')) return payload;
  if (!/^application\/json\b/.test(String(reply.getHeader('content-type') ?? ''))) return payload;
  if (/\bno-transform\b/.test(String(reply.getHeader('cache-control') ?? ''))) return payload;
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  if (body.length < COMPRESS_MIN_BYTES) return payload;
  // Whether or not this reply is compressed, a cache must keep one copy per encoding.
  reply.header('vary', 'accept-encoding');
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  if (encoding === null) return payload;
  // Quality 5: most of brotli's gain at a small part of its best setting's CPU, for every read.
  const packed =
    encoding === 'br'
      ? await br(body, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        })
      : await gz(body, { level: 6 });
  reply.header('content-encoding', encoding);
  reply.removeHeader('content-length');
  return packed;
}
