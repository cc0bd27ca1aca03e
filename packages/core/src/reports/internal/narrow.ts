import type { EventCodec, Projection, Recorded, Text } from "@shuangbai/eventsourcing"
import { HashMap, Option } from "effect"
import type { Event } from "../../Domain.ts"
import { businessDate } from "./dates.ts"

/**
 * A context's projection fed the whole log: it sees the events its codec owns, the others pass it by (a
 * context projection's `evolve` is total over its own events only).
 */
export const only = <E, S>(codec: EventCodec.EventCodec<any>, projection: Projection.Projection<E, S>) => {
  const types = new Set(codec.types)
  return {
    initial: projection.initial,
    evolve: (state: S, recorded: Recorded<Event>): S =>
      types.has(recorded.event._tag) ? projection.evolve(state, recorded as unknown as Recorded<E>) : state
  } satisfies Projection.Projection<Event, S>
}

/** Leaves out events dated after `asOf` (by their business date; undated ones always count). */
export const until = <S>(asOf: Text.LocalDate, projection: Projection.Projection<Event, S>) =>
  ({
    initial: projection.initial,
    evolve: (state: S, recorded: Recorded<Event>): S => {
      const date = businessDate(recorded.event)
      return date !== undefined && date > asOf ? state : projection.evolve(state, recorded)
    }
  }) satisfies Projection.Projection<Event, S>

/** Only the events that satisfy `predicate`. */
export const where = <S>(predicate: (event: Event) => boolean, projection: Projection.Projection<Event, S>) =>
  ({
    initial: projection.initial,
    evolve: (state: S, recorded: Recorded<Event>): S =>
      predicate(recorded.event) ? projection.evolve(state, recorded) : state
  }) satisfies Projection.Projection<Event, S>

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
