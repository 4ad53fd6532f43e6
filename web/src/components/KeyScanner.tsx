/**
 * @module Reading a key tag's QR code (the label `GET /api/keys/{tag}/label.svg` prints encodes the tag
 * id): the phone's back camera, or a photo for a phone that gives no camera permission. It only reads;
 * whether the key read is the right one is its caller's to say, in `message`.
 */
import { Alert, Button } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { readQr } from './qr-decode';

/** A frame is read this often while the camera runs: often enough to feel instant, light on a slow phone. */
const SCAN_EVERY_MS = 300;
/** The same tag read again within this time is the same look at the label, not a new scan. */
const SAME_TAG_MS = 2500;

export default function KeyScanner({ onTag, message }: { onTag: (tag: string) => void; message?: ReactNode }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<'off' | 'on' | 'denied'>('off');
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const last = useRef<{ tag: string; at: number } | null>(null);
  const report = useRef(onTag);
  report.current = onTag;

  const found = (text: string | null) => {
    if (text === null) return false;
    const tag = text.trim();
    const now = Date.now();
    if (last.current !== null && last.current.tag === tag && now - last.current.at < SAME_TAG_MS) return true;
    last.current = { tag, at: now };
    setProblem(null);
    report.current(tag);
    return true;
  };

  useEffect(() => {
    if (camera !== 'on') return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let live = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (!live || video.current === null) return;
        video.current.srcObject = s;
        await video.current.play();
        let busy = false;
        timer = setInterval(() => {
          const v = video.current;
          if (busy || v === null || v.readyState < 2) return;
          busy = true;
          readQr(v)
            .then(found, () => false)
            .finally(() => (busy = false));
        }, SCAN_EVERY_MS);
      })
      .catch(() => {
        if (live) setCamera('denied');
      });
    return () => {
      live = false;
      clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    // `found` reads only refs and state setters, so the camera restarts only when switched.
  }, [camera]);

  const readPhoto = async (file: File) => {
    setReading(true);
    setProblem(null);
    try {
      const bitmap = await createImageBitmap(file);
      const text = await readQr(bitmap);
      bitmap.close();
      last.current = null; // a photo chosen again is a new scan
      if (!found(text)) setProblem(t('图片中没有找到二维码，请对准钥匙标签重拍'));
    } catch {
      setProblem(t('无法读取这张图片'));
    } finally {
      setReading(false);
    }
  };

  return (
    <div className="pb-scanner">
      {camera === 'on' ? (
        <video ref={video} className="pb-scanner-video" muted playsInline aria-label={t('相机画面')} />
      ) : (
        <Button
          size="large"
          block
          disabled={camera === 'denied' || navigator.mediaDevices === undefined}
          onClick={() => setCamera('on')}
        >
          {t('打开相机扫码')}
        </Button>
      )}
      {camera === 'denied' && <Alert type="warning" showIcon title={t('无法打开相机，请拍照或选择图片识别')} />}
      <label className="pb-scanner-file">
        <span>{reading ? t('识别中…') : t('拍照或选择图片识别')}</span>
        <input
          type="file"
          accept="image/*"
          capture="environment"
          disabled={reading}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file !== undefined) void readPhoto(file);
          }}
        />
      </label>
      {problem !== null && <Alert type="warning" showIcon title={problem} />}
      {message}
    </div>
  );
}
