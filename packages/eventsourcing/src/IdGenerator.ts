import { randomFillSync } from "node:crypto"
import { Clock, Context, Effect, Layer } from "effect"

/** Mints event ids. A service so that tests and replays can make them deterministic. */
export class IdGenerator extends Context.Service<IdGenerator, { readonly next: Effect.Effect<string> }>()(
  "@shuangbai/eventsourcing/IdGenerator"
) {}

const hexOfByte = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"))

const hex = (bytes: Uint8Array) => {
  let s = ""
  for (let i = 0; i < bytes.length; i++) s += hexOfByte[bytes[i]!]
  return s
}

/** RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then random bits, so ids sort roughly by time. */
export const uuidV7 = (millis: number, random: Uint8Array): string => {
  const bytes = new Uint8Array(16)
  let ms = Math.max(0, Math.floor(millis))
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  bytes.set(random.subarray(0, 10), 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

// The OS's random bytes, drawn a page at a time: one call per 409 ids instead of one per id (a command mints
// one per event). Every byte is used once.
const pool = new Uint8Array(4_096)
let drawn = pool.length

const randomBytes = (n: number): Uint8Array => {
  if (drawn + n > pool.length) {
    randomFillSync(pool)
    drawn = 0
  }
  drawn += n
  return pool.subarray(drawn - n, drawn)
}

/** Time from the Effect Clock, randomness from the OS. */
export const layer: Layer.Layer<IdGenerator> = Layer.succeed(IdGenerator, {
  next: Effect.map(Clock.currentTimeMillis, (millis) => uuidV7(millis, randomBytes(10)))
})

/** Time from the Effect Clock, "randomness" from a counter: the same run mints the same ids. */
export const layerDeterministic = (seed = 0): Layer.Layer<IdGenerator> =>
  Layer.sync(IdGenerator, () => {
    let counter = seed
    return {
      next: Effect.map(Clock.currentTimeMillis, (millis) => {
        counter += 1
        const random = new Uint8Array(10)
        let n = counter
        for (let i = 9; i >= 0 && n > 0; i--) {
          random[i] = n % 256
          n = Math.floor(n / 256)
        }
        return uuidV7(millis, random)
      })
    }
  })
