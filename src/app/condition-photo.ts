/**
 * @module Re-encoding a condition photo before it is stored: decoded and written again as JPEG with
 * sharp, turned upright by its EXIF orientation, at most 1600 px on its long side, with no metadata
 * (no EXIF, no GPS). A file that is not an image is refused (`BAD_PHOTO`).
 *
 * Interim: the shared photo re-encoder (`src/app/photos.ts`) is being written elsewhere; when it
 * lands, this function should call it instead.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from '../core/errors.js';

/** The largest photo accepted, before re-encoding. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export interface EncodedPhoto {
  data: Buffer;
  contentType: 'image/jpeg';
  sha256: string;
  bytes: number;
}

export async function reencodePhoto(input: Buffer, field = 'photo'): Promise<EncodedPhoto> {
  if (input.length === 0 || input.length > MAX_PHOTO_BYTES)
    throw new DomainError('BAD_PHOTO', `${field}: a photo is an image of 1 byte to 8 MB`, { field });
  let data: Buffer;
  try {
    data = await sharp(input, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
  } catch (error) {
    throw new DomainError('BAD_PHOTO', `${field}: not an image that can be read`, { field, cause: error });
  }
  return {
    data,
    contentType: 'image/jpeg',
    sha256: createHash('sha256').update(data).digest('hex'),
    bytes: data.length,
  };
}
