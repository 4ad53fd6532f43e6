/**
 * @module Installing the service worker (built by vite-plugin-pwa) that keeps the app's shell and code
 * on the phone, so a reload without network still opens the app. Its install downloads every screen's
 * code and the QR decoder's .wasm (megabytes on a slow network), so it is registered only once the
 * first screen is shown and the page has loaded: at once under the sign-in form (typing takes longer),
 * a moment later under a role's screen, whose first replies come first. workbox-window loads only then.
 */

/** After a role's first screen is shown: time for its first replies before the install's downloads start. */
const AFTER_FIRST_SCREEN_MS = 3000;

let registered = false;

/** Registers the service worker once, `delayMs` after the page has loaded. */
function register(delayMs: number): void {
  if (registered || !import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  registered = true;
  const later = () => {
    setTimeout(() => {
      void import('workbox-window').then(({ Workbox }) => new Workbox('/sw.js').register());
    }, delayMs);
  };
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}

/** Call when the sign-in form is shown. */
export function registerUnderSignIn(): void {
  register(0);
}

/** Call when a role's first screen is shown. */
export function registerAfterFirstScreen(): void {
  register(AFTER_FIRST_SCREEN_MS);
}
