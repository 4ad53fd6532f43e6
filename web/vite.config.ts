/**
 * Vite builds the web app from web/ into web/dist, with a manifest for the bundle-size check, and the
 * service worker that makes the guard's phone work offline: the app shell and every screen's code
 * (and the QR decoder's .wasm) are precached; the API's replies are not (the app keeps the signed-in
 * user's last-known ones itself, keyed by user, see web/src/offline.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rolldown } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each built file worth compressing, so the server
 * can send them as they are (@fastify/static `preCompressed`) instead of compressing on every request:
 * on a slow phone network the JavaScript is a third of its size.
 */
function precompress(): Plugin {
  const worth = /\.(js|css|html|svg|json|webmanifest|wasm)$/;
  return {
    name: 'parkbutler-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? join(root, 'dist');
      const br = promisify(brotliCompress);
      const gz = promisify(gzip);
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => worth.test(name))
          .map(async (name) => {
            const file = join(dir, name);
            const data = await readFile(file);
            if (data.length < 1024) return;
            // Quality 11 takes seconds of CPU on the big files (the QR decoder's .wasm, the charts) for a
            // few per cent; they are not on the first screen.
            const quality = data.length > 512 * 1024 ? 9 : constants.BROTLI_MAX_QUALITY;
            await writeFile(`${file}.br`, await br(data, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } }));
            await writeFile(`${file}.gz`, await gz(data, { level: 9 }));
          }),
      );
    },
  };
}

/**
 * Every user loads the shell (web/src/start.tsx: React, antd's core, the frame) right after the entry,
 * and a guard's phone the guard screen's code. Asked for by the entry once it has run, a phone on slow
 * 4G (150 ms a round trip) gets them a second later than it could; here the page asks for them itself
 * (`modulepreload`), beside the entry. Each is one chunk (`FIRST_SCREEN_CHUNKS`), so the question who
 * is signed in finds a free connection instead of queueing behind some twenty small chunks.
 */
function preloadFirstScreen(): Plugin {
  const FIRST = [/[\\/]web[\\/]src[\\/]start\.tsx$/, /[\\/]web[\\/]src[\\/]screens[\\/]GuardScreen\.tsx$/];
  return {
    name: 'parkbutler-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = new Map(
          Object.values(bundle ?? {})
            .filter((c): c is Rolldown.OutputChunk => c.type === 'chunk')
            .map((c) => [c.fileName, c]),
        );
        const first = FIRST.map((module) => {
          const chunk = [...chunks.values()].find((c) => c.moduleIds.some((id) => module.test(id)));
          if (chunk === undefined) throw new Error(`parkbutler-preload-first-screen: no chunk for ${module}`);
          return chunk;
        });
        /** `file` and every chunk it imports statically, into `into`, skipping those in `skip`. */
        const closure = (file: string, into: Set<string>, skip: Set<string> = new Set()) => {
          if (into.has(file) || skip.has(file)) return;
          into.add(file);
          for (const dep of chunks.get(file)?.imports ?? []) closure(dep, into, skip);
        };
        // The entry's own imports are preloaded by Vite already.
        const entry = new Set<string>();
        for (const c of chunks.values()) if (c.isEntry) closure(c.fileName, entry);
        const files = new Set<string>();
        for (const chunk of first) closure(chunk.fileName, files, entry);
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * `virtual:first-screen.css`: the first screen's antd styles, rendered at build time
 * (web/first-screen-styles.ts). The dev server leaves it empty: antd writes its styles at run time.
 */
function firstScreenCss(): Plugin {
  const ID = 'virtual:first-screen.css';
  let build = false;
  return {
    name: 'parkbutler-first-screen-css',
    configResolved(config) {
      build = config.command === 'build';
    },
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    async load(id) {
      if (id !== `\0${ID}`) return null;
      if (!build) return '';
      const { firstScreenStyles } = await import('./first-screen-styles.js');
      return firstScreenStyles();
    },
  };
}

/**
 * `__ANTD_MAP_TOKEN__`: antd's default algorithm run once here for the app's theme seed (web/theme.ts),
 * for web/src/app-theme.ts, instead of on every phone as the shell first renders.
 */
function antdMapToken(): Plugin {
  return {
    name: 'parkbutler-antd-map-token',
    async config() {
      const { theme } = await import('antd');
      const { THEME } = await import('./theme.js');
      const seed = { ...theme.defaultSeed, ...THEME.token };
      return { define: { __ANTD_MAP_TOKEN__: JSON.stringify({ seed, map: theme.defaultAlgorithm(seed) }) } };
    },
  };
}

/**
 * The first screen as three chunks instead of some twenty: on HTTP/1.1 a browser opens six connections
 * to a server, and each further request waits for one (on slow 4G, 150 ms a round trip). The entry's
 * own modules (asking who is signed in, the early data; web/src/main.tsx) first, kept small so the
 * question goes out before the big ones have downloaded; then the shell every user loads; then the
 * guard screen's code. Each takes its module and what it imports statically that a chunk before it
 * did not take; a module shared with a later screen stays where the first screen needs it.
 */
const FIRST_SCREEN_CHUNKS = [
  { name: 'entry', test: /[\\/]web[\\/]src[\\/]main\.tsx$/, priority: 3 },
  { name: 'shell', test: /[\\/]web[\\/]src[\\/]start\.tsx$/, priority: 2 },
  { name: 'guard', test: /[\\/]web[\\/]src[\\/]screens[\\/]GuardScreen\.tsx$/, priority: 1 },
];

export default defineConfig({
  root,
  plugins: [
    react(),
    preloadFirstScreen(),
    firstScreenCss(),
    antdMapToken(),
    precompress(),
    VitePWA({
      // Registered by web/src/service-worker.ts through workbox-window, after the first screen.
      injectRegister: false,
      registerType: 'autoUpdate',
      includeAssets: ['icon.svg'],
      manifest: {
        name: '泊车管家',
        short_name: '泊车管家',
        description: '老小区代客泊车：任务、钥匙、车场',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f0f2f5',
        theme_color: '#1f4e79',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,webmanifest}'],
        // The manager's and committee's charts (echarts, ~190 KB gzipped) are for desks online.
        globIgnores: ['**/Chart-*.js'],
        maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/docs(\/|$)/, /^\/openapi\.json$/],
        cleanupOutdatedCaches: true,
        // The page that installed it is served offline too, without a reload first.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: { output: { codeSplitting: { groups: FIRST_SCREEN_CHUNKS } } },
  },
  server: { proxy: { '/api': 'http://localhost:3100' } },
});
