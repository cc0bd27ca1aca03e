import { assert, describe, it } from "@effect/vitest"
import { CommandHandler, EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { handle } from "./Handler.ts"

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
const actor = { id: "w-01", role: "worker", station: "s-qigong" }
const send = (input: unknown, commandId: string) =>
  CommandHandler.acceptUnknown(handle)("yangshan", input, { actor, commandId })

describe("activities handler", () => {
  it.effect("records an activity held with its participants as subjects, dated the day it was held", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2024-07-01T04:00:00Z"))
      yield* send(
        {
          _tag: "PlanActivity",
          activity: "a-1",
          station: "s-qigong",
          theme: "Reading",
          title: "周末读书会",
          plannedOn: "2024-06-20"
        },
        "c1"
      )
      const held = yield* send(
        { _tag: "RecordActivity", activity: "a-1", heldOn: "2024-06-22", headcount: 15, participants: ["p1", "p2"] },
        "c2"
      )
      assert.deepStrictEqual(held.events[0]!.subjects, ["p1", "p2"])
      assert.strictEqual(held.events[0]!.occurredAt, "2024-06-21T16:00:00.000Z")
      assert.strictEqual(held.state._tag, "Held")
      const invalid = yield* Effect.flip(
        send({ _tag: "RecordActivity", activity: "a-2", heldOn: "2024-06-22", participants: [] }, "c3")
      )
      assert.strictEqual(invalid._tag, "InvalidCommand")
    }).pipe(Effect.provide(TestLayer))
  )
})
