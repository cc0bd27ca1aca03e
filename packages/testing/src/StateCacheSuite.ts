import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import {
  CommandHandler,
  Decider,
  EventCodec,
  EventStore,
  ExpectedVersion,
  IdGenerator,
  Rule,
  StateCache,
  StreamId
} from "@shuangbai/eventsourcing"
import { Effect, Exit, Layer, Result, Schema } from "effect"
import * as fc from "fast-check"

// A command handler keeps the states of the streams it has folded (StateCache). These properties hold it to
// what matters: it decides exactly as a handler that folds every stream from its start, whoever else writes
// the stream in between, and a write that lands between its read and its append makes it decide again on
// the stream as it now is.

/** What a decision saw is written into its event, so that any stale or misfolded state shows in the log. */
class Added extends Schema.TaggedClass<Added>()("Added", {
  amount: Schema.Int,
  /** Events in the stream before this one, as the decision saw it. */
  seen: Schema.Int,
  /** The total before this event, as the decision saw it. */
  before: Schema.Int
}) {}
class Add extends Schema.TaggedClass<Add>()("Add", { tally: Schema.String, amount: Schema.Int }) {}

interface Tally {
  readonly count: number
  readonly total: number
}

const limit = 40
const OverLimit = Rule.define<{ limit: number }>("OverLimit", {
  en: (f) => `a tally may not pass ${f.limit}`,
  zh: (f) => `合计不得超过 ${f.limit}`
})
const codec = EventCodec.make({ Added })
const decider = Decider.make<Add, Added, Tally>({
  initialState: { count: 0, total: 0 },
  evolve: (s, e) => ({ count: s.count + 1, total: s.total + e.amount }),
  decide: (c, s) => {
    if (s.total + c.amount > limit) return Result.fail(OverLimit({ limit }))
    // Adding nothing is already done: no event, as an idempotent decision.
    return Result.succeed(c.amount === 0 ? [] : [new Added({ amount: c.amount, seen: s.count, before: s.total })])
  }
})
const definition = {
  command: Add,
  decider,
  codec,
  stream: (c: Add) => StreamId.make("tally", c.tally),
  subjects: () => [],
  maxAttempts: 20
}

/** Two handlers as two processes would have them: each keeps states of its own. */
const handleA = CommandHandler.make(definition)
const handleB = CommandHandler.make(definition)
const actor = { id: "w1", role: "worker" }

type Writer = "a" | "b" | "both" | "raw"
interface Step {
  readonly writer: Writer
  readonly tally: number
  readonly amount: number
}

const step: fc.Arbitrary<Step> = fc.record({
  writer: fc.constantFrom<Writer>("a", "b", "both", "raw"),
  tally: fc.integer({ min: 0, max: 1 }),
  amount: fc.integer({ min: -5, max: 15 })
})

/** Another program writing a tally through the store alone (no handler, no rule). */
const rawAppend = (tenant: string, tally: string, amount: number, commandId: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const encoded = codec.encode(new Added({ amount, seen: -1, before: -1 }))
    return yield* store.append({
      tenant,
      stream: StreamId.make("tally", tally),
      expected: ExpectedVersion.any,
      events: [
        {
          eventId: yield* (yield* IdGenerator.IdGenerator).next,
          type: encoded.type,
          schemaVersion: encoded.schemaVersion,
          data: encoded.data,
          occurredAt: "2024-03-15T02:00:00.000Z",
          subjects: []
        }
      ],
      context: { actor, commandId, correlationId: commandId, causationId: commandId }
    })
  })

const freshTenant = (label: string) => `state-cache-${label}-${randomUUID().slice(0, 13)}`

/** What a caller sees of one command: the events' payloads and the version, or the error's tag and code. */
const outcomeOf = (exit: Exit.Exit<CommandHandler.Handled<Tally>, { readonly _tag: string }>) =>
  Exit.isSuccess(exit)
    ? { version: exit.value.version, state: exit.value.state, events: exit.value.events.map((e) => e.data) }
    : exit.cause.reasons.map((r) => (r._tag === "Fail" ? [r.error._tag, (r.error as { code?: string }).code] : r._tag))

/** Every event of a tally records the state it was decided on: that state must be the stream before it. */
const assertEveryDecisionSawTheStream = (tenant: string, tally: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const events = yield* store
      .readStream(tenant, StreamId.make("tally", tally))
      .pipe(Effect.catchTag("StreamNotFound", () => Effect.succeed([])))
    let total = 0
    for (const event of events) {
      const data = event.data as { amount: number; seen: number; before: number }
      if (event.commandId.startsWith("raw-")) {
        total += data.amount
        continue
      }
      assert.deepStrictEqual(
        { seen: data.seen, before: data.before },
        { seen: event.version - 1, before: total },
        `tally ${tally}, version ${event.version}`
      )
      total += data.amount
    }
  })

export interface SuiteOptions {
  /** Runs of each property (default 25). */
  readonly numRuns?: number
}

/**
 * The state cache's properties on one store, registered with vitest: a store's test file is one line,
 * `StateCacheSuite.suite("pglite", PgEventStore.layerPglite())`. Each run works in tenants of its own.
 */
export const suite = (
  name: string,
  storeLayer: Layer.Layer<EventStore.EventStore, unknown>,
  options: SuiteOptions = {}
): void => {
  const numRuns = options.numRuns ?? 25
  const services = Layer.merge(storeLayer, IdGenerator.layer)

  layer(services, { excludeTestServices: true, timeout: "2 minutes" })(`StateCache: ${name}`, (it) => {
    const property = <A>(
      arbitrary: fc.Arbitrary<A>,
      body: (value: A) => Effect.Effect<void, unknown, EventStore.EventStore | IdGenerator.IdGenerator>
    ) =>
      Effect.flatMap(Effect.context<EventStore.EventStore | IdGenerator.IdGenerator>(), (context) =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(arbitrary, (value) => Effect.runPromise(body(value).pipe(Effect.provide(context)))),
            { numRuns }
          )
        )
      )

    it.effect(
      "two caching handlers and a raw writer on one store decide exactly as a handler that folds every stream",
      () =>
        property(
          fc.tuple(fc.array(step, { minLength: 1, maxLength: 30 }), fc.constantFrom(1, 2, 1_000)),
          ([steps, capacity]) =>
            Effect.gen(function* () {
              const cached = freshTenant("cached")
              const plain = freshTenant("plain")
              const run = (tenant: string, settings: StateCache.Settings) =>
                Effect.gen(function* () {
                  const outcomes: Array<unknown> = []
                  for (const [n, s] of steps.entries()) {
                    const command = { _tag: "Add", tally: String(s.tally), amount: s.amount } as const
                    const meta = (who: string) => ({ actor, commandId: `${who}-${n}` })
                    if (s.writer === "raw") {
                      yield* rawAppend(tenant, String(s.tally), s.amount, `raw-${n}`)
                      continue
                    }
                    if (s.writer === "both") {
                      // Racing on one stream: which wins differs between runs, so only the log's soundness is checked.
                      yield* Effect.all(
                        [
                          Effect.exit(handleA(tenant, command, meta("a"))),
                          Effect.exit(handleB(tenant, command, meta("b")))
                        ],
                        { concurrency: 2 }
                      ).pipe(Effect.provideService(StateCache.Settings, settings))
                      continue
                    }
                    const handle = s.writer === "a" ? handleA : handleB
                    const exit = yield* Effect.exit(handle(tenant, command, meta(s.writer))).pipe(
                      Effect.provideService(StateCache.Settings, settings)
                    )
                    outcomes.push(outcomeOf(exit))
                  }
                  return outcomes
                })

              const withCache = yield* run(cached, { capacity })
              yield* assertEveryDecisionSawTheStream(cached, "0")
              yield* assertEveryDecisionSawTheStream(cached, "1")
              // Without racing steps both runs write the same log, so every outcome must match.
              if (steps.every((s) => s.writer !== "both")) {
                const withoutCache = yield* run(plain, StateCache.disabled)
                assert.deepStrictEqual(withCache, withoutCache)
              }
            })
        )
    )

    it.effect(
      "another writer between a caught-up load and the append: the append conflicts, the retry decides on it",
      () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const tenant = freshTenant("conflict")
          let armed = false
          const seenByAttempt: Array<Tally> = []
          const fromVersions: Array<number | undefined> = []
          // The other writer gets in once the first attempt has loaded, before it appends.
          const handle = CommandHandler.make({
            ...definition,
            loadContext: (_command, state, base) =>
              Effect.gen(function* () {
                seenByAttempt.push(state)
                if (armed) {
                  armed = false
                  yield* Effect.orDie(rawAppend(tenant, "t", 30, "raw-1"))
                }
                return base
              })
          })
          const spied: EventStore.EventStoreShape = {
            ...store,
            readStream: (t, stream, options) => {
              fromVersions.push(options?.fromVersion)
              return store.readStream(t, stream, options)
            }
          }
          const add = (amount: number, commandId: string) =>
            handle(tenant, { _tag: "Add", tally: "t", amount }, { actor, commandId }).pipe(
              Effect.provideService(EventStore.EventStore, spied)
            )
          yield* add(2, "c0")
          yield* add(3, "c1")
          assert.deepStrictEqual(seenByAttempt, [
            { count: 0, total: 0 },
            { count: 1, total: 2 }
          ])
          seenByAttempt.length = 0
          fromVersions.length = 0
          armed = true
          const decided = yield* add(5, "c2")
          // Both attempts start from the kept state at version 2 and read only from there on.
          assert.deepStrictEqual(fromVersions, [2, 2])
          assert.deepStrictEqual(seenByAttempt, [
            { count: 2, total: 5 },
            { count: 3, total: 35 }
          ])
          assert.deepStrictEqual(
            decided.events.map((e) => e.data),
            [{ amount: 5, seen: 3, before: 35 }]
          )
          assert.deepStrictEqual(
            { version: decided.version, state: decided.state },
            { version: 4, state: { count: 4, total: 40 } }
          )
          // The rule is checked against what the other writer added: the next 1 would pass the limit.
          const refused = yield* Effect.flip(add(1, "c3"))
          assert.strictEqual(refused._tag === "RuleViolation" && refused.code, "OverLimit")
          yield* assertEveryDecisionSawTheStream(tenant, "t")
        })
    )
  })
}
