import { assert, describe, it } from "@effect/vitest"
import { CommandHandler, Decider, EventCodec, EventStore, Rule, Scalars, StreamId } from "@shuangbai/eventsourcing"
import { Effect, Exit, Layer, Result, Schema } from "effect"
import * as DeciderSpec from "./DeciderSpec.ts"
import * as HandlerSpec from "./HandlerSpec.ts"

// A counter with a limit read from another stream: a handler with a context loader, the shape that a decider
// spec alone cannot test.
class Incremented extends Schema.TaggedClass<Incremented>()("Incremented", {
  counter: Schema.String,
  by: Schema.Int
}) {}
class LimitSet extends Schema.TaggedClass<LimitSet>()("LimitSet", { limit: Schema.Int }) {}
type Event = Incremented | LimitSet
class Increment extends Schema.TaggedClass<Increment>()("Increment", { counter: Schema.String, by: Schema.Int }) {}

const LimitExceeded = Rule.define<{ limit: number }>("LimitExceeded", {
  en: (f) => `the counter may not pass ${f.limit}`,
  zh: (f) => `计数不得超过 ${f.limit}`
})
const codec = EventCodec.make({ Incremented, LimitSet })
const limits = StreamId.make("limits", "all")
const limitFold = { initialState: 10, evolve: (n: number, e: Event) => (e._tag === "LimitSet" ? e.limit : n) }

const counter = Decider.make<Increment, Event, number, Decider.DecisionContext & { readonly limit: number }>({
  initialState: 0,
  evolve: (n, e) => (e._tag === "Incremented" ? n + e.by : n),
  decide: (c, n, context) =>
    c.by === 0
      ? Result.succeed([])
      : n + c.by > context.limit
        ? Result.fail(LimitExceeded({ limit: context.limit }))
        : Result.succeed([new Incremented({ counter: c.counter, by: c.by })])
})
const handle = CommandHandler.make({
  command: Increment,
  decider: counter,
  codec,
  stream: (c) => StreamId.make("counter", c.counter),
  subjects: () => [],
  loadContext: (_c, _state, base) =>
    Effect.map(CommandHandler.load(base.tenant, limits, limitFold, codec), ({ state }) => ({ ...base, limit: state }))
})

const spec = HandlerSpec.make(handle, { codec })
const a = StreamId.make("counter", "a")

/** The assertion a spec throws, as the message a test would print; undefined when the spec holds. */
const failureOf = <A>(effect: Effect.Effect<A>) =>
  Effect.map(Effect.exit(effect), (exit) => (Exit.isSuccess(exit) ? undefined : String(exit.cause)))

describe("HandlerSpec", () => {
  it.effect("then: the events written, stored after the givens, with the spec's time as business time", () =>
    Effect.gen(function* () {
      const written = yield* spec
        .given({ stream: a, events: [new Incremented({ counter: "a", by: 4 })] })
        .when({ _tag: "Increment", counter: "a", by: 3 })
        .then([new Incremented({ counter: "a", by: 3 })])
      assert.strictEqual(written[0]!.version, 2)
      assert.strictEqual(written[0]!.position, 2)
      assert.strictEqual(written[0]!.occurredAt, Scalars.instantFromMillis(DeciderSpec.defaultContext.now))
    })
  )

  it.effect("thenFails: the rule read through the context loader from another given stream", () =>
    Effect.gen(function* () {
      const refusal = yield* spec
        .given(
          { stream: a, events: [new Incremented({ counter: "a", by: 4 })] },
          { stream: limits, events: [new LimitSet({ limit: 5 })] }
        )
        .when({ _tag: "Increment", counter: "a", by: 2 })
        .thenFails(LimitExceeded)
      assert.deepStrictEqual(refusal.fields, { limit: 5 })
    })
  )

  it.effect("thenNothing: accepted with nothing to write", () =>
    spec.given().when({ _tag: "Increment", counter: "a", by: 0 }).thenNothing()
  )

  it.effect("each then… fails, naming the givens, the command and what happened instead", () =>
    Effect.gen(function* () {
      const given = spec.given({ stream: limits, events: [new LimitSet({ limit: 1 })] })
      const refused = given.when({ _tag: "Increment", counter: "a", by: 2 })
      const accepted = given.when({ _tag: "Increment", counter: "a", by: 1 })
      const wrongEvents = yield* failureOf(accepted.then([new Incremented({ counter: "a", by: 2 })]))
      assert.include(wrongEvents, "written events differ")
      const notRefused = yield* failureOf(accepted.thenFails(LimitExceeded))
      assert.include(notRefused, "expected a refusal by LimitExceeded, but it wrote [Incremented]")
      const notAccepted = yield* failureOf(refused.then([]))
      assert.include(notAccepted, "given [limits/all: LimitSet] when Increment")
      assert.include(notAccepted, "RuleViolation LimitExceeded")
      const notNothing = yield* failureOf(accepted.thenNothing())
      assert.include(notNothing, "expected nothing written")
      const invalid = yield* failureOf(
        HandlerSpec.make(CommandHandler.acceptUnknown(handle), { codec }).given().when({ by: "x" }).thenNothing()
      )
      assert.include(invalid, "InvalidCommand")
    })
  )

  it.effect("each scenario has a store of its own: a second run sees none of the first's events", () =>
    Effect.gen(function* () {
      const when = spec.given().when({ _tag: "Increment", counter: "a", by: 6 })
      yield* when.then([new Incremented({ counter: "a", by: 6 })])
      yield* when.then([new Incremented({ counter: "a", by: 6 })])
    })
  )

  it.effect("runs on any store's layer, each scenario in a tenant of its own", () =>
    Effect.gen(function* () {
      const shared = yield* EventStore.makeMemory()
      const onShared = HandlerSpec.make(handle, { codec, store: Layer.succeed(EventStore.EventStore, shared) })
      const first = yield* onShared
        .given()
        .when({ _tag: "Increment", counter: "a", by: 6 })
        .then([new Incremented({ counter: "a", by: 6 })])
      const second = yield* onShared
        .given()
        .when({ _tag: "Increment", counter: "a", by: 6 })
        .then([new Incremented({ counter: "a", by: 6 })])
      assert.notStrictEqual(first[0]!.tenant, second[0]!.tenant)
      assert.strictEqual((yield* shared.head(first[0]!.tenant)).position, 1)
    })
  )
})
