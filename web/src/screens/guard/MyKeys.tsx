/** The cabinet's counts and the keys this guard holds, each returned by scanning its tag or by its button. */
import { Button } from 'antd';
import { useState } from 'react';
import { perform } from '../../actions';
import { useI18n } from '../../i18n';
import { dateTime } from '../../time';
import type { KeyItem, Me } from '../../types';
import { heldKey } from './key-check';
import { ScanKeyModal } from './ScanKeyModal';
import type { KeyList } from './words';

export function MyKeys({ me, keys, onChange }: { me: Me; keys: KeyList | null; onChange: () => void }) {
  const { t } = useI18n();
  const [scanning, setScanning] = useState(false);
  if (keys === null) return null;
  const mine = keys.keys.filter((k) => k.custody.kind === 'with-guard' && k.custody.guardId === me.userId);
  const giveBack = (k: KeyItem) =>
    // A refusal is shown in the action list, with its retry.
    void perform('POST', `/api/keys/${encodeURIComponent(k.tag)}/return`, {}, `${t('归还')} ${k.tag}`)
      .catch(() => undefined)
      .finally(onChange);
  return (
    <>
      <p>
        {t('柜中')} {keys.counts.inCabinet} · {t('在保安手中')} {keys.counts.out} · {t('遗失')} {keys.counts.lost}
      </p>
      {mine.length === 0 ? null : (
        <>
          <Button type="primary" size="large" block onClick={() => setScanning(true)}>
            {t('扫码归还')}
          </Button>
          <ul className="pb-keys" aria-label={t('钥匙')}>
            {mine.map((k) => (
              <li key={k.tag}>
                <span>
                  {k.tag} · {k.plate ?? k.vehicleId}
                  {k.custody.kind === 'with-guard' && ` · ${dateTime(k.custody.since)}`}
                </span>
                <Button onClick={() => giveBack(k)}>{t('归还')}</Button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ScanKeyModal
        open={scanning}
        title={t('扫码归还')}
        check={(tag) => {
          const held = heldKey(tag, mine, t);
          return typeof held === 'string' ? held : null;
        }}
        onAccept={(tag) => {
          const held = heldKey(tag, mine, t);
          if (typeof held !== 'string') giveBack(held);
        }}
        onClose={() => setScanning(false)}
      />
    </>
  );
}
