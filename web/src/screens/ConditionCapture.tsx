/**
 * @module The guard photographs a car at hand-over: the four corners (the phone's camera opens from
 * the file input), notes, damage, then one upload. Loaded only when the guard opens the tab.
 */
import { Alert, Button, Checkbox, Input, Select } from 'antd';
import { useState } from 'react';
import { perform } from '../actions';
import { useI18n } from '../i18n';
import type { Reply, VehicleItem } from '../types';

const CORNERS = ['front-left', 'front-right', 'rear-left', 'rear-right'] as const;
const CORNER_LABEL: Record<(typeof CORNERS)[number], string> = {
  'front-left': '左前',
  'front-right': '右前',
  'rear-left': '左后',
  'rear-right': '右后',
};

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export default function ConditionCapture({ vehicles }: { vehicles: VehicleItem[] }) {
  const { t } = useI18n();
  const [vehicleId, setVehicleId] = useState<string | null>(null);
  const [stage, setStage] = useState<'check-in' | 'delivery'>('check-in');
  const [notes, setNotes] = useState('');
  const [damage, setDamage] = useState(false);
  const [photos, setPhotos] = useState<Partial<Record<(typeof CORNERS)[number], string>>>({});
  const [done, setDone] = useState<string | null>(null);
  const ready = vehicleId !== null && CORNERS.every((c) => photos[c] !== undefined);
  const submit = () => {
    if (!ready) return;
    void perform<Reply<'/api/condition-records', 'post'>>(
      'POST',
      '/api/condition-records',
      { vehicleId, stage, notes, damage, photos: CORNERS.map((c) => ({ view: c, data: photos[c] })) },
      t('车况记录'),
    ).then((r) => {
      setDone(r.id);
      setPhotos({});
      setNotes('');
      setDamage(false);
    });
  };
  return (
    <div className="condition-capture" style={{ display: 'grid', gap: 8 }}>
      {done !== null && <Alert type="success" showIcon title={t('车况已记录，等待车主确认')} />}
      <Select
        showSearch
        aria-label={t('车牌')}
        placeholder={t('车牌')}
        value={vehicleId}
        onChange={setVehicleId}
        optionFilterProp="label"
        options={vehicles.map((v) => ({ value: v.id, label: v.plate ?? v.id }))}
        style={{ width: '100%' }}
      />
      <Select
        aria-label={t('交接环节')}
        value={stage}
        onChange={setStage}
        options={[
          { value: 'check-in', label: t('入场') },
          { value: 'delivery', label: t('交车') },
        ]}
      />
      <div className="corner-grid" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, margin: '8px 0' }}>
        {CORNERS.map((c) => (
          <label
            key={c}
            className={`corner ${photos[c] === undefined ? '' : 'taken'}`}
            style={{ border: '1px dashed #999', borderRadius: 8, padding: 16, textAlign: 'center', fontSize: 18 }}
          >
            {t(CORNER_LABEL[c])} {photos[c] === undefined ? '📷' : '✓'}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              data-corner={c}
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file !== undefined) void base64Of(file).then((data) => setPhotos((p) => ({ ...p, [c]: data })));
              }}
            />
          </label>
        ))}
      </div>
      <Input.TextArea
        aria-label={t('车况说明')}
        placeholder={t('车况说明')}
        value={notes}
        maxLength={500}
        onChange={(e) => setNotes(e.target.value)}
      />
      <Checkbox checked={damage} onChange={(e) => setDamage(e.target.checked)}>
        {t('发现损伤')}
      </Checkbox>
      <Button type="primary" size="large" block disabled={!ready} onClick={submit}>
        {t('提交车况')}
      </Button>
    </div>
  );
}
