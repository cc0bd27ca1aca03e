import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Projection from "./Projection.ts"
import type { Recorded } from "./Recorded.ts"

type Event = { readonly key: string; readonly amount: number }

const recorded = (event: Event, position: number) => ({ position, event }) as unknown as Recorded<Event>
const total = Projection.make<Event, number>({ initial: 0, evolve: (n, r) => n + r.event.amount })
const count = Projection.make<Event, number>({ initial: 0, evolve: (n) => n + 1 })

const events = fc
  .array(fc.record({ key: fc.constantFrom("a", "b", "c"), amount: fc.integer({ min: -100, max: 100 }) }), {
    maxLength: 60
  })
  .map((list) => list.map(recorded))

type Tagged = { readonly _tag: string }
const tagged = (type: string, position: number) =>
  ({ position, type, event: { _tag: type } }) as unknown as Recorded<Tagged>
const taggedLog = fc
  .array(fc.constantFrom("A", "B", "C", "D"), { maxLength: 60 })
  .map((types) => types.map((type, i) => tagged(type, i + 1)))

describe("Projection", () => {
  it("folds to the same state in one batch or resumed from any saved state", () => {
    fc.assert(
      fc.property(events, fc.nat(), (log, cut) => {
        const at = log.length === 0 ? 0 : cut % log.length
        const saved = Projection.fold(total, log.slice(0, at))
        return Projection.fold(total, log.slice(at), saved) === Projection.fold(total, log)
      })
    )
  })

  it("combine feeds every projection from one pass", () => {
    const both = Projection.combine({ total, count })
    fc.assert(
      fc.property(events, (log) => {
        const state = Projection.fold(both, log)
        return state.total === Projection.fold(total, log) && state.count === log.length
      })
    )
  })

  it("partitioned keeps one instance per key, as if each key's events were folded alone", () => {
    const byKey = Projection.partitioned(total, (r) => r.event.key)
    fc.assert(
      fc.property(events, (log) => {
        const state = Projection.fold(byKey, log)
        for (const key of new Set(log.map((r) => r.event.key))) {
          if (
            state.get(key) !==
            Projection.fold(
              total,
              log.filter((r) => r.event.key === key)
            )
          )
            return false
        }
        return state.size === new Set(log.map((r) => r.event.key)).size
      })
    )
  })

  it("combine hands each event only to the parts that read its type, as if each part were folded alone", () => {
    // Parts that count every event they are handed: a part handed an event of a type it does not declare
    // would count it, so the counts show the routing.
    const counting = (types: ReadonlyArray<string> | undefined) =>
      Projection.make<Tagged, number>({ initial: 0, evolve: (n) => n + 1, types })
    const parts = {
      a: counting(["A"]),
      ab: counting(["A", "B"]),
      none: counting([]),
      every: counting(undefined),
      c: Projection.reading(["C"], Projection.make<Tagged, number>({ initial: 0, evolve: (n) => n + 1 }))
    }
    const both = Projection.combine(parts)
    fc.assert(
      fc.property(taggedLog, (log) => {
        const state = Projection.fold(both, log)
        const of = (...types: Array<string>) => log.filter((r) => types.includes(r.type)).length
        assert.deepStrictEqual(state, { a: of("A"), ab: of("A", "B"), none: 0, every: log.length, c: of("C") })
      })
    )
    assert.isUndefined(both.types, "a part that reads every type makes the combination read every type")
    assert.deepStrictEqual(Projection.combine({ a: parts.a, ab: parts.ab, none: parts.none }).types, ["A", "B"])
  })

  it("combine keeps the state it was given when no part changed, and shares the parts left alone", () => {
    const both = Projection.combine({
      a: Projection.make<Tagged, number>({ initial: 0, evolve: (n) => n + 1, types: ["A"] }),
      b: Projection.make<Tagged, { readonly n: number }>({
        initial: { n: 0 },
        evolve: (s) => ({ n: s.n + 1 }),
        types: ["B"]
      })
    })
    const start = both.initial
    assert.strictEqual(both.evolve(start, tagged("C", 1)), start)
    const next = both.evolve(start, tagged("A", 1))
    assert.notStrictEqual(next, start)
    assert.strictEqual(next.b, start.b)
    assert.strictEqual(next.a, 1)
  })

  it("reading leaves its state as it was for other types, and declares only the types its projection reads", () => {
    const onlyB = Projection.make<Tagged, number>({ initial: 0, evolve: (n) => n + 1, types: ["B"] })
    const read = Projection.reading(["A", "B"], onlyB)
    assert.deepStrictEqual(read.types, ["B"])
    assert.strictEqual(read.evolve(5, tagged("A", 1)), 5)
    assert.strictEqual(read.evolve(5, tagged("B", 2)), 6)
    assert.isTrue(Projection.reads(read, "B"))
    assert.isFalse(Projection.reads(read, "A"))
    assert.isTrue(Projection.reads(total, "anything"), "a projection that declares no types reads every type")
  })

  it("constant reads no event; filter and partitioned keep the types of their projection", () => {
    const config = Projection.constant({ day: "2025-01-01" })
    assert.deepStrictEqual(config.types, [])
    assert.strictEqual(config.evolve(config.initial, tagged("A", 1)), config.initial)
    const onlyA = Projection.make<Tagged, number>({ initial: 0, evolve: (n) => n + 1, types: ["A"] })
    assert.deepStrictEqual(Projection.filter(() => true, onlyA).types, ["A"])
    assert.deepStrictEqual(Projection.partitioned(onlyA, (r) => r.type).types, ["A"])
  })

  it("partitioned leaves earlier states untouched (copy on write)", () => {
    const byKey = Projection.partitioned(total, (r) => r.event.key)
    const before = Projection.fold(byKey, [recorded({ key: "a", amount: 1 }, 1)])
    const after = byKey.evolve(before, recorded({ key: "a", amount: 5 }, 2))
    assert.strictEqual(before.get("a"), 1)
    assert.strictEqual(after.get("a"), 6)
  })
})
