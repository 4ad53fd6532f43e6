/**
 * antd's small bordered Card, drawn as antd draws it (web/src/styles.css, `.pb-card`) but without its
 * code: antd's Card imports Tabs (for its tab list), and with them the menu, the dropdown and the
 * skeleton, some 130 KB of code a slow phone parsed and ran on the guard's first screen for cards
 * that only frame a few lines and buttons.
 */
import type { HTMLAttributes } from 'react';

export function PlainCard({ className, children, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div className={className === undefined ? 'pb-card' : `pb-card ${className}`} {...rest}>
      <div className="pb-card-body">{children}</div>
    </div>
  );
}
