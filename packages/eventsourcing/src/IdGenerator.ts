import { randomFillSync } from "node:crypto"
import { Clock, Context, Effect, Layer } from "effect"

/** Mints event ids. A service so that tests and replays can make them deterministic. */
export class IdGenerator extends Context.Service<IdGenerator, { readonly next: Effect.Effect<string> }>()(
  "@shuangbai/eventsourcing/IdGenerator"
) {}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

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

/** Time from the Effect Clock, randomness from the OS. */
export const layer: Layer.Layer<IdGenerator> = Layer.succeed(IdGenerator, {
  next: Effect.map(Clock.currentTimeMillis, (millis) => uuidV7(millis, randomFillSync(new Uint8Array(10))))
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
