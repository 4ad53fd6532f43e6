/**
 * Vite builds the web app from web/ into web/dist, with a manifest for the bundle-size check, and the
 * service worker that makes the guard's phone work offline: the app shell and every screen's code
 * (and the QR decoder's .wasm) are precached; the API's replies are not (the app keeps the signed-in
 * user's last-known ones itself, keyed by user, see web/src/offline.ts).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [
    react(),
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
