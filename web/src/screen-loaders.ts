/**
 * @module Which screen each user gets, as code loaded on demand. The entry starts loading the last
 * signed-in user's screen at once, alongside the shell, instead of after the server has said who is
 * signed in; the shell renders the same modules (web/src/App.tsx).
 */
import type { Me } from './types';

export const loadGuardScreen = () => import('./screens/GuardScreen');
export const loadResidentScreen = () => import('./screens/ResidentScreen');
export const loadManagerConsole = () => import('./screens/ManagerConsole');
export const loadPartnerView = () => import('./screens/PartnerView');
export const loadRenovation = () => import('./screens/Renovation');
export const loadLogin = () => import('./screens/Login');

/** Starts downloading the screen `me` will see (the modules are cached: the shell's import reuses it). */
export function preloadScreenOf(me: Pick<Me, 'role' | 'partnerLotId'>): void {
  const load = (() => {
    switch (me.role) {
      case 'guard':
        return loadGuardScreen;
      case 'resident':
        return loadResidentScreen;
      case 'manager':
      case 'committee':
        return loadManagerConsole;
      case 'partner':
        // A partner unit without a lot is the construction-waste hauler.
        return me.partnerLotId === null ? loadRenovation : loadPartnerView;
    }
  })();
  // A failed download is retried by the shell's own import, which shows the failure.
  load().catch(() => undefined);
}
