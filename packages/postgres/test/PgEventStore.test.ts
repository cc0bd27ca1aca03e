import { assert, it } from "@effect/vitest"
import { EventStore, ExpectedVersion, HashChain } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { describePg, request, serverLayer } from "./helpers.ts"

const stream = { category: "visit", id: "v-1" }

describePg("PgEventStore on PostgreSQL: basics", () => {
  it.layer(serverLayer())((it) => {
    it.effect("appends, reads a stream, the log and the head", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const first = yield* store.append(
          yield* request("t-basic", stream, { expected: ExpectedVersion.noStream, n: 2 })
        )
        assert.strictEqual(first.version, 2)
        assert.deepStrictEqual(
          first.events.map((e) => e.position),
          [1, 2]
        )
        const read = yield* store.readStream("t-basic", stream)
        assert.deepStrictEqual(read, first.events)
        const all = yield* store.readAll("t-basic", { after: 0, limit: 10 })
        assert.deepStrictEqual(all, first.events)
        assert.strictEqual(HashChain.verify(all), undefined)
        const head = yield* store.head("t-basic")
        assert.deepStrictEqual(head, { position: 2, hash: first.events[1]!.hash })
      })
    )
  })
})
