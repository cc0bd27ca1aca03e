import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as AppendDecision from "./AppendDecision.ts"
import type { AppendRequest } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"

const expected = fc.oneof(
  fc.constantFrom(ExpectedVersion.any, ExpectedVersion.noStream, ExpectedVersion.streamExists),
  fc.integer({ min: 1, max: 4 }).map(ExpectedVersion.exact)
)

const requestOf = (
  expectedVersion: ExpectedVersion.ExpectedVersion,
  eventIds: ReadonlyArray<string>
): AppendRequest => ({
  tenant: "t",
  stream: { category: "visit", id: "v-1" },
  expected: expectedVersion,
  events: eventIds.map((eventId) => ({
    eventId,
    type: "Happened",
    schemaVersion: 1,
    data: {},
    occurredAt: "2026-03-01T08:00:00.000Z",
    subjects: []
  })),
  context: { actor: { id: "w-1", role: "worker" }, commandId: "c-1", correlationId: "c-1", causationId: "c-1" }
})

const situation = fc.record({
  expected,
  eventIds: fc.uniqueArray(fc.constantFrom("e1", "e2", "e3", "e4"), { maxLength: 4 }),
  stored: fc.uniqueArray(fc.constantFrom<string>("e1", "e2", "e3", "e4", "e5")),
  recorded: fc.option(fc.constantFrom("same", "other"), { nil: undefined }),
  version: fc.integer({ min: 0, max: 4 })
})

describe("AppendDecision.decide", () => {
  it("decides by command first, then expected version, then reused event ids, then emptiness", () =>
    fc.assert(
      fc.property(situation, (s) => {
        const request = requestOf(s.expected, s.eventIds)
        const command = s.recorded === undefined ? undefined : { fingerprint: s.recorded, first: 7 }
        const decision = AppendDecision.decide(request, "same", {
          command,
          version: s.version,
          isStored: (id) => s.stored.includes(id)
        })
        if (command !== undefined) {
          if (s.recorded === "same") assert.deepStrictEqual(decision, { _tag: "Duplicate", command })
          else {
            assert.strictEqual(decision._tag === "Refused" && decision.error._tag, "IdempotencyMismatch")
          }
          return
        }
        if (!ExpectedVersion.accepts(s.expected, s.version)) {
          assert.isTrue(
            decision._tag === "Refused" &&
              decision.error._tag === "ConcurrencyConflict" &&
              decision.error.actual === s.version
          )
          return
        }
        const reused = s.eventIds.find((id) => s.stored.includes(id))
        if (reused !== undefined) {
          assert.isTrue(
            decision._tag === "Refused" &&
              decision.error._tag === "EventStoreError" &&
              decision.error.reason === "InvalidRequest" &&
              decision.error.message.includes(reused)
          )
          return
        }
        assert.deepStrictEqual(decision, { _tag: s.eventIds.length === 0 ? "Nothing" : "Write", version: s.version })
      })
    ))
})
