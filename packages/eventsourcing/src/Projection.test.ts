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

  it("partitioned leaves earlier states untouched (copy on write)", () => {
    const byKey = Projection.partitioned(total, (r) => r.event.key)
    const before = Projection.fold(byKey, [recorded({ key: "a", amount: 1 }, 1)])
    const after = byKey.evolve(before, recorded({ key: "a", amount: 5 }, 2))
    assert.strictEqual(before.get("a"), 1)
    assert.strictEqual(after.get("a"), 6)
  })
})
