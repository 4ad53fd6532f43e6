/**
 * The antd styles of the first screen (the shell and the guard's task list), rendered
 * once at build time into the page's CSS. antd writes each component's styles in the browser the
 * first time it renders (CSS-in-JS): on a phone with a slowed CPU that took about a third of the first
 * render. A style found in this CSS (by the path map that `extractStyle` writes beside it) is taken as
 * it is, not built again; any other component still gets its styles at run time, as before.
 */
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import { Alert, Button, ConfigProvider, Empty, Space, Tag } from 'antd';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { THEME } from './theme.js';

/**
 * The CSS of every antd component on the guard's first screen, under the app's theme. The sign-in form's
 * Form and Input are left out: with the grid they bring they would double the CSS every page loads; so
 * are the gate's Tabs, which load with the gate tab (the guard's own tab bar is in web/src/styles.css).
 */
export function firstScreenStyles(): string {
  // antd's hashes differ outside production builds; the page would then not find these styles.
  if (process.env.NODE_ENV !== 'production') throw new Error('first-screen styles: build with NODE_ENV=production');
  const cache = createCache();
  renderToString(
    h(
      StyleProvider,
      { cache },
      h(
        ConfigProvider,
        { theme: THEME },
        h(Button, { type: 'primary' }, '·'),
        h(Space, null, '·'),
        h(Tag, null, '·'),
        // Preset colours are a style of their own.
        h(Tag, { color: 'green' }, '·'),
        h(Alert, { title: '·' }),
        h(Empty),
      ),
    ),
  );
  return extractStyle(cache, { plain: true, types: 'style' });
}
