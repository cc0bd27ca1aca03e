import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import * as RateLimit from "./rateLimit.ts"

describe("RateLimit", () => {
  it.effect("lets a burst of `requests` through, refuses the next with the wait, and refills", () =>
    Effect.gen(function* () {
      const samples = fc.sample(
        fc.record({ requests: fc.integer({ min: 1, max: 50 }), perSeconds: fc.integer({ min: 1, max: 3600 }) }),
        { numRuns: 30, seed: 7 }
      )
      for (const limit of samples) {
        const limiter = RateLimit.make(limit)
        const key = `p-${limit.requests}-${limit.perSeconds}`
        for (let i = 0; i < limit.requests; i++) assert.isUndefined(yield* limiter.take(key))
        const wait = yield* limiter.take(key)
        assert.isDefined(wait)
        assert.isAtLeast(wait!, 1)
        assert.isAtMost(wait!, Math.ceil(limit.perSeconds / limit.requests) + 1)
        // Another principal is not held back.
        assert.isUndefined(yield* limiter.take(`${key}-other`))
        yield* TestClock.adjust(`${wait!} seconds`)
        assert.isUndefined(yield* limiter.take(key))
      }
    })
  )
})
