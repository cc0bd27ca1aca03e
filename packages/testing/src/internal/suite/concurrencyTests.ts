import { assert, describe } from "@effect/vitest"
import { ConcurrencyConflict, type Envelope, type EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import {
  attempt,
  event,
  freshTenant,
  type It,
  ids,
  type Options,
  positions,
  range,
  readAll,
  request,
  store,
  stream,
  test,
  versions
} from "./fixtures.ts"

export const concurrencyTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("concurrent writers", () => {
    effect("8 writers racing for each version of one stream: exactly one wins, the others conflict", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("race")
        const s = stream()
        const winners: Array<string> = []
        for (let version = 0; version < 5; version++) {
          const attempts = Array.from({ length: 8 }, (_, writer) =>
            request(tenant, s, ExpectedVersion.exact(version), [event({ version, writer })])
          )
          const outcomes = yield* Effect.all(attempts.map(attempt), { concurrency: "unbounded" })
          const won = outcomes.flatMap((o, i) => (Result.isSuccess(o) ? [i] : []))
          assert.strictEqual(won.length, 1, `exactly one writer wins version ${version + 1}`)
          winners.push(attempts[won[0]!]!.events[0]!.eventId)
          for (const outcome of outcomes) {
            if (Result.isSuccess(outcome)) continue
            assert.instanceOf(outcome.failure, ConcurrencyConflict, outcome.failure.message)
            assert.isAbove((outcome.failure as ConcurrencyConflict).actual, version, "the conflict saw the winner")
          }
        }
        const all = yield* readAll(tenant)
        assert.deepStrictEqual(ids(all), winners)
        assert.deepStrictEqual(versions(all), range(1, 5))
        assert.deepStrictEqual(positions(all), range(1, 5))
      })
    )

    effect("10 writers retrying on conflict: every event lands exactly once, gapless", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("retry-race")
        const s = yield* store
        const on = stream()
        const writers = 10
        const perWriter = 5
        const write = (writer: number, i: number) => {
          const e = event({ writer, i })
          const loop = (tries: number): Effect.Effect<Envelope.NewEvent, unknown, EventStore.EventStore> =>
            Effect.gen(function* () {
              const current = yield* s.readStream(tenant, on).pipe(
                Effect.map((list) => list.length),
                Effect.catchTag("StreamNotFound", () => Effect.succeed(0))
              )
              const outcome = yield* attempt(request(tenant, on, ExpectedVersion.exact(current), [e]))
              if (Result.isSuccess(outcome)) return e
              if (outcome.failure instanceof ConcurrencyConflict && tries < 500) return yield* loop(tries + 1)
              return yield* Effect.fail(outcome.failure)
            })
          return loop(0)
        }
        const written = yield* Effect.all(
          Array.from({ length: writers }, (_, w) =>
            Effect.forEach(range(1, perWriter), (i) => write(w, i), { concurrency: 1 })
          ),
          { concurrency: "unbounded" }
        )
        const all = yield* readAll(tenant)
        assert.deepStrictEqual(positions(all), range(1, writers * perWriter))
        assert.deepStrictEqual(versions(all), range(1, writers * perWriter))
        assert.deepStrictEqual(
          [...ids(all)].sort(),
          written
            .flat()
            .map((e) => e.eventId)
            .sort()
        )
      })
    )
  })
}
