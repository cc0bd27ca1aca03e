import { assert, describe, it } from "@effect/vitest"
import { Equal, Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Scalars from "../Scalars.ts"
import { compileEvent, unsure } from "./fastDecode.ts"

// The fast path must agree with Effect's decoder: the same value for a valid payload, and never a value for
// a payload the decoder refuses (it answers `unsure` and the codec asks the decoder).

const Item = Schema.Struct({
  item: Scalars.NonEmptyText,
  quantity: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  note: Schema.optionalKey(Scalars.NonEmptyText)
})
const Scope = Schema.Union([
  Schema.TaggedStruct("CountyWide", {}),
  Schema.TaggedStruct("Stations", { stations: Schema.NonEmptyArray(Scalars.Id) })
])

class Everything extends Schema.TaggedClass<Everything>()(
  "Everything",
  Schema.Struct({
    id: Scalars.Id,
    on: Scalars.LocalDate,
    note: Scalars.Text,
    count: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100 })),
    ratio: Schema.Number,
    flag: Schema.Boolean,
    kind: Schema.Literals(["A", "B", "C"]),
    campaign: Schema.optionalKey(Schema.NullOr(Scalars.Id)),
    persons: Schema.NonEmptyArray(Scalars.Id).check(Schema.isUnique()),
    items: Schema.Array(Item),
    scope: Scope,
    head: Schema.optionalKey(Schema.Struct({ person: Scalars.Id, born: Scalars.LocalDate }))
  }).check(
    Schema.makeFilter((e) => e.count <= e.items.length + 10 || "too many", { expected: "a count near the items" })
  )
) {}

const Plain = Schema.Struct({ _tag: Schema.Literal("Plain"), name: Scalars.NonEmptyText })

const effectDecode = (schema: Schema.Top) => {
  const decode = Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown, never, never>)
  return (data: Record<string, unknown>, tag: string) => decode({ ...data, _tag: tag })
}

const valid = {
  id: "p-1",
  on: "2024-02-29",
  note: "",
  count: 3,
  ratio: 0.5,
  flag: true,
  kind: "B",
  persons: ["p-1", "p-2"],
  items: [
    { item: "棉被", quantity: 2 },
    { item: "冬衣", quantity: 1, note: "旧" }
  ],
  scope: { _tag: "Stations", stations: ["st-1"] }
}

/** Both ways agree: the fast path gives Effect's value, or says unsure where Effect fails. */
const agree = (schema: Schema.Top, data: Record<string, unknown>, tag: string): "valid" | "invalid" => {
  const fast = compileEvent(schema)!
  const slow = effectDecode(schema)(data, tag)
  const quick = fast(data, tag)
  if (Result.isFailure(slow)) {
    assert.strictEqual(quick, unsure, `Effect refuses ${JSON.stringify(data)}; the fast path must not accept it`)
    return "invalid"
  }
  assert.notStrictEqual(quick, unsure, `Effect accepts ${JSON.stringify(data)}; the fast path should too`)
  assert.deepStrictEqual(quick, slow.success)
  assert.strictEqual((quick as object).constructor, (slow.success as object).constructor)
  assert.isTrue(Equal.equals(quick, slow.success))
  return "valid"
}

describe("fastDecode.compileEvent", () => {
  it("compiles classes and structs of the shapes events use", () => {
    assert.isDefined(compileEvent(Everything))
    assert.isDefined(compileEvent(Plain))
  })

  it("gives no fast path to a Schema with a transformation", () => {
    class Parsed extends Schema.TaggedClass<Parsed>()("Parsed", { n: Schema.NumberFromString }) {}
    class Later extends Schema.TaggedClass<Later>()("Later", { s: Schema.suspend(() => Schema.String) }) {}
    assert.isUndefined(compileEvent(Parsed))
    assert.isUndefined(compileEvent(Later))
  })

  it("builds the instance Effect builds, dropping keys the Schema does not declare", () => {
    assert.strictEqual(agree(Everything, { ...valid, extra: 1, campaign: null, _tag: "Other" }, "Everything"), "valid")
    const value = compileEvent(Everything)!({ ...valid, extra: 1 }, "Everything")
    assert.instanceOf(value, Everything)
    assert.isFalse(Object.hasOwn(value as object, "extra"))
    assert.strictEqual(agree(Plain, { name: "x" }, "Plain"), "valid")
  })

  it("says unsure for every payload Effect refuses", () => {
    const cases: ReadonlyArray<Record<string, unknown>> = [
      { ...valid, on: "2023-02-29" },
      { ...valid, id: "has space" },
      { ...valid, note: "\u0000" },
      { ...valid, count: 2.5 },
      { ...valid, count: 101 },
      { ...valid, count: "3" },
      { ...valid, flag: "yes" },
      { ...valid, kind: "D" },
      { ...valid, campaign: undefined },
      { ...valid, persons: [] },
      { ...valid, persons: ["p-1", "p-1"] },
      { ...valid, items: [{ item: " 棉被", quantity: 2 }] },
      { ...valid, items: [{ item: "棉被" }] },
      { ...valid, items: {} },
      { ...valid, scope: { _tag: "Stations", stations: [] } },
      { ...valid, scope: { _tag: "Nowhere" } },
      { ...valid, head: null },
      { ...valid, count: 20, items: [] }
    ]
    for (const data of cases) assert.strictEqual(agree(Everything, data, "Everything"), "invalid")
    const { id: _id, ...withoutId } = valid
    assert.strictEqual(agree(Everything, withoutId, "Everything"), "invalid")
    assert.strictEqual(agree(Everything, valid, "NotEverything"), "invalid")
    assert.strictEqual(agree(Plain, { name: "" }, "Plain"), "invalid")
  })

  it("answers unsure for data that is not a plain object", () => {
    const data = Object.assign(Object.create(null), { name: "x" })
    assert.strictEqual(compileEvent(Plain)!(data, "Plain"), unsure)
  })

  it("agrees with Effect on payloads near a valid one", () => {
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom(
          null,
          true,
          false,
          0,
          -1,
          1.5,
          101,
          "",
          " x",
          "p-9",
          "2024-02-29",
          "2023-02-29",
          "A",
          "Stations"
        ),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("item", "quantity", "note", "_tag", "stations", "person", "born"), tie("value"), {
          maxKeys: 3
        })
      )
    })).value
    const keys = Object.keys(valid).concat(["campaign", "head"])
    const verdicts = new Set<string>()
    fc.assert(
      fc.property(fc.constantFrom(...keys), json, fc.boolean(), (key, value, remove) => {
        const data: Record<string, unknown> = { ...valid }
        if (remove) delete data[key]
        else data[key] = value
        verdicts.add(agree(Everything, data, "Everything"))
      }),
      { numRuns: 2_000 }
    )
    assert.deepStrictEqual([...verdicts].sort(), ["invalid", "valid"])
  })

  // Scalars' checks are run through the plain tests declared with them (withPredicate): each must pass
  // exactly what its check passes, on any text, near-miss dates and ids included.
  it.each([
    ["Text", Scalars.Text],
    ["NonEmptyText", Scalars.NonEmptyText],
    ["Id", Scalars.Id],
    ["LocalDate", Scalars.LocalDate]
  ] as const)("agrees with Effect on %s for any string", (_, scalar) => {
    const schema = Schema.Struct({ _tag: Schema.Literal("S"), v: scalar })
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom("a", " ", "\u0000", "\u200b", "\ud800", "\udc00", "\u{1F600}", "中", "\n", "-", "0", "9"),
        maxLength: 6
      }),
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(
          ([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
        ),
      fc.string({ minLength: 120, maxLength: 140 }),
      fc.constantFrom("", " a", "a ", "1900-02-29", "2000-02-29", "2023-04-31")
    )
    const fast = compileEvent(schema)!
    const slow = effectDecode(schema)
    const verdicts = new Set<string>()
    fc.assert(
      fc.property(text, (v) => {
        const quick = fast({ v }, "S")
        const decoded = slow({ v }, "S")
        assert.strictEqual(quick === unsure, Result.isFailure(decoded), JSON.stringify(v))
        if (quick !== unsure) assert.strictEqual((quick as { v: string }).v, v)
        verdicts.add(quick === unsure ? "invalid" : "valid")
      }),
      { numRuns: 1_000 }
    )
    assert.deepStrictEqual([...verdicts].sort(), ["invalid", "valid"])
  })
})
