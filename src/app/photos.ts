/**
 * @module Photos people upload (incident photos; car-condition photos at a hand-over reuse it):
 * the bytes are decoded as an image and re-encoded as a fresh JPEG, so what is stored is always a
 * picture and never carries what came with it — EXIF (GPS position, camera serial, time), ICC
 * profiles, comments, or any bytes appended after the image. Orientation from EXIF is applied
 * first, so the picture still stands upright without it. The SHA-256 is of the stored (re-encoded)
 * bytes, the ones the ledger vouches for.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { DomainError } from '../core/errors.js';

/** Upload limit of one photo before decoding (the base64 text is about 4/3 of it). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** A stored photo is at most this many pixels wide and high (larger ones are scaled down). */
export const MAX_PHOTO_EDGE = 2048;
/** Images of more pixels than this are refused before they are decoded (a decompression bomb). */
export const MAX_PHOTO_INPUT_PIXELS = 40_000_000;
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

const FORMAT_OF: Record<PhotoType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png' };

/** A photo as stored: always a JPEG without metadata. */
export interface CleanPhoto {
  contentType: 'image/jpeg';
  data: Buffer;
  bytes: number;
  sha256: string;
  width: number;
  height: number;
}

function badPhoto(field: string, message: string): DomainError {
  return new DomainError('BAD_PHOTO', `${field}: ${message}`, { field });
}

/**
 * Checks an uploaded photo (base64 text, at most 5 MB, an image of the declared type that decodes
 * completely) and returns it re-encoded as a JPEG of at most `MAX_PHOTO_EDGE` pixels a side with
 * no metadata. Anything else is a `BAD_PHOTO` naming `field`. Decoding runs on libuv's thread pool,
 * so the event loop keeps serving other requests meanwhile.
 */
export async function cleanPhoto(contentType: PhotoType, base64: string, field = 'data'): Promise<CleanPhoto> {
  if (base64.length === 0 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw badPhoto(field, 'is not base64 (A–Z, a–z, 0–9, "+", "/", padded with "=" to a multiple of 4)');
  }
  const input = Buffer.from(base64, 'base64');
  if (input.length > MAX_PHOTO_BYTES)
    throw badPhoto(field, `the photo is ${input.length} bytes; at most ${MAX_PHOTO_BYTES} (5 MB)`);
  const kind = contentType === 'image/jpeg' ? 'JPEG' : 'PNG';
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DomainError('BAD_PHOTO', `${field}: is not a ${kind} image (it does not decode as an image)`, {
      field,
      cause: error,
    });
  }
  if (meta.format !== FORMAT_OF[contentType]) throw badPhoto(field, `is not a ${kind} image (it is ${meta.format})`);
  if (meta.width * meta.height > MAX_PHOTO_INPUT_PIXELS)
    throw badPhoto(field, `the image is ${meta.width}×${meta.height} pixels; at most ${MAX_PHOTO_INPUT_PIXELS} pixels`);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_PHOTO_INPUT_PIXELS, failOn: 'truncated' })
      .rotate()
      .resize({ width: MAX_PHOTO_EDGE, height: MAX_PHOTO_EDGE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return {
      contentType: 'image/jpeg',
      data,
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw new DomainError(
      'BAD_PHOTO',
      `${field}: the ${kind} image does not decode completely (truncated or corrupt)`,
      { field, cause: error },
    );
  }
}
