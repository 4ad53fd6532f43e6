/**
 * @module How far each car's departures fall from the time expected of it (its habitual time when
 * nothing is declared, the declared time otherwise), learnt from the mornings the guards have seen.
 * A guard who has watched a car leave at 07:40 ± 10 minutes for a fortnight does not plan for
 * ± 30; the planner's beliefs should not either.
 */

/**
 * Weight, in observed mornings, of the compound's spread in a car's own: a car seen leave only
 * once or twice is assumed to vary as the other cars do.
 */
const PRIOR_MORNINGS = 5;

/**
 * A car's spread is the root mean square of its own deviations, shrunk towards the compound's
 * (empirical Bayes, with `PRIOR_MORNINGS` mornings of weight); before any morning is seen, the
 * spread given to the constructor.
 */
export class DepartureSpread {
  private readonly sumSq: Float64Array;
  private readonly count: Float64Array;
  private allSumSq = 0;
  private allCount = 0;

  constructor(
    cars: number,
    private readonly initial: number,
  ) {
    this.sumSq = new Float64Array(cars);
    this.count = new Float64Array(cars);
  }

  /** `car` left `deviation` minutes after (negative: before) the time expected of it. */
  observe(car: number, deviation: number): void {
    const sq = deviation * deviation;
    this.sumSq[car] = (this.sumSq[car] as number) + sq;
    this.count[car] = (this.count[car] as number) + 1;
    this.allSumSq += sq;
    this.allCount++;
  }

  /** One standard deviation of `car`'s departure around the time expected of it, minutes. */
  of(car: number): number {
    const compound = this.allCount === 0 ? this.initial * this.initial : this.allSumSq / this.allCount;
    const own =
      (PRIOR_MORNINGS * compound + (this.sumSq[car] as number)) / (PRIOR_MORNINGS + (this.count[car] as number));
    return Math.sqrt(own);
  }
}
