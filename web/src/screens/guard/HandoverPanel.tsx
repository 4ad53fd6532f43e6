/** The hand-over between shifts: the outgoing guard counts keys and cars, the incoming one confirms. */
import { Alert, Button, Card, Form, InputNumber } from 'antd';
import { useState } from 'react';
import { perform } from '../../actions';
import { describeError } from '../../errors';
import { useI18n } from '../../i18n';
import type { Handover, Me, Shifts } from '../../types';

export function HandoverPanel({ me, shifts, onChange }: { me: Me; shifts: Shifts | null; onChange: () => void }) {
  const { t } = useI18n();
  const [result, setResult] = useState<Handover | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = shifts?.openHandover ?? null;
  const incoming = open !== null && open.toGuardIds.includes(me.userId);
  const submit = async (v: { keysCounted: number; carsCounted: number }) => {
    setError(null);
    try {
      const path = incoming ? `/api/shifts/handover/${open.id}/confirm` : '/api/shifts/handover';
      setResult(await perform<Handover>('POST', path, v, incoming ? t('确认接班') : t('发起交接')));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      onChange();
    }
  };
  const shown = result ?? open;
  return (
    <Form layout="vertical" onFinish={(v: { keysCounted: number; carsCounted: number }) => void submit(v)}>
      <Form.Item label={t('清点钥匙数')} name="keysCounted" rules={[{ required: true }]}>
        <InputNumber min={0} size="large" style={{ width: '100%' }} inputMode="numeric" />
      </Form.Item>
      <Form.Item label={t('清点车辆数')} name="carsCounted" rules={[{ required: true }]}>
        <InputNumber min={0} size="large" style={{ width: '100%' }} inputMode="numeric" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block>
        {incoming ? t('确认接班') : t('发起交接')}
      </Button>
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {shown !== null && (
        <Card size="small" style={{ marginTop: 12 }}>
          <div>
            {t('系统应有')}: {t('钥匙')} {shown.expected.keys} · {t('车辆')} {shown.expected.cars}
          </div>
          <div>
            {t('交出方清点')}: {t('钥匙')} {shown.outgoing.keys} · {t('车辆')} {shown.outgoing.cars}
          </div>
          {shown.mismatch !== null && <Alert type="warning" title={`${t('不一致')}: ${shown.mismatch}`} />}
        </Card>
      )}
    </Form>
  );
}
