import { assert } from "@effect/vitest"
import { Projection, type Recorded } from "@shuangbai/eventsourcing"
import * as fc from "fast-check"

export interface Options {
  /** Runs of the property (default 200). */
  readonly numRuns?: number
}

/**
 * Throws unless the projection gives the same state over `log` in one batch, one by one, and resumed
 * from a saved state after the first `cut % (log.length + 1)` events — both from the saved state itself,
 * which resuming must leave as it was, and from a copy of it (`structuredClone`: a state saved and read
 * back). Returns the state, for assertions of the caller's own.
 */
export const holds = <Event, State>(
  projection: Projection.Projection<Event, State>,
  log: ReadonlyArray<Recorded<Event>>,
  cut: number
): State => {
  const batch = Projection.fold(projection, log)
  let oneByOne = projection.initial
  for (const recorded of log) oneByOne = projection.evolve(oneByOne, recorded)
  assert.deepStrictEqual(oneByOne, batch, "one by one")
  const at = cut % (log.length + 1)
  const saved = Projection.fold(projection, log.slice(0, at))
  assert.deepStrictEqual(Projection.fold(projection, log.slice(at), saved), batch, `resumed after ${at} events`)
  assert.deepStrictEqual(
    saved,
    Projection.fold(projection, log.slice(0, at)),
    "resuming left the saved state as it was"
  )
  const copy = structuredClone(saved)
  assert.deepStrictEqual(Projection.fold(projection, log.slice(at), copy), batch, `resumed from a copy after ${at}`)
  return batch
}

/**
 * The law every projection obeys, checked on random logs: the same state in one batch, one by one, and
 * resumed from a saved state (`holds`), for each of the projections.
 */
export const check = <Event>(
  projections:
    | Projection.Projection<Event, any>
    | ReadonlyArray<Projection.Projection<Event, any>>
    | Readonly<Record<string, Projection.Projection<Event, any>>>,
  log: fc.Arbitrary<ReadonlyArray<Recorded<Event>>>,
  options: Options = {}
): void => {
  const all: ReadonlyArray<Projection.Projection<Event, any>> =
    "evolve" in projections && typeof projections.evolve === "function"
      ? [projections as Projection.Projection<Event, any>]
      : Object.values(projections)
  fc.assert(
    fc.property(log, fc.nat(), (events, cut) => {
      for (const projection of all) holds(projection, events, cut)
    }),
    { numRuns: options.numRuns ?? 200 }
  )
}
