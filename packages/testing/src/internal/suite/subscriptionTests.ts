import { assert, describe } from "@effect/vitest"
import { type Envelope, ExpectedVersion } from "@shuangbai/eventsourcing"
import { Deferred, Effect, Fiber, Stream } from "effect"
import {
  append,
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
  store,
  stream,
  test
} from "./fixtures.ts"

interface Subscriber {
  readonly fiber: Fiber.Fiber<void, unknown>
  /** What it has received so far, for the report when it stalls. */
  readonly seen: Array<Envelope.StoredEvent>
  /** Completes once it has received this many events. */
  readonly reached: (count: number) => Effect.Effect<void, unknown>
}

/**
 * Starts a subscriber that takes `count` events after `after`, recording each as it arrives. Positions
 * are gapless, so it must see after + 1, after + 2, …: anything else fails it at once, naming the slip.
 */
const subscribe = (tenant: string, after: number, count: number, types?: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const s = yield* store
    const seen: Array<Envelope.StoredEvent> = []
    const waiting: Array<[number, Deferred.Deferred<void>]> = []
    const fiber = yield* s.subscribe(tenant, { after, types }).pipe(
      Stream.take(count),
      Stream.runForEach((e) =>
        Effect.suspend(() => {
          const expected = after + seen.length + 1
          // Of some types, positions are not consecutive: each must still come after the one before.
          const previous = seen.length === 0 ? after : seen[seen.length - 1]!.position
          if (types !== undefined ? e.position <= previous || !types.includes(e.type) : e.position !== expected) {
            const slip = e.position < expected ? "repeated" : "skipped"
            return Effect.fail(new Error(`subscriber ${slip}: got position ${e.position} where ${expected} was due`))
          }
          seen.push(e)
          for (const [n, done] of waiting) if (seen.length >= n) Deferred.doneUnsafe(done, Effect.void)
          return Effect.void
        })
      ),
      // Started at once, so it is subscribed (and caught up) before the test goes on to write.
      Effect.forkChild({ startImmediately: true })
    )
    const ended = Effect.flatMap(Fiber.join(fiber), () =>
      Effect.fail(new Error(`subscription ended after ${seen.length} events`))
    )
    const reached = (n: number) =>
      Effect.suspend(() => {
        if (seen.length >= n) return Effect.void
        const done = Deferred.makeUnsafe<void>()
        waiting.push([n, done])
        return Effect.raceFirst(Deferred.await(done), ended)
      })
    return { fiber, seen, reached } satisfies Subscriber
  })

/** Waits for a subscriber to finish; if it stalls, fails saying which positions it did receive. */
const finish = (subscriber: Subscriber, label: string) =>
  Fiber.join(subscriber.fiber).pipe(
    Effect.timeoutOrElse({
      duration: "10 seconds",
      orElse: () =>
        Effect.fail(
          new Error(
            `${label} stalled after ${subscriber.seen.length} events: positions ${positions(subscriber.seen).join(",")}`
          )
        )
    }),
    Effect.as(subscriber.seen)
  )

/**
 * One more event after all the others. A subscriber takes one event more than the test wrote, so the
 * last one it takes must be this one: a subscriber that repeats an event at the end of its catch-up
 * shows it here instead of having stopped just before the repeat.
 */
const appendSentinel = (tenant: string) => append(request(tenant, stream(), ExpectedVersion.any, events(1, "sentinel")))

export const subscriptionTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("subscriptions", () => {
    effect("subscribers see every event exactly once, in position order, while many writers append", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("fanout")
        const streams = Array.from({ length: 6 }, () => stream())
        const writers = 12
        const appendsEach = 5
        const size = (w: number, i: number) => 1 + ((w + i) % 2)
        const total = range(0, writers - 1).reduce(
          (n, w) => n + range(1, appendsEach).reduce((m, i) => m + size(w, i), 0),
          0
        )
        const early = yield* Effect.forEach(range(1, 3), () => subscribe(tenant, 0, total + 1))
        const write = (w: number) =>
          Effect.forEach(
            range(1, appendsEach),
            (i) =>
              append(request(tenant, streams[(w + i) % streams.length]!, ExpectedVersion.any, events(size(w, i)))).pipe(
                // An in-process store never blocks: yielding lets subscribers read between appends.
                Effect.tap(() => Effect.yieldNow)
              ),
            { concurrency: 1 }
          )
        yield* Effect.all(range(0, writers / 2 - 1).map(write), { concurrency: "unbounded" })
        // One more joins halfway: it catches up on what is there while the rest is still being written.
        const late = yield* subscribe(tenant, 0, total + 1)
        yield* Effect.all(range(writers / 2, writers - 1).map(write), { concurrency: "unbounded" })
        yield* appendSentinel(tenant)
        const all = yield* readAll(tenant)
        assert.deepStrictEqual(positions(all), range(1, total + 1), "the log has every event, gapless")
        for (const [i, subscriber] of [...early, late].entries()) {
          const seen = yield* finish(subscriber, `subscriber ${i}`)
          assert.deepStrictEqual(positions(seen), range(1, total + 1), `subscriber ${i} positions`)
          assert.deepStrictEqual(ids(seen), ids(all), `subscriber ${i} saw exactly the log`)
        }
      })
    )

    effect("a subscription from a middle position delivers only what follows it", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("middle")
        for (let i = 0; i < 3; i++) yield* append(request(tenant, stream(), ExpectedVersion.any, events(2)))
        const subscriber = yield* subscribe(tenant, 3, 4)
        yield* appendSentinel(tenant)
        const seen = yield* finish(subscriber, "subscriber after 3")
        assert.deepStrictEqual(seen, yield* readAll(tenant, 3))
        assert.deepStrictEqual(positions(seen), [4, 5, 6, 7])
      })
    )

    effect("a subscription catches up, then receives live appends", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("live")
        const on = stream()
        yield* append(request(tenant, on, ExpectedVersion.any, events(3)))
        const subscriber = yield* subscribe(tenant, 0, 7)
        yield* subscriber.reached(3).pipe(
          Effect.timeoutOrElse({
            duration: "10 seconds",
            orElse: () => Effect.fail(new Error(`catch-up stalled at ${subscriber.seen.length} of 3 events`))
          })
        )
        for (let i = 0; i < 3; i++) yield* append(request(tenant, on, ExpectedVersion.any, events(1)))
        yield* appendSentinel(tenant)
        const seen = yield* finish(subscriber, "live subscriber")
        assert.deepStrictEqual(seen, yield* readAll(tenant))
      })
    )

    effect("a subscription of some types delivers those, caught up and live, each once in order", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("types-sub")
        const on = stream()
        const typed = (type: string) => event({ type }, { type })
        yield* append(request(tenant, on, ExpectedVersion.any, [typed("A"), typed("B"), typed("B"), typed("A")]))
        // Six A events in all: two caught up, then a long run of B (passed over) before the live ones.
        const subscriber = yield* subscribe(tenant, 0, 6, ["A"])
        yield* subscriber.reached(2).pipe(
          Effect.timeoutOrElse({
            duration: "10 seconds",
            orElse: () => Effect.fail(new Error(`catch-up stalled at ${subscriber.seen.length} of 2 events`))
          })
        )
        yield* append(
          request(
            tenant,
            on,
            ExpectedVersion.any,
            Array.from({ length: 5 }, () => typed("B"))
          )
        )
        for (const type of ["A", "B", "A", "A", "B", "A"])
          yield* append(request(tenant, on, ExpectedVersion.any, [typed(type)]))
        const seen = yield* finish(subscriber, "subscriber of A")
        assert.deepStrictEqual(
          seen,
          (yield* readAll(tenant)).filter((e) => e.type === "A")
        )
      })
    )

    effect("a subscription to a tenant with no events waits for its first ones", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("empty-sub")
        const subscriber = yield* subscribe(tenant, 0, 3)
        yield* append(request(tenant, stream(), ExpectedVersion.any, events(1)))
        yield* append(request(tenant, stream(), ExpectedVersion.any, events(1)))
        yield* appendSentinel(tenant)
        const seen = yield* finish(subscriber, "subscriber")
        assert.deepStrictEqual(seen, yield* readAll(tenant))
        assert.deepStrictEqual(positions(seen), [1, 2, 3])
      })
    )
  })
}
