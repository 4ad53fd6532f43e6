/**
 * @module Installing the service worker (built by vite-plugin-pwa) that keeps the app's shell and code
 * on the phone, so a reload without network still opens the app. Its install downloads every screen's
 * code and the QR decoder's .wasm (megabytes on a slow network), so it is registered only once the
 * first screen is shown and the page has loaded, and a moment later still: the screen's first replies
 * come first. workbox-window loads only then.
 */

/** After the first screen is shown: time for its first replies before the install's downloads start. */
const AFTER_FIRST_SCREEN_MS = 3000;

let registered = false;

/** Registers the service worker once; call it when the first screen (sign-in or a role's screen) is shown. */
export function registerServiceWorker(): void {
  if (registered || !import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  registered = true;
  const register = () => {
    setTimeout(() => {
      void import('workbox-window').then(({ Workbox }) => new Workbox('/sw.js').register());
    }, AFTER_FIRST_SCREEN_MS);
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
