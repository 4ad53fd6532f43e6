/**
 * @module The guard's phone screen, for one hand at the gate: the sync state, the shift, the next
 * tasks with one big action each, check-in by plate, the lot map, the keys the guard holds, the
 * hand-over count, and key alarms. What it reads is remembered for the guard, so a reload without
 * network still shows the last-known tasks, lot and keys (see useCachedData); the parts are in guard/.
 */
import { Suspense, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { snapshot, subscribe } from '../actions';
import { useI18n } from '../i18n';
import { guardReads } from '../prefetch';
import type { Me } from '../types';
import { useCachedData } from '../useCachedData';
import { GuardTabs } from './guard/GuardTabs';
import { ShiftCard } from './guard/ShiftCard';
import { SyncStatus } from './guard/SyncStatus';
import { TaskQueue } from './guard/TaskQueue';
import { lazyPart } from '../lazy';

// The task list is the first screen; every other tab's code (the gate's tabs and forms, the map)
// loads when the tab is first opened.
const GatePanel = lazyPart(() => import('./guard/GatePanel').then((m) => ({ default: m.GatePanel })));
const LotMap = lazyPart(() => import('../components/LotMap').then((m) => ({ default: m.LotMap })));
const MapLegend = lazyPart(() => import('../components/LotMap').then((m) => ({ default: m.MapLegend })));
const CarDetail = lazyPart(() => import('../components/CarDetail').then((m) => ({ default: m.CarDetail })));
const MyKeys = lazyPart(() => import('./guard/MyKeys').then((m) => ({ default: m.MyKeys })));
const HandoverPanel = lazyPart(() => import('./guard/HandoverPanel').then((m) => ({ default: m.HandoverPanel })));

export default function GuardScreen({ me }: { me: Me }) {
  const { t } = useI18n();
  // The same paths the entry asks for early (prefetch.ts), so the first reads take those answers.
  const reads = guardReads(me);
  const tasks = useCachedData<'/api/tasks'>(me.userId, reads.tasks, 10_000);
  const shifts = useCachedData<'/api/shifts'>(me.userId, reads.shifts, 30_000);
  const keys = useCachedData<'/api/keys'>(me.userId, reads.keys, 15_000);
  const lot = useCachedData<'/api/compounds/{compoundId}/lot'>(me.userId, reads.lot, 15_000);
  const vehicles = useCachedData<'/api/vehicles'>(me.userId, reads.vehicles, 30_000);
  const feed = useCachedData<'/api/notifications'>(me.userId, reads.notifications, 30_000);
  const [tab, setTab] = useState('tasks');

  const plates = useMemo(() => new Map((vehicles.data ?? []).map((v) => [v.id, v.plate ?? v.id])), [vehicles.data]);
  const keyOf = useMemo(() => new Map((keys.data?.keys ?? []).map((k) => [k.vehicleId, k])), [keys.data]);
  // The oldest remembered reply on screen dates what the guard sees.
  const saved = [tasks, shifts, keys, lot, vehicles].flatMap((d) => (d.savedAt === null ? [] : [d.savedAt]));
  const savedAt = saved.length === 0 ? null : Math.min(...saved);
  // Calls close together (an answered action and the part that sent it) make one reload: a second
  // reload would cancel the first one's reply and the screen would wait for both.
  const queuedRefresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = () => {
    if (queuedRefresh.current !== null) return;
    queuedRefresh.current = setTimeout(() => {
      queuedRefresh.current = null;
      tasks.reload();
      keys.reload();
      lot.reload();
      vehicles.reload();
      feed.reload();
      shifts.reload();
    }, 50);
  };
  // Whenever a queued action is answered (also one replayed after a reload), the screen reads anew.
  const answered = useSyncExternalStore(subscribe, snapshot)
    .filter((a) => a.status !== 'pending')
    .map((a) => a.key)
    .join();
  const seen = useRef(answered);
  useEffect(() => {
    if (seen.current === answered) return;
    seen.current = answered;
    refresh();
    // `refresh` only calls the stable reloads.
  }, [answered]);
  const firstCar = tasks.data?.tasks[0]?.vehicleId ?? null;
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <div className="pb-phone">
      <SyncStatus savedAt={savedAt} />
      <ShiftCard me={me} shifts={shifts.data} notices={feed.data?.notifications ?? []} />
      <GuardTabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'tasks',
            label: `${t('任务')} (${tasks.data?.tasks.length ?? 0})`,
            children: (
              <TaskQueue
                tasks={tasks.data?.tasks ?? []}
                plates={plates}
                keyOf={keyOf}
                me={me}
                lot={lot.data}
                onChange={refresh}
              />
            ),
          },
          {
            key: 'gate',
            label: t('门口登记'),
            children: (
              <Suspense fallback={null}>
                <GatePanel me={me} vehicles={vehicles.data ?? []} onChange={refresh} />
              </Suspense>
            ),
          },
          {
            key: 'map',
            label: t('车场地图'),
            children:
              lot.data === null ? null : (
                <Suspense fallback={null}>
                  <LotMap
                    lot={lot.data}
                    columns={2}
                    leaving={
                      new Set((tasks.data?.tasks ?? []).filter((x) => x.kind !== 'park').map((x) => x.vehicleId))
                    }
                    selectedVehicleId={selected ?? firstCar}
                    onSelectPosition={(p) => setSelected(p.vehicle?.id ?? null)}
                  />
                  <MapLegend />
                  {(selected ?? firstCar) !== null && <CarDetail vehicleId={(selected ?? firstCar)!} />}
                </Suspense>
              ),
          },
          {
            key: 'keys',
            label: t('钥匙'),
            children: (
              <Suspense fallback={null}>
                <MyKeys me={me} keys={keys.data} onChange={refresh} />
              </Suspense>
            ),
          },
          {
            key: 'handover',
            label: t('交接班'),
            children: (
              <Suspense fallback={null}>
                <HandoverPanel me={me} shifts={shifts.data} onChange={refresh} />
              </Suspense>
            ),
          },
        ]}
      />
    </div>
  );
}
