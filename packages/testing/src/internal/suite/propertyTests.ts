import { assert, describe } from "@effect/vitest"
import { type EventStore, ExpectedVersion, HashChain, Scalars } from "@shuangbai/eventsourcing"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import * as TextArbitrary from "../textArbitrary.ts"
import {
  append,
  assertAccepted,
  assertConflict,
  attempt,
  event,
  events,
  freshTenant,
  type It,
  ids,
  type Options,
  positions,
  range,
  readAll,
  request,
  stream,
  test
} from "./fixtures.ts"

const expectation: fc.Arbitrary<ExpectedVersion.ExpectedVersion> = fc.oneof(
  fc.constant(ExpectedVersion.noStream),
  fc.constant(ExpectedVersion.streamExists),
  fc.constant(ExpectedVersion.any),
  fc.integer({ min: 0, max: 5 }).map((version) => ({ _tag: "Exact", version }) as const)
)

const plan = fc.array(
  fc.record({ stream: fc.integer({ min: 0, max: 2 }), expected: expectation, size: fc.integer({ min: 1, max: 3 }) }),
  { minLength: 1, maxLength: 12 }
)

/** Payloads as the codec writes them: JSON objects, any text but NUL. */
const payload = fc.dictionary(
  fc.string({ unit: TextArbitrary.textUnit, maxLength: 12 }).filter((k) => k !== "__proto__"),
  fc.jsonValue({ maxDepth: 3, stringUnit: TextArbitrary.textUnit }),
  { maxKeys: 6 }
)
const isInstant = Schema.is(Scalars.Instant)
const subject = fc.stringMatching(/^[a-z0-9-]{1,20}$/)

/** Runs an Effect property with the store of the enclosing test. */
const property = <A>(
  options: Options,
  arbitrary: fc.Arbitrary<A>,
  body: (value: A) => Effect.Effect<void, unknown, EventStore.EventStore>
) =>
  Effect.flatMap(Effect.context<EventStore.EventStore>(), (context) =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(arbitrary, (value) => Effect.runPromise(body(value).pipe(Effect.provide(context)))),
        { numRuns: options.numRuns }
      )
    )
  )

export const propertyTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("properties", () => {
    effect("random appends with random expectations: accepted and refused exactly as the model says", () =>
      property(options, fc.tuple(plan, fc.integer({ min: 1, max: 7 })), ([steps, pageSize]) =>
        Effect.gen(function* () {
          const tenant = freshTenant("model")
          const streams = [stream(), stream(), stream()]
          const model = { versions: [0, 0, 0], log: [] as Array<string> }
          for (const [n, step] of steps.entries()) {
            const current = model.versions[step.stream]!
            const batch = events(step.size, `step-${n}`)
            const outcome = yield* attempt(request(tenant, streams[step.stream]!, step.expected, batch))
            const what = `step ${n}: ${step.expected._tag} on a stream at ${current}`
            if (!ExpectedVersion.accepts(step.expected, current)) {
              assertConflict(outcome, current, what)
              continue
            }
            const result = assertAccepted(outcome, what)
            assert.deepStrictEqual(
              result.events.map((e) => e.version),
              range(current + 1, current + step.size)
            )
            assert.deepStrictEqual(positions(result.events), range(model.log.length + 1, model.log.length + step.size))
            model.versions[step.stream] = current + step.size
            model.log.push(...ids(batch))
          }
          const all = yield* readAll(tenant)
          assert.deepStrictEqual(ids(all), model.log, "the log is exactly the accepted events, in order")
          assert.isUndefined(HashChain.verify(all))
          const paged = []
          for (let after = 0; after < model.log.length; after += pageSize)
            paged.push(...(yield* readAll(tenant, after, pageSize)))
          assert.deepStrictEqual(paged, all, `pages of ${pageSize}`)
        })
      )
    )

    effect("any JSON payload, subjects and schema version are stored as given", () =>
      property(
        options,
        fc.array(
          fc.record({
            data: payload,
            subjects: fc.uniqueArray(subject, { maxLength: 3 }),
            schemaVersion: fc.integer({ min: 1, max: 1000 }),
            type: fc.stringMatching(/^[A-Z][A-Za-z]{0,30}$/)
          }),
          { minLength: 1, maxLength: 4 }
        ),
        (specs) =>
          Effect.gen(function* () {
            const tenant = freshTenant("payload")
            const batch = specs.map(({ data, ...rest }) => event(data, rest))
            const result = yield* append(request(tenant, stream(), ExpectedVersion.noStream, batch))
            const read = yield* readAll(tenant)
            assert.deepStrictEqual(read, result.events)
            for (const [i, stored] of read.entries()) {
              // What JSON can carry: `-0` comes back as 0, as it would through any JSON store.
              assert.deepStrictEqual(stored.data, JSON.parse(JSON.stringify(batch[i]!.data)))
              assert.deepStrictEqual(stored.subjects, batch[i]!.subjects)
              assert.strictEqual(stored.schemaVersion, batch[i]!.schemaVersion)
              assert.strictEqual(stored.type, batch[i]!.type)
              assert.isTrue(isInstant(stored.recordedAt), `recordedAt ${stored.recordedAt}`)
            }
          })
      )
    )
  })
}
