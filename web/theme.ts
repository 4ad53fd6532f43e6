/**
 * @module The app's antd theme, one object for the shell's ConfigProvider (web/src/App.tsx) and for
 * the first screen's styles rendered at build time (web/first-screen-styles.ts): the build's styles
 * are found by the theme's hash, so the two must be the same.
 */
import type { ThemeConfig } from 'antd';

/** antd's default secondary greys fall below WCAG AA contrast on white; these pass. */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1f4e79',
    colorLink: '#1f4e79',
    colorError: '#c9141e',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorTextQuaternary: 'rgba(0, 0, 0, 0.55)',
  },
};
