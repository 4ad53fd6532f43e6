/**
 * The guard screen's tab bar, drawn as antd's Tabs draw it but without their measuring: antd's Tabs
 * read every tab's size on the first render (to place the ink bar and fold overflowing tabs into a
 * menu), and each reading forces the browser to lay out the page; on a slow phone's first screen that
 * took a third of a second or more. Here the ink bar is the active tab's own border and a tab bar
 * wider than the phone scrolls. Each tab's panel is rendered once first opened and kept, as antd does.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';

export interface GuardTab {
  key: string;
  label: string;
  children: ReactNode;
}

export function GuardTabs({
  items,
  activeKey,
  onChange,
}: {
  items: readonly GuardTab[];
  activeKey: string;
  onChange: (key: string) => void;
}) {
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([activeKey]));
  const open = (key: string) => {
    if (!opened.has(key)) setOpened(new Set([...opened, key]));
    onChange(key);
  };
  // The arrow keys move between tabs, Home and End to the first and last (WAI-ARIA tabs pattern).
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const to =
      e.key === 'ArrowRight'
        ? (index + 1) % items.length
        : e.key === 'ArrowLeft'
          ? (index - 1 + items.length) % items.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? items.length - 1
              : null;
    const next = to === null ? undefined : items[to];
    if (next === undefined) return;
    e.preventDefault();
    open(next.key);
    document.getElementById(tabId(next.key))?.focus();
  };
  const shown = new Set([...opened, activeKey]);
  return (
    <div className="pb-tabs">
      <div role="tablist" className="pb-tabs-nav">
        {items.map((item, index) => {
          const active = item.key === activeKey;
          return (
            <button
              key={item.key}
              id={tabId(item.key)}
              type="button"
              role="tab"
              aria-selected={active}
              aria-controls={shown.has(item.key) ? panelId(item.key) : undefined}
              tabIndex={active ? 0 : -1}
              className={active ? 'pb-tab pb-tab-active' : 'pb-tab'}
              onClick={() => open(item.key)}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              {item.label}
            </button>
          );
        })}
      </div>
      {items
        .filter((item) => shown.has(item.key))
        .map((item) => (
          <div
            key={item.key}
            id={panelId(item.key)}
            role="tabpanel"
            aria-labelledby={tabId(item.key)}
            hidden={item.key !== activeKey}
          >
            {item.children}
          </div>
        ))}
    </div>
  );
}

const tabId = (key: string) => `pb-tab-${key}`;
const panelId = (key: string) => `pb-tabpanel-${key}`;
