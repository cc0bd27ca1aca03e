import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion, HashChain } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import * as PgEventStore from "../src/PgEventStore.ts"
import { request } from "./helpers.ts"
import { batchMates, racingWriters, writersAndReaders } from "./scenarios.ts"

describe("PgEventStore on PGlite", () => {
  it.effect("a data directory that cannot be opened is Unavailable and says so", () =>
    Effect.gen(function* () {
      const blocked = path.join(os.tmpdir(), `shuangbai-not-a-dir-${process.pid}`)
      fs.writeFileSync(blocked, "a file where the data directory should be")
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.flatMap(EventStore.EventStore, (store) => store.head("t")),
          PgEventStore.layerPglite({ dataDir: path.join(blocked, "data") })
        )
      )
      fs.rmSync(blocked)
      assert.strictEqual(error.reason, "Unavailable")
      assert.include(error.message, "check that dataDir is a directory this process can write")
    })
  )

  it.layer(PgEventStore.layerPglite({ schema: "embedded" }), { timeout: "120 seconds", excludeTestServices: true })(
    (it) => {
      it.effect("appends and reads back what it wrote, chained", () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const stream = { category: "visit", id: "v-1" }
          const written = yield* store.append(
            yield* request("t-basic", stream, { expected: ExpectedVersion.noStream, n: 3, subjects: ["hh-1"] })
          )
          assert.deepStrictEqual(yield* store.readStream("t-basic", stream), written.events)
          assert.deepStrictEqual(
            yield* store.readSubject("t-basic", "hh-1", { after: 1, limit: 5 }),
            written.events.slice(1)
          )
          assert.strictEqual(HashChain.verify(yield* store.readAll("t-basic", { after: 0, limit: 10 })), undefined)
        })
      )
      it.effect("an append from inside an open transaction is refused at once, and writes nothing", () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const sql = yield* SqlClient.SqlClient
          const tenant = "t-in-transaction"
          const stream = { category: "visit", id: "v-tx" }
          const inside = yield* request(tenant, stream)
          // One session: waiting for the append would mean waiting for this very transaction.
          const refused = yield* sql.withTransaction(Effect.flip(store.append(inside)))
          assert.deepInclude(refused, { _tag: "EventStoreError", reason: "InvalidRequest" })
          assert.include(refused.message, "append after it commits")
          assert.deepStrictEqual(yield* store.head(tenant), { position: 0, hash: HashChain.genesis })
          // After the transaction, the same request is written.
          const written = yield* store.append(inside)
          assert.strictEqual(written.version, 1)
        })
      )

      it.effect("racing writers on one stream", () => racingWriters("t-race", "embedded"))
      it.effect("writers, subscribers and a paged reader", () => writersAndReaders("t-many", "embedded"))
      it.effect("batch mates", () => batchMates("t-batch"))
    }
  )
})
