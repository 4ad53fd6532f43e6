/**
 * @module The lot as an SVG: areas laid out in columns, each lane a row of positions with position 0
 * (the open end) on the left. The data has no geometry, so the drawing is a schematic. Cars are
 * coloured by state; the selected car's blockers (the cars between it and the nearer open end) are
 * outlined.
 */
import { useMemo, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import type { Lot, LotLane, LotPosition } from '../types';

export type CarState = 'free' | 'blocked' | 'leaving' | 'charging' | 'closed' | 'empty' | 'other';

const FILL: Record<CarState, string> = {
  free: '#389e0d',
  blocked: '#cf1322',
  leaving: '#0958d9',
  charging: '#08979c',
  closed: '#bfbfbf',
  empty: '#ffffff',
  other: '#8c8c8c',
};

export const STATE_LABEL: Record<CarState, string> = {
  free: '可直接离开',
  blocked: '被挡',
  leaving: '即将离开',
  charging: '充电中',
  closed: '停用车位',
  empty: '空位',
  other: '有车',
};

const CELL = 30;
const ROW = 26;
const LABEL = 16;
const PAD = 6;

/** The cars in front of `index` towards the nearer open end (both ends for a through lane), as in core/layout.ts. */
export function blockersIn(lane: LotLane, index: number): string[] {
  const front = lane.positions.filter((p) => p.index < index && p.vehicle !== null).map((p) => p.vehicle!.id);
  if (lane.access !== 'through') return front;
  const back = lane.positions.filter((p) => p.index > index && p.vehicle !== null).map((p) => p.vehicle!.id);
  return back.length < front.length ? back : front;
}

function stateOf(p: LotPosition, leaving: ReadonlySet<string>): CarState {
  if (p.vehicle === null) return p.occupied ? 'other' : p.closedToday ? 'closed' : 'empty';
  if (leaving.has(p.vehicle.id)) return 'leaving';
  if (p.vehicle.blocked) return 'blocked';
  if (p.vehicle.ev && p.chargerKw !== null) return 'charging';
  return 'free';
}

interface AreaBox {
  area: string;
  lanes: LotLane[];
  x: number;
  y: number;
  w: number;
  h: number;
  /** Single-bay areas wrap their bays into rows instead of one lane per row. */
  wrap: number;
}

function layoutAreas(lot: Lot, columns: number): { boxes: AreaBox[]; width: number; height: number } {
  const byArea = new Map<string, LotLane[]>();
  for (const lane of lot.lanes) byArea.set(lane.area, [...(byArea.get(lane.area) ?? []), lane]);
  const maxLen = Math.max(...lot.lanes.map((l) => l.positions.length), 1);
  const w = maxLen * CELL + PAD * 2;
  const heights = new Array<number>(columns).fill(0);
  const boxes: AreaBox[] = [];
  for (const [area, lanes] of byArea) {
    const singles = lanes.every((l) => l.positions.length === 1);
    const wrap = singles ? maxLen : 0;
    const rows = singles ? Math.ceil(lanes.length / maxLen) : lanes.length;
    const h = LABEL + rows * ROW + PAD;
    const col = heights.indexOf(Math.min(...heights));
    boxes.push({
      area,
      lanes,
      x: col * (w + PAD),
      y: heights[col]!,
      w,
      h,
      wrap,
    });
    heights[col] = heights[col]! + h + PAD;
  }
  return { boxes, width: columns * (w + PAD), height: Math.max(...heights) };
}

export interface LotMapProps {
  lot: Lot;
  columns: number;
  /** Cars with an open move or delivery: drawn as leaving soon. */
  leaving?: ReadonlySet<string>;
  selectedVehicleId?: string | null;
  selectedPositionId?: string | null;
  onSelectPosition?: (p: LotPosition, lane: LotLane) => void;
  /** Draw only the area of the selected car (a resident's view of their car). */
  onlyAreaOfSelected?: boolean;
}

export function LotMap({
  lot,
  columns,
  leaving = new Set(),
  selectedVehicleId = null,
  selectedPositionId = null,
  onSelectPosition,
  onlyAreaOfSelected = false,
}: LotMapProps) {
  const { t } = useI18n();
  const { boxes, width, height } = useMemo(() => {
    if (!onlyAreaOfSelected || selectedVehicleId === null) return layoutAreas(lot, columns);
    const area = lot.lanes.find((l) => l.positions.some((p) => p.vehicle?.id === selectedVehicleId))?.area;
    return layoutAreas({ ...lot, lanes: lot.lanes.filter((l) => l.area === area) }, columns);
  }, [lot, columns, onlyAreaOfSelected, selectedVehicleId]);
  const blockers = useMemo(() => {
    if (selectedVehicleId === null) return new Set<string>();
    for (const lane of lot.lanes) {
      const p = lane.positions.find((q) => q.vehicle?.id === selectedVehicleId);
      if (p !== undefined) return new Set(blockersIn(lane, p.index));
    }
    return new Set<string>();
  }, [lot, selectedVehicleId]);
  const interactive = onSelectPosition !== undefined;
  const fire = new Set(lot.fireLanes);

  const cell = (lane: LotLane, p: LotPosition, x: number, y: number) => {
    const state = stateOf(p, leaving);
    const selected = (p.vehicle !== null && p.vehicle.id === selectedVehicleId) || p.id === selectedPositionId;
    const blocker = p.vehicle !== null && blockers.has(p.vehicle.id);
    const label = [
      t('车位 {id}', { id: p.id }),
      p.vehicle?.plate ?? '',
      t(STATE_LABEL[state]),
      p.chargerKw !== null ? t('充电桩') : '',
      blocker ? t('挡住所选车辆') : '',
    ]
      .filter((s) => s !== '')
      .join('，');
    const select = () => onSelectPosition?.(p, lane);
    return (
      <g key={p.id} transform={`translate(${x},${y})`}>
        <g
          className="pb-cell"
          data-position={p.id}
          data-state={state}
          {...(interactive
            ? {
                role: 'button',
                tabIndex: 0,
                'aria-label': label,
                'aria-pressed': selected,
                onClick: select,
                onKeyDown: (e: KeyboardEvent) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    select();
                  }
                },
              }
            : {})}
        >
          {!interactive && <title>{label}</title>}
          <rect
            width={CELL - 3}
            height={ROW - 4}
            rx={3}
            fill={state === 'closed' ? 'url(#pb-hatch)' : FILL[state]}
            stroke={selected ? '#000' : blocker ? '#fa8c16' : '#8c8c8c'}
            strokeWidth={selected || blocker ? 3 : 1}
            strokeDasharray={blocker ? '4 2' : undefined}
          />
        </g>
        {/* Outside the button, so its accessible name is the label alone (axe: label-content-name-mismatch). */}
        <g aria-hidden="true" pointerEvents="none">
          {p.vehicle?.plate != null && (
            <text x={(CELL - 3) / 2} y={ROW / 2 + 1} fontSize={8} textAnchor="middle" fill="#fff">
              {p.vehicle.plate.slice(-3)}
            </text>
          )}
          {p.chargerKw !== null && (
            <text x={CELL - 9} y={9} fontSize={9} fill={state === 'empty' ? '#d48806' : '#fff'}>
              ⚡
            </text>
          )}
        </g>
      </g>
    );
  };

  return (
    <svg
      className="pb-lotmap"
      viewBox={`-2 -2 ${width + 4} ${height + 4}`}
      // Never drawn larger than 1.6× its natural size, so one area on a phone stays a map, not a poster.
      style={{ maxWidth: (width + 4) * 1.6 }}
      role={interactive ? 'group' : 'img'}
      aria-label={`${t('车场地图')} ${lot.name ?? ''}`}
    >
      <defs>
        <pattern id="pb-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#e8e8e8" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" strokeWidth="2" />
        </pattern>
      </defs>
      {boxes.map((b) => (
        <g key={b.area} transform={`translate(${b.x},${b.y})`}>
          <rect width={b.w} height={b.h} rx={4} fill={fire.has(b.area) ? '#fff1f0' : '#f5f7fa'} stroke="#d9d9d9" />
          <text x={PAD} y={12} fontSize={10} fill="#262626">
            {b.area}
          </text>
          {b.wrap > 0
            ? b.lanes.map((lane, i) =>
                cell(lane, lane.positions[0]!, PAD + (i % b.wrap) * CELL, LABEL + Math.floor(i / b.wrap) * ROW),
              )
            : b.lanes.map((lane, r) => (
                <g key={lane.id}>
                  <path
                    d={`M${PAD - 4},${LABEL + r * ROW + 6} l3,5 l-3,5`}
                    stroke="#595959"
                    fill="none"
                    aria-hidden="true"
                  />
                  {lane.positions.map((p) => cell(lane, p, PAD + p.index * CELL, LABEL + r * ROW))}
                </g>
              ))}
        </g>
      ))}
    </svg>
  );
}

export function MapLegend() {
  const { t } = useI18n();
  const states: CarState[] = ['free', 'blocked', 'leaving', 'charging', 'closed', 'empty'];
  return (
    <ul className="pb-legend" aria-label={t('车场地图')}>
      {states.map((s) => (
        <li key={s}>
          <span className="pb-swatch" style={{ background: s === 'closed' ? '#d9d9d9' : FILL[s] }} aria-hidden="true" />
          {t(STATE_LABEL[s])}
        </li>
      ))}
      <li>
        <span className="pb-swatch pb-swatch-blocker" aria-hidden="true" />
        {t('挡住所选车辆')}
      </li>
    </ul>
  );
}
