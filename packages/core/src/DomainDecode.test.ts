import { assert, describe, it } from "@effect/vitest"
import { Erasure } from "@shuangbai/eventsourcing"
import { Arbitrary, SchemaLaws } from "@shuangbai/testing"
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

// Every context's event classes, and the kernel's erasure event, which the tenant's own log holds.
const classes = [
  ...[Registry, Visits, Stations, Workforce, Recruitment, Casework, Activities, Relief, Training].flatMap(
    (context) => context.Events.Event.members as ReadonlyArray<Schema.Codec<Domain.Event, unknown, never, never>>
  ),
  Erasure.SubjectErased as unknown as Schema.Codec<Domain.Event, unknown, never, never>
]

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
          const row = SchemaLaws.stored(Domain.codec, event)
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
