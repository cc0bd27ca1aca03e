import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Result, Schedule, Schema, Tracer } from "effect"
import * as CommandHandler from "./CommandHandler.ts"
import * as Decider from "./Decider.ts"
import { ConcurrencyConflict } from "./Errors.ts"
import * as EventCodec from "./EventCodec.ts"
import * as EventStore from "./EventStore.ts"
import * as IdGenerator from "./IdGenerator.ts"
import * as Rule from "./Rule.ts"
import { NonEmptyText } from "./Scalars.ts"
import * as StreamId from "./StreamId.ts"

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
        CommandHandler.acceptUnknown(handle)(
          "t1",
          { _tag: "Increment", counter: "a\u0000", by: "x" },
          { actor, commandId: "c1" }
        )
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

  it.effect("takes the command's encoded side: a misspelt tag does not compile, and fails at run time if forced", () =>
    Effect.gen(function* () {
      const misspelt = { _tag: "Incremnet", counter: "a", by: 1 } as const
      // @ts-expect-error: "Incremnet" is no command of this handler
      const typed = () => handle("t1", misspelt, { actor, commandId: "c1" })
      assert.isFunction(typed)
      const error = yield* Effect.flip(CommandHandler.acceptUnknown(handle)("t1", misspelt, { actor, commandId: "c1" }))
      assert.strictEqual(error._tag, "InvalidCommand")
      assert.strictEqual((yield* (yield* EventStore.EventStore).head("t1")).position, 0)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("gives the context loader the state it loaded, so the loader need not read the stream again", () =>
    Effect.gen(function* () {
      const seen: Array<number> = []
      const spying = CommandHandler.make({
        command: Increment,
        decider: counter,
        codec,
        stream: (c) => StreamId.make("counter", c.counter),
        subjects: () => [],
        loadContext: (_command, state, base) =>
          Effect.sync(() => {
            seen.push(state)
            return base
          })
      })
      yield* spying("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      yield* spying("t1", { _tag: "Increment", counter: "a", by: 4 }, { actor, commandId: "c2" })
      assert.deepStrictEqual(seen, [0, 3])
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
        const error = yield* Effect.flip(CommandHandler.acceptUnknown(handle)(tenant, input, metadata))
        assert.strictEqual(error._tag, "InvalidCommand", error.message)
        const paths = error._tag === "InvalidCommand" ? error.issues.map((i) => i.path) : []
        assert.include(paths, path, error.message)
        assert.strictEqual(reads.n, 0, "nothing was read")
        assert.strictEqual((yield* (yield* EventStore.EventStore).head("t1")).position, 0)
      }).pipe(Effect.provide(counted(reads)))
    })
  }
})

describe("CommandHandler.withRule", () => {
  // A host's stricter rule: no step larger than the limit it reads from another stream.
  const StepTooLarge = Rule.define<{ max: number }>("StepTooLarge", {
    en: (f) => `a step may not exceed ${f.max}`,
    zh: (f) => `单次不得超过 ${f.max}`
  })
  const definition = {
    command: Increment,
    decider: counter,
    codec,
    stream: (c: Increment) => StreamId.make("counter", c.counter),
    subjects: () => []
  }
  const strict = CommandHandler.make(
    CommandHandler.withRule(definition, {
      loadContext: (command, _state, context) =>
        Effect.map(
          CommandHandler.load(context.tenant, StreamId.make("counter", `${command.counter}-max`), counter, codec),
          ({ state }) => ({ max: state })
        ),
      decide: (command, _state, context, events) =>
        command.by > context.max || events.length !== 1 ? Result.fail(StepTooLarge({ max: context.max })) : Result.void
    })
  )

  it.effect("refuses with the host's rule in the same path, writing nothing, and keeps the library's rules", () =>
    Effect.gen(function* () {
      yield* handle("t1", { _tag: "Increment", counter: "a-max", by: 2 }, { actor, commandId: "c-max" })
      const store = yield* EventStore.EventStore
      const accepted = yield* strict("t1", { _tag: "Increment", counter: "a", by: 2 }, { actor, commandId: "c1" })
      assert.strictEqual(accepted.state, 2)
      const refused = yield* Effect.flip(
        strict("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c2" })
      )
      assert.isTrue(StepTooLarge.is(refused))
      assert.strictEqual((yield* store.head("t1")).position, 2)
      // The library's own rule still answers first.
      yield* handle("t1", { _tag: "Increment", counter: "b-max", by: 10 }, { actor, commandId: "c-max-b" })
      yield* strict("t1", { _tag: "Increment", counter: "b", by: 9 }, { actor, commandId: "c3" })
      const limit = yield* Effect.flip(
        strict("t1", { _tag: "Increment", counter: "b", by: 2 }, { actor, commandId: "c4" })
      )
      assert.isTrue(LimitExceeded.is(limit))
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("CommandHandler: conflicts and traces", () => {
  /** The memory store, refusing the first `conflicts` appends with a ConcurrencyConflict. */
  const conflicting = (conflicts: number) =>
    Layer.mergeAll(
      Layer.effect(
        EventStore.EventStore,
        Effect.map(EventStore.makeMemory(), (store) => {
          let left = conflicts
          return {
            ...store,
            append: (request: EventStore.AppendRequest) =>
              left-- > 0
                ? Effect.fail(
                    new ConcurrencyConflict({
                      tenant: request.tenant,
                      stream: request.stream,
                      expected: request.expected,
                      actual: 99
                    })
                  )
                : store.append(request)
          }
        })
      ),
      IdGenerator.layerDeterministic()
    )

  /** Runs `effect` with a tracer that keeps every span it starts. */
  const traced = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      const spans: Array<Tracer.Span> = []
      const tracer = Tracer.make({
        span: (options) => {
          const span = Tracer.nativeTracer.span(options)
          spans.push(span)
          return span
        }
      })
      const result = yield* Effect.result(Effect.withTracer(effect, tracer))
      return { result, spans }
    })

  it("retries once at once, then waits on a jittered exponential schedule from 2 ms, capped at 50 ms", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const step = yield* Schedule.toStep(CommandHandler.conflictBackoff)
        for (let n = 0; n < 12; n++) {
          const [, delay] = yield* step(0, undefined)
          const base = n === 0 ? 0 : Math.min(2 ** n, 50)
          const millis = Duration.toMillis(delay)
          assert.isAtLeast(millis, base * 0.8, `retry ${n + 1}`)
          assert.isAtMost(millis, base * 1.2, `retry ${n + 1}`)
        }
      })
    ))

  it.effect("retries a conflict, one span per attempt under one span with tenant, stream and command id", () =>
    Effect.gen(function* () {
      const { result, spans } = yield* traced(
        handle("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      )
      assert.isTrue(Result.isSuccess(result))
      const outer = spans.filter((s) => s.name === "CommandHandler.handle")
      assert.strictEqual(outer.length, 1)
      assert.deepStrictEqual(Object.fromEntries(outer[0]!.attributes), {
        tenant: "t1",
        commandId: "c1",
        command: "Increment",
        stream: "counter/a"
      })
      const attempts = spans.filter((s) => s.name === "CommandHandler.attempt")
      assert.deepStrictEqual(
        attempts.map((s) => s.attributes.get("attempt")),
        [1, 2, 3]
      )
      for (const s of attempts)
        assert.strictEqual(
          s.parent.pipe((p) => (p._tag === "Some" ? p.value.spanId : "")),
          outer[0]!.spanId
        )
    }).pipe(Effect.provide(conflicting(2)))
  )

  it.effect("gives up after maxAttempts with the last ConcurrencyConflict, writing nothing", () =>
    Effect.gen(function* () {
      const { result, spans } = yield* traced(
        handle("t1", { _tag: "Increment", counter: "a", by: 3 }, { actor, commandId: "c1" })
      )
      assert.isTrue(Result.isFailure(result) && result.failure._tag === "ConcurrencyConflict")
      assert.strictEqual(spans.filter((s) => s.name === "CommandHandler.attempt").length, 5)
      assert.strictEqual((yield* (yield* EventStore.EventStore).head("t1")).position, 0)
    }).pipe(Effect.provide(conflicting(100)))
  )
})
