/**
 * The guard's connection and queue at a glance, always on screen: 在线, 离线, N 条待同步 or 同步失败,
 * with the time of the data shown when it is remembered rather than fresh, and a conflict (e.g. the
 * task went to another guard) said plainly.
 */
import { Alert, Tag } from 'antd';
import { useSyncExternalStore } from 'react';
import { snapshot, subscribe } from '../../actions';
import { describeCode } from '../../errors';
import { useI18n } from '../../i18n';
import { useOnline } from '../../offline';
import { hhmm } from '../../time';

export function SyncStatus({ savedAt }: { savedAt: number | null }) {
  const { t } = useI18n();
  const online = useOnline();
  const actions = useSyncExternalStore(subscribe, snapshot);
  const pending = actions.filter((a) => a.status === 'pending').length;
  const failed = actions.filter((a) => a.status === 'failed');
  const offline = !online || savedAt !== null;
  const state = failed.length > 0 ? 'failed' : pending > 0 ? 'pending' : offline ? 'offline' : 'online';
  return (
    <section className="pb-sync" aria-label={t('同步状态')} data-sync={state}>
      <div role="status" className="pb-sync-line">
        <Tag color={offline ? 'default' : 'green'}>{offline ? t('离线') : t('在线')}</Tag>
        {savedAt !== null && <span>· {t('数据截至 {time}', { time: hhmm(savedAt) })}</span>}
        {pending > 0 && <Tag color="orange">{t('{n} 条待同步', { n: pending })}</Tag>}
        {failed.length > 0 && <Tag color="red">{t('同步失败')}</Tag>}
      </div>
      {/* Refusals are listed with their retry in the action list; a conflict is said here too. */}
      {failed
        .filter((a) => a.httpStatus === 409)
        .map((a) => (
          <Alert
            key={a.key}
            type="error"
            showIcon
            className="pb-sync-failed"
            title={t('冲突：“{label}”没有执行', { label: a.label })}
            description={describeCode(a.code ?? null, a.error ?? '', t, a.details, a.field)}
          />
        ))}
    </section>
  );
}
