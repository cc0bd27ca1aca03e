import { assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { EventStoreSuite } from "@shuangbai/testing"
import { type Duration, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { SqlClient } from "effect/sql"
import * as PgEventStore from "../src/PgEventStore.ts"
import { citus, describePg, pgUrl, randomSchema, request } from "./helpers.ts"

// The Citus option (docs/postgres.md, "Citus"). Its store behaviour, notifying from the coordinator apart
// from the append statement, runs on any server; distributing needs a Citus coordinator at SHUANGBAI_PG_URL
// with SHUANGBAI_PG_CITUS=1, which CI does not have.

const stream = { category: "visit", id: "v-1" }

/** A store with `citus: true` in a fresh schema (distributed on Citus, plain tables elsewhere), dropped at the end. */
const citusStore = (schema: string, pollInterval: Duration.Input = "1 hour") =>
  Layer.unwrap(
    Effect.gen(function* () {
      const admin = PgEventStore.layerPg({ url: pgUrl, schema })
      yield* Effect.addFinalizer(() =>
        Effect.ignore(
          Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`).pipe(
            Effect.provide(admin)
          )
        )
      )
      yield* PgEventStore.migrate(schema).pipe(Effect.provide(admin))
      if (citus) yield* PgEventStore.distribute(schema).pipe(Effect.provide(admin))
      // By default no poll for an hour: a subscriber sees a live append only if a notification woke it.
      return PgEventStore.layerPg({ url: pgUrl, schema, citus: true, pollInterval, maxConnections: 20 })
    })
  )

// The conformance suite through the Citus write path (VALUES statements, no fast path, notifications apart):
// on a plain server in CI, on the cluster with SHUANGBAI_PG_CITUS=1.
describePg("PgEventStore with citus: true, conformance", () =>
  EventStoreSuite.suite("postgres, citus: true", citusStore(randomSchema(), "500 millis"))
)

describePg("PgEventStore with citus: true", () => {
  const schema = randomSchema()
  it.layer(citusStore(schema), { timeout: "60 seconds", excludeTestServices: true })((it) => {
    it.effect("notifies apart from the write: a subscriber that never polls sees live appends", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const tenant = `t-notify-${schema}`
        yield* store.append(yield* request(tenant, stream, { expected: ExpectedVersion.noStream, n: 2 }))
        const fiber = yield* Effect.forkChild(Stream.runCollect(Stream.take(store.subscribe(tenant, { after: 0 }), 5)))
        // Caught up on the two events and waiting (its next poll is an hour away).
        yield* Effect.sleep("300 millis")
        yield* store.append(yield* request(tenant, stream, { n: 1 }))
        // A conflict writes nothing and notifies nothing; the appends after it are seen all the same.
        yield* Effect.exit(store.append(yield* request(tenant, stream, { expected: ExpectedVersion.exact(1) })))
        yield* store.append(yield* request(tenant, { category: "visit", id: "v-2" }, { expected: ExpectedVersion.any }))
        yield* store.append(yield* request(tenant, stream, { expected: ExpectedVersion.streamExists }))
        const seen = yield* Fiber.join(fiber).pipe(Effect.timeout("10 seconds"))
        assert.deepStrictEqual(
          seen.map((e) => e.position),
          [1, 2, 3, 4, 5]
        )
      })
    )

    it.effect("a batch too large for one statement's parameters is written whole, in order, by several", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const tenant = `t-large-${schema}`
        // 2,000 events of 18 columns and a subject each: more than one statement's 30,000 parameters.
        const big = yield* request(tenant, stream, { n: 2_000, subjects: ["household:h-1"] })
        const result = yield* store.append(big)
        assert.strictEqual(result.version, 2_000)
        assert.deepStrictEqual(yield* store.readAll(tenant, { after: 0, limit: 5_000 }), result.events)
        assert.strictEqual(
          (yield* store.readSubject(tenant, "household:h-1", { after: 0, limit: 5_000 })).length,
          2_000
        )
        assert.deepStrictEqual(yield* store.head(tenant), { position: 2_000, hash: result.events[1_999]!.hash })
        const again = yield* store.append(yield* request(tenant, stream, { expected: ExpectedVersion.exact(2_000) }))
        assert.strictEqual(again.events[0]!.prevHash, result.events[1_999]!.hash)
      })
    )
  })
})

describePg("PgEventStore.distribute", () => {
  it.effect.skipIf(citus)("refuses a server without the citus extension, naming what to run", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(PgEventStore.distribute(randomSchema()))
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.findErrorOption(exit)
      assert.strictEqual(error._tag, "Some")
      if (error._tag === "Some") {
        assert.strictEqual(error.value.reason, "InvalidRequest")
        assert.include(error.value.message, "CREATE EXTENSION citus")
      }
    }).pipe(Effect.provide(PgEventStore.layerPg({ url: pgUrl })))
  )

  const onCitus = citus ? describe : describe.skip
  onCitus("on a Citus coordinator (SHUANGBAI_PG_CITUS=1)", () => {
    const schema = randomSchema()
    it.layer(citusStore(schema), { timeout: "60 seconds", excludeTestServices: true })((it) => {
      it.effect("distributes every table by tenant in one colocation group, once", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ name: string; method: string; column: string; colocation: number }>`
            SELECT c.relname AS name, p.partmethod AS method,
              column_to_column_name(p.logicalrelid, p.partkey) AS column, p.colocationid AS colocation
            FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} ORDER BY c.relname`
          assert.deepStrictEqual(
            rows.map((r) => [r.name, r.method, r.column]),
            [...PgEventStore.citusTables].sort().map((name) => [name, "h", "tenant"])
          )
          assert.strictEqual(new Set(rows.map((r) => r.colocation)).size, 1)
          assert.deepStrictEqual(yield* PgEventStore.distribute(schema), [])
        })
      )

      it.effect("spreads tenants over the workers, each tenant's rows on one worker", () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const sql = yield* SqlClient.SqlClient
          const tenants = Array.from({ length: 12 }, (_, i) => `t-spread-${i}`)
          for (const tenant of tenants) {
            yield* store.append(yield* request(tenant, stream, { n: 2, subjects: ["household:h-1"] }))
          }
          const nodes = new Set<string>()
          for (const tenant of tenants) {
            const tables = PgEventStore.citusTables.map((name) => `"${schema}"."${name}"`)
            const placed = yield* sql<{ node: string }>`
              SELECT DISTINCT s.nodename || ':' || s.nodeport AS node FROM citus_shards s
              WHERE s.shardid IN (SELECT get_shard_id_for_distribution_column(t.name::regclass, ${tenant}::text)
                FROM jsonb_array_elements_text(${JSON.stringify(tables)}::jsonb) AS t(name))`
            assert.strictEqual(placed.length, 1, `${tenant}'s tables are on ${placed.length} nodes`)
            nodes.add(placed[0]!.node)
          }
          assert.isAbove(nodes.size, 1)
        })
      )
    })
  })
})
