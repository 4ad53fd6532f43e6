/**
 * The guard's next tasks, one big action each (开始 → 扫码取钥匙 → 完成, or 无法完成 with a reason,
 * or 停在别处). Offline, an action waits in the queue and the task is shown as it will be once the
 * queue is sent, marked 待同步; the key is checked out by scanning its tag, and a wrong key is
 * refused on the spot.
 */
import { Alert, Button, Empty, Tag } from 'antd';
import { PlainCard } from '../../components/PlainCard';
import { Suspense, useState, useSyncExternalStore } from 'react';
import { perform, snapshot, subscribe, type Action } from '../../actions';
import { describeError } from '../../errors';
import { useI18n } from '../../i18n';
import { hhmm } from '../../time';
import type { KeyItem, Lot, Me, Task } from '../../types';
import { checkoutRefusal } from './key-check';
import { KIND, positionName, REASON } from './words';
import { lazyPart } from '../../lazy';

// The dialogs load the first time one opens; the queue shows without them.
// Dialogs (antd's Modal) load when first opened: none is on the guard's first screen.
const ScanKeyModal = lazyPart(() => import('./ScanKeyModal').then((m) => ({ default: m.ScanKeyModal })));
const FailDialog = lazyPart(() => import('./TaskDialogs').then((m) => ({ default: m.FailDialog })));
const ElsewhereDialog = lazyPart(() => import('./TaskDialogs').then((m) => ({ default: m.ElsewhereDialog })));

/** What the queue still holds for a task, so the screen shows the task as it will be once it is sent. */
function queuedFor(task: Task, key: KeyItem | undefined, actions: readonly Action[]) {
  const pending = actions.filter((a) => a.status === 'pending').map((a) => a.path);
  const keyPath = key === undefined ? null : `/api/keys/${encodeURIComponent(key.tag)}/checkout`;
  return {
    any: pending.some((p) => p.startsWith(`/api/tasks/${task.id}/`) || p === keyPath),
    started: pending.includes(`/api/tasks/${task.id}/start`),
    keyTaken: keyPath !== null && pending.includes(keyPath),
    closing: pending.includes(`/api/tasks/${task.id}/complete`) || pending.includes(`/api/tasks/${task.id}/fail`),
  };
}

export function TaskQueue(props: {
  tasks: Task[];
  plates: Map<string, string>;
  keyOf: Map<string, KeyItem>;
  me: Me;
  lot: Lot | null;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failing, setFailing] = useState<Task | null>(null);
  const [overriding, setOverriding] = useState<Task | null>(null);
  // Once opened, a dialog stays mounted: it keeps what was typed and closes with its animation.
  const [opened, setOpened] = useState({ scan: false, fail: false, elsewhere: false });
  const [scanning, setScanning] = useState<{ task: Task; key: KeyItem } | null>(null);
  const actions = useSyncExternalStore(subscribe, snapshot);

  const act = async (task: Task, label: string, fn: () => Promise<unknown>) => {
    setError(null);
    // Offline the action waits in the queue (the sync bar counts it): the button is free at once.
    if (navigator.onLine) setBusy(task.id);
    try {
      await fn();
    } catch (e) {
      setError(`${label}: ${describeError(e, t)}`);
    } finally {
      setBusy(null);
      props.onChange();
    }
  };

  const returnKeyIfHeld = async (task: Task) => {
    const key = props.keyOf.get(task.vehicleId);
    if (key?.custody.kind === 'with-guard' && key.custody.guardId === props.me.userId) {
      await perform('POST', `/api/keys/${encodeURIComponent(key.tag)}/return`, {}, `${t('归还')} ${key.tag}`);
    }
  };

  const checkoutOf = (task: Task, key: KeyItem) =>
    act(task, t('钥匙已取'), () =>
      perform(
        'POST',
        `/api/keys/${encodeURIComponent(key.tag)}/checkout`,
        { taskId: task.id },
        `${t('钥匙已取')} ${key.tag}`,
      ),
    );

  if (props.tasks.length === 0) return <Empty description={t('没有任务')} />;
  return (
    <>
      {error !== null && <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} />}
      <ol className="pb-tasks" aria-label={t('任务')}>
        {props.tasks.map((task) => {
          const plate = props.plates.get(task.vehicleId) ?? task.vehicleId;
          const key = props.keyOf.get(task.vehicleId);
          const queued = queuedFor(task, key, actions);
          const status = queued.started ? 'started' : task.status;
          const keyWithMe =
            queued.keyTaken || (key?.custody.kind === 'with-guard' && key.custody.guardId === props.me.userId);
          const needsKey = key !== undefined && key.custody.kind === 'in-cabinet';
          const title = `${t(KIND[task.kind])} ${plate}`;
          let main: { label: string; onClick: () => unknown };
          let manualKey: (() => unknown) | null = null;
          if (status === 'queued') {
            main = {
              label: t('开始'),
              onClick: () =>
                act(task, t('开始'), () => perform('POST', `/api/tasks/${task.id}/start`, {}, `${t('开始')} ${title}`)),
            };
          } else if (needsKey && !keyWithMe) {
            main = {
              label: t('扫码取钥匙'),
              onClick: () => {
                setOpened((o) => ({ ...o, scan: true }));
                setScanning({ task, key });
              },
            };
            // The label is torn or the camera fails: the guard says so by hand, as before scanning.
            manualKey = () => checkoutOf(task, key);
          } else {
            main = {
              label: t('完成'),
              onClick: () =>
                act(task, t('完成'), async () => {
                  await perform('POST', `/api/tasks/${task.id}/complete`, {}, `${t('完成')} ${title}`);
                  await returnKeyIfHeld(task);
                }),
            };
          }
          return (
            <li key={task.id}>
              <PlainCard className="pb-task" data-task={task.id} data-status={status}>
                <div className="pb-task-title">{title}</div>
                <div className="pb-task-route">
                  {positionName(props.lot, task.from, t('大门'))} →{' '}
                  <strong>{positionName(props.lot, task.to, t('大门'))}</strong>
                </div>
                <div className="pb-task-meta">
                  {t(REASON[task.reason] ?? task.reason)} · {t('到期')} {hhmm(task.dueAt)} ·{' '}
                  {status === 'started' ? t('进行中') : t('排队')}
                  {key !== undefined && ` · ${t('钥匙')} ${key.tag}`}{' '}
                  {queued.any && <Tag color="orange">{t('待同步')}</Tag>}
                </div>
                <Button
                  type="primary"
                  size="large"
                  block
                  loading={busy === task.id}
                  disabled={queued.closing}
                  onClick={() => void main.onClick()}
                >
                  {main.label}
                </Button>
                {manualKey !== null && (
                  <Button block className="pb-task-fail" disabled={queued.closing} onClick={() => void manualKey()}>
                    {t('钥匙已取')}
                  </Button>
                )}
                {status === 'started' && !queued.closing && task.to !== null && (
                  <Button
                    block
                    className="pb-task-fail"
                    onClick={() => {
                      setOpened((o) => ({ ...o, elsewhere: true }));
                      setOverriding(task);
                    }}
                  >
                    {t('停在别处')}
                  </Button>
                )}
                {status === 'started' && !queued.closing && (
                  <Button
                    danger
                    block
                    className="pb-task-fail"
                    onClick={() => {
                      setOpened((o) => ({ ...o, fail: true }));
                      setFailing(task);
                    }}
                  >
                    {t('无法完成')}
                  </Button>
                )}
              </PlainCard>
            </li>
          );
        })}
      </ol>
      {opened.scan && (
        <Suspense fallback={null}>
          <ScanKeyModal
            open={scanning !== null}
            title={scanning === null ? '' : `${t('扫码取钥匙')} · ${scanning.key.plate ?? scanning.key.vehicleId}`}
            check={(tag) => (scanning === null ? null : checkoutRefusal(tag, scanning.key, t))}
            onAccept={() => {
              if (scanning !== null) void checkoutOf(scanning.task, scanning.key);
            }}
            onClose={() => setScanning(null)}
          />
        </Suspense>
      )}
      {opened.fail && (
        <Suspense fallback={null}>
          <FailDialog
            open={failing !== null}
            onCancel={() => setFailing(null)}
            onSubmit={(r) => {
              const task = failing!;
              setFailing(null);
              void act(task, t('无法完成'), async () => {
                await perform(
                  'POST',
                  `/api/tasks/${task.id}/fail`,
                  { reason: r },
                  `${t('无法完成')} ${props.plates.get(task.vehicleId) ?? ''}`,
                );
                await returnKeyIfHeld(task);
              });
            }}
          />
        </Suspense>
      )}
      {opened.elsewhere && (
        <Suspense fallback={null}>
          <ElsewhereDialog
            open={overriding !== null}
            lot={props.lot}
            onCancel={() => setOverriding(null)}
            onSubmit={(body) => {
              const task = overriding!;
              setOverriding(null);
              void act(task, t('停在别处'), async () => {
                await perform(
                  'POST',
                  `/api/tasks/${task.id}/complete`,
                  body,
                  `${t('停在别处')} ${props.plates.get(task.vehicleId) ?? ''} → ${body.positionId}`,
                );
                await returnKeyIfHeld(task);
              });
            }}
          />
        </Suspense>
      )}
    </>
  );
}
