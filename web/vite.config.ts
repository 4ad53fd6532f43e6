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
import { defineConfig, type Plugin } from 'vite';
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

export default defineConfig({
  root,
  plugins: [
    react(),
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
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://localhost:3100' } },
});
