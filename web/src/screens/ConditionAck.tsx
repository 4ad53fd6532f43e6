/**
 * @module The resident's side of a hand-over's condition record: the photos the guard took and the
 * notes, to acknowledge. Shows only records not yet acknowledged; loaded with the car's card.
 */
import { Alert, Button, Image } from 'antd';
import { perform } from '../actions';
import { useI18n } from '../i18n';
import { dateTime } from '../time';
import { useData } from '../useData';

export default function ConditionAck({ vehicleId }: { vehicleId: string }) {
  const { t } = useI18n();
  const records = useData<'/api/vehicles/{vehicleId}/condition-records'>(
    `/api/vehicles/${vehicleId}/condition-records`,
    30_000,
  );
  const open = (records.data?.records ?? []).filter((r) => r.acknowledgedAt === null);
  if (open.length === 0) return null;
  return (
    <div className="condition-ack">
      {open.map((r) => (
        <Alert
          key={r.id}
          type={r.damage ? 'warning' : 'info'}
          title={`${r.stage === 'check-in' ? t('入场') : t('交车')} ${t('车况记录')} ${dateTime(r.createdAt)}`}
          description={
            <>
              {r.notes !== '' && <p>{r.notes}</p>}
              <Image.PreviewGroup>
                {r.photos.map((p) => (
                  <Image key={p.id} width={72} alt={p.view} src={`/api/condition-records/${r.id}/photos/${p.id}`} />
                ))}
              </Image.PreviewGroup>
              <Button
                type="primary"
                onClick={() =>
                  void perform('POST', `/api/condition-records/${r.id}/acknowledge`, undefined, t('确认车况')).then(
                    records.reload,
                  )
                }
              >
                {t('确认车况')}
              </Button>
            </>
          }
        />
      ))}
    </div>
  );
}
