import { assert, describe, it } from "@effect/vitest"
import { HashChain } from "@shuangbai/eventsourcing"
import { Arbitrary } from "@shuangbai/testing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Activities from "./activities/index.ts"
import * as Casework from "./casework/index.ts"
import * as Domain from "./Domain.ts"
import * as Recruitment from "./recruitment/index.ts"
import * as Registry from "./registry/index.ts"
import * as Relief from "./relief/index.ts"
import * as Stations from "./stations/index.ts"
import * as Training from "./training/index.ts"
import * as Visits from "./visits/index.ts"
import * as Workforce from "./workforce/index.ts"

// Domain.codec reads a valid payload through the kernel's compiled validators (EventCodec's fast path) and
// anything else through Effect's decoder: for every event type, both must give the same event.

const classes = [Registry, Visits, Stations, Workforce, Recruitment, Casework, Activities, Relief, Training].flatMap(
  (context) => context.Events.Event.members as ReadonlyArray<Schema.Codec<Domain.Event, unknown, never, never>>
)

const stored = (event: Domain.Event) => {
  const encoded = Domain.codec.encode(event)
  return {
    eventId: "01900000-0000-7000-8000-000000000001",
    tenant: "yangshan",
    stream: { category: "any", id: "one" },
    version: 1,
    position: 1,
    type: encoded.type,
    schemaVersion: encoded.schemaVersion,
    data: JSON.parse(JSON.stringify(encoded.data)) as Record<string, unknown>,
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
}

describe("Domain.codec.decode", () => {
  it("covers every event type of the codec", () => {
    assert.deepStrictEqual(
      classes.map((c) => (c as unknown as { identifier: string }).identifier).sort(),
      [...Domain.codec.types].sort()
    )
  })

  for (const schema of classes) {
    const name = (schema as unknown as { identifier: string }).identifier
    it(`decodes ${name} as Effect's decoder does`, () => {
      const decode = Schema.decodeUnknownResult(schema)
      fc.assert(
        fc.property(Arbitrary.make(schema), (event) => {
          const row = stored(event)
          const fast = Domain.codec.decode(row)
          const slow = decode({ ...row.data, _tag: row.type })
          assert.isTrue(Result.isSuccess(fast) && Result.isSuccess(slow))
          if (Result.isSuccess(fast) && Result.isSuccess(slow)) {
            assert.deepStrictEqual(fast.success.event, slow.success)
            assert.strictEqual(fast.success.event.constructor, slow.success.constructor)
            const { data: _data, ...envelope } = row
            assert.deepStrictEqual({ ...fast.success, event: undefined }, { ...envelope, event: undefined })
          }
        }),
        { numRuns: 30 }
      )
    })
  }
})
