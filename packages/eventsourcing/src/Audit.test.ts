import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Audit from "./Audit.ts"
import type { StoredEvent } from "./Envelope.ts"
import { EventStore, type EventStoreShape, makeMemory } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"
import * as IdGenerator from "./IdGenerator.ts"

const context = { actor: { id: "a", role: "auditor" }, commandId: "x", correlationId: "x", causationId: "x" }

// A store whose reads pass through `tamper`: how an edited, deleted or reordered row looks to a reader.
const tampered = (tamper: (events: ReadonlyArray<StoredEvent>) => ReadonlyArray<StoredEvent>) =>
  Layer.effect(
    EventStore,
    Effect.gen(function* () {
      const inner = yield* makeMemory()
      const ids = yield* IdGenerator.IdGenerator
      for (let i = 1; i <= 5; i++) {
        yield* inner.append({
          tenant: "t",
          stream: { category: "c", id: String(i % 2) },
          expected: ExpectedVersion.any,
          events: [
            {
              eventId: yield* ids.next,
              type: "Happened",
              schemaVersion: 1,
              data: { i },
              occurredAt: "2026-01-01T00:00:00.000Z",
              subjects: []
            }
          ],
          context: { ...context, commandId: `c${i}` }
        })
      }
      return {
        ...inner,
        readAll: (tenant, options) =>
          Effect.map(inner.readAll(tenant, { after: 0, limit: 1_000 }), (all) =>
            tamper(all)
              .filter((e) => e.position > options.after)
              .slice(0, options.limit)
          )
      } satisfies EventStoreShape
    })
  ).pipe(Layer.provide(IdGenerator.layerDeterministic()))

const verify = Audit.verifyChain("t", { pageSize: 2 })

describe("Audit.verifyChain", () => {
  it.effect("verifies an untouched log across pages", () =>
    Effect.gen(function* () {
      const verified = yield* verify
      assert.strictEqual(verified.events, 5)
    }).pipe(Effect.provide(tampered((all) => all)))
  )

  it.effect("finds an edited payload", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(verify)
      assert.strictEqual(error._tag === "ChainBroken" && error.kind, "HashMismatch")
      assert.strictEqual(error._tag === "ChainBroken" && error.position, 3)
    }).pipe(Effect.provide(tampered((all) => all.map((e) => (e.position === 3 ? { ...e, data: { i: 99 } } : e)))))
  )

  it.effect("finds a deleted event", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(verify)
      assert.strictEqual(error._tag === "ChainBroken" && error.kind, "PositionGap")
    }).pipe(Effect.provide(tampered((all) => all.filter((e) => e.position !== 2))))
  )

  it.effect("finds two events swapped with their positions renumbered", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(verify)
      assert.strictEqual(error._tag === "ChainBroken" && error.kind, "BrokenLink")
    }).pipe(
      Effect.provide(
        tampered((all) => {
          const [a, b] = [all[1]!, all[2]!]
          return [all[0]!, { ...b, position: 2 }, { ...a, position: 3 }, ...all.slice(3)]
        })
      )
    )
  )

  it.effect("finds a truncated tail through the head", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(verify)
      assert.strictEqual(error._tag === "ChainBroken" && error.kind, "HeadMismatch")
    }).pipe(Effect.provide(tampered((all) => all.slice(0, 4))))
  )
})
