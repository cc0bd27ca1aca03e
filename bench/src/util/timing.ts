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

/**
 * Measures two contenders side by side: `runs` rounds, each running `a` then `b`, so that a change in
 * the machine's load hits both alike. Returns the median rate of each (NaN for an absent `b`).
 */
export const compare = async (
  runs: number,
  a: (run: number) => Promise<number>,
  b?: (run: number) => Promise<number>
): Promise<{ readonly a: number; readonly b: number }> => {
  const ra: Array<number> = []
  const rb: Array<number> = []
  for (let run = 0; run < runs; run++) {
    ra.push(await rateOf(() => a(run)))
    if (b !== undefined) rb.push(await rateOf(() => b(run)))
  }
  return { a: median(ra), b: median(rb) }
}
