/**
 * @module Who goes to the partner lot tonight. When the compound's capacity tonight (positions
 * minus closures) is below the cars expected, the shortfall is sent to the partner lot: cars of
 * volunteers and standing bookings first, then a fair rotation — the households that went least
 * this month go first, so demand above the partner's supply is spread over the month. EVs that
 * need charge get the partner's charger spaces first. Pure: the month's counts come in as input.
 */

export interface ExpectedCar {
  vehicleId: string;
  householdId: string | null;
  /** An EV that asked for charge tonight. */
  needsCharge: boolean;
  /** The household offered to park at the partner tonight (a night booking). */
  volunteer: boolean;
  /** The car has a standing booking at the partner for tonight. */
  standing: boolean;
}

export interface AllocationInput {
  /** Open positions in the compound tonight. */
  capacity: number;
  cars: ExpectedCar[];
  /** Spaces the partner offers tonight (0 when its window is closed), and how many have chargers. */
  partnerSpaces: number;
  partnerChargerSpaces: number;
  /** Nights each household has already been sent to the partner this month. */
  monthNights: ReadonlyMap<string, number>;
}

export type AllocationReason = 'volunteer' | 'standing' | 'rotation';

export interface PartnerAssignment {
  vehicleId: string;
  householdId: string | null;
  reason: AllocationReason;
  chargerSpace: boolean;
}

export interface AllocationResult {
  capacity: number;
  expected: number;
  /** Cars above the compound's capacity. */
  shortfall: number;
  toPartner: PartnerAssignment[];
  /** Cars above both the compound's capacity and the partner's supply. */
  unplaced: number;
}

/** Proposes tonight's partner assignments; deterministic (ties by household, then vehicle id). */
export function allocatePartner(input: AllocationInput): AllocationResult {
  const expected = input.cars.length;
  const shortfall = Math.max(0, expected - input.capacity);
  let spaces = Math.max(0, input.partnerSpaces);
  let chargers = Math.min(spaces, Math.max(0, input.partnerChargerSpaces));
  const chosen: PartnerAssignment[] = [];
  const take = (car: ExpectedCar, reason: AllocationReason): void => {
    const chargerSpace = car.needsCharge && chargers > 0;
    if (chargerSpace) chargers--;
    spaces--;
    chosen.push({ vehicleId: car.vehicleId, householdId: car.householdId, reason, chargerSpace });
  };
  const nights = (car: ExpectedCar) =>
    car.householdId === null ? Infinity : (input.monthNights.get(car.householdId) ?? 0);
  const byFairness = (a: ExpectedCar, b: ExpectedCar) =>
    nights(a) - nights(b) ||
    (a.householdId ?? '').localeCompare(b.householdId ?? '') ||
    a.vehicleId.localeCompare(b.vehicleId);
  // Volunteers and standing bookings first (EVs needing charge first among them, for the charger spaces).
  const willing = input.cars
    .filter((c) => c.standing || c.volunteer)
    .sort(
      (a, b) =>
        Number(b.needsCharge) - Number(a.needsCharge) || Number(b.standing) - Number(a.standing) || byFairness(a, b),
    );
  for (const car of willing) {
    if (spaces === 0) break;
    take(car, car.standing ? 'standing' : 'volunteer');
  }
  // Then the rotation, only as far as the compound is short: EVs that need charge while charger spaces last, then the fewest nights this month.
  const rest = input.cars.filter((c) => !c.standing && !c.volunteer && c.householdId !== null);
  const pending = [...rest].sort((a, b) => {
    const ev = (c: ExpectedCar) => (c.needsCharge ? 0 : 1);
    return ev(a) - ev(b) || byFairness(a, b);
  });
  const evFirst = pending.filter((c) => c.needsCharge);
  const others = pending.filter((c) => !c.needsCharge).sort(byFairness);
  const queue = [...evFirst.slice(0, chargers), ...[...evFirst.slice(chargers), ...others].sort(byFairness)];
  for (const car of queue) {
    if (chosen.length >= shortfall || spaces === 0) break;
    take(car, 'rotation');
  }
  const unplaced = Math.max(0, shortfall - chosen.length);
  return { capacity: input.capacity, expected, shortfall, toPartner: chosen, unplaced };
}
