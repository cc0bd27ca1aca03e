import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { Command } from "./Commands.ts"

// The round-trip of every event and command is in ../Schemas.test.ts; here, what the Schemas refuse.
describe("casework schemas", () => {
  it("refuses a transfer naming neither worker nor station", () => {
    const decoded = Schema.decodeUnknownResult(Command)({
      _tag: "TransferCase",
      case: "p.Other",
      transferredOn: "2024-06-01"
    })
    assert.isTrue(Result.isFailure(decoded))
  })
})
