import { assert } from "@effect/vitest"
import { type Envelope, EventStore, type EventStoreError, ExpectedVersion, HashChain } from "@shuangbai/eventsourcing"
import { Effect, Exit, Fiber, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { request } from "./helpers.ts"

/** The tenant's log as the table holds it: (position, event id) in position order. */
export const tableLog = (schema: string, tenant: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ position: string; event_id: string }>`SELECT position::text AS position, event_id
      FROM ${sql(`${schema}.events`)} e WHERE tenant = ${tenant} ORDER BY e.position`
    return rows.map((r) => `${r.position}:${r.event_id}`)
  })

const keys = (events: ReadonlyArray<Envelope.StoredEvent>) => events.map((e) => `${e.position}:${e.eventId}`)

/** A store's observable state for one tenant: what must not change when an append is refused. */
export const snapshot = (tenant: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    return {
      head: yield* store.head(tenant),
      log: yield* store.readAll(tenant, { after: 0, limit: 100_000 })
    }
  })

/** Eight or more writers race for each version of one stream: exactly one wins each, nothing doubles. */
export const racingWriters = (tenant: string, schema: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const stream = { category: "case", id: "c-race" }
    const writers = 10
    const rounds = 6
    for (let version = 0; version < rounds; version++) {
      const requests = yield* Effect.forEach(Array.from({ length: writers }), (_, w) =>
        request(tenant, stream, { expected: ExpectedVersion.exact(version), data: () => ({ writer: w, version }) })
      )
      const exits = yield* Effect.forEach(requests, (r) => Effect.exit(store.append(r)), { concurrency: "unbounded" })
      const won = exits.filter(Exit.isSuccess)
      assert.strictEqual(won.length, 1, `exactly one writer wins version ${version + 1}`)
      assert.strictEqual(won[0]!.value.version, version + 1)
      for (const exit of exits) {
        if (Exit.isSuccess(exit)) continue
        const error = Exit.findErrorOption(exit)
        assert.strictEqual(error._tag, "Some")
        const conflict = (error as { value: { _tag: string; actual?: number; expected?: unknown } }).value
        assert.strictEqual(conflict._tag, "ConcurrencyConflict")
        assert.strictEqual(conflict.actual, version + 1)
        assert.deepStrictEqual(conflict.expected, ExpectedVersion.exact(version))
      }
    }
    const events = yield* store.readStream(tenant, stream)
    assert.deepStrictEqual(
      events.map((e) => e.version),
      Array.from({ length: rounds }, (_, i) => i + 1)
    )
    const all = yield* store.readAll(tenant, { after: 0, limit: 1000 })
    assert.deepStrictEqual(keys(all), yield* tableLog(schema, tenant))
    assert.strictEqual(HashChain.verify(all), undefined)
  })

/**
 * Many writers on many streams of one tenant while several subscribers and a paged reader run:
 * afterwards each has seen every event exactly once, in position order, and that is the table.
 */
export const writersAndReaders = (tenant: string, schema: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const writers = 12
    const appendsPerWriter = 15
    let total = 0
    const plans = Array.from({ length: writers }, (_, w) =>
      Array.from({ length: appendsPerWriter }, (_, i) => {
        const n = 1 + ((w + i) % 3)
        total += n
        return { stream: { category: "visit", id: `v-${(w * 7 + i) % 9}` }, n }
      })
    )
    const collect = (after: number) =>
      Effect.forkChild(Stream.runCollect(Stream.take(store.subscribe(tenant, { after }), total)))
    const subscribers = yield* Effect.forEach([0, 0, 0], collect)
    const reader = yield* Effect.forkChild(
      Effect.gen(function* () {
        const seen: Array<Envelope.StoredEvent> = []
        while (seen.length < total) {
          const after = seen.length === 0 ? 0 : seen[seen.length - 1]!.position
          const page = yield* store.readAll(tenant, { after, limit: 7 })
          seen.push(...page)
          if (page.length === 0) yield* Effect.yieldNow
        }
        return seen
      })
    )
    yield* Effect.forEach(
      plans,
      (plan) =>
        Effect.forEach(plan, ({ stream, n }) => Effect.flatMap(request(tenant, stream, { n }), store.append), {
          discard: true
        }),
      { concurrency: "unbounded", discard: true }
    )
    const table = yield* tableLog(schema, tenant)
    assert.strictEqual(table.length, total)
    assert.deepStrictEqual(
      table.map((k) => Number(k.split(":")[0])),
      Array.from({ length: total }, (_, i) => i + 1)
    )
    for (const fiber of subscribers) assert.deepStrictEqual(keys(yield* Fiber.join(fiber)), table)
    assert.deepStrictEqual(keys(yield* Fiber.join(reader)), table)
    // A subscriber that starts late catches up from a cursor in the middle and misses nothing either.
    const late = yield* Stream.runCollect(Stream.take(store.subscribe(tenant, { after: 10 }), total - 10))
    assert.deepStrictEqual(keys(late), table.slice(10))
    assert.strictEqual(HashChain.verify(yield* store.readAll(tenant, { after: 0, limit: 100_000 })), undefined)
  })

/** In one batch, one request's conflict fails only that request; a batch-mate's commandId replays. */
export const batchMates = (tenant: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const s = (id: string) => ({ category: "activity", id })
    const ok1 = yield* request(tenant, s("a"), { expected: ExpectedVersion.noStream, commandId: "cmd-a" })
    const conflict = yield* request(tenant, s("b"), { expected: ExpectedVersion.exact(3) })
    const ok2 = yield* request(tenant, s("a"), { expected: ExpectedVersion.exact(1) })
    const again = { ...ok1, events: ok1.events.map((e) => ({ ...e, eventId: e.eventId })) }
    const mismatch = yield* request(tenant, s("a"), { commandId: "cmd-a", data: () => ({ other: true }) })
    const exits = yield* Effect.forEach([ok1, conflict, ok2, again, mismatch], (r) => Effect.exit(store.append(r)), {
      concurrency: "unbounded"
    })
    const tags = exits.map((exit) =>
      Exit.isSuccess(exit)
        ? exit.value.duplicate
          ? "duplicate"
          : "ok"
        : (Exit.findErrorOption(exit) as { value: { _tag: string } }).value._tag
    )
    assert.deepStrictEqual(tags, ["ok", "ConcurrencyConflict", "ok", "duplicate", "IdempotencyMismatch"])
    const [first, , , replay] = exits
    assert.deepStrictEqual(
      (replay as Exit.Success<EventStore.AppendResult>).value.events,
      (first as Exit.Success<EventStore.AppendResult>).value.events
    )
    const stream = yield* store.readStream(tenant, s("a"))
    assert.strictEqual(stream.length, 2)
    assert.strictEqual(HashChain.verify(yield* store.readAll(tenant, { after: 0, limit: 100 })), undefined)
  })

export type StoreError = EventStoreError
