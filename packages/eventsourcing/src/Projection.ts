import type { Recorded } from "./Recorded.ts"

/**
 * A read model as plain data: a pure fold over recorded events. Pure and total, so the answer is the
 * same in one batch or one by one, from zero or resumed from a saved state.
 *
 * `types` declares the event types (`Recorded.type`) it reads, as Emmett's `canHandle` does: every other
 * event leaves its state as it was, so `combine` hands it only those, and a runner or a subscription may
 * skip the others before they are read. Undefined: any event may change it.
 */
export interface Projection<in Event, State> {
  readonly initial: State
  readonly evolve: (state: State, recorded: Recorded<Event>) => State
  readonly types?: ReadonlyArray<string> | undefined
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

/** Whether a projection reads events of this type (one that declares no types reads every type). */
export const reads = <State>(projection: Projection<never, State>, type: string): boolean =>
  projection.types === undefined || projection.types.includes(type)

/**
 * A projection of some events (a context's, say) that reads only the types given, and so can be fed a
 * log of any events: the others pass it by. Its types are those given, or as many of them as `projection`
 * itself declares.
 */
export const reading = <Event extends { readonly _tag: string }, State>(
  types: ReadonlyArray<Event["_tag"]>,
  projection: Projection<Event, State>
): Projection<unknown, State> => {
  const declared = projection.types === undefined ? types : types.filter((type) => reads(projection, type))
  const read: ReadonlySet<string> = new Set(declared)
  const isRead = (recorded: Recorded<unknown>): recorded is Recorded<Event> => read.has(recorded.type)
  return {
    initial: projection.initial,
    evolve: (state, recorded) => (isRead(recorded) ? projection.evolve(state, recorded) : state),
    types: declared
  }
}

/** A value carried in a state unchanged (the options a report was folded with, for its view): reads no event. */
export const constant = <State>(value: State): Projection<unknown, State> => ({
  initial: value,
  evolve: (state) => state,
  types: []
})

/** Only the events that satisfy `predicate`; the types declared stay those of `projection`. */
export const filter = <Event, State>(
  predicate: (recorded: Recorded<Event>) => boolean,
  projection: Projection<Event, State>
): Projection<Event, State> => ({
  initial: projection.initial,
  evolve: (state, recorded) => (predicate(recorded) ? projection.evolve(state, recorded) : state),
  types: projection.types
})

type StatesOf<P extends Record<string, Projection<any, any>>> = {
  readonly [K in keyof P]: P[K] extends Projection<any, infer S> ? S : never
}
type EventOf<P extends Record<string, Projection<any, any>>> = P[keyof P] extends Projection<infer E, any> ? E : never

/**
 * Several projections fed by one pass over the log; each keeps its own state under its key. Each event is
 * handed only to the parts that read its type (a table from type to parts, built once): a combination of a
 * dozen parts does the work of the one or two an event concerns, and builds one new state object only when
 * one of them changed (the parts it leaves alone are shared with the state before). It reads the types its
 * parts read, or every type when one of them declares none.
 */
export const combine = <P extends Record<string, Projection<any, any>>>(
  projections: P
): Projection<EventOf<P>, StatesOf<P>> => {
  const keys = Object.keys(projections) as Array<keyof P & string>
  const everyType = keys.filter((k) => projections[k]!.types === undefined)
  const byType = new Map<string, Array<keyof P & string>>()
  for (const k of keys) {
    for (const type of projections[k]!.types ?? []) {
      const readers = byType.get(type) ?? []
      if (!readers.includes(k)) readers.push(k)
      byType.set(type, readers)
    }
  }
  // A part that reads every type reads each of the others' too, in the order the parts were given.
  if (everyType.length > 0)
    for (const [type, readers] of byType)
      byType.set(
        type,
        keys.filter((k) => readers.includes(k) || everyType.includes(k))
      )
  return {
    initial: Object.fromEntries(keys.map((k) => [k, projections[k]!.initial])) as StatesOf<P>,
    evolve: (state, recorded) => {
      const readers = byType.get(recorded.type) ?? everyType
      let next: Record<string, unknown> | undefined
      for (const k of readers) {
        const before = state[k]
        const after = projections[k]!.evolve(before, recorded)
        if (after !== before) {
          next ??= { ...state }
          next[k] = after
        }
      }
      return next === undefined ? state : (next as StatesOf<P>)
    },
    types: everyType.length > 0 ? undefined : [...byType.keys()]
  }
}

/**
 * One instance of a projection per key (a station, a worker, a household): `key` says which instance
 * an event belongs to, or undefined when it belongs to none. It reads the types `projection` reads.
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
  },
  types: projection.types
})
