/**
 * @module The migrations, in order. Append-only once landed: a change to the schema is a new file.
 * Listed statically (not read from the folder) so the compiled package and the tests agree.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-create-ledger.js';
import * as m0002 from './0002-create-custody-state.js';
import * as m0003 from './0003-create-personal-data.js';
import * as m0004 from './0004-create-users.js';
import * as m0005 from './0005-create-sessions.js';
import * as m0006 from './0006-create-tasks-and-departures.js';
import * as m0007 from './0007-create-shifts.js';
import * as m0008 from './0008-create-invitations.js';
import * as m0010 from './0010-create-visitors.js';
import * as m0012 from './0012-create-notifications.js';
import * as m0013 from './0013-create-incidents.js';
import * as m0014 from './0014-create-partner-lots.js';
import * as m0015 from './0015-create-charging-requests.js';
import * as m0016 from './0016-create-sign-in-limits.js';
import * as m0017 from './0017-create-ledger-indexes.js';
import * as m0019 from './0019-create-gate-cameras.js';
import * as m0020 from './0020-create-billing.js';
import * as m0021 from './0021-create-condition-records.js';
import * as m0022 from './0022-create-shift-swaps.js';
import * as m0025 from './0025-create-renovations.js';
import * as m0026 from './0026-add-bill-charges.js';
import * as m0027 from './0027-create-ledger-time-index.js';
import * as m0030 from './0030-add-gate-read-fee.js';
import * as m0031 from './0031-create-departures-active-index.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-create-ledger': m0001,
  '0002-create-custody-state': m0002,
  '0003-create-personal-data': m0003,
  '0004-create-users': m0004,
  '0005-create-sessions': m0005,
  '0006-create-tasks-and-departures': m0006,
  '0007-create-shifts': m0007,
  '0008-create-invitations': m0008,
  '0010-create-visitors': m0010,
  '0012-create-notifications': m0012,
  '0013-create-incidents': m0013,
  '0014-create-partner-lots': m0014,
  '0015-create-charging-requests': m0015,
  '0016-create-sign-in-limits': m0016,
  '0017-create-ledger-indexes': m0017,
  '0019-create-gate-cameras': m0019,
  '0020-create-billing': m0020,
  '0021-create-condition-records': m0021,
  '0022-create-shift-swaps': m0022,
  '0025-create-renovations': m0025,
  '0026-add-bill-charges': m0026,
  '0027-create-ledger-time-index': m0027,
  '0030-add-gate-read-fee': m0030,
  '0031-create-departures-active-index': m0031,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
