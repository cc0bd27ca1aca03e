import { assert, describe, it } from "@effect/vitest"
import { Projection, type Recorded } from "@shuangbai/eventsourcing"
import * as fc from "fast-check"
import * as ProjectionLaws from "./ProjectionLaws.ts"

const log = fc
  .array(fc.integer({ min: 1, max: 9 }), { maxLength: 20 })
  .map((ns) => ns.map((n) => ({ event: n }) as unknown as Recorded<number>))

describe("ProjectionLaws", () => {
  it("passes a pure fold", () =>
    ProjectionLaws.check(
      Projection.make({ initial: 0, evolve: (sum: number, r: Recorded<number>) => sum + r.event }),
      log
    ))

  it("catches a fold that mutates its saved state", () => {
    const mutating = Projection.make({
      initial: [] as Array<number>,
      evolve: (seen: Array<number>, r: Recorded<number>) => {
        seen.push(r.event)
        return seen
      }
    })
    assert.throws(() => ProjectionLaws.check(mutating, log, { numRuns: 50 }))
  })
})

describe("ProjectionLaws.recorder", () => {
  it("numbers positions and versions from 1 per recorder and keeps the envelope it is given", () => {
    const recorded = ProjectionLaws.recorder<{ readonly _tag: "Ticked" }>({ stream: { category: "clock", id: "c" } })
    const log = [{ _tag: "Ticked" as const }, { _tag: "Ticked" as const }].map(recorded)
    assert.deepStrictEqual(
      log.map((r) => [r.position, r.version, r.type, r.stream.category]),
      [
        [1, 1, "Ticked", "clock"],
        [2, 2, "Ticked", "clock"]
      ]
    )
    assert.strictEqual(ProjectionLaws.recorder()({ _tag: "Other" }).position, 1)
  })

  it("takes the envelope from each event when given a function, and counts versions in each stream", () => {
    type Moved = { readonly _tag: "Moved"; readonly item: string; readonly by: string }
    const recorded = ProjectionLaws.recorder<Moved>((e) => ({
      stream: { category: "item", id: e.item },
      actor: { id: e.by, role: "worker" }
    }))
    const log = (
      [
        { _tag: "Moved", item: "a", by: "w1" },
        { _tag: "Moved", item: "b", by: "w2" },
        { _tag: "Moved", item: "a", by: "w3" }
      ] as const
    ).map(recorded)
    assert.deepStrictEqual(
      log.map((r) => [r.position, r.stream.id, r.version, r.actor.id]),
      [
        [1, "a", 1, "w1"],
        [2, "b", 1, "w2"],
        [3, "a", 2, "w3"]
      ]
    )
  })
})
