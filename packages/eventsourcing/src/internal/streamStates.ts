import { Effect, Result } from "effect"
import type { StoredEvent, Tenant } from "../Envelope.ts"
import type { EventStoreError, InvalidEvent, UnknownEventType } from "../Errors.ts"
import type { EventCodec } from "../EventCodec.ts"
import type { EventStoreShape } from "../EventStore.ts"
import type { StreamId } from "../StreamId.ts"

// The stream states a command handler keeps between commands (StateCache.ts says what a host sees). A kept
// state is only ever a starting point: every load reads the stream from the kept version on, and uses the
// state only if the event it ends with comes back first, with the same hash. An append-only store never
// changes that event; a store rebuilt under the same service (or a tenant's log replaced) does, and then the
// stream is folded from its start again. So a kept state can be old, never wrong.

export interface Loaded<S> {
  readonly state: S
  readonly version: number
}

interface Kept<S> extends Loaded<S> {
  /** The hash of the event at `version`: how a load knows the stream still starts as it did. */
  readonly hash: string
}

export interface Folding<E extends { readonly _tag: string }, S> {
  readonly decider: { readonly initialState: S; readonly evolve: (state: S, event: E) => S }
  readonly codec: EventCodec<E>
}

/** The state after `events`, decoded in turn, from `from`. */
export const fold = <E extends { readonly _tag: string }, S>(
  { codec, decider }: Folding<E, S>,
  events: ReadonlyArray<StoredEvent>,
  from: S
): Result.Result<S, UnknownEventType | InvalidEvent> => {
  let state = from
  for (const stored of events) {
    const decoded = codec.decode(stored)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    state = decider.evolve(state, decoded.success.event)
  }
  return Result.succeed(state)
}

type LoadError = EventStoreError | UnknownEventType | InvalidEvent

/** The events from `fromVersion` on; none when the stream does not exist. */
const readFrom = (store: EventStoreShape, tenant: Tenant, stream: StreamId, fromVersion: number) =>
  store
    .readStream(tenant, stream, fromVersion > 1 ? { fromVersion } : undefined)
    .pipe(Effect.catchTag("StreamNotFound", () => Effect.succeed([] as ReadonlyArray<StoredEvent>)))

/** Reads a whole stream and folds it; a stream that does not exist yet is the initial state at version 0. */
export const loadWhole = <E extends { readonly _tag: string }, S>(
  folding: Folding<E, S>,
  store: EventStoreShape,
  tenant: Tenant,
  stream: StreamId
): Effect.Effect<Loaded<S> & { readonly last: StoredEvent | undefined }, LoadError> =>
  Effect.flatMap(readFrom(store, tenant, stream, 1), (events) => {
    const folded = fold(folding, events, folding.decider.initialState)
    return Result.isFailure(folded)
      ? Effect.fail(folded.failure)
      : Effect.succeed({ state: folded.success, version: events.length, last: events.at(-1) })
  })

export interface StreamStates<S> {
  /** The stream's latest state: the kept one caught up, or the whole stream folded. */
  readonly load: (
    store: EventStoreShape,
    tenant: Tenant,
    stream: StreamId,
    capacity: number
  ) => Effect.Effect<Loaded<S>, LoadError>
  /** Keeps the state after `events`, just appended to the stream as it was `loaded`. */
  readonly appended: (
    store: EventStoreShape,
    tenant: Tenant,
    stream: StreamId,
    loaded: Loaded<S>,
    events: ReadonlyArray<StoredEvent>,
    capacity: number
  ) => void
}

/**
 * One handler's kept states: per store (held weakly, so a store let go takes its states with it), then per
 * tenant and stream, the least recently used dropped first beyond `capacity`.
 */
export const make = <E extends { readonly _tag: string }, S>(folding: Folding<E, S>): StreamStates<S> => {
  const byStore = new WeakMap<EventStoreShape, Map<string, Kept<S>>>()
  const statesOf = (store: EventStoreShape) => {
    let states = byStore.get(store)
    if (states === undefined) {
      states = new Map()
      byStore.set(store, states)
    }
    return states
  }
  // Ids hold no spaces, so the key is unambiguous.
  const keyOf = (tenant: Tenant, stream: StreamId) => `${tenant} ${stream.category} ${stream.id}`

  const keep = (states: Map<string, Kept<S>>, key: string, kept: Kept<S>, capacity: number) => {
    states.delete(key)
    states.set(key, kept)
    for (const oldest of states.keys()) {
      if (states.size <= capacity) break
      states.delete(oldest)
    }
  }

  const loadAndKeep = (store: EventStoreShape, tenant: Tenant, stream: StreamId, capacity: number) =>
    Effect.map(loadWhole(folding, store, tenant, stream), ({ last, state, version }): Loaded<S> => {
      if (last !== undefined)
        keep(statesOf(store), keyOf(tenant, stream), { state, version, hash: last.hash }, capacity)
      return { state, version }
    })

  return {
    load: (store, tenant, stream, capacity) => {
      if (capacity <= 0) return loadWhole(folding, store, tenant, stream)
      const states = statesOf(store)
      const key = keyOf(tenant, stream)
      const kept = states.get(key)
      if (kept === undefined) return loadAndKeep(store, tenant, stream, capacity)
      // From the kept version itself: the first event read must be the one the kept state ends with.
      return Effect.flatMap(readFrom(store, tenant, stream, kept.version), (events) => {
        const first = events[0]
        const last = events.at(-1)
        const unchanged =
          first !== undefined &&
          last !== undefined &&
          first.version === kept.version &&
          first.hash === kept.hash &&
          last.version === kept.version + events.length - 1
        if (!unchanged) {
          states.delete(key)
          return loadAndKeep(store, tenant, stream, capacity)
        }
        if (events.length === 1) {
          keep(states, key, kept, capacity)
          return Effect.succeed({ state: kept.state, version: kept.version })
        }
        const folded = fold(folding, events.slice(1), kept.state)
        if (Result.isFailure(folded)) return Effect.fail(folded.failure)
        keep(states, key, { state: folded.success, version: last.version, hash: last.hash }, capacity)
        return Effect.succeed({ state: folded.success, version: last.version })
      })
    },

    appended: (store, tenant, stream, loaded, events, capacity) => {
      const last = events.at(-1)
      const contiguous = events[0]?.version === loaded.version + 1 && last?.version === loaded.version + events.length
      if (capacity <= 0 || last === undefined || !contiguous) return
      // The state is folded from the events as stored and decoded, exactly as the next load would fold them.
      const folded = fold(folding, events, loaded.state)
      if (Result.isSuccess(folded)) {
        keep(
          statesOf(store),
          keyOf(tenant, stream),
          { state: folded.success, version: last.version, hash: last.hash },
          capacity
        )
      }
    }
  }
}
