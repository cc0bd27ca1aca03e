// A read cache for long streams, wrapped around any EventStore.
//
// Why. The command handler loads a command's stream from its first event every time (there are no snapshots),
// so the n-th command on a stream reads n events. Most streams here are short (a household, a visit), but a
// relief campaign takes one command per person visited or helped (the flood: some 1,150), and the recruitment
// drive one per application (617): on PGlite, where a row costs about 0.1 ms to read, the flood alone would
// read some 660,000 rows. Events never change once written and a stream's versions have no gaps, so what was
// read once stays true: the cache keeps the events of long streams and asks the store only for the events
// after them (`fromVersion`). Every read still goes to the store; any writer's new events are seen.
import type { Envelope } from "@shuangbai/eventsourcing"
import { EventStore } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"

/** Streams read with at least `minEvents` events are kept (default 64). Reads "as of" a position or time pass through. */
export const layer = (minEvents = 64): Layer.Layer<EventStore.EventStore, never, EventStore.EventStore> =>
  Layer.effect(
    EventStore.EventStore,
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const cache = new Map<string, ReadonlyArray<Envelope.StoredEvent>>()
      const keep = (key: string, events: ReadonlyArray<Envelope.StoredEvent>) => {
        const known = cache.get(key)
        if (events.length >= minEvents && (known === undefined || known.length < events.length)) cache.set(key, events)
        return events
      }
      const readStream: EventStore.EventStoreShape["readStream"] = (tenant, stream, options) => {
        const plain =
          options === undefined ||
          (options.fromVersion === undefined && options.asOfPosition === undefined && options.asOfTime === undefined)
        if (!plain) return store.readStream(tenant, stream, options)
        const key = `${tenant}\u0000${stream.category}\u0000${stream.id}`
        const known = cache.get(key)
        if (known === undefined) return Effect.map(store.readStream(tenant, stream), (events) => keep(key, events))
        return Effect.flatMap(store.readStream(tenant, stream, { fromVersion: known.length + 1 }), (newer) => {
          if (newer.length === 0) return Effect.succeed(known)
          // Versions are gapless from 1: anything else means the cache does not fit the store; read it all.
          if (newer[0]!.version !== known.length + 1) {
            cache.delete(key)
            return Effect.map(store.readStream(tenant, stream), (events) => keep(key, events))
          }
          return Effect.succeed(keep(key, [...known, ...newer]))
        })
      }
      return { ...store, readStream }
    })
  )
