import type { Recorded } from "./Recorded.ts"

/**
 * A read model as plain data: a pure fold over recorded events. Pure and total, so the answer is the
 * same in one batch or one by one, from zero or resumed from a saved state.
 */
export interface Projection<in Event, State> {
  readonly initial: State
  readonly evolve: (state: State, recorded: Recorded<Event>) => State
}

export const make = <Event, State>(projection: Projection<Event, State>): Projection<Event, State> => projection

export const fold = <Event, State>(
  projection: Projection<Event, State>,
  events: Iterable<Recorded<Event>>,
  from: State = projection.initial
): State => {
  let state = from
  for (const recorded of events) state = projection.evolve(state, recorded)
  return state
}

type StatesOf<P extends Record<string, Projection<any, any>>> = {
  readonly [K in keyof P]: P[K] extends Projection<any, infer S> ? S : never
}
type EventOf<P extends Record<string, Projection<any, any>>> = P[keyof P] extends Projection<infer E, any> ? E : never

/** Several projections fed by one pass over the log; each keeps its own state under its key. */
export const combine = <P extends Record<string, Projection<any, any>>>(
  projections: P
): Projection<EventOf<P>, StatesOf<P>> => {
  const keys = Object.keys(projections) as Array<keyof P & string>
  return {
    initial: Object.fromEntries(keys.map((k) => [k, projections[k]!.initial])) as StatesOf<P>,
    evolve: (state, recorded) => {
      let changed = false
      const next: Record<string, unknown> = {}
      for (const k of keys) {
        const before = state[k]
        const after = projections[k]!.evolve(before, recorded)
        if (after !== before) changed = true
        next[k] = after
      }
      return changed ? (next as StatesOf<P>) : state
    }
  }
}

/**
 * One instance of a projection per key (a station, a worker, a household): `key` says which instance
 * an event belongs to, or undefined when it belongs to none.
 */
export const partitioned = <Event, State>(
  projection: Projection<Event, State>,
  key: (recorded: Recorded<Event>) => string | undefined
): Projection<Event, ReadonlyMap<string, State>> => ({
  initial: new Map(),
  evolve: (state, recorded) => {
    const k = key(recorded)
    if (k === undefined) return state
    const before = state.get(k) ?? projection.initial
    const after = projection.evolve(before, recorded)
    if (after === before && state.has(k)) return state
    // Copy-on-write keeps earlier states valid for whoever holds them.
    const next = new Map(state)
    next.set(k, after)
    return next
  }
})
