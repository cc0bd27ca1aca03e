import type { EventCodec, Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import { HashMap, Option } from "effect"
import type { Event } from "../../Domain.ts"
import { businessDate } from "./dates.ts"

/** Leaves out events dated after `asOf` (by their business date; undated ones always count). */
export const until = <E extends Event, S>(
  asOf: Scalars.LocalDate,
  projection: Projection.Projection<E, S>
): Projection.Projection<E, S> => ({
  initial: projection.initial,
  evolve: (state: S, recorded: Recorded<E>): S => {
    const date = businessDate(recorded.event)
    return date !== undefined && date > asOf ? state : projection.evolve(state, recorded)
  }
})

/** Only the events that satisfy `predicate`. */
export const where = <E extends Event, S>(
  predicate: (event: E) => boolean,
  projection: Projection.Projection<E, S>
): Projection.Projection<E, S> => ({
  initial: projection.initial,
  evolve: (state: S, recorded: Recorded<E>): S =>
    predicate(recorded.event) ? projection.evolve(state, recorded) : state
})

/** A value carried in the state unchanged (the options a report was folded with, for its view). */
export const constant = <S>(value: S): Projection.Projection<Event, S> => ({ initial: value, evolve: (state) => state })

/** A persistent map's value, or undefined. */
export const lookup = <K, V>(map: HashMap.HashMap<K, V>, key: K): V | undefined =>
  Option.getOrUndefined(HashMap.get(map, key))

/** Adds one to a count kept in a persistent map. */
export const increment = <K>(map: HashMap.HashMap<K, number>, key: K, by = 1): HashMap.HashMap<K, number> =>
  HashMap.set(map, key, (lookup(map, key) ?? 0) + by)

/** Sorts by a string key, ascending, without locale rules (ids sort the same everywhere). */
export const byKey =
  <A>(key: (a: A) => string) =>
  (a: A, b: A): number => {
    const ka = key(a)
    const kb = key(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  }

/** A part of a report's state: its projection, and the event types it reads (the others pass it by). */
export interface Part<S> {
  readonly projection: Projection.Projection<Event, S>
  readonly types: ReadonlyArray<Event["_tag"]>
}

export const part = <S>(types: ReadonlyArray<Event["_tag"]>, projection: Projection.Projection<Event, S>): Part<S> => ({
  projection,
  types
})

/** A context's projection as a part: it reads the event types its codec owns. */
export const contextPart = <E, S>(
  codec: EventCodec.EventCodec<any>,
  projection: Projection.Projection<E, S>
): Part<S> => ({
  projection: projection as unknown as Projection.Projection<Event, S>,
  types: codec.types as ReadonlyArray<Event["_tag"]>
})

/** A value carried in the state unchanged: read by no event. */
export const fixed = <S>(value: S): Part<S> => ({ projection: constant(value), types: [] })

type PartStates<P extends Record<string, Part<any>>> = {
  readonly [K in keyof P]: P[K] extends Part<infer S> ? S : never
}

/**
 * Like `Projection.combine`, but each event is handed only to the parts that read its type: a report of a
 * dozen parts does the work of the one or two an event concerns, and builds one new state object when one
 * of them changed (the parts it leaves alone are shared with the state before).
 */
export const routed = <P extends Record<string, Part<any>>>(parts: P): Projection.Projection<Event, PartStates<P>> => {
  const byType = new Map<string, Array<string>>()
  for (const [key, p] of Object.entries(parts)) {
    for (const type of p.types) {
      const keys = byType.get(type) ?? []
      keys.push(key)
      byType.set(type, keys)
    }
  }
  const initial = Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p.projection.initial])) as PartStates<P>
  return {
    initial,
    evolve: (state, recorded) => {
      const keys = byType.get(recorded.event._tag)
      if (keys === undefined) return state
      let next: Record<string, unknown> | undefined
      for (const key of keys) {
        const before = (state as Record<string, unknown>)[key]
        const after = parts[key]!.projection.evolve(before, recorded)
        if (after !== before) {
          next ??= { ...state }
          next[key] = after
        }
      }
      return next === undefined ? state : (next as PartStates<P>)
    }
  }
}
