import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import * as fc from "fast-check"
import * as IdGenerator from "./IdGenerator.ts"
import * as Text from "./Text.ts"

const accepts = <S extends Schema.Codec<any, any, never, never>>(schema: S, value: unknown) =>
  Result.isSuccess(Schema.decodeUnknownResult(schema)(value))

describe("Text", () => {
  it("refuses NUL anywhere in any text", () => {
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => !accepts(Text.Text, `${before}\u0000${after}`)))
  })

  it("accepts exactly the calendar days as LocalDate", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1900-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (d) =>
        accepts(Text.LocalDate, d.toISOString().slice(0, 10))
      )
    )
    for (const bad of ["2026-02-30", "2025-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-04-31"]) {
      assert.isFalse(accepts(Text.LocalDate, bad), bad)
    }
    assert.isTrue(accepts(Text.LocalDate, "2024-02-29"))
  })

  it("puts an instant on the China Standard Time calendar day", () => {
    assert.strictEqual(Text.chinaDateOf(Date.parse("2026-01-31T15:59:59.999Z")), "2026-01-31")
    assert.strictEqual(Text.chinaDateOf(Date.parse("2026-01-31T16:00:00.000Z")), "2026-02-01")
  })

  it("orders instants as strings in time order", () => {
    fc.assert(
      fc.property(fc.nat({ max: 4_102_444_800_000 }), fc.nat({ max: 4_102_444_800_000 }), (a, b) => {
        const [x, y] = [Text.instantFromMillis(a), Text.instantFromMillis(b)]
        return accepts(Text.Instant, x) && Math.sign(a - b) === Math.sign(x.localeCompare(y))
      })
    )
  })
})

describe("IdGenerator", () => {
  it("mints RFC 9562 version-7 UUIDs that carry their millisecond", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 48 - 1 }), fc.uint8Array({ minLength: 10, maxLength: 10 }), (millis, random) => {
        const id = IdGenerator.uuidV7(millis, random)
        return (
          /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id) &&
          Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16) === millis
        )
      })
    )
  })

  it.effect("mints the same ids in the same order from the deterministic layer", () =>
    Effect.gen(function* () {
      const run = Effect.gen(function* () {
        const ids = yield* IdGenerator.IdGenerator
        return [yield* ids.next, yield* ids.next, yield* ids.next]
      })
      const first = yield* run.pipe(Effect.provide(IdGenerator.layerDeterministic(7)))
      const second = yield* run.pipe(Effect.provide(IdGenerator.layerDeterministic(7)))
      assert.deepStrictEqual(first, second)
      assert.strictEqual(new Set(first).size, 3)
    })
  )
})
