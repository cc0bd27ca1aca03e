import { assert, describe, it } from "@effect/vitest"
import { Data, Effect, Exit, Result, Schema } from "effect"
import * as fc from "fast-check"
import * as CommandHandler from "./CommandHandler.ts"
import * as Decider from "./Decider.ts"
import type { StoredEvent } from "./Envelope.ts"
import * as EventCodec from "./EventCodec.ts"
import * as EventStore from "./EventStore.ts"
import * as IdGenerator from "./IdGenerator.ts"
import * as Rule from "./Rule.ts"
import { NonEmptyText } from "./Scalars.ts"
import * as StreamId from "./StreamId.ts"

// The handler looks a commandId up only when a decision writes nothing new. These tests pin down what a
// caller sees: a retried command gets its first result, whatever the decider makes of it now, and a new
// command is decided and written as before, without the look-up.

class Incremented extends Schema.TaggedClass<Incremented>()("Incremented", { counter: NonEmptyText, by: Schema.Int }) {}
class Increment extends Schema.TaggedClass<Increment>()("Increment", { counter: NonEmptyText, by: Schema.Int }) {}
/** Brings the counter up to a level: the event depends on the state, and nothing is decided at the level. */
class Raise extends Schema.TaggedClass<Raise>()("Raise", { counter: NonEmptyText, to: Schema.Int }) {}
const Command = Schema.Union([Increment, Raise])
type Command = typeof Command.Type

const LimitExceeded = Rule.define<{ limit: number }>("LimitExceeded", {
  en: (f) => `the counter may not pass ${f.limit}`,
  zh: (f) => `计数不得超过 ${f.limit}`
})
const codec = EventCodec.make({ Incremented })
const decider = Decider.make<Command, Incremented, number>({
  initialState: 0,
  evolve: (n, e) => n + e.by,
  decide: (c, n) => {
    const by = c._tag === "Increment" ? c.by : Math.max(0, c.to - n)
    if (n + by > 10) return Result.fail(LimitExceeded({ limit: 10 }))
    return Result.succeed(by === 0 ? [] : [new Incremented({ counter: c.counter, by })])
  }
})
const streamOf = (c: Command) => StreamId.make("counter", c.counter)
const handle = CommandHandler.make({ command: Command, decider, codec, stream: streamOf, subjects: () => [] })

/** The context loader refuses a counter once a `closed` stream of the same name exists. */
class CounterClosed extends Data.TaggedError("CounterClosed")<{ readonly counter: string }> {}
const handleUnlessClosed = CommandHandler.make({
  command: Command,
  decider,
  codec,
  stream: streamOf,
  subjects: () => [],
  loadContext: (c, _state, base) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const closed = yield* Effect.exit(store.readStream(base.tenant, StreamId.make("closed", c.counter)))
      return Exit.isSuccess(closed) ? yield* Effect.fail(new CounterClosed({ counter: c.counter })) : base
    })
})

const actor = { id: "w1", role: "worker" }
const increment = (counter: string, by: number) => ({ _tag: "Increment", counter, by }) as const
const raise = (counter: string, to: number) => ({ _tag: "Raise", counter, to }) as const

interface Spy {
  readonly readCommand: number
  readonly append: number
}

/**
 * Runs `body` on a fresh in-memory store whose service counts the calls it gets: a spy on the real store.
 * `beforeAppend` runs on the real store before an append is passed on (another writer getting there first).
 */
const onSpiedStore = <A, E>(
  body: (spy: Spy) => Effect.Effect<A, E, EventStore.EventStore | IdGenerator.IdGenerator>,
  beforeAppend?: (store: EventStore.EventStoreShape, call: number) => Effect.Effect<unknown, unknown>
) =>
  Effect.gen(function* () {
    const store = yield* EventStore.makeMemory()
    const spy = { readCommand: 0, append: 0 }
    const spied: EventStore.EventStoreShape = {
      ...store,
      readCommand: (tenant, commandId) =>
        Effect.suspend(() => {
          spy.readCommand += 1
          return store.readCommand(tenant, commandId)
        }),
      append: (request) =>
        Effect.suspend(() => {
          spy.append += 1
          const before = beforeAppend?.(store, spy.append) ?? Effect.void
          return Effect.andThen(Effect.orDie(before), store.append(request))
        })
    }
    return yield* body(spy).pipe(
      Effect.provideService(EventStore.EventStore, spied),
      Effect.provide(IdGenerator.layerDeterministic())
    )
  })

const headOf = (tenant: string) =>
  Effect.gen(function* () {
    return yield* (yield* EventStore.EventStore).head(tenant)
  })

describe("CommandHandler: a new command", () => {
  it.effect("given an empty store, when a command is accepted, then it is written without looking its id up", () =>
    onSpiedStore((spy) =>
      Effect.gen(function* () {
        const result = yield* handle("t1", increment("a", 3), { actor, commandId: "c1" })
        assert.isFalse(result.duplicate)
        assert.strictEqual(result.state, 3)
        assert.strictEqual(result.version, 1)
        assert.strictEqual(spy.readCommand, 0)
        assert.strictEqual(spy.append, 1)
        // Every later new command too: the look-up is paid by retries and refusals only.
        yield* handle("t1", raise("a", 7), { actor, commandId: "c2" })
        yield* handle("t1", increment("b", 1), { actor, commandId: "c3" })
        assert.strictEqual(spy.readCommand, 0)
      })
    )
  )

  it.effect("given a counter at 8, when a new command would pass the limit, then the RuleViolation stands", () =>
    onSpiedStore((spy) =>
      Effect.gen(function* () {
        yield* handle("t1", increment("a", 8), { actor, commandId: "c1" })
        const error = yield* Effect.flip(handle("t1", increment("a", 3), { actor, commandId: "c2" }))
        assert.strictEqual(error._tag === "RuleViolation" && error.code, "LimitExceeded")
        assert.strictEqual((yield* headOf("t1")).position, 1)
        assert.strictEqual(spy.readCommand, 1)
      })
    )
  )

  it.effect("given a counter at its level, when a new command decides nothing, then no events, not a duplicate", () =>
    onSpiedStore(() =>
      Effect.gen(function* () {
        yield* handle("t1", raise("a", 5), { actor, commandId: "c1" })
        const result = yield* handle("t1", raise("a", 5), { actor, commandId: "c2" })
        assert.deepStrictEqual(result, { events: [], version: 1, state: 5, duplicate: false })
      })
    )
  )

  it.effect("given a closed counter, when the context loader refuses a new command, then its error stands", () =>
    onSpiedStore(() =>
      Effect.gen(function* () {
        yield* closeCounter("t1", "a")
        const error = yield* Effect.flip(handleUnlessClosed("t1", increment("a", 1), { actor, commandId: "c1" }))
        assert.strictEqual(error._tag, "CounterClosed")
      })
    )
  )

  it.effect(
    "given another writer that moves the stream on first, when the append conflicts, then it decides again",
    () =>
      onSpiedStore(
        (spy) =>
          Effect.gen(function* () {
            const result = yield* handle("t1", raise("a", 5), { actor, commandId: "c1" })
            // Decided again on the other writer's 2: raised by 3, not 5.
            assert.isFalse(result.duplicate)
            assert.strictEqual(result.version, 2)
            assert.strictEqual(result.state, 5)
            assert.deepStrictEqual(result.events[0]!.data, { counter: "a", by: 3 })
            assert.strictEqual(spy.append, 2)
            assert.strictEqual(spy.readCommand, 0)
          }),
        (store, call) =>
          call === 1
            ? store.append({
                tenant: "t1",
                stream: StreamId.make("counter", "a"),
                expected: { _tag: "Any" },
                events: [
                  {
                    eventId: "00000000-0000-7000-8000-00000000beef",
                    type: "Incremented",
                    schemaVersion: 1,
                    data: { counter: "a", by: 2 },
                    occurredAt: "2024-01-01T00:00:00.000Z",
                    subjects: []
                  }
                ],
                context: { actor, commandId: "other", correlationId: "other", causationId: "other" }
              })
            : Effect.void
      )
  )
})

const closeCounter = (tenant: string, counter: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    return yield* store.append({
      tenant,
      stream: StreamId.make("closed", counter),
      expected: { _tag: "Any" },
      events: [
        {
          eventId: `00000000-0000-7000-8000-${counter.padStart(12, "0")}`,
          type: "Closed",
          schemaVersion: 1,
          data: {},
          occurredAt: "2024-01-01T00:00:00.000Z",
          subjects: []
        }
      ],
      context: { actor, commandId: `close-${counter}`, correlationId: "close", causationId: "close" }
    })
  })

describe("CommandHandler: a command sent again after it succeeded", () => {
  it.effect("when the decider now refuses it, then the first result comes back and nothing is written", () =>
    onSpiedStore((spy) =>
      Effect.gen(function* () {
        const first = yield* handle("t1", increment("a", 3), { actor, commandId: "c1" })
        yield* handle("t1", increment("a", 7), { actor, commandId: "c2" })
        const again = yield* handle("t1", increment("a", 3), { actor, commandId: "c1" })
        assert.deepStrictEqual(again, { events: first.events, version: 2, state: 10, duplicate: true })
        assert.strictEqual((yield* headOf("t1")).position, 2)
        assert.strictEqual(spy.readCommand, 1)
      })
    )
  )

  it.effect("when it now decides other events, then the first result comes back and nothing is written", () =>
    onSpiedStore(() =>
      Effect.gen(function* () {
        const first = yield* handle("t1", raise("a", 5), { actor, commandId: "c1" })
        yield* handle("t1", increment("a", -2), { actor, commandId: "c2" })
        // Raise to 5 from 3 would now be +2, not the +5 recorded: the store calls it an IdempotencyMismatch.
        const again = yield* handle("t1", raise("a", 5), { actor, commandId: "c1" })
        assert.deepStrictEqual(again, { events: first.events, version: 2, state: 3, duplicate: true })
        assert.strictEqual((yield* headOf("t1")).position, 2)
      })
    )
  )

  it.effect("when it decides the same events, then the first result comes back with the state as loaded", () =>
    onSpiedStore((spy) =>
      Effect.gen(function* () {
        const first = yield* handle("t1", increment("a", 3), { actor, commandId: "c1" })
        const again = yield* handle("t1", increment("a", 3), { actor, commandId: "c1" })
        // The state is 3, the first event's: not 6, the state the new decision would have led to.
        assert.deepStrictEqual(again, { events: first.events, version: 1, state: 3, duplicate: true })
        assert.strictEqual((yield* headOf("t1")).position, 1)
        // The store's append answered with the first result: no look-up was needed.
        assert.strictEqual(spy.readCommand, 0)
      })
    )
  )

  it.effect("when it now decides nothing, then the first result comes back", () =>
    onSpiedStore(() =>
      Effect.gen(function* () {
        const first = yield* handle("t1", raise("a", 5), { actor, commandId: "c1" })
        const again = yield* handle("t1", raise("a", 5), { actor, commandId: "c1" })
        assert.deepStrictEqual(again, { events: first.events, version: 1, state: 5, duplicate: true })
        assert.strictEqual((yield* headOf("t1")).position, 1)
      })
    )
  )

  it.effect("when the context loader now refuses it, then the first result comes back", () =>
    onSpiedStore(() =>
      Effect.gen(function* () {
        const first = yield* handleUnlessClosed("t1", increment("a", 3), { actor, commandId: "c1" })
        yield* closeCounter("t1", "a")
        const again = yield* handleUnlessClosed("t1", increment("a", 3), { actor, commandId: "c1" })
        assert.deepStrictEqual(again, { events: first.events, version: 1, state: 3, duplicate: true })
      })
    )
  )

  it.effect("when it names another stream now, then the first result comes back with that stream's state", () =>
    onSpiedStore(() =>
      Effect.gen(function* () {
        const first = yield* handle("t1", increment("a", 3), { actor, commandId: "c1" })
        yield* handle("t1", increment("b", 4), { actor, commandId: "c2" })
        const again = yield* handle("t1", increment("b", 1), { actor, commandId: "c1" })
        assert.deepStrictEqual(again, { events: first.events, version: 1, state: 4, duplicate: true })
        assert.strictEqual((yield* headOf("t1")).position, 2)
      })
    )
  )
})

// ---- the rule for every sequence: the same as looking the commandId up first ---------------------------

/**
 * What the handler did before it skipped the look-up, composed from the port: a commandId recorded already
 * gets the events it wrote, with the stream's state and version now; anything else is decided as new.
 */
const lookUpFirst: typeof handle = (tenant, input, metadata) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const earlier = yield* store.readCommand(tenant, metadata.commandId)
    if (earlier === undefined) return yield* handle(tenant, input, metadata)
    const command = Schema.decodeUnknownSync(Command)(input)
    const { state, version } = yield* CommandHandler.load(tenant, streamOf(command), decider, codec)
    return { events: earlier, version, state, duplicate: true }
  })

// Event ids, hashes and times differ between two runs; what a caller can tell apart is the rest.
const shape = (e: StoredEvent) => ({
  stream: e.stream,
  version: e.version,
  position: e.position,
  type: e.type,
  data: e.data,
  commandId: e.commandId
})

const run = (
  via: typeof handle,
  steps: ReadonlyArray<{ readonly commandId: string; readonly input: typeof Command.Encoded }>
) =>
  Effect.gen(function* () {
    const outcomes = []
    for (const { commandId, input } of steps) {
      const result = yield* Effect.result(via("t1", input, { actor, commandId }))
      outcomes.push(
        Result.isSuccess(result)
          ? { ...result.success, events: result.success.events.map(shape) }
          : { failed: result.failure._tag, code: "code" in result.failure ? result.failure.code : undefined }
      )
    }
    const store = yield* EventStore.EventStore
    const log = yield* store.readAll("t1", { after: 0, limit: 1_000 })
    return { outcomes, log: log.map(shape) }
  }).pipe(Effect.provide(EventStore.layerMemory), Effect.provide(IdGenerator.layerDeterministic()))

const step = fc.record({
  commandId: fc.constantFrom("c1", "c2", "c3", "c4", "c5", "c6"),
  input: fc.oneof(
    fc.record({
      _tag: fc.constant("Increment" as const),
      counter: fc.constantFrom("a", "b"),
      by: fc.integer({ min: -4, max: 6 })
    }),
    fc.record({
      _tag: fc.constant("Raise" as const),
      counter: fc.constantFrom("a", "b"),
      to: fc.integer({ min: -2, max: 12 })
    })
  )
})

describe("CommandHandler: any sequence of commands, with commandIds sent again", () => {
  it("gives every caller what looking the commandId up first gives, and writes the same log", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const [skipping, lookingUp] = await Effect.runPromise(Effect.all([run(handle, steps), run(lookUpFirst, steps)]))
        assert.deepStrictEqual(skipping, lookingUp)
      }),
      { numRuns: 200 }
    )
  })
})
