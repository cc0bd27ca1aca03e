import { assert, describe, it } from "@effect/vitest"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as Domain from "./Domain.ts"

// The bad-input table of issue 8 as a host app meets it: through Domain.handle. Each row is a command error
// naming the field, before anything is read, and nothing is written.

const tenant = "yangshan"
const actor = { id: "w1", role: "worker", station: "huangpen" }
const register = {
  _tag: "RegisterHousehold",
  household: "h1",
  station: "huangpen",
  township: "huangpen-town",
  village: "v1",
  address: "黄盆镇某村 3 号",
  head: { person: "grandpa", name: "陈伯", birthDate: "1942-05-05" },
  registeredOn: "2024-03-01"
} as const
const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

const rows: ReadonlyArray<{
  readonly what: string
  readonly tenant?: string
  readonly input?: typeof register
  readonly metadata?: { readonly actor: typeof actor; readonly commandId: string }
  readonly path: string
}> = [
  { what: "an empty tenant", tenant: "", path: "tenant" },
  { what: "a tenant with a space", tenant: "a b", path: "tenant" },
  { what: "a tenant with NUL", tenant: "t\u0000", path: "tenant" },
  { what: "a tenant of 1 MB", tenant: "t".repeat(1024 * 1024), path: "tenant" },
  { what: "a commandId with a space", metadata: { actor, commandId: "cmd 1" }, path: "metadata.commandId" },
  {
    what: "an actor with an id card number",
    metadata: { actor: { ...actor, idCard: "440000" } as typeof actor, commandId: "c1" },
    path: "metadata.actor.idCard"
  },
  { what: "a lone surrogate in a text field", input: { ...register, address: "黄盆\ud800" } as never, path: "address" },
  { what: "a household id with U+200B", input: { ...register, household: "h1\u200b" } as never, path: "household" },
  {
    what: "a person id with U+202E",
    input: { ...register, head: { ...register.head, person: "grandpa\u202e" } } as never,
    path: "head.person"
  }
]

describe("Domain.handle: bad input", () => {
  for (const row of rows) {
    it.effect(`refuses ${row.what} as InvalidCommand naming ${row.path}, writing nothing`, () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(Date.parse("2025-01-28T10:00:00+08:00"))
        const error = yield* Effect.flip(
          Domain.handle(row.tenant ?? tenant, row.input ?? register, row.metadata ?? { actor, commandId: "c1" })
        )
        assert.strictEqual(error._tag, "InvalidCommand", error.message)
        const paths = error._tag === "InvalidCommand" ? error.issues.map((i) => i.path) : []
        assert.include(paths, row.path, error.message)
        const store = yield* EventStore.EventStore
        assert.strictEqual((yield* store.head(tenant)).position, 0)
        assert.deepStrictEqual(yield* store.readAll(row.tenant ?? tenant, { after: 0, limit: 10 }), [])
      }).pipe(Effect.provide(TestLayer))
    )
  }

  it.effect("takes the same command with valid ids and metadata", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2025-01-28T10:00:00+08:00"))
      const result = yield* Domain.handle(tenant, register, { actor, commandId: "c1" })
      assert.strictEqual(result.events.length, 1)
    }).pipe(Effect.provide(TestLayer))
  )
})
