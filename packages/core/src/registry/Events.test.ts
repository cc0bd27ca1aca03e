import { assert, describe, it } from "@effect/vitest"
import { HashChain } from "@shuangbai/eventsourcing"
import { Arbitrary } from "@shuangbai/testing"
import { Result } from "effect"
import * as fc from "fast-check"
import { codec, Event } from "./Events.ts"

describe("registry events", () => {
  it("every event encodes to JSON and decodes back to itself through the codec", () => {
    fc.assert(
      fc.property(Arbitrary.make(Event), (event) => {
        const encoded = codec.encode(event)
        const stored = {
          eventId: "00000000-0000-7000-8000-000000000001",
          tenant: "yangshan",
          stream: { category: "test", id: "1" },
          version: 1,
          position: 1,
          type: encoded.type,
          schemaVersion: encoded.schemaVersion,
          data: JSON.parse(JSON.stringify(encoded.data)),
          occurredAt: "2025-01-01T00:00:00.000Z",
          recordedAt: "2025-01-01T00:00:00.000Z",
          actor: { id: "w1", role: "worker" },
          commandId: "c1",
          correlationId: "c1",
          causationId: "c1",
          subjects: [],
          prevHash: HashChain.genesis,
          hash: HashChain.genesis
        }
        const decoded = codec.decode(stored)
        assert.isTrue(Result.isSuccess(decoded), Result.isFailure(decoded) ? decoded.failure.message : "")
        assert.deepStrictEqual(Result.getOrThrow(decoded).event, event)
        assert.strictEqual(encoded.type, event._tag)
      }),
      { numRuns: 200 }
    )
  })

  it("the codec knows every event of the union, and nothing else", () => {
    assert.deepStrictEqual([...codec.types].sort(), Event.members.map((m) => m.identifier).sort())
  })
})
