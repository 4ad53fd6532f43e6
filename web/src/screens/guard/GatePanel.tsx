/**
 * The gate's three ways in (typed plate, the camera's reads, the car's condition), as tabs of their
 * own so the guard's tab bar fits a phone. Loaded when the gate tab is first opened, with antd's Tabs.
 */
import { Tabs } from 'antd';
import { Suspense } from 'react';
import { useI18n } from '../../i18n';
import { lazyPart } from '../../lazy';
import type { Me, VehicleItem } from '../../types';

// Each way's code (antd's Form, InputNumber, AutoComplete) loads when its tab is first opened.
const CheckIn = lazyPart(() => import('./CheckIn').then((m) => ({ default: m.CheckIn })));
const GateDecisions = lazyPart(() => import('../GateDecisions'));
const ConditionCapture = lazyPart(() => import('../ConditionCapture'));

export function GatePanel({ me, vehicles, onChange }: { me: Me; vehicles: VehicleItem[]; onChange: () => void }) {
  const { t } = useI18n();
  return (
    <Tabs
      size="small"
      items={[
        {
          key: 'typed',
          label: t('手动登记'),
          children: (
            <Suspense fallback={null}>
              <CheckIn me={me} vehicles={vehicles} onChecked={onChange} />
            </Suspense>
          ),
        },
        {
          key: 'camera',
          label: t('车牌识别'),
          children: (
            <Suspense fallback={null}>
              <GateDecisions onChange={onChange} />
            </Suspense>
          ),
        },
        {
          key: 'condition',
          label: t('车况'),
          children: (
            <Suspense fallback={null}>
              <ConditionCapture vehicles={vehicles} />
            </Suspense>
          ),
        },
      ]}
    />
  );
}
