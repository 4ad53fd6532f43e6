/** The car selected on the map: where it stands, what blocks it, its key, when it leaves and is ready. */
import { Card, Descriptions, Tag } from 'antd';
import { useI18n } from '../i18n';
import { dateTime } from '../time';
import { useData } from '../useData';

export function CarDetail({ vehicleId }: { vehicleId: string }) {
  const { t } = useI18n();
  const car = useData<'/api/vehicles/{vehicleId}'>(`/api/vehicles/${vehicleId}`, 15_000);
  const d = car.data;
  if (d === null || d.id !== vehicleId) return null;
  const key =
    d.key === null
      ? '—'
      : `${d.key.tag} · ${
          d.key.custody.kind === 'in-cabinet'
            ? t('柜中')
            : d.key.custody.kind === 'with-guard'
              ? `${t('在保安手中')} ${d.key.custody.guardId}`
              : d.key.custody.kind === 'lost'
                ? t('遗失')
                : t('在居民手中')
        }`;
  return (
    <Card size="small" title={`${t('所选车辆')} ${d.plate ?? d.id}`} className="pb-car-detail">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('位置')}>
          {d.location.kind === 'parked'
            ? d.location.positionId
            : d.location.kind === 'at-gate'
              ? t('在门口')
              : d.location.kind === 'at-partner'
                ? t('在合作停车场')
                : t('不在小区')}
        </Descriptions.Item>
        <Descriptions.Item label={t('被以下车辆挡住')}>
          {d.blockedBy.length === 0 ? (
            <Tag color="green">{t('未被挡')}</Tag>
          ) : (
            d.blockedBy.map((b) => <Tag key={b.id}>{b.plate ?? b.id}</Tag>)
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('钥匙')}>{key}</Descriptions.Item>
        <Descriptions.Item label={t('下次离开')}>
          {d.nextDeparture !== null ? dateTime(d.nextDeparture) : t('未设置')}
        </Descriptions.Item>
        {d.readyAt !== null && <Descriptions.Item label={t('预计可开走')}>{dateTime(d.readyAt)}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}
