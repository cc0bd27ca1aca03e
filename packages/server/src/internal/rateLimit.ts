import { Clock, Effect } from "effect"

export interface RateLimit {
  /** Requests a principal may send in a burst… */
  readonly requests: number
  /** …refilled evenly over this many seconds. */
  readonly perSeconds: number
}

/**
 * A token bucket per key: `take(key)` succeeds with `undefined` while the key has a token, or with the
 * seconds until the next one. One small record per principal that has sent a request.
 */
export const make = (limit: RateLimit) => {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const ratePerMs = limit.requests / (limit.perSeconds * 1000)
  return {
    take: (key: string): Effect.Effect<number | undefined> =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const bucket = buckets.get(key) ?? { tokens: limit.requests, at: now }
        const tokens = Math.min(limit.requests, bucket.tokens + (now - bucket.at) * ratePerMs)
        if (tokens < 1) {
          buckets.set(key, { tokens, at: now })
          return Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000))
        }
        buckets.set(key, { tokens: tokens - 1, at: now })
        return undefined
      })
  }
}
