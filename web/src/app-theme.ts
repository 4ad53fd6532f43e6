/**
 * @module The antd theme the shell gives its ConfigProvider: web/theme.ts's, with antd's default
 * algorithm already run for its seed at build time (`__ANTD_MAP_TOKEN__`, web/vite.config.ts). Deriving
 * the colour palettes and sizes was about a third of antd's theme token, the largest part of the first
 * render on a phone with a slowed CPU. A seed the build did not see is derived as antd would.
 */
import { theme, type ThemeConfig } from 'antd';
import { THEME } from '../theme';

type Algorithm = typeof theme.defaultAlgorithm;
type SeedToken = Parameters<Algorithm>[0];
type MapToken = ReturnType<Algorithm>;

declare const __ANTD_MAP_TOKEN__: { seed: SeedToken; map: MapToken };
const BUILT = __ANTD_MAP_TOKEN__;

function builtFor(seed: SeedToken): boolean {
  const keys = Object.keys(seed) as (keyof SeedToken)[];
  return keys.length === Object.keys(BUILT.seed).length && keys.every((k) => seed[k] === BUILT.seed[k]);
}

const derive: Algorithm = (seed) => (builtFor(seed) ? { ...BUILT.map } : theme.defaultAlgorithm(seed));

export const APP_THEME: ThemeConfig = { ...THEME, algorithm: derive };
