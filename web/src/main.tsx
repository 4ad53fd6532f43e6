/**
 * The web app's entry, kept small so a slow phone starts everything its first screen needs at once, in
 * parallel: asks the server who is signed in and, once it says, for that screen's first data; downloads
 * the shell (React, antd: web/src/start.tsx), the screen the last user of this phone saw (or the
 * sign-in form), and English if it is chosen. Each screen loads lazily; the service worker is
 * registered once the first screen is shown. The page itself asks for the shell's and the guard
 * screen's code beside this entry, and its CSS carries the first screen's antd styles (both from
 * web/vite.config.ts).
 */
import { initialLang, loadLanguage } from './i18n';
import { lastUser } from './offline';
import { prefetchFirstScreen } from './prefetch';
import { loadLogin, preloadScreenOf } from './screen-loaders';
import { askWhoIsSignedIn } from './session';
import 'virtual:first-screen.css';
import './styles.css';

const asked = askWhoIsSignedIn();
// A first visit shows the sign-in form, so the shell waits for its code: the page opens on the form,
// never on a spinner. A signed-in phone's screen loads beside the shell, which shows a spinner meanwhile.
const signIn = asked === null ? loadLogin().catch(() => undefined) : undefined;
if (asked !== null) {
  const last = lastUser();
  if (last !== null) preloadScreenOf(last);
  asked.then(prefetchFirstScreen, () => undefined);
}
// English is awaited (a phone set to it never shows a Chinese frame); if it cannot load, Chinese shows.
void Promise.all([import('./start'), loadLanguage(initialLang()).catch(() => undefined), signIn]).then(([{ start }]) =>
  start(document.getElementById('root')!),
);
