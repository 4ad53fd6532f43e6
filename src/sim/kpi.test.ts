import { describe, expect, it } from 'vitest';
import { chargerDeliverableKwh } from './kpi.js';

describe('chargerDeliverableKwh', () => {
  it('is what was asked when the chargers have room for it', () => {
    // Two EVs home 12 h asking 20 kWh each, two 7 kW chargers: 40 kWh.
    const stays = [0, 1].map(() => ({ from: 0, to: 720, kwh: 20 }));
    expect(chargerDeliverableKwh(stays, [{ from: 0, to: 1440, kw: 7, count: 2 }])).toBeCloseTo(40, 9);
  });

  it('is what one charger gives over the night when many EVs share it', () => {
    // Ten EVs home 10 h asking 30 kWh each, one 7 kW charger: at most 70 kWh, not 300.
    const stays = Array.from({ length: 10 }, () => ({ from: 0, to: 600, kwh: 30 }));
    expect(chargerDeliverableKwh(stays, [{ from: 0, to: 1440, kw: 7, count: 1 }])).toBeCloseTo(70, 9);
  });

  it('gives an EV no more than the strongest charger over its stay, and nothing without chargers', () => {
    expect(chargerDeliverableKwh([{ from: 0, to: 60, kwh: 50 }], [{ from: 0, to: 1440, kw: 11, count: 4 }])).toBe(11);
    expect(chargerDeliverableKwh([{ from: 0, to: 600, kwh: 50 }], [])).toBe(0);
  });

  it('counts a charger only while it is open', () => {
    // A partner charger open the last 2 h of a 10 h stay.
    const got = chargerDeliverableKwh([{ from: 0, to: 600, kwh: 50 }], [{ from: 480, to: 600, kw: 7, count: 1 }]);
    expect(got).toBeCloseTo(14, 9);
  });

  it('gives no EV energy in hours it is not at home, though the night has charger time left', () => {
    // Two EVs home the first 2 h asking 14 kWh each share one 7 kW charger (14 kWh between them);
    // a third, home the next 10 h, asks 0.1 kWh. Counting cars and charger-hours apart gives 28.1.
    const stays = [
      { from: 0, to: 120, kwh: 14 },
      { from: 0, to: 120, kwh: 14 },
      { from: 120, to: 720, kwh: 0.1 },
    ];
    expect(chargerDeliverableKwh(stays, [{ from: 0, to: 1440, kw: 7, count: 1 }])).toBeCloseTo(14.1, 9);
  });

  it('charges an EV bound to a site at the chargers of that site only', () => {
    // At the partner lot of the resident's choice, with no charger there: the compound's idle
    // charger cannot reach it. Without the site it could (7 kWh in an hour).
    const compound = { from: 0, to: 1440, kw: 7, count: 1 };
    expect(chargerDeliverableKwh([{ from: 0, to: 60, kwh: 10, site: 'partner' }], [compound])).toBe(0);
    expect(chargerDeliverableKwh([{ from: 0, to: 60, kwh: 10 }], [compound])).toBeCloseTo(7, 9);
    // One 7 kW partner charger for two bound EVs; a free EV still takes the compound's.
    const stays = [
      { from: 0, to: 60, kwh: 10, site: 'partner' },
      { from: 0, to: 60, kwh: 10, site: 'partner' },
      { from: 0, to: 60, kwh: 10 },
    ];
    const partner = { from: 0, to: 1440, kw: 7, count: 1, site: 'partner' };
    expect(chargerDeliverableKwh(stays, [compound, partner])).toBeCloseTo(14, 9);
  });
});
