/** Check-in at the gate by plate, with suggestions from the cars away, and the planner's proposal. */
import { Alert, AutoComplete, Button, Card, Form, Input, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { perform } from '../../actions';
import { describeError } from '../../errors';
import { useI18n } from '../../i18n';
import type { Me, Reply, VehicleItem } from '../../types';

type CheckInReply = Reply<'/api/compounds/{compoundId}/check-ins', 'post'>;

export function CheckIn({ me, vehicles, onChecked }: { me: Me; vehicles: VehicleItem[]; onChecked: () => void }) {
  const { t } = useI18n();
  const [plate, setPlate] = useState('');
  const [reply, setReply] = useState<CheckInReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const typed = plate.trim().toUpperCase();
  const options = useMemo(
    () =>
      vehicles
        .filter(
          (v) =>
            v.location.kind === 'away' &&
            v.plate !== null &&
            typed.length >= 1 &&
            v.plate.toUpperCase().includes(typed),
        )
        .slice(0, 8)
        .map((v) => ({ value: v.plate! })),
    [vehicles, typed],
  );
  const submit = async () => {
    setBusy(true);
    setError(null);
    setReply(null);
    try {
      const r = await perform<CheckInReply>(
        'POST',
        `/api/compounds/${me.compoundId}/check-ins`,
        { plate: typed },
        `${t('登记')} ${typed}`,
      );
      setReply(r);
      setPlate('');
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
      onChecked();
    }
  };
  return (
    <Form layout="vertical" onFinish={() => void submit()}>
      <Form.Item label={t('车牌号')} htmlFor="pb-plate">
        <AutoComplete id="pb-plate" value={plate} options={options} onChange={setPlate} style={{ width: '100%' }}>
          <Input size="large" placeholder={t('例如 沪A12345')} autoComplete="off" aria-label={t('车牌号')} />
        </AutoComplete>
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={busy} disabled={typed === ''}>
        {t('登记')}
      </Button>
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {reply !== null && (
        <Card size="small" style={{ marginTop: 12 }} className="pb-proposal">
          {reply.proposal.positionId === null ? (
            <Alert type="warning" title={t('没有空位')} description={reply.proposal.reason} />
          ) : (
            <>
              <div>
                {t('建议车位')}: <strong className="pb-big">{reply.proposal.positionId}</strong>
              </div>
              <div>
                {t('理由')}: {reply.proposal.reason}
              </div>
              {reply.task !== null && <Tag color="blue">{t('已生成停车任务')}</Tag>}
            </>
          )}
        </Card>
      )}
    </Form>
  );
}
