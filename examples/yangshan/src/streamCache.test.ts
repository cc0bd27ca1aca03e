import { assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { Effect, Exit, Layer } from "effect"
import * as StreamCache from "./streamCache.ts"

const actor = { id: "worker-1", role: "worker" }
const stream = { category: "campaign", id: "c-1" }

let n = 0
const event = () => {
  n += 1
  return {
    eventId: `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`,
    type: "Something",
    schemaVersion: 1,
    data: { n },
    occurredAt: "2024-04-21T00:00:00.000Z",
    subjects: []
  }
}

const append = (store: EventStore.EventStoreShape, count: number, s = stream) =>
  store.append({
    tenant: "t",
    stream: s,
    expected: ExpectedVersion.any,
    events: Array.from({ length: count }, event),
    context: { actor, commandId: `cmd-${n}`, correlationId: `cmd-${n}`, causationId: `cmd-${n}` }
  })

// The store underneath, and the same store seen through the cache (keeping streams of 3 events or more).
const stores = Effect.gen(function* () {
  const raw = yield* EventStore.makeMemory()
  const cached = yield* Effect.gen(function* () {
    return yield* EventStore.EventStore
  }).pipe(Effect.provide(Layer.provide(StreamCache.layer(3), Layer.succeed(EventStore.EventStore, raw))))
  return { raw, cached }
})

const ids = (events: ReadonlyArray<{ readonly eventId: string }>) => events.map((e) => e.eventId)

describe("StreamCache", () => {
  it.effect("reads what the store holds, including what another writer appended after the stream was cached", () =>
    Effect.gen(function* () {
      const { raw, cached } = yield* stores
      yield* append(raw, 4)
      assert.deepStrictEqual(ids(yield* cached.readStream("t", stream)), ids(yield* raw.readStream("t", stream)))
      // Written past the cache: the next read sees it.
      yield* append(raw, 2)
      const again = yield* cached.readStream("t", stream)
      assert.strictEqual(again.length, 6)
      assert.deepStrictEqual(ids(again), ids(yield* raw.readStream("t", stream)))
      assert.deepStrictEqual(
        again.map((e) => e.version),
        [1, 2, 3, 4, 5, 6]
      )
      // Nothing new: the same events.
      assert.deepStrictEqual(ids(yield* cached.readStream("t", stream)), ids(again))
    })
  )

  it.effect("passes reads as of a position, and a missing stream, through to the store", () =>
    Effect.gen(function* () {
      const { raw, cached } = yield* stores
      yield* append(raw, 5)
      yield* cached.readStream("t", stream)
      const first = (yield* raw.readStream("t", stream))[1]!
      const asOf = yield* cached.readStream("t", stream, { asOfPosition: first.position })
      assert.strictEqual(asOf.length, 2)
      const from = yield* cached.readStream("t", stream, { fromVersion: 4 })
      assert.deepStrictEqual(
        from.map((e) => e.version),
        [4, 5]
      )
      const missing = yield* Effect.exit(cached.readStream("t", { category: "campaign", id: "nope" }))
      assert.isTrue(Exit.isFailure(missing))
    })
  )

  it.effect("keeps short streams out of the cache: they are read whole each time", () =>
    Effect.gen(function* () {
      const { raw, cached } = yield* stores
      const short = { category: "visit", id: "v-1" }
      yield* append(raw, 1, short)
      assert.strictEqual((yield* cached.readStream("t", short)).length, 1)
      yield* append(raw, 1, short)
      assert.strictEqual((yield* cached.readStream("t", short)).length, 2)
    })
  )
})
