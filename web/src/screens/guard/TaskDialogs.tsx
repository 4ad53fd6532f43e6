/**
 * The task queue's two dialogs, loaded the first time a guard opens one (their Select and text areas
 * are not needed to show the queue): why a task cannot be done, and where the car was parked instead.
 * Each keeps what was typed when cancelled, and clears it once sent, as before.
 */
import { Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n';
import type { Lot } from '../../types';

export function FailDialog(props: { open: boolean; onCancel: () => void; onSubmit: (reason: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <Modal
      open={props.open}
      title={t('无法完成')}
      okText={t('提交')}
      cancelText={t('取消')}
      okButtonProps={{ disabled: reason.trim() === '', danger: true }}
      onCancel={props.onCancel}
      onOk={() => {
        const r = reason.trim();
        setReason('');
        props.onSubmit(r);
      }}
    >
      <label htmlFor="pb-fail-reason">{t('请说明原因')}</label>
      <Input.TextArea
        id="pb-fail-reason"
        value={reason}
        maxLength={200}
        onChange={(e) => setReason(e.target.value)}
        rows={3}
      />
    </Modal>
  );
}

export function ElsewhereDialog(props: {
  open: boolean;
  lot: Lot | null;
  onCancel: () => void;
  onSubmit: (body: { positionId: string | null; overrideReason: string }) => void;
}) {
  const { t } = useI18n();
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  // Where the guard may park instead: open positions without a car today.
  const freePositions = (props.lot?.lanes ?? []).flatMap((l) =>
    l.positions
      .filter((p) => !p.occupied && !p.closedToday)
      .map((p) => ({ value: p.id, label: `${p.id}（${l.name}）` })),
  );
  return (
    <Modal
      open={props.open}
      title={t('停在别处')}
      okText={t('完成')}
      cancelText={t('取消')}
      okButtonProps={{ disabled: elsewhere === null || overrideReason.trim() === '' }}
      onCancel={props.onCancel}
      onOk={() => {
        const body = { positionId: elsewhere, overrideReason: overrideReason.trim() };
        setElsewhere(null);
        setOverrideReason('');
        props.onSubmit(body);
      }}
    >
      <label htmlFor="pb-elsewhere">{t('实际车位')}</label>
      <Select
        id="pb-elsewhere"
        showSearch
        value={elsewhere}
        onChange={setElsewhere}
        options={freePositions}
        optionFilterProp="label"
        style={{ width: '100%' }}
        aria-label={t('实际车位')}
      />
      <label htmlFor="pb-override-reason">{t('原因')}</label>
      <Input.TextArea
        id="pb-override-reason"
        value={overrideReason}
        maxLength={200}
        onChange={(e) => setOverrideReason(e.target.value)}
        rows={2}
      />
    </Modal>
  );
}
