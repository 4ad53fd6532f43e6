/**
 * @module Installing the service worker (built by vite-plugin-pwa) that keeps the app's shell and code
 * on the phone, so a reload without network still opens the app. Registered once the page has
 * loaded, so it never competes with the first screen; workbox-window loads only then.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    void import('workbox-window').then(({ Workbox }) => new Workbox('/sw.js').register());
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
