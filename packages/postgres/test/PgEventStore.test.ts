import { assert, it } from "@effect/vitest"
import { Audit, EventCodec, EventStore, ExpectedVersion, HashChain } from "@shuangbai/eventsourcing"
import { Deferred, Effect, Exit, Fiber, Layer, Ref, Result, Schema, Stream } from "effect"
import { SqlClient } from "effect/sql"
import * as PgEventStore from "../src/PgEventStore.ts"
import * as PgListen from "../src/PgListen.ts"
import { appendRetrying, citus, describePg, pgUrl, randomSchema, request, serverLayer } from "./helpers.ts"
import { batchMates, racingWriters, snapshot, tableLog, writersAndReaders } from "./scenarios.ts"

const stream = { category: "visit", id: "v-1" }

const errorOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  const error = Exit.findErrorOption(exit)
  if (error._tag === "None") throw new Error(`expected a failure, got ${Exit.isSuccess(exit) ? "success" : "defect"}`)
  return error.value
}

/**
 * A backend's id for the lock queries below: its pid, or on Citus its global pid (`citus_backend_gpid`), which
 * names the coordinator's session in `citus_lock_waits` and `pg_terminate_backend`, since the head row it
 * locks lives on a worker. Read as text (a global pid overflows an int4).
 */
const backendId = citus ? "citus_backend_gpid()::text" : "pg_backend_pid()::text"

/** Holds the tenant's head row lock from another transaction until `release` completes. */
const holdHead = (schema: string, tenant: string, release: Deferred.Deferred<void>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const locked = yield* Deferred.make<string>()
    const fiber = yield* Effect.forkChild(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO ${sql(`${schema}.heads`)} (tenant, position, hash)
            VALUES (${tenant}, 0, ${HashChain.genesis}) ON CONFLICT DO NOTHING`
          yield* sql`SELECT 1 FROM ${sql(`${schema}.heads`)} WHERE tenant = ${tenant} FOR UPDATE`
          const [row] = yield* sql<{ pid: string }>`SELECT ${sql.literal(backendId)} AS pid`
          yield* Deferred.succeed(locked, row!.pid)
          yield* Deferred.await(release)
        })
      )
    )
    return { pid: yield* Deferred.await(locked), fiber }
  })

/** The ids (`backendId`) of backends waiting for any of `ids`' locks (polls until `count` wait). */
const waitersOf = (ids: ReadonlyArray<string>, count: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (;;) {
      const blockers = sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
      const rows = citus
        ? yield* sql<{ pid: string }>`SELECT DISTINCT waiting_gpid::text AS pid FROM citus_lock_waits
            WHERE blocking_gpid::text = ANY(${blockers})`
        : yield* sql<{ pid: string }>`SELECT pid::text AS pid FROM pg_stat_activity
            WHERE pg_blocking_pids(pid)::text[] && ${blockers}`
      if (rows.length >= count) return rows.map((r) => r.pid)
      yield* Effect.sleep("20 millis")
    }
  })

describePg("PgEventStore on PostgreSQL", () => {
  const schema = randomSchema()
  it.layer(serverLayer({ client: { applicationName: schema } }, schema), {
    timeout: "120 seconds",
    excludeTestServices: true
  })((it) => {
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
        assert.deepStrictEqual(yield* store.readStream("t-basic", stream), first.events)
        const all = yield* store.readAll("t-basic", { after: 0, limit: 10 })
        assert.deepStrictEqual(all, first.events)
        assert.strictEqual(HashChain.verify(all), undefined)
        assert.deepStrictEqual(yield* store.head("t-basic"), { position: 2, hash: first.events[1]!.hash })
      })
    )

    it.effect("racing writers on one stream: one wins each version, the others conflict", () =>
      racingWriters("t-race", schema)
    )

    it.effect("writers on many streams, subscribers and a paged reader all see the table, once, in order", () =>
      writersAndReaders("t-many", schema)
    )

    it.effect("one batch: a conflict fails only its request, a replayed commandId returns the first result", () =>
      batchMates("t-batch")
    )

    it.effect("group commit: requests waiting on the tenant are written by one transaction", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const tenant = "t-group"
        const release = yield* Deferred.make<void>()
        const held = yield* holdHead(schema, tenant, release)
        const requests = yield* Effect.forEach(Array.from({ length: 20 }), (_, i) =>
          request(tenant, { category: "visit", id: `g-${i}` })
        )
        const appends = yield* Effect.forkChild(Effect.forEach(requests, store.append, { concurrency: "unbounded" }))
        yield* waitersOf([held.pid], 1)
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(held.fiber)
        const results = yield* Fiber.join(appends)
        assert.strictEqual(results.length, 20)
        const [row] = yield* sql<{ transactions: string }>`SELECT count(DISTINCT xmin::text)::text AS transactions
          FROM ${sql(`${schema}.events`)} WHERE tenant = ${tenant}`
        // The first request waits on the lock alone; the other 19 queue behind it and commit together.
        assert.isTrue(Number(row!.transactions) <= 3, `${row!.transactions} transactions for 20 appends`)
      })
    )

    it.effect("without group commit the same requests take one transaction each", () =>
      Effect.gen(function* () {
        const store = yield* PgEventStore.make({ schema, groupCommit: false, citus })
        const sql = yield* SqlClient.SqlClient
        const tenant = "t-nogroup"
        const release = yield* Deferred.make<void>()
        const held = yield* holdHead(schema, tenant, release)
        const requests = yield* Effect.forEach(Array.from({ length: 20 }), (_, i) =>
          request(tenant, { category: "visit", id: `g-${i}` })
        )
        const appends = yield* Effect.forkChild(Effect.forEach(requests, store.append, { concurrency: "unbounded" }))
        yield* waitersOf([held.pid], 1)
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(held.fiber)
        yield* Fiber.join(appends)
        const [row] = yield* sql<{ transactions: string }>`SELECT count(DISTINCT xmin::text)::text AS transactions
          FROM ${sql(`${schema}.events`)} WHERE tenant = ${tenant}`
        assert.strictEqual(Number(row!.transactions), 20)
        // Two store instances (two processes) on one schema still keep one gapless chain.
        const all = yield* store.readAll(tenant, { after: 0, limit: 100 })
        assert.strictEqual(HashChain.verify(all), undefined)
      }).pipe(Effect.scoped)
    )

    it.effect("two processes, one command: the append that waited for the head sees what the other committed", () =>
      Effect.gen(function* () {
        // Two store instances (two processes): each its own writer, head cache and connections.
        const first = yield* PgEventStore.make({ schema, citus })
        const second = yield* PgEventStore.make({ schema, citus })
        const tenant = "t-two"
        // Both have written to the tenant before, so both know a head (the fast path's guess).
        yield* first.append(yield* request(tenant, { category: "visit", id: "warm-1" }))
        yield* second.append(yield* request(tenant, { category: "visit", id: "warm-2" }))
        yield* first.append(yield* request(tenant, { category: "visit", id: "warm-3" }))
        const release = yield* Deferred.make<void>()
        const held = yield* holdHead(schema, tenant, release)
        const same = yield* request(tenant, stream, { commandId: "cmd-two", n: 2 })
        const a = yield* Effect.forkChild(first.append(same))
        const [aPid] = yield* waitersOf([held.pid], 1)
        const b = yield* Effect.forkChild(second.append(same))
        // The second waits behind the first (on the row's tuple lock) or behind the holder.
        yield* waitersOf([held.pid, aPid!], 2)
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(held.fiber)
        const results = [yield* Fiber.join(a), yield* Fiber.join(b)]
        assert.deepStrictEqual(results.map((r) => r.duplicate).sort(), [false, true])
        assert.deepStrictEqual(results[0]!.events, results[1]!.events)
        // And a request on the stream at the version before is a conflict for either.
        const late = yield* request(tenant, stream, { expected: ExpectedVersion.noStream })
        for (const store of [first, second]) {
          const error = errorOf(yield* Effect.exit(store.append(late)))
          assert.strictEqual(error._tag, "ConcurrencyConflict")
        }
        const all = yield* first.readAll(tenant, { after: 0, limit: 100 })
        assert.strictEqual(all.length, 5)
        assert.strictEqual(HashChain.verify(all), undefined)
      }).pipe(Effect.scoped)
    )

    it.effect("an append from inside a caller's transaction is the store's own: the caller's rollback keeps it", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const tenant = "t-caller-tx"
        // The first append of the tenant (the writer knows no head yet, so it takes the full path, a
        // transaction of its own), and one more, both from inside the caller's transaction.
        const rolledBack = yield* sql
          .withTransaction(
            Effect.gen(function* () {
              yield* store.append(yield* request(tenant, { category: "visit", id: "v-1" }))
              yield* store.append(yield* request(tenant, { category: "visit", id: "v-2" }))
              return yield* Effect.fail("the caller changes its mind" as const)
            })
          )
          .pipe(Effect.flip)
        assert.strictEqual(rolledBack, "the caller changes its mind")
        assert.strictEqual((yield* store.head(tenant)).position, 2)
        assert.deepStrictEqual(
          (yield* store.readAll(tenant, { after: 0, limit: 10 })).map((e) => e.stream.id),
          ["v-1", "v-2"]
        )
        // The tenant's writer goes on outside any transaction: a later append from elsewhere lands too.
        yield* store.append(yield* request(tenant, { category: "visit", id: "v-3" }))
        assert.strictEqual((yield* store.head(tenant)).position, 3)
      })
    )

    it.effect("a notification wakes a subscriber without polling", () =>
      Effect.gen(function* () {
        const store = yield* PgEventStore.make({ schema, pollInterval: "1 hour", citus })
        const tenant = "t-notify"
        const seen = yield* Ref.make(0)
        yield* Effect.forkScoped(
          Stream.runForEach(store.subscribe(tenant, { after: 0 }), () => Ref.update(seen, (n) => n + 1))
        )
        // LISTEN starts in the background: append until one notification gets through (polling never runs).
        let appended = 0
        while ((yield* Ref.get(seen)) === 0 && appended < 100) {
          yield* store.append(yield* request(tenant, stream))
          appended++
          yield* Effect.sleep("50 millis")
        }
        assert.isTrue((yield* Ref.get(seen)) > 0, "no notification reached the subscriber")
      }).pipe(Effect.scoped)
    )

    it.effect("with no notifications at all a subscriber still follows, by polling", () =>
      Effect.gen(function* () {
        const deaf = Layer.succeed(PgListen.PgListen, { listen: () => Stream.never })
        const store = yield* Effect.provide(PgEventStore.make({ schema, pollInterval: "20 millis", citus }), deaf)
        const tenant = "t-deaf"
        const fiber = yield* Effect.forkScoped(Stream.runCollect(Stream.take(store.subscribe(tenant, { after: 0 }), 5)))
        for (let i = 0; i < 5; i++) {
          yield* Effect.sleep("30 millis")
          yield* store.append(yield* request(tenant, stream))
        }
        const events = yield* Fiber.join(fiber)
        assert.deepStrictEqual(
          events.map((e) => e.position),
          [1, 2, 3, 4, 5]
        )
      }).pipe(Effect.scoped)
    )

    it.effect("expected version: each kind refused with expected and actual, the store unchanged", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const tenant = "t-expected"
        yield* store.append(yield* request(tenant, stream, { n: 2 }))
        const before = yield* snapshot(tenant)
        for (const [expected, actual, s] of [
          [ExpectedVersion.exact(1), 2, stream],
          [ExpectedVersion.noStream, 2, stream],
          [ExpectedVersion.streamExists, 0, { category: "visit", id: "absent" }],
          [ExpectedVersion.exact(5), 0, { category: "visit", id: "absent" }]
        ] as const) {
          const error = errorOf(yield* Effect.exit(store.append(yield* request(tenant, s, { expected }))))
          assert.strictEqual(error._tag, "ConcurrencyConflict")
          if (error._tag === "ConcurrencyConflict") {
            assert.deepStrictEqual(error.expected, expected)
            assert.strictEqual(error.actual, actual)
          }
        }
        assert.deepStrictEqual(yield* snapshot(tenant), before)
        const ok = yield* store.append(yield* request(tenant, stream, { expected: ExpectedVersion.exact(2) }))
        assert.strictEqual(ok.version, 3)
      })
    )

    it.effect(
      "idempotency: a retry returns the first result, a different payload or a reused event id is refused",
      () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const tenant = "t-idem"
          const first = yield* request(tenant, stream, { commandId: "cmd-1", n: 2 })
          const written = yield* store.append(first)
          const before = yield* snapshot(tenant)
          // A retry may mint new event ids: it is still the same request.
          const retry = yield* request(tenant, stream, { commandId: "cmd-1", n: 2 })
          const again = yield* store.append(retry)
          assert.isTrue(again.duplicate)
          assert.deepStrictEqual(again.events, written.events)
          assert.strictEqual(again.version, written.version)
          const other = yield* request(tenant, stream, { commandId: "cmd-1", data: () => ({ changed: true }) })
          assert.strictEqual(errorOf(yield* Effect.exit(store.append(other)))._tag, "IdempotencyMismatch")
          const reused = yield* request(tenant, stream)
          const reusedId = { ...reused, events: [{ ...reused.events[0]!, eventId: written.events[0]!.eventId }] }
          const error = errorOf(yield* Effect.exit(store.append(reusedId)))
          assert.strictEqual(error._tag, "EventStoreError")
          assert.strictEqual(error._tag === "EventStoreError" && error.reason, "InvalidRequest")
          assert.deepStrictEqual(yield* snapshot(tenant), before)
          assert.deepStrictEqual(yield* store.readCommand(tenant, "cmd-1"), written.events)
          assert.strictEqual(yield* store.readCommand(tenant, "cmd-unknown"), undefined)
        })
    )

    it.effect("reads: fromVersion, as of a position or a time, subjects by page, StreamNotFound", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const tenant = "t-reads"
        const a = yield* store.append(yield* request(tenant, stream, { n: 3, subjects: ["hh-1", "hh-1", "p-2"] }))
        const b = yield* store.append(yield* request(tenant, { category: "case", id: "c-1" }, { subjects: ["hh-1"] }))
        const c = yield* store.append(yield* request(tenant, stream, { n: 2 }))
        assert.deepStrictEqual(
          (yield* store.readStream(tenant, stream, { fromVersion: 3 })).map((e) => e.version),
          [3, 4, 5]
        )
        assert.deepStrictEqual(
          (yield* store.readStream(tenant, stream, { asOfPosition: 4 })).map((e) => e.version),
          [1, 2, 3]
        )
        assert.deepStrictEqual(
          (yield* store.readStream(tenant, stream, { asOfTime: a.events[0]!.recordedAt })).length >= 3,
          true
        )
        const notYet = yield* Effect.exit(
          store.readStream(tenant, { category: "case", id: "c-1" }, { asOfPosition: 3 })
        )
        assert.strictEqual(errorOf(notYet)._tag, "StreamNotFound")
        const none = yield* Effect.exit(store.readStream(tenant, { category: "case", id: "nope" }))
        assert.strictEqual(errorOf(none)._tag, "StreamNotFound")
        // Past the end of an existing stream: empty, not missing.
        assert.deepStrictEqual(yield* store.readStream(tenant, stream, { fromVersion: 99 }), [])
        const subject = yield* store.readSubject(tenant, "hh-1", { after: 0, limit: 2 })
        assert.deepStrictEqual(
          subject.map((e) => e.position),
          [1, 2]
        )
        const next = yield* store.readSubject(tenant, "hh-1", { after: 2, limit: 10 })
        assert.deepStrictEqual(
          next.map((e) => e.position),
          [3, b.events[0]!.position]
        )
        assert.deepStrictEqual(yield* store.readAll(tenant, { after: 4, limit: 1 }), [c.events[0]!])
        assert.deepStrictEqual(yield* store.readAll("t-nobody", { after: 0, limit: 10 }), [])
        assert.deepStrictEqual(yield* store.head("t-nobody"), { position: 0, hash: HashChain.genesis })
      })
    )

    it.effect("an event over maxEventBytes is TooLarge and nothing is written", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const tenant = "t-large"
        yield* store.append(yield* request(tenant, stream))
        const before = yield* snapshot(tenant)
        const big = yield* request(tenant, stream, {
          n: 2,
          data: (i) => ({ text: "x".repeat(i === 1 ? 2_000_000 : 10) })
        })
        const error = errorOf(yield* Effect.exit(store.append(big)))
        assert.strictEqual(error._tag === "EventStoreError" && error.reason, "TooLarge")
        assert.deepStrictEqual(yield* snapshot(tenant), before)
      })
    )

    it.effect("text PostgreSQL cannot hold is refused by this store and the in-memory one alike", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const memory = yield* EventStore.makeMemory()
        const tenant = "t-unicode"
        const cases = [
          yield* request("t-unicode\ud800", stream),
          yield* request(tenant, { category: "visit", id: "a\udc00" }),
          yield* request(tenant, stream, { data: () => ({ note: "half \ud83d" }) }),
          yield* request(tenant, stream, { data: () => ({ note: "nul \u0000" }) }),
          yield* request(tenant, stream, { subjects: ["hh\ud800"] })
        ]
        for (const bad of cases) {
          const pg = errorOf(yield* Effect.exit(store.append(bad)))
          const mem = errorOf(yield* Effect.exit(memory.append(bad)))
          assert.strictEqual(pg._tag === "EventStoreError" && pg.reason, "InvalidRequest")
          assert.strictEqual(pg.message, mem.message)
        }
        assert.deepStrictEqual(yield* store.readAll(tenant, { after: 0, limit: 10 }), [])
        assert.deepStrictEqual(yield* store.readAll("t-unicode\ud800", { after: 0, limit: 10 }), [])
        // Well-formed text outside the BMP is fine.
        const emoji = yield* store.append(yield* request(tenant, stream, { data: () => ({ note: "👵🏻 独居老人" }) }))
        assert.deepStrictEqual(yield* store.readAll(tenant, { after: 0, limit: 10 }), emoji.events)
      })
    )

    it.effect("strings that look like SQL are stored and read back as data", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const tenant = `t';DROP/**/TABLE/**/${schema}.events;--`
        const evil = { category: "visit", id: `x'OR'1'='1";DELETE/**/FROM/**/${schema}.heads;--` }
        const subject = `');TRUNCATE/**/${schema}.subjects;--`
        const written = yield* store.append(
          yield* request(tenant, evil, {
            commandId: `c');DROP/**/SCHEMA/**/${schema}/**/CASCADE;--`,
            subjects: [subject],
            data: () => ({ "k'ey": "va'lue\"; --", $1: "$2" })
          })
        )
        assert.deepStrictEqual(yield* store.readStream(tenant, evil), written.events)
        assert.deepStrictEqual(yield* store.readSubject(tenant, subject, { after: 0, limit: 5 }), written.events)
        assert.deepStrictEqual(yield* store.readAll(tenant, { after: 0, limit: 5 }), written.events)
        assert.deepStrictEqual(
          yield* store.readCommand(tenant, `c');DROP/**/SCHEMA/**/${schema}/**/CASCADE;--`),
          written.events
        )
        assert.strictEqual(errorOf(yield* Effect.exit(store.readStream("t-basic", evil)))._tag, "StreamNotFound")
        const [count] = yield* sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql(`${schema}.heads`)}`
        assert.isTrue(Number(count!.n) > 1)
      })
    )

    it.effect("a backend killed mid-append: nothing of it is visible, the chain holds, the store goes on", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const tenant = "t-kill"
        yield* store.append(yield* request(tenant, stream, { n: 2 }))
        const before = yield* snapshot(tenant)
        const release = yield* Deferred.make<void>()
        const held = yield* holdHead(schema, tenant, release)
        const doomed = yield* request(tenant, stream, { n: 3, commandId: "cmd-doomed" })
        const append = yield* Effect.forkChild(Effect.exit(store.append(doomed)))
        const [victim] = yield* waitersOf([held.pid], 1)
        yield* sql`SELECT pg_terminate_backend(${victim!}::${sql.literal(citus ? "bigint" : "int")})`
        const exit = yield* Fiber.join(append)
        const error = errorOf(exit)
        assert.strictEqual(error._tag === "EventStoreError" && error.reason, "Unavailable")
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(held.fiber)
        assert.deepStrictEqual(yield* snapshot(tenant), before)
        assert.strictEqual(yield* store.readCommand(tenant, "cmd-doomed"), undefined)
        // Retried with the same commandId, it is written once.
        const retried = yield* store.append(doomed)
        assert.isFalse(retried.duplicate)
        assert.deepStrictEqual(
          retried.events.map((e) => e.position),
          [3, 4, 5]
        )
        const all = yield* store.readAll(tenant, { after: 0, limit: 100 })
        assert.strictEqual(HashChain.verify(all), undefined)
        assert.deepStrictEqual(
          all.map((e) => `${e.position}:${e.eventId}`),
          yield* tableLog(schema, tenant)
        )
      })
    )

    it.effect("connections dropped under a subscriber: it resumes and misses nothing", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const tenant = "t-drop"
        const total = 30
        const fiber = yield* Effect.forkChild(
          Stream.runCollect(Stream.take(store.subscribe(tenant, { after: 0 }), total))
        )
        for (let i = 0; i < total; i++) {
          yield* appendRetrying(yield* request(tenant, { category: "visit", id: `d-${i % 4}` }))
          if (i % 10 === 5) {
            // Every connection of this store but the one asking, the LISTEN connection included (it is
            // waited for, so this also shows the listener reconnecting after the previous round).
            let killed = 0
            while (killed === 0) {
              const rows = yield* sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = ${schema} AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`
              killed = rows.length
              if (killed === 0) yield* Effect.sleep("20 millis")
            }
            yield* sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = ${schema} AND pid <> pg_backend_pid()`
          }
        }
        const seen = yield* Fiber.join(fiber)
        assert.deepStrictEqual(
          seen.map((e) => `${e.position}:${e.eventId}`),
          yield* tableLog(schema, tenant)
        )
      })
    )

    it.effect("a row edited in SQL: the hash chain finds it", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const tenant = "t-tamper"
        for (let i = 0; i < 4; i++) yield* store.append(yield* request(tenant, stream))
        assert.strictEqual((yield* Audit.verifyChain(tenant)).events, 4)
        yield* sql`UPDATE ${sql(`${schema}.events`)} SET data = jsonb_set(data, '{note}', '"edited"')
          WHERE tenant = ${tenant} AND position = 3`
        const broken = HashChain.verify(yield* store.readAll(tenant, { after: 0, limit: 10 }))
        assert.deepStrictEqual(broken && { tag: broken._tag, position: "position" in broken ? broken.position : 0 }, {
          tag: "HashMismatch",
          position: 3
        })
        const error = errorOf(yield* Effect.exit(Audit.verifyChain(tenant)))
        assert.strictEqual(error._tag, "ChainBroken")
      })
    )

    it.effect(
      "a row of an unknown type or a malformed payload: read raw, the codec names it; a broken envelope is Corrupt",
      () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const sql = yield* SqlClient.SqlClient
          const tenant = "t-corrupt"
          for (let i = 0; i < 3; i++) yield* store.append(yield* request(tenant, stream))
          const events = sql(`${schema}.events`)
          yield* sql`UPDATE ${events} SET type = 'Vanished' WHERE tenant = ${tenant} AND position = 1`
          yield* sql`UPDATE ${events} SET data = '"not an object"' WHERE tenant = ${tenant} AND position = 2`
          class Happened extends Schema.TaggedClass<Happened>()("Happened", {
            i: Schema.Number,
            note: Schema.String
          }) {}
          const codec = EventCodec.make({ Happened })
          const read = yield* store.readAll(tenant, { after: 0, limit: 10 })
          const decoded = read.map(codec.decode)
          const [unknown, malformed, fine] = decoded
          assert.isTrue(Result.isFailure(unknown!) && unknown.failure._tag === "UnknownEventType")
          assert.strictEqual(Result.isFailure(unknown!) && unknown.failure.position, 1)
          assert.isTrue(Result.isFailure(malformed!) && malformed.failure._tag === "InvalidEvent")
          assert.strictEqual(Result.isFailure(malformed!) && malformed.failure.position, 2)
          assert.isTrue(Result.isSuccess(fine!))
          yield* sql`UPDATE ${events} SET actor = '42' WHERE tenant = ${tenant} AND position = 3`
          const error = errorOf(yield* Effect.exit(store.readAll(tenant, { after: 0, limit: 10 })))
          assert.strictEqual(error._tag === "EventStoreError" && error.reason, "Corrupt")
          assert.match(error.message, /t-corrupt at position 3/)
          // The rows before it still read.
          assert.strictEqual((yield* store.readAll(tenant, { after: 0, limit: 2 })).length, 2)
        })
    )
  })
})

describePg("PgEventStore configuration errors", () => {
  it.effect("a schema name that is not an identifier is refused before any SQL", () =>
    Effect.gen(function* () {
      for (const bad of [`x"; DROP SCHEMA public; --`, "Upper", "pg_catalog", "a.b", "", "x".repeat(64)]) {
        const exit = yield* Effect.exit(Layer.build(PgEventStore.layerPg({ url: pgUrl, schema: bad })))
        const error = errorOf(exit)
        assert.strictEqual(error.reason, "InvalidRequest", bad)
        const migrate = errorOf(
          yield* Effect.exit(PgEventStore.migrate(bad).pipe(Effect.provide(PgEventStore.layerPg({ url: pgUrl }))))
        )
        assert.strictEqual(migrate.reason, "InvalidRequest")
      }
    }).pipe(Effect.scoped)
  )

  it.effect("an unmigrated schema says to run the migrations, and migrating fixes it", () =>
    Effect.gen(function* () {
      const schema = randomSchema()
      const layer = PgEventStore.layerPg({ url: pgUrl, schema })
      const program = Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const append = errorOf(yield* Effect.exit(store.append(yield* request("t", stream))))
        assert.strictEqual(append._tag === "EventStoreError" && append.reason, "NotMigrated")
        assert.include(append.message, "run the migrations (PgEventStore.migrate, or `shuangbai migrate`)")
        const read = errorOf(yield* Effect.exit(store.readAll("t", { after: 0, limit: 1 })))
        assert.strictEqual(read.reason, "NotMigrated")
        yield* sql`CREATE SCHEMA ${sql(schema)}`
        assert.strictEqual(errorOf(yield* Effect.exit(store.head("t"))).reason, "NotMigrated")
        // Every migration runs: the event store (1) and the subject keys (2).
        assert.strictEqual((yield* PgEventStore.migrate(schema)).length, 2)
        assert.strictEqual((yield* PgEventStore.migrate(schema)).length, 0)
        const ok = yield* store.append(yield* request("t", stream))
        assert.strictEqual(ok.events[0]!.position, 1)
        yield* sql`DROP SCHEMA ${sql(schema)} CASCADE`
      })
      yield* Effect.provide(program, layer)
    })
  )

  it.effect("a bad connection string is Unavailable and says what to check", () =>
    Effect.gen(function* () {
      for (const url of [
        "postgres://postgres@127.0.0.1:1/test",
        "not a url",
        "postgres://nobody@127.0.0.1:5432/nodb"
      ]) {
        const exit = yield* Effect.exit(
          Effect.provide(
            Effect.flatMap(EventStore.EventStore, (store) => store.head("t")),
            PgEventStore.layerPg({ url, client: { connectTimeout: "2 seconds" } })
          )
        )
        const error = errorOf(exit)
        assert.strictEqual(error.reason, "Unavailable", url)
        assert.match(error.message, /connection URL/)
      }
    })
  )
})
