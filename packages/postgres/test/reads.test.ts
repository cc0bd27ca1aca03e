// The store's reads come back in one of two shapes (rows of values on the server, one json_agg text
// on PGlite; see internal/rows.ts). These tests read awkward payloads through the store and through
// both shapes by hand, on PGlite and on the server, and require the same events from all of them.
import { assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion, HashChain } from "@shuangbai/eventsourcing"
import { Effect, Stream } from "effect"
import { SqlClient } from "effect/sql"
import fc from "fast-check"
import { columns, decodeAllValues, jsonRow } from "../src/internal/rows.ts"
import * as PgEventStore from "../src/PgEventStore.ts"
import { describePg, randomSchema, request, serverLayer } from "./helpers.ts"

const awkward: ReadonlyArray<unknown> = [
  { text: "阳山县 黎埠镇 — 家访 👵🏽 e\u0301 \u2028\u2029 \u00a0", rtl: "مرحبا" },
  {
    quotes: `"'\`\\"\\\\`,
    backslashes: "C:\\new\\table\\",
    escapes: "\\u0041 \\n \t \n \r \b \f \u0001 \u001f \u007f"
  },
  { nested: { a: [1, [2, [3, { b: null, c: [true, false] }]]], empty: {}, none: [] } },
  {
    big: 12345678901234567000,
    huge: 1e300,
    tiny: 5e-324,
    max: Number.MAX_SAFE_INTEGER,
    negative: -0.000001,
    float: 0.1 + 0.2,
    exponent: 1.5e21
  },
  { "key with spaces": 1, "": "empty key", ключ: "значение", "🔑": "🗝", 'a"b': "c\\d" },
  ["not", "an", "object"],
  'just a string with a "quote"',
  12.5,
  { nothing: null, list: [null, null] },
  { long: "长".repeat(3_000), many: Array.from({ length: 200 }, (_, i) => ({ i, s: `${i}` })) }
]

/** The tenant's log by hand in both shapes, decoded as the store decodes them. */
const bothShapes = (schema: string, tenant: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const events = sql(`${schema}.events`)
    const rows = yield* sql`SELECT ${sql.literal(columns)} FROM ${events} e
      WHERE e.tenant = ${tenant} ORDER BY e.position`.values
    const [[page]] = (yield* sql`SELECT json_agg(${sql.literal(jsonRow)} ORDER BY e.position)::text FROM ${events} e
      WHERE e.tenant = ${tenant}`.values) as ReadonlyArray<ReadonlyArray<unknown>> as [[string | null]]
    const fromColumns = decodeAllValues(rows, "columns")
    const fromJson = decodeAllValues(page === null ? [] : JSON.parse(page), "json")
    if (fromColumns._tag === "Err" || fromJson._tag === "Err") throw new Error("the log did not decode")
    return { fromColumns: fromColumns.events, fromJson: fromJson.events }
  })

/** Every read of the store returns the same events for `tenant`, equal to both shapes read by hand. */
const readsAgree = (schema: string, tenant: string, stream: { category: string; id: string }, subject: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const all = yield* store.readAll(tenant, { after: 0, limit: Number.POSITIVE_INFINITY })
    const { fromColumns, fromJson } = yield* bothShapes(schema, tenant)
    assert.deepStrictEqual(fromJson, fromColumns)
    assert.deepStrictEqual(all, fromColumns)
    assert.strictEqual(HashChain.verify(all), undefined)
    const ofStream = all.filter((e) => e.stream.category === stream.category && e.stream.id === stream.id)
    assert.deepStrictEqual(yield* store.readStream(tenant, stream), ofStream)
    assert.deepStrictEqual(yield* store.readStream(tenant, stream, { fromVersion: 2 }), ofStream.slice(1))
    assert.deepStrictEqual(
      yield* store.readSubject(tenant, subject, { after: 0, limit: 1_000 }),
      all.filter((e) => e.subjects.includes(subject))
    )
    // Pages put together are the log; a subscriber catching up sees the same.
    const paged = []
    for (let after = 0; ; ) {
      const page = yield* store.readAll(tenant, { after, limit: 3 })
      if (page.length === 0) break
      paged.push(...page)
      after = page[page.length - 1]!.position
    }
    assert.deepStrictEqual(paged, all)
    assert.deepStrictEqual(
      yield* Stream.runCollect(Stream.take(store.subscribe(tenant, { after: 0 }), all.length)),
      all
    )
    const last = all[all.length - 1]!
    assert.deepStrictEqual(
      yield* store.readCommand(tenant, last.commandId),
      all.filter((e) => e.commandId === last.commandId)
    )
    return all
  })

const awkwardPayloads = (schema: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const tenant = "t-awkward-租户\"'\\"
    const stream = { category: "visit", id: "v-1✓\"'\\" }
    const subject = 'hh-1"家"\\'
    const written = []
    for (const [i, data] of awkward.entries()) {
      const result = yield* store.append(
        yield* request(tenant, i % 3 === 0 ? stream : { category: "other", id: `o-${i}` }, {
          n: 2,
          data: (j) => (j === 0 ? data : { j, data }),
          subjects: i % 2 === 0 ? [subject, `s-${i}`] : [`s-${i}`]
        })
      )
      written.push(...result.events)
    }
    const all = yield* readsAgree(schema, tenant, stream, subject)
    assert.deepStrictEqual(all, written)
    assert.deepStrictEqual(
      all.filter((_, i) => i % 2 === 0).map((e) => e.data),
      awkward.map((data) => JSON.parse(JSON.stringify(data)))
    )
    // A read of nothing: the empty aggregate is no events, and a stream that is not there is not found.
    assert.deepStrictEqual(yield* store.readAll(tenant, { after: all.length, limit: 10 }), [])
    assert.deepStrictEqual(yield* store.readSubject(tenant, "nobody", { after: 0, limit: 10 }), [])
    assert.strictEqual(yield* store.readCommand(tenant, "no-such-command"), undefined)
    assert.deepStrictEqual(yield* store.readStream(tenant, stream, { fromVersion: 1_000 }), [])
    const missing = yield* Effect.flip(store.readStream(tenant, { category: "visit", id: "nobody" }))
    assert.strictEqual(missing._tag, "StreamNotFound")
  })

// JSON that PostgreSQL can store: no NUL (jsonb refuses \u0000), well-formed text (graphemes).
const payload = fc
  .jsonValue({ stringUnit: "grapheme", maxDepth: 4 })
  .filter((value) => !JSON.stringify(value).includes("\\u0000"))
// An id as the store takes one: no spaces, no control characters.
const label = fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }).filter((s) => /^[^\s\p{Cc}]{1,128}$/u.test(s))

const arbitraryPayloads = (schema: string) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<EventStore.EventStore | SqlClient.SqlClient>()
    let run = 0
    yield* Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 6 }), label, (payloads, subject) =>
          Effect.runPromise(
            Effect.provideContext(
              Effect.gen(function* () {
                const store = yield* EventStore.EventStore
                const tenant = `t-prop-${run++}`
                const stream = { category: "visit", id: subject }
                const written = yield* store.append(
                  yield* request(tenant, stream, {
                    expected: ExpectedVersion.noStream,
                    n: payloads.length,
                    data: (i) => payloads[i],
                    subjects: [subject]
                  })
                )
                const all = yield* readsAgree(schema, tenant, stream, subject)
                assert.deepStrictEqual(all, written.events)
              }),
              context
            )
          )
        ),
        { numRuns: 40 }
      )
    )
  })

/** A malformed envelope fails every read that reaches it, naming the row, as on either shape. */
const corruptRows = (schema: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const sql = yield* SqlClient.SqlClient
    const tenant = "t-corrupt"
    const stream = { category: "visit", id: "v-1" }
    const written = yield* store.append(yield* request(tenant, stream, { n: 4, subjects: ["hh-1"] }))
    const events = sql(`${schema}.events`)
    yield* sql`UPDATE ${events} SET actor = '42' WHERE tenant = ${tenant} AND position = 2`
    yield* sql`UPDATE ${events} SET subjects = '{"not": "a list"}' WHERE tenant = ${tenant} AND position = 4`
    const failures = [
      yield* Effect.flip(store.readAll(tenant, { after: 0, limit: 10 })),
      yield* Effect.flip(store.readStream(tenant, stream)),
      yield* Effect.flip(store.readSubject(tenant, "hh-1", { after: 0, limit: 10 })),
      yield* Effect.flip(store.readCommand(tenant, written.events[0]!.commandId))
    ]
    for (const error of failures) {
      assert.strictEqual(error._tag === "EventStoreError" && error.reason, "Corrupt")
      assert.match(error.message, /tenant t-corrupt at position 2 cannot be read: column actor is malformed/)
    }
    const later = yield* Effect.flip(store.readAll(tenant, { after: 2, limit: 10 }))
    assert.match(later.message, /at position 4 cannot be read: column subjects is malformed/)
    // The rows before them still read.
    assert.deepStrictEqual(yield* store.readAll(tenant, { after: 0, limit: 1 }), written.events.slice(0, 1))
    assert.deepStrictEqual(yield* store.readAll(tenant, { after: 2, limit: 1 }), written.events.slice(2, 3))
  })

describe("PgEventStore reads on PGlite", () => {
  const schema = "reads"
  it.layer(PgEventStore.layerPglite({ schema }), { timeout: "120 seconds", excludeTestServices: true })((it) => {
    it.effect("awkward payloads read back identically through every read and both row shapes", () =>
      awkwardPayloads(schema)
    )
    it.effect("arbitrary payloads read back identically (property)", () => arbitraryPayloads(schema))
    it.effect("a malformed envelope is Corrupt, naming the row", () => corruptRows(schema))
    it.effect("the store reads PGlite through json_agg (its driver is recognised)", () =>
      Effect.map(SqlClient.SqlClient, (sql) => assert.strictEqual(sql.driver, "pglite"))
    )
  })
})

describePg("PgEventStore reads on PostgreSQL", () => {
  const schema = randomSchema()
  it.layer(serverLayer({}, schema), { timeout: "120 seconds", excludeTestServices: true })((it) => {
    it.effect("awkward payloads read back identically through every read and both row shapes", () =>
      awkwardPayloads(schema)
    )
    it.effect("arbitrary payloads read back identically (property)", () => arbitraryPayloads(schema))
    it.effect("a malformed envelope is Corrupt, naming the row", () => corruptRows(schema))
  })
})
