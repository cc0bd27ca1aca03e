import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import * as IdGenerator from "./IdGenerator.ts"

const uuidV7Shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const bytesOf = (id: string) => Uint8Array.from(id.replaceAll("-", "").match(/../g)!, (h) => Number.parseInt(h, 16))

describe("IdGenerator.uuidV7", () => {
  it("holds the milliseconds in its first 48 bits and the random bytes after, with the version and variant set", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (millis, random) => {
          const id = IdGenerator.uuidV7(millis, random)
          assert.match(id, uuidV7Shape)
          const bytes = bytesOf(id)
          assert.strictEqual(
            bytes.subarray(0, 6).reduce((n, b) => n * 256 + b, 0),
            millis
          )
          assert.strictEqual(bytes[6]! & 0x0f, random[0]! & 0x0f)
          assert.strictEqual(bytes[8]! & 0x3f, random[2]! & 0x3f)
          assert.deepStrictEqual([...bytes.subarray(9)], [...random.subarray(3)])
          assert.strictEqual(bytes[7], random[1])
        }
      )
    ))
})

describe("IdGenerator.layer", () => {
  it.effect("mints distinct UUIDv7s on the clock's time, across many draws of the OS's random bytes", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2024, 7, 8))
      const ids = yield* IdGenerator.IdGenerator
      const minted = yield* Effect.forEach(Array.from({ length: 2_000 }), () => ids.next)
      assert.strictEqual(new Set(minted).size, minted.length)
      for (const id of minted) {
        assert.match(id, uuidV7Shape)
        assert.strictEqual(Number.parseInt(id.replace("-", "").slice(0, 12), 16), Date.UTC(2024, 7, 8))
      }
    }).pipe(Effect.provide(IdGenerator.layer))
  )
})
