import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Schedule } from "effect"
import * as Backoff from "./Backoff.ts"

describe("Backoff.reconnect", () => {
  it.effect("doubles from 100 ms up to 5 s, each delay within ±20% jitter, and never gives up", () =>
    Effect.gen(function* () {
      const step = yield* Schedule.toStep(Backoff.reconnect)
      const delays: Array<number> = []
      for (let n = 0; n < 40; n++) {
        const [, delay] = yield* step(0, undefined)
        const base = Math.min(100 * 2 ** n, 5_000)
        const millis = Duration.toMillis(delay)
        assert.isAtLeast(millis, base * 0.8, `retry ${n + 1}`)
        assert.isAtMost(millis, base * 1.2, `retry ${n + 1}`)
        delays.push(millis)
      }
      // Jittered: forty delays, of which at least the capped ones would otherwise all be equal.
      assert.isAbove(new Set(delays.slice(10)).size, 1)
    })
  )
})
