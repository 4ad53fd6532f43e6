/** Real images for photo tests, made with sharp: a JPEG that carries EXIF with a GPS position, and a PNG. */
import sharp from 'sharp';

/** The camera maker written into the EXIF of `jpegWithGps`, to look for in stored bytes. */
export const EXIF_MARKER = 'SpyCam-7731';

/** A JPEG of `width`×`height` with EXIF: the camera, and a GPS position (金纺小区, roughly). */
export function jpegWithGps(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({
      IFD0: { Make: EXIF_MARKER },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 16/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 26/1 0/1' },
    })
    .toBuffer();
}

export function png(width = 32, height = 24): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: '#3c3c' } })
    .png()
    .toBuffer();
}
