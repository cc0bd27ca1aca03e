import { assert, describe, it } from "@effect/vitest"
import { EventStoreError } from "@shuangbai/eventsourcing"
import fc from "fast-check"
import { columns, decodeValues, jsonRow } from "./rows.ts"

const names = [
  "tenant",
  "position",
  "category",
  "stream_id",
  "version",
  "event_id",
  "type",
  "schema_version",
  "data",
  "occurred_at",
  "recorded_at",
  "actor",
  "command_id",
  "correlation_id",
  "causation_id",
  "subjects",
  "prev_hash",
  "hash"
] as const
const jsonb = new Set(["data", "actor", "subjects"])

/** A row as the server returns `columns`: jsonb as its text, position as text. */
const asColumns = (row: Record<(typeof names)[number], unknown>): Array<unknown> =>
  names.map((name) => (jsonb.has(name) ? JSON.stringify(row[name]) : row[name]))

/** The same row as an element of `json_agg(jsonRow)` after JSON.parse: jsonb embedded, not quoted. */
const asJson = (row: Record<(typeof names)[number], unknown>): Array<unknown> =>
  JSON.parse(`[${names.map((name) => JSON.stringify(row[name])).join(",")}]`)

const text = fc.string({ unit: "grapheme", maxLength: 12 })
const event = fc.record({
  tenant: text,
  position: fc.maxSafeNat().map(String),
  category: text,
  stream_id: text,
  version: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  event_id: text,
  type: text,
  schema_version: fc.integer({ min: 1, max: 100 }),
  data: fc.jsonValue({ stringUnit: "grapheme", maxDepth: 3 }),
  occurred_at: text,
  recorded_at: text,
  actor: fc.oneof(
    fc.record({ id: text, role: text }),
    fc.record({ id: text, role: text, station: text }),
    // Not an actor: the read fails as Corrupt naming the row.
    fc.jsonValue({ maxDepth: 1 })
  ),
  command_id: text,
  correlation_id: text,
  causation_id: text,
  subjects: fc.oneof(fc.array(text, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
  prev_hash: text,
  hash: text
})

describe("rows", () => {
  it("columns and jsonRow select the same fields, in the order decodeValues reads them", () => {
    assert.strictEqual(columns.split(" AS ").length - 1, names.length)
    names.forEach((name, i) => {
      assert.include(columns, ` AS ${name}`)
      assert.isBelow(i === 0 ? -1 : columns.indexOf(` AS ${names[i - 1]!}`), columns.indexOf(` AS ${name}`))
    })
    assert.isTrue(jsonRow.startsWith("json_build_array(e.tenant, e.position::text, e.category"))
    assert.notInclude(jsonRow, "::text AS")
  })

  it("a row decodes the same from its columns (jsonb as text) and from json_agg (jsonb parsed)", () => {
    fc.assert(
      fc.property(event, (row) => {
        const fromColumns = decodeValues(asColumns(row), "columns")
        const fromJson = decodeValues(asJson(row), "json")
        if (fromColumns instanceof EventStoreError) {
          assert.instanceOf(fromJson, EventStoreError)
          assert.strictEqual((fromJson as EventStoreError).message, fromColumns.message)
        } else {
          assert.deepStrictEqual(fromJson, fromColumns)
          assert.deepStrictEqual(fromColumns.data, JSON.parse(JSON.stringify(row.data)))
        }
      }),
      { numRuns: 300 }
    )
  })

  it("a malformed envelope names the tenant, the position and the column, whichever shape it came in", () => {
    const row = {
      ...Object.fromEntries(names.map((n) => [n, "x"])),
      position: "7",
      version: 1,
      schema_version: 1,
      data: {},
      actor: 42,
      subjects: []
    } as Record<(typeof names)[number], unknown>
    for (const decoded of [decodeValues(asColumns(row), "columns"), decodeValues(asJson(row), "json")]) {
      assert.instanceOf(decoded, EventStoreError)
      assert.strictEqual((decoded as EventStoreError).reason, "Corrupt")
      assert.match((decoded as EventStoreError).message, /tenant x at position 7 .* column actor is malformed/)
    }
    // jsonb text that is not JSON (only the columns shape can carry it) is malformed too.
    const broken = asColumns({ ...row, actor: { id: "a", role: "r" } })
    broken[names.indexOf("subjects")] = "[not json"
    assert.match((decodeValues(broken, "columns") as EventStoreError).message, /column subjects is malformed/)
  })
})
