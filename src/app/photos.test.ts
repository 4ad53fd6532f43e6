import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EXIF_MARKER, jpegWithGps, png } from '../../test/support/photos.js';
import { MAX_PHOTO_EDGE, cleanPhoto } from './photos.js';

const b64 = (b: Buffer) => b.toString('base64');

async function refusal(p: Promise<unknown>): Promise<{ code: string; field: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; field: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('cleanPhoto', () => {
  it('re-encodes a JPEG without its EXIF and GPS position, and hashes the stored bytes', async () => {
    const input = await jpegWithGps();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    expect(input.toString('latin1')).toContain(EXIF_MARKER);
    const clean = await cleanPhoto('image/jpeg', b64(input));
    const meta = await sharp(clean.data).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.xmp]).toEqual(['jpeg', 64, 48, undefined, undefined]);
    expect(clean.data.toString('latin1')).not.toContain(EXIF_MARKER);
    expect(clean.contentType).toBe('image/jpeg');
    expect(clean.bytes).toBe(clean.data.length);
  });

  it('drops bytes appended after the image', async () => {
    const input = Buffer.concat([await jpegWithGps(), Buffer.from('PAYLOAD-AFTER-EOI')]);
    const clean = await cleanPhoto('image/jpeg', b64(input));
    expect(clean.data.toString('latin1')).not.toContain('PAYLOAD-AFTER-EOI');
  });

  it('stores a PNG as a JPEG, and scales a large picture down to the edge limit', async () => {
    expect((await cleanPhoto('image/png', b64(await png()))).contentType).toBe('image/jpeg');
    const wide = await cleanPhoto('image/png', b64(await png(3000, 1000)));
    expect([wide.width, wide.height]).toEqual([MAX_PHOTO_EDGE, Math.round((MAX_PHOTO_EDGE * 1000) / 3000)]);
  });

  it('refuses bytes that only start like a JPEG, a truncated JPEG, a type that does not match, and a pixel bomb', async () => {
    const jpeg = await jpegWithGps(200, 150);
    const cases: [string, Buffer, 'image/jpeg' | 'image/png', string][] = [
      ['header + junk', Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(500, 7)]), 'image/jpeg', 'decode'],
      ['truncated', jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'image/jpeg', 'decode'],
      ['png as jpeg', await png(), 'image/jpeg', 'is not a JPEG'],
      ['jpeg as png', jpeg, 'image/png', 'is not a PNG'],
      [
        'bomb',
        await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } })
          .png()
          .toBuffer(),
        'image/png',
        'pixels',
      ],
    ];
    for (const [what, bytes, type, text] of cases) {
      const e = await refusal(cleanPhoto(type, b64(bytes), 'photo'));
      expect([what, e.code, e.field], e.message).toEqual([what, 'BAD_PHOTO', 'photo']);
      expect(e.message, what).toContain(text);
    }
    expect((await refusal(cleanPhoto('image/jpeg', '!!!'))).code).toBe('BAD_PHOTO');
  });
});
