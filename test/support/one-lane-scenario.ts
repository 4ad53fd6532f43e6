/**
 * @module The demo scenario cut down to one one-end lane and a few cars that always hand in their
 * key, never charge, and keep to their habits (no emergencies, no nights away, no partner lot): a
 * hand-made lot for the simulator's policy tests.
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/core/scenario.js';

type Scenario = ReturnType<typeof parseScenario>;

/** One car of the lane: its size and its habits (departure, arrival, stayHomeRate, declaresDeparture). */
export interface LaneCar {
  readonly size: string;
  readonly habits: Record<string, unknown>;
}

/** Lane `L01`, its positions (index 0 deepest) taking cars up to `maxSizes[i]`, and `cars`. */
export function oneLaneScenario(maxSizes: readonly string[], cars: readonly LaneCar[]): Scenario {
  const base = JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  > & {
    vehicles: Record<string, unknown>[];
    behaviour: Record<string, unknown>;
  };
  base.layout = {
    lanes: [
      {
        id: 'L01',
        name: '山墙',
        access: 'one-end',
        area: '1号楼山墙',
        positions: maxSizes.map((maxSize, index) => ({
          id: `L01-${index}`,
          index,
          kind: 'tandem',
          chargerKw: null,
          maxSize,
        })),
      },
    ],
    fireLanes: [],
  };
  base.vehicles = base.vehicles.slice(0, cars.length).map((v, i) => ({
    ...v,
    ev: false,
    batteryKwh: undefined,
    size: cars[i]!.size,
    keyConsent: true,
    habits: cars[i]!.habits,
  }));
  base.behaviour = {
    ...base.behaviour,
    nightEmergencyRate: 0,
    awayOvernightRate: 0,
    weekendAwayOvernightRate: 0,
    partnerLotShare: 0,
  };
  return parseScenario(JSON.parse(JSON.stringify(base)));
}
