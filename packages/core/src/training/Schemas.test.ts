import { assert, describe, it } from "@effect/vitest"
import { Text } from "@shuangbai/eventsourcing"
import { Arbitrary } from "@shuangbai/testing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { Command } from "./Commands.ts"
import { codec, Event } from "./Events.ts"
import { courseCategory } from "./Stream.ts"

// Every event and command of the context: arbitrary values decode, and encode and decode back to themselves.
describe("training schemas", () => {
  const members = (union: { readonly members: ReadonlyArray<Schema.Top> }) =>
    union.members as ReadonlyArray<Schema.Codec<{ readonly _tag: string }, unknown, never, never>>

  for (const schema of [...members(Event), ...members(Command)]) {
    const name = String((schema.ast as { readonly identifier?: string }).identifier ?? "member")
    it(`round-trips ${name} through JSON`, () => {
      const encode = Schema.encodeSync(schema)
      const decode = Schema.decodeUnknownResult(schema)
      fc.assert(
        fc.property(Arbitrary.make(schema), (value) => {
          const again = decode(JSON.parse(JSON.stringify(encode(value))))
          assert.isTrue(Result.isSuccess(again))
          if (Result.isSuccess(again)) assert.deepStrictEqual(again.success, value)
        }),
        { numRuns: 50 }
      )
    })
  }

  it("stores and reads back every event through the codec", () =>
    fc.assert(
      fc.property(Arbitrary.make(Event), (event) => {
        const stored = codec.encode(event)
        assert.strictEqual(stored.type, event._tag)
        const decoded = codec.decode({
          eventId: "0190a000-0000-7000-8000-000000000001",
          tenant: "yangshan",
          stream: { category: courseCategory, id: "any" },
          version: 1,
          position: 1,
          type: stored.type,
          schemaVersion: stored.schemaVersion,
          data: JSON.parse(JSON.stringify(stored.data)),
          occurredAt: Text.instantFromMillis(0),
          recordedAt: Text.instantFromMillis(0),
          actor: { id: "w", role: "worker" },
          commandId: "c",
          correlationId: "c",
          causationId: "c",
          subjects: [],
          prevHash: "",
          hash: ""
        })
        assert.isTrue(Result.isSuccess(decoded))
        if (Result.isSuccess(decoded)) assert.deepStrictEqual(decoded.success.event, event)
      }),
      { numRuns: 200 }
    ))
})
