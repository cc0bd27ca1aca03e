import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { Command } from "./Commands.ts"

// The round-trip of every event and command is in ../Schemas.test.ts; here, what the Schemas refuse.
describe("activities schemas", () => {
  it("refuses an attendance of no one", () => {
    const decoded = Schema.decodeUnknownResult(Command)({
      _tag: "RecordActivity",
      activity: "a-1",
      heldOn: "2024-06-01",
      headcount: 0,
      participants: []
    })
    assert.isTrue(Result.isFailure(decoded))
  })
})
