import { assert, describe, it } from "@effect/vitest"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Clock, Effect, Layer } from "effect"
import * as fc from "fast-check"
import { articleTime, asOf, makeScenario } from "./county.ts"
import { clockFrom, send } from "./run.ts"

// A scaled-down county: any scale in (0, 1] builds, however few households it has for the cases the
// scenario opens (they stop when no recipient is left), and what it builds the domain accepts.

describe("makeScenario at small scales", () => {
  it("finishes for any scale below the old floor, with unique commandIds in date order", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 0.006, noNaN: true, minExcluded: true }), (scale) => {
        const { steps } = makeScenario({ scale })
        assert.isAbove(steps.length, 0)
        assert.strictEqual(new Set(steps.map((s) => s.commandId)).size, steps.length)
        assert.isTrue(steps.every((s, i) => s.on <= asOf && (i === 0 || steps[i - 1]!.on <= s.on)))
      }),
      { numRuns: 8 }
    )
  })

  it.live("the smallest county's commands are all accepted", () =>
    Effect.gen(function* () {
      const { steps } = makeScenario({ scale: Number.MIN_VALUE })
      const sent = yield* send(steps)
      assert.strictEqual(sent.commands, steps.length)
      assert.strictEqual(sent.unchanged, 0)
    }).pipe(
      Effect.provide(Layer.merge(EventStore.layerMemory, IdGenerator.layer)),
      Effect.provideService(Clock.Clock, clockFrom(articleTime))
    )
  )
})
