/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Runs `body` once and returns its rate: the count it returns per second of wall time. */
export const rateOf = async (body: () => Promise<number>): Promise<number> => {
  const start = process.hrtime.bigint()
  const count = await body()
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return count / seconds
}

export interface Sides {
  /** Median rate of each side. */
  readonly rates: ReadonlyArray<number>
  /** Median of the per-round ratios side 0 ÷ side i (1 for side 0 itself). */
  readonly ratios: ReadonlyArray<number>
}

/**
 * Measures contenders side by side: `runs` rounds, each running every side once, so that a change in the
 * machine's load hits them alike; round r starts with side r (mod the count), so that none always runs
 * first or after the same neighbour. A first round (run `-1`) is not counted: it warms them up (the JIT,
 * prepared statements, caches), which would otherwise weigh on whichever has more code to compile.
 */
export const compareSides = async (
  runs: number,
  sides: ReadonlyArray<(run: number) => Promise<number>>
): Promise<Sides> => {
  const rates = sides.map(() => [] as Array<number>)
  for (const side of sides) await side(-1)
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (run + k) % sides.length
      rates[i]!.push(await rateOf(() => sides[i]!(run)))
    }
  }
  return {
    rates: rates.map(median),
    ratios: rates.map((r) => median(r.map((x, round) => rates[0]![round]! / x)))
  }
}

export interface Comparison {
  /** Median rate of `a`. */
  readonly a: number
  /** Median rate of `b` (NaN without one). */
  readonly b: number
  /** Median of the per-round ratios a ÷ b: each compares two runs made in the same round. */
  readonly ratio: number
}

/** `compareSides` for one contender, or two. */
export const compare = async (
  runs: number,
  a: (run: number) => Promise<number>,
  b?: (run: number) => Promise<number>
): Promise<Comparison> => {
  const { rates, ratios } = await compareSides(runs, b === undefined ? [a] : [a, b])
  return { a: rates[0]!, b: rates[1] ?? Number.NaN, ratio: ratios[1] ?? Number.NaN }
}
