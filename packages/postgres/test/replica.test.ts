// Reads and subscriptions from a PostgreSQL hot standby (docs/postgres.md, "Read replicas"), against a
// real streaming replica that the test makes (replicaCluster.ts) and removes again, even on failure.
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { EventStore, type EventStoreError, ExpectedVersion } from "@shuangbai/eventsourcing"
import { EventStoreSuite } from "@shuangbai/testing"
import { Context, Effect, Fiber, Layer, Stream } from "effect"
import { pause } from "../src/internal/notifier.ts"
import * as PgEventStore from "../src/PgEventStore.ts"
import { randomSchema, request } from "./helpers.ts"
import { findBinaries, type ReplicaCluster, startCluster } from "./replicaCluster.ts"

const bin = findBinaries()
// CI has the binaries and must run these; elsewhere a machine without them skips, saying why.
const required = process.env.CI === "true" || process.env.SHUANGBAI_REQUIRE_PG === "1"

const describeReplica = (name: string, body: (bin: string) => void) => {
  if (bin !== undefined) return describe(name, () => body(bin))
  if (required) {
    return describe(name, () => {
      it("finds the PostgreSQL server binaries", () => {
        throw new Error(
          "CI (or SHUANGBAI_REQUIRE_PG=1) but no initdb/pg_ctl/pg_basebackup under /usr/lib/postgresql/*/bin; install the server or set SHUANGBAI_PG_BIN"
        )
      })
    })
  }
  return describe.skip(`${name} (no PostgreSQL server binaries to make a standby; set SHUANGBAI_PG_BIN)`, () =>
    body(""))
}

/** The store a layer provides, kept open for the rest of the test's scope. */
const storeOf = <E>(layer: Layer.Layer<EventStore.EventStore, E>) =>
  Effect.map(Layer.build(layer), (context) => Context.get(context, EventStore.EventStore))

/** Re-reads until `done` holds, in wall-clock time, failing after 20 s with what it last saw. */
const eventually = <A>(read: Effect.Effect<A, EventStoreError>, done: (a: A) => boolean, what: string) => {
  const deadline = Date.now() + 20_000
  const loop: Effect.Effect<A, EventStoreError | Error> = Effect.flatMap(read, (a) =>
    done(a)
      ? Effect.succeed(a)
      : Date.now() > deadline
        ? Effect.fail(new Error(`the standby never got ${what}`))
        : Effect.andThen(pause(20), loop)
  )
  return loop
}

const everything = { after: 0, limit: 100_000 }
const ids = (events: ReadonlyArray<{ readonly eventId: string }>) => events.map((e) => e.eventId)
const positions = (events: ReadonlyArray<{ readonly position: number }>) => events.map((e) => e.position)
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describeReplica("PgEventStore on a hot standby", (bin) => {
  let cluster: ReplicaCluster | undefined
  beforeAll(async () => {
    cluster = await startCluster(bin)
  }, 60_000)
  afterAll(() => cluster?.stop())

  const urls = () => {
    if (cluster === undefined) throw new Error("the primary and standby did not start")
    return cluster
  }
  const psqlStandby = (statement: string) =>
    execFileSync(join(bin, "psql"), [urls().standbyUrl, "-Atc", statement], { stdio: "pipe" }).toString().trim()

  /** A migrated schema on the primary, its store, and the standby's read-only store once it has the tables. */
  const stores = (schema: string) =>
    Effect.gen(function* () {
      const primary = yield* storeOf(PgEventStore.layerPg({ url: urls().primaryUrl, schema, migrate: true }))
      const standby = yield* storeOf(
        PgEventStore.layerReplica({ url: urls().standbyUrl, schema, pollInterval: "20 millis" })
      )
      yield* eventually(
        Effect.as(standby.head("any"), true).pipe(Effect.catch(() => Effect.succeed(false))),
        (ready) => ready,
        "the migrated tables"
      )
      return { primary, standby }
    })

  // The whole conformance suite through a store that appends to the primary and reads the standby:
  // reading its own appends back at once is what lets every check pass as it does on one server.
  EventStoreSuite.suite(
    "postgres with a hot standby",
    Layer.unwrap(
      Effect.sync(() =>
        PgEventStore.layerPg({
          url: urls().primaryUrl,
          readUrl: urls().standbyUrl,
          schema: randomSchema(),
          migrate: true,
          maxConnections: 20
        })
      )
    )
  )

  it.live(
    "appends from concurrent writers on the primary are read on the standby in order, no gap, no repeat",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { primary, standby } = yield* stores(randomSchema())
          const tenant = "county-a"
          // Four writers, each 20 appends of 1 to 3 events to its own stream, all at once.
          yield* Effect.forEach(
            [0, 1, 2, 3],
            (writer) =>
              Effect.forEach(oneToN(20), (i) =>
                Effect.flatMap(
                  request(tenant, { category: "visit", id: `w${writer}` }, { n: 1 + ((i * 7 + writer) % 3) }),
                  primary.append
                )
              ),
            { concurrency: "unbounded" }
          )
          const written = yield* primary.readAll(tenant, everything)
          const onStandby = yield* eventually(
            standby.readAll(tenant, everything),
            (events) => events.length >= written.length,
            `all ${written.length} events`
          )
          assert.deepStrictEqual(positions(onStandby), oneToN(written.length))
          assert.deepStrictEqual(ids(onStandby), ids(written))
          // Paged reads on the standby join up the same way.
          const paged = []
          let after = 0
          for (;;) {
            const page = yield* standby.readAll(tenant, { after, limit: 7 })
            if (page.length === 0) break
            paged.push(...page)
            after = page[page.length - 1]!.position
          }
          assert.deepStrictEqual(ids(paged), ids(written))
          const stream = yield* standby.readStream(tenant, { category: "visit", id: "w2" })
          assert.deepStrictEqual(
            stream.map((e) => e.version),
            oneToN(stream.length)
          )
          assert.deepStrictEqual(yield* standby.head(tenant), yield* primary.head(tenant))
        })
      ),
    60_000
  )

  it.live(
    "a subscription on the standby follows live appends by polling",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { primary, standby } = yield* stores(randomSchema())
          const tenant = "county-b"
          const total = 30
          const follower = yield* Effect.forkChild(
            Stream.runCollect(Stream.take(standby.subscribe(tenant, { after: 0 }), total))
          )
          for (let i = 0; i < 10; i++) {
            yield* Effect.flatMap(request(tenant, { category: "case", id: `c${i % 3}` }, { n: 3 }), primary.append)
            yield* pause(15)
          }
          const followed = yield* Fiber.join(follower)
          const written = yield* primary.readAll(tenant, everything)
          assert.strictEqual(written.length, total)
          assert.deepStrictEqual(positions(followed), oneToN(total))
          assert.deepStrictEqual(ids(followed), ids(written))
        })
      ),
    60_000
  )

  it.live(
    "layerPg with a readUrl reads the standby, and still sees its own appends while the standby lags",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const schema = randomSchema()
          const { primary } = yield* stores(schema)
          const both = yield* storeOf(
            PgEventStore.layerPg({
              url: urls().primaryUrl,
              readUrl: urls().standbyUrl,
              schema,
              replicaWait: "300 millis",
              pollInterval: "20 millis"
            })
          )
          const tenant = "county-c"
          const stream = { category: "household", id: "h1" }
          yield* Effect.addFinalizer(() => Effect.sync(() => psqlStandby("SELECT pg_wal_replay_resume()")))
          psqlStandby("SELECT pg_wal_replay_pause()")
          // Another process's append: the standby has not replayed it, and this store reads the standby.
          const theirs = yield* Effect.flatMap(request(tenant, stream), primary.append)
          assert.deepStrictEqual(yield* both.readAll(tenant, everything), [])
          const follower = yield* Effect.forkChild(
            Stream.runCollect(Stream.take(both.subscribe(tenant, { after: 0 }), 2))
          )
          // Its own append it reads back at once: the standby lags past replicaWait, so the primary answers.
          const mine = yield* Effect.flatMap(
            request(tenant, stream, { expected: ExpectedVersion.exact(1) }),
            both.append
          )
          const read = yield* both.readStream(tenant, stream)
          assert.deepStrictEqual(ids(read), [...ids(theirs.events), ...ids(mine.events)])
          assert.strictEqual((yield* both.head(tenant)).position, 2)
          psqlStandby("SELECT pg_wal_replay_resume()")
          const followed = yield* Fiber.join(follower)
          assert.deepStrictEqual(ids(followed), [...ids(theirs.events), ...ids(mine.events)])
          assert.deepStrictEqual(positions(followed), [1, 2])
        })
      ),
    60_000
  )

  it.live(
    "a write through the read side fails clearly and writes nothing",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const schema = randomSchema()
          const { primary, standby } = yield* stores(schema)
          const tenant = "county-d"
          yield* Effect.flatMap(request(tenant, { category: "visit", id: "v1" }), primary.append)
          yield* eventually(standby.readAll(tenant, everything), (events) => events.length === 1, "the first event")

          const refused = yield* Effect.flip(
            Effect.flatMap(request(tenant, { category: "visit", id: "v2" }), standby.append)
          )
          assert.strictEqual(refused._tag, "EventStoreError")
          assert.include(refused.message, "PgEventStore.layerPg")
          assert.strictEqual(refused._tag === "EventStoreError" ? refused.reason : undefined, "InvalidRequest")

          // The full store pointed at the standby by mistake: PostgreSQL refuses, the error says why.
          const misdirected = yield* storeOf(PgEventStore.layerPg({ url: urls().standbyUrl, schema }))
          const readOnly = yield* Effect.flip(
            Effect.flatMap(request(tenant, { category: "visit", id: "v3" }), misdirected.append)
          )
          assert.strictEqual(readOnly._tag === "EventStoreError" ? readOnly.reason : undefined, "InvalidRequest")
          assert.include(readOnly.message, "read-only")
          assert.include(readOnly.message, "primary")

          assert.strictEqual((yield* primary.head(tenant)).position, 1)
          assert.strictEqual((yield* primary.readAll(tenant, everything)).length, 1)
        })
      ),
    60_000
  )
})
