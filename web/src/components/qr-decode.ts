/**
 * @module Reading a QR code from a camera frame or a photo: the browser's own `BarcodeDetector` where it
 * has one that reads QR codes (Android Chrome, Safari), else ZXing compiled to WebAssembly, loaded on the
 * first scan. Its .wasm comes from this origin (the build copies it), never from a CDN: the app's CSP
 * allows no other origin, and a guard in a basement has no CDN anyway.
 */
import type * as ZXing from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** What a frame can come from: the camera's video, or a decoded photo. */
export type Frame = HTMLVideoElement | ImageBitmap;

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: Frame): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

let native: Promise<BarcodeDetectorLike | null> | null = null;

function nativeDetector(): Promise<BarcodeDetectorLike | null> {
  native ??= (async () => {
    const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
    if (Detector === undefined) return null;
    try {
      return (await Detector.getSupportedFormats()).includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return native;
}

let zxing: Promise<typeof ZXing> | null = null;

function zxingReader(): Promise<typeof ZXing> {
  zxing ??= import('zxing-wasm/reader').then((m) => {
    m.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    });
    return m;
  });
  return zxing;
}

function pixels(frame: Frame): ImageData | null {
  const width = frame instanceof HTMLVideoElement ? frame.videoWidth : frame.width;
  const height = frame instanceof HTMLVideoElement ? frame.videoHeight : frame.height;
  if (width === 0 || height === 0) return null;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) return null;
  context.drawImage(frame, 0, 0);
  return context.getImageData(0, 0, width, height);
}

/** The text of the first QR code in the frame, or null when there is none. */
export async function readQr(frame: Frame): Promise<string | null> {
  const detector = await nativeDetector();
  if (detector !== null) return (await detector.detect(frame))[0]?.rawValue ?? null;
  const image = pixels(frame);
  if (image === null) return null;
  const { readBarcodes } = await zxingReader();
  const [first] = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  return first?.text ?? null;
}
