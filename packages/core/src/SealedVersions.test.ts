import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { type Envelope, EventStore, ExpectedVersion, Personal } from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import * as Domain from "./Domain.ts"

// Version-1 payloads recorded by the code before personal fields were sealed (the demo's scenario at scale
// 0.05 on the in-memory store, one or two of each event type that has personal fields): they must decode,
// through the v1 → v2 upcaster, to the same events as they did then.
const fixtures = JSON.parse(
  readFileSync(new URL("../fixtures/v1-events.json", import.meta.url), "utf8")
) as ReadonlyArray<Envelope.StoredEvent>

describe("sealed schema versions", () => {
  it("every fixture is a version-1 row of a type now at version 2 with personal fields", () => {
    assert.isAtLeast(fixtures.length, 10)
    for (const stored of fixtures) {
      assert.strictEqual(stored.schemaVersion, 1)
      assert.strictEqual(Domain.codec.schemaVersion(stored.type), 2, stored.type)
      assert.isAbove(Domain.codec.personal(stored.type).length, 0, stored.type)
    }
  })

  it("a version-1 row decodes to the event it was recorded from: its fields encode back to the stored payload", () => {
    for (const stored of fixtures) {
      const decoded = Domain.codec.decode(stored)
      assert.isTrue(Result.isSuccess(decoded), `${stored.type} at ${stored.position}`)
      const event = Result.getOrThrow(decoded)
      assert.strictEqual(event.event._tag, stored.type)
      assert.isUndefined(event.erased)
      const encoded = Domain.codec.encode(event.event)
      assert.deepStrictEqual(encoded.data, stored.data)
      assert.strictEqual(encoded.schemaVersion, 2)
    }
  })

  it.effect("the same events written now are stored sealed and read back equal", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.makeMemory()
      for (const [i, stored] of fixtures.entries()) {
        const event = Result.getOrThrow(Domain.codec.decode(stored)).event
        const encoded = Domain.codec.encode(event)
        const personal = Personal.locate(Domain.codec.personal(encoded.type), encoded.data, stored.subjects)
        yield* store.append({
          tenant: "t",
          stream: { category: "fixture", id: String(i) },
          expected: ExpectedVersion.noStream,
          events: [
            {
              eventId: stored.eventId,
              type: encoded.type,
              schemaVersion: encoded.schemaVersion,
              data: encoded.data,
              occurredAt: stored.occurredAt,
              subjects: stored.subjects,
              personal
            }
          ],
          context: { actor: stored.actor, commandId: `c${i}`, correlationId: `c${i}`, causationId: `c${i}` }
        })
      }
      const read = yield* store.readAll("t", { after: 0, limit: 100 })
      for (const [i, stored] of fixtures.entries()) {
        const raw = JSON.stringify(read[i]!.data)
        for (const path of Domain.codec.personal(stored.type)) {
          const value = Personal.valueAt(stored.data, path.path)
          for (const plain of [value].flat()) {
            if (typeof plain === "string" && plain !== "") assert.notInclude(raw, plain, `${stored.type} ${path.path}`)
          }
        }
        assert.deepStrictEqual(
          Result.getOrThrow(Domain.codec.decode(read[i]!)).event,
          Result.getOrThrow(Domain.codec.decode(stored)).event
        )
      }
    })
  )
})
