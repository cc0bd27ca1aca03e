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

export interface Comparison {
  /** Median rate of `a`. */
  readonly a: number
  /** Median rate of `b` (NaN without one). */
  readonly b: number
  /** Median of the per-round ratios a ÷ b: each compares two runs made one right after the other. */
  readonly ratio: number
}

/**
 * Measures two contenders side by side: `runs` rounds, each running `a` then `b`, so that a change in
 * the machine's load hits both alike. A first round (run `-1`) is not counted: it warms both up (the JIT,
 * prepared statements, caches), which would otherwise weigh on whichever has more code to compile.
 */
export const compare = async (
  runs: number,
  a: (run: number) => Promise<number>,
  b?: (run: number) => Promise<number>
): Promise<Comparison> => {
  const ra: Array<number> = []
  const rb: Array<number> = []
  await a(-1)
  if (b !== undefined) await b(-1)
  for (let run = 0; run < runs; run++) {
    ra.push(await rateOf(() => a(run)))
    if (b !== undefined) rb.push(await rateOf(() => b(run)))
  }
  return { a: median(ra), b: median(rb), ratio: median(rb.map((x, i) => ra[i]! / x)) }
}
