import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Result, Schema } from "effect"
import * as CommandHandler from "./CommandHandler.ts"
import * as Decider from "./Decider.ts"
import * as EventCodec from "./EventCodec.ts"
import * as EventStore from "./EventStore.ts"
import * as IdGenerator from "./IdGenerator.ts"
import * as Rule from "./Rule.ts"
import * as StreamId from "./StreamId.ts"
import { NonEmptyText } from "./Text.ts"

// A counter that refuses to go past a limit: the smallest decider that exercises every path.
class Incremented extends Schema.TaggedClass<Incremented>()("Incremented", { counter: NonEmptyText, by: Schema.Int }) {}
class Increment extends Schema.TaggedClass<Increment>()("Increment", { counter: NonEmptyText, by: Schema.Int }) {}
const LimitExceeded = Rule.define<{ limit: number }>("LimitExceeded", {
  en: (f) => `the counter may not pass ${f.limit}`,
  zh: (f) => `计数不得超过 ${f.limit}`
})
const codec = EventCodec.make({ Incremented })
const counter = Decider.make<Increment, Incremented, number>({
  initialState: 0,
  evolve: (n, e) => n + e.by,
  decide: (c, n) =>
    n + c.by > 10
      ? Result.fail(LimitExceeded({ limit: 10 }))
      : Result.succeed([new Incremented({ counter: c.counter, by: c.by })])
})
const handle = CommandHandler.make({
  command: Increment,
  decider: counter,
  codec,
  stream: (c) => StreamId.make("counter", c.counter),
  subjects: () => []
})
const actor = { id: "w1", role: "worker" }
const handleWithSubjects = CommandHandler.make({
  command: Increment,
  decider: counter,
  codec,
  stream: (c) => StreamId.make("counter", c.counter),
  subjects: (_event, before) => [`at-${before}`]
})
const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

describe("CommandHandler", () => {
  it.effect("appends what the decider decides, with envelope fields from the command", () =>
    Effect.gen(function* () {
      const result = yield* handle("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      assert.strictEqual(result.state, 3)
      assert.strictEqual(result.events[0]!.correlationId, "c1")
      assert.strictEqual(result.events[0]!.position, 1)
      assert.deepStrictEqual(result.events[0]!.data, { counter: "a", by: 3 })
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("names an event's subjects from the state just before it", () =>
    Effect.gen(function* () {
      yield* handleWithSubjects("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      const second = yield* handleWithSubjects(
        "t1",
        { _tag: "Increment", counter: "a", by: 2 },
        { actor, commandId: "c2" }
      )
      assert.deepStrictEqual(second.events[0]!.subjects, ["at-3"])
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("returns the first result for a repeated commandId and writes nothing", () =>
    Effect.gen(function* () {
      const first = yield* handle("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      const again = yield* handle("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      const store = yield* EventStore.EventStore
      assert.isTrue(again.duplicate)
      assert.deepStrictEqual(again.events, first.events)
      assert.strictEqual((yield* store.head("t1")).position, 1)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("rejects a rule violation with its code and writes nothing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        handle("t1", { _tag: "Increment", counter: "a", by: 11 }, { actor, commandId: "c1" })
      )
      assert.strictEqual(error._tag, "RuleViolation")
      assert.strictEqual(error._tag === "RuleViolation" && error.code, "LimitExceeded")
      const store = yield* EventStore.EventStore
      assert.strictEqual((yield* store.head("t1")).position, 0)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("rejects malformed input naming the field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        handle("t1", { _tag: "Increment", counter: "a\u0000", by: "x" }, { actor, commandId: "c1" })
      )
      assert.strictEqual(error._tag, "InvalidCommand")
      const paths = error._tag === "InvalidCommand" ? error.issues.map((i) => i.path) : []
      assert.include(paths.join(","), "by")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("decides again after a concurrent writer moved the stream on", () =>
    Effect.gen(function* () {
      const results = yield* Effect.forEach(
        [1, 2, 3, 4],
        (i) => handle("t1", { _tag: "Increment", counter: "a", by: 2 }, { actor, commandId: `c${i}` }),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.length, 4)
      const store = yield* EventStore.EventStore
      const events = yield* store.readStream("t1", StreamId.make("counter", "a"))
      assert.deepStrictEqual(
        events.map((e) => e.version),
        [1, 2, 3, 4]
      )
    }).pipe(Effect.provide(TestLayer))
  )

  // The memory store, counting the reads that reach it: refusals below must come before any.
  const counted = (reads: { n: number }) =>
    Layer.mergeAll(
      Layer.effect(
        EventStore.EventStore,
        Effect.map(EventStore.makeMemory(), (store) => ({
          ...store,
          readStream: (...args: Parameters<typeof store.readStream>) => {
            reads.n++
            return store.readStream(...args)
          },
          readCommand: (...args: Parameters<typeof store.readCommand>) => {
            reads.n++
            return store.readCommand(...args)
          }
        }))
      ),
      IdGenerator.layerDeterministic()
    )

  const refusedBeforeAnyRead: Record<
    string,
    {
      readonly tenant: string
      readonly input: unknown
      readonly metadata: CommandHandler.CommandMetadata
      readonly path: string
    }
  > = {
    "a commandId with a space (an Idempotency-Key header)": {
      tenant: "t1",
      input: { _tag: "Increment", counter: "a", by: 1 },
      metadata: { actor, commandId: "cmd 1" },
      path: "metadata.commandId"
    },
    "an empty tenant": {
      tenant: "",
      input: { _tag: "Increment", counter: "a", by: 1 },
      metadata: { actor, commandId: "c1" },
      path: "tenant"
    },
    "a tenant with a space": {
      tenant: "a b",
      input: { _tag: "Increment", counter: "a", by: 1 },
      metadata: { actor, commandId: "c1" },
      path: "tenant"
    },
    "a tenant with a zero-width space": {
      tenant: "t1\u200b",
      input: { _tag: "Increment", counter: "a", by: 1 },
      metadata: { actor, commandId: "c1" },
      path: "tenant"
    },
    "an actor with a phone number": {
      tenant: "t1",
      input: { _tag: "Increment", counter: "a", by: 1 },
      metadata: { actor: { ...actor, phone: "13800000000" } as typeof actor, commandId: "c1" },
      path: "metadata.actor.phone"
    },
    "a correlationId with a right-to-left override": {
      tenant: "t1",
      input: { _tag: "Increment", counter: "a", by: 1 },
      metadata: { actor, commandId: "c1", correlationId: "c\u202e1" },
      path: "metadata.correlationId"
    },
    "a lone surrogate in a text field": {
      tenant: "t1",
      input: { _tag: "Increment", counter: "a\ud800", by: 1 },
      metadata: { actor, commandId: "c1" },
      path: "counter"
    }
  }

  for (const [what, { tenant, input, metadata, path }] of Object.entries(refusedBeforeAnyRead)) {
    it.effect(`refuses ${what} as InvalidCommand naming it, before any read`, () => {
      const reads = { n: 0 }
      return Effect.gen(function* () {
        const error = yield* Effect.flip(handle(tenant, input, metadata))
        assert.strictEqual(error._tag, "InvalidCommand", error.message)
        const paths = error._tag === "InvalidCommand" ? error.issues.map((i) => i.path) : []
        assert.include(paths, path, error.message)
        assert.strictEqual(reads.n, 0, "nothing was read")
        assert.strictEqual((yield* (yield* EventStore.EventStore).head("t1")).position, 0)
      }).pipe(Effect.provide(counted(reads)))
    })
  }
})
