import { assert, it } from "@effect/vitest"
import { type Envelope, EventStore, EventStoreError } from "@shuangbai/eventsourcing"
import { Effect, Fiber, Ref } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { Checkpoints } from "../src/Checkpoints.ts"
import * as ProjectionRunner from "../src/ProjectionRunner.ts"
import { appendRetrying, describePg, randomSchema, request, serverLayer } from "./helpers.ts"

const tenant = "t-proj"

/** A read model in the same database whose update is not idempotent: a doubled event would show. */
const readModel = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const table = sql(`${schema}.visit_counts`)
    yield* sql`CREATE TABLE IF NOT EXISTS ${table} (tenant text, stream_id text, n integer NOT NULL, PRIMARY KEY (tenant, stream_id))`
    const calls = yield* Ref.make(0)
    const handle = (event: Envelope.StoredEvent): Effect.Effect<void, SqlError> =>
      Effect.andThen(
        Ref.update(calls, (n) => n + 1),
        sql`INSERT INTO ${table} VALUES (${event.tenant}, ${event.stream.id}, 1)
          ON CONFLICT (tenant, stream_id) DO UPDATE SET n = ${table}.n + 1`
      )
    const totals = Effect.map(
      sql<{
        stream_id: string
        n: number
      }>`SELECT stream_id, n FROM ${table} WHERE tenant = ${tenant} ORDER BY stream_id`,
      (rows) => Object.fromEntries(rows.map((r) => [r.stream_id, r.n]))
    )
    const reset = Effect.asVoid(sql`DELETE FROM ${table} WHERE tenant = ${tenant}`)
    return { handle, totals, calls, reset }
  })

/** What the read model must say: events per stream, counted from the log itself. */
const expected = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const all = yield* store.readAll(tenant, { after: 0, limit: 100_000 })
  const counts: Record<string, number> = {}
  for (const e of all) counts[e.stream.id] = (counts[e.stream.id] ?? 0) + 1
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)))
})

const appendSome = (n: number, offset = 0) =>
  Effect.gen(function* () {
    for (let i = 0; i < n; i++) {
      yield* appendRetrying(yield* request(tenant, { category: "visit", id: `v-${(i + offset) % 4}` }))
    }
  })

describePg("ProjectionRunner", () => {
  const schema = randomSchema()
  it.layer(serverLayer({ client: { applicationName: schema } }, schema), {
    timeout: "120 seconds",
    excludeTestServices: true
  })((it) => {
    it.effect("catches up from its checkpoint, resumes, never doubles, rolls back a failed page, rebuilds", () =>
      Effect.gen(function* () {
        const checkpoints = yield* Checkpoints
        const model = yield* readModel(schema)
        const options = { name: "visit-counts", tenant, handle: model.handle, pageSize: 10 }
        yield* appendSome(25)
        assert.strictEqual(yield* ProjectionRunner.catchUp(options), 25)
        assert.deepStrictEqual(yield* model.totals, yield* expected)
        assert.strictEqual(yield* checkpoints.load(tenant, "visit-counts"), 25)

        // Resumed: only what is new is handled.
        yield* appendSome(10, 1)
        yield* Ref.set(model.calls, 0)
        assert.strictEqual(yield* ProjectionRunner.catchUp(options), 35)
        assert.strictEqual(yield* Ref.get(model.calls), 10)
        assert.deepStrictEqual(yield* model.totals, yield* expected)

        // A handler that fails part-way through a page: that page's writes and checkpoint roll back together.
        yield* appendSome(10, 2)
        const before = yield* model.totals
        const poisoned = {
          ...options,
          handle: (event: Envelope.StoredEvent): Effect.Effect<void, EventStoreError | SqlError> =>
            event.position === 40
              ? Effect.fail(new EventStoreError({ reason: "Unknown", message: "handler failed" }))
              : model.handle(event)
        }
        const failed = yield* Effect.flip(ProjectionRunner.catchUp(poisoned))
        assert.strictEqual(failed.message, "handler failed")
        assert.deepStrictEqual(yield* model.totals, before)
        assert.strictEqual(yield* checkpoints.load(tenant, "visit-counts"), 35)
        assert.strictEqual(yield* ProjectionRunner.catchUp(options), 45)
        assert.deepStrictEqual(yield* model.totals, yield* expected)

        // Rebuilt from zero: the same answer.
        yield* Ref.set(model.calls, 0)
        assert.strictEqual(yield* ProjectionRunner.rebuild({ ...options, reset: model.reset }), 45)
        assert.strictEqual(yield* Ref.get(model.calls), 45)
        assert.deepStrictEqual(yield* model.totals, yield* expected)
      })
    )

    it.effect("a runner of some types hands it only those, and its checkpoint moves past the others", () =>
      Effect.gen(function* () {
        const checkpoints = yield* Checkpoints
        const store = yield* EventStore.EventStore
        const typesTenant = "t-proj-types"
        const appendOf = (type: string, n: number) =>
          Effect.flatMap(request(typesTenant, { category: "visit", id: "v-types" }, { n }), (req) =>
            appendRetrying({ ...req, events: req.events.map((e) => ({ ...e, type })) })
          )
        const handled = yield* Ref.make<ReadonlyArray<number>>([])
        const options = {
          name: "seen-only",
          tenant: typesTenant,
          types: ["Seen"],
          pageSize: 4,
          handle: (event: Envelope.StoredEvent) => Ref.update(handled, (list) => [...list, event.position])
        }
        const seenPositions = Effect.map(store.readAll(typesTenant, { after: 0, limit: 100_000 }), (all) =>
          all.filter((e) => e.type === "Seen").map((e) => e.position)
        )
        yield* appendOf("Seen", 3)
        yield* appendOf("Other", 20)
        yield* appendOf("Seen", 2)
        yield* appendOf("Other", 3)
        // Caught up: the five Seen events, and the checkpoint at the head, past the trailing Other ones.
        assert.strictEqual(yield* ProjectionRunner.catchUp(options), 28)
        assert.deepStrictEqual(yield* Ref.get(handled), yield* seenPositions)
        assert.strictEqual(yield* checkpoints.load(typesTenant, options.name), 28)

        // Live: a run that only sees Other events still moves its checkpoint to the head.
        const runner = yield* Effect.forkChild(ProjectionRunner.run(options))
        yield* appendOf("Other", 10)
        yield* appendOf("Seen", 1)
        yield* appendOf("Other", 5)
        while ((yield* checkpoints.load(typesTenant, options.name)) < 44) yield* Effect.sleep("20 millis")
        yield* Fiber.interrupt(runner)
        assert.deepStrictEqual(yield* Ref.get(handled), yield* seenPositions)
        assert.strictEqual(yield* checkpoints.load(typesTenant, options.name), 44)
      })
    )

    it.effect("checkpoint names are data, whatever they look like", () =>
      Effect.gen(function* () {
        const checkpoints = yield* Checkpoints
        const name = `x');DELETE FROM ${schema}.checkpoints;--`
        yield* checkpoints.save(tenant, "other", 7)
        yield* checkpoints.save(tenant, name, 5)
        assert.strictEqual(yield* checkpoints.load(tenant, name), 5)
        assert.strictEqual(yield* checkpoints.load(tenant, "other"), 7)
        assert.strictEqual(yield* checkpoints.load(`${tenant}' OR '1'='1`, name), 0)
      })
    )

    it.effect("two live runners of one projection, stopped and restarted: every event counted once", () =>
      Effect.gen(function* () {
        const checkpoints = yield* Checkpoints
        const store = yield* EventStore.EventStore
        const model = yield* readModel(schema)
        const options = { name: "visit-counts-live", tenant, handle: model.handle, pageSize: 3 }
        yield* model.reset
        const awaitCheckpoint = Effect.gen(function* () {
          const head = (yield* store.head(tenant)).position
          while ((yield* checkpoints.load(tenant, options.name)) < head) yield* Effect.sleep("20 millis")
        })
        const first = yield* Effect.forkChild(ProjectionRunner.run(options))
        const second = yield* Effect.forkChild(ProjectionRunner.run(options))
        yield* appendSome(20, 3)
        yield* awaitCheckpoint
        yield* Fiber.interrupt(first)
        yield* appendSome(7)
        yield* awaitCheckpoint
        // Every connection dropped under the running projection: it pauses, resumes, counts nothing twice.
        const sql = yield* SqlClient.SqlClient
        const killed = yield* sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = ${schema} AND pid <> pg_backend_pid()`
        assert.isTrue(killed.length > 0)
        yield* appendSome(6, 2)
        yield* awaitCheckpoint
        yield* Fiber.interrupt(second)
        yield* appendSome(5)
        const third = yield* Effect.forkChild(ProjectionRunner.run(options))
        yield* awaitCheckpoint
        yield* Fiber.interrupt(third)
        assert.deepStrictEqual(yield* model.totals, yield* expected)
      })
    )
  })
})
