import { assert, describe } from "@effect/vitest"
import { ExpectedVersion, IdempotencyMismatch } from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import {
  append,
  assertAccepted,
  assertConflict,
  assertStoreError,
  attempt,
  event,
  events,
  freshId,
  freshTenant,
  head,
  type It,
  ids,
  type Options,
  positions,
  readAll,
  request,
  store,
  stream,
  test,
  versions
} from "./fixtures.ts"

const exact = (version: number): ExpectedVersion.ExpectedVersion => ({ _tag: "Exact", version })

export const expectedVersionTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("expected version", () => {
    effect("NoStream accepts a new stream and refuses an existing one", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("nostream")
        const s = stream()
        const first = yield* append(request(tenant, s, ExpectedVersion.noStream, events(2)))
        assert.strictEqual(first.version, 2)
        assert.deepStrictEqual(versions(first.events), [1, 2])
        const conflict = assertConflict(
          yield* attempt(request(tenant, s, ExpectedVersion.noStream, events(1))),
          2,
          "NoStream on a stream at version 2"
        )
        assert.deepStrictEqual(conflict.expected, { _tag: "NoStream" })
        assert.strictEqual(conflict.tenant, tenant)
        assert.deepStrictEqual(conflict.stream, s)
      })
    )

    effect("Exact accepts only the stream's current version", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("exact")
        const s = stream()
        assertConflict(yield* attempt(request(tenant, s, exact(1), events(1))), 0, "Exact 1 on a new stream")
        assertAccepted(yield* attempt(request(tenant, s, exact(0), events(2))), "Exact 0 on a new stream")
        const moved = assertAccepted(yield* attempt(request(tenant, s, exact(2), events(1))), "Exact 2 at version 2")
        assert.strictEqual(moved.version, 3)
        assert.deepStrictEqual(versions(moved.events), [3])
        const stale = assertConflict(yield* attempt(request(tenant, s, exact(2), events(1))), 3, "Exact 2 at version 3")
        assert.deepStrictEqual(stale.expected, { _tag: "Exact", version: 2 })
        assertConflict(yield* attempt(request(tenant, s, exact(5), events(1))), 3, "Exact 5 at version 3")
      })
    )

    effect("StreamExists refuses a new stream and accepts an existing one", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("exists")
        const s = stream()
        const refused = assertConflict(
          yield* attempt(request(tenant, s, ExpectedVersion.streamExists, events(1))),
          0,
          "StreamExists on a new stream"
        )
        assert.deepStrictEqual(refused.expected, { _tag: "StreamExists" })
        yield* append(request(tenant, s, ExpectedVersion.noStream, events(1)))
        const result = yield* append(request(tenant, s, ExpectedVersion.streamExists, events(2)))
        assert.deepStrictEqual(versions(result.events), [2, 3])
      })
    )

    effect("Any accepts a new stream and an existing one", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("any")
        const s = stream()
        const first = yield* append(request(tenant, s, ExpectedVersion.any, events(1)))
        const second = yield* append(request(tenant, s, ExpectedVersion.any, events(1)))
        assert.deepStrictEqual([...versions(first.events), ...versions(second.events)], [1, 2])
      })
    )

    effect("a refused append writes nothing and does not record its commandId", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("refused")
        const s = stream()
        yield* append(request(tenant, s, ExpectedVersion.noStream, events(2)))
        const before = yield* readAll(tenant)
        const headBefore = yield* head(tenant)
        const retried = request(tenant, s, exact(1), events(1))
        assertConflict(yield* attempt(retried), 2, "a stale Exact 1")
        assert.deepStrictEqual(yield* readAll(tenant), before)
        assert.deepStrictEqual(yield* head(tenant), headBefore)
        assert.isUndefined(yield* (yield* store).readCommand(tenant, retried.context.commandId))
        // The command handler retries with the same commandId after a conflict: that retry must be new.
        const retry = yield* append({ ...retried, expected: exact(2) })
        assert.isFalse(retry.duplicate)
        assert.deepStrictEqual(positions(retry.events), [3])
      })
    )
  })
}

export const validationTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("invalid requests", () => {
    effect("refuses malformed requests and NUL in payloads with InvalidRequest, writing nothing", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("invalid")
        const s = stream()
        yield* append(request(tenant, s, ExpectedVersion.noStream, events(1)))
        const before = yield* readAll(tenant)
        const duplicated = event()
        const cases = {
          "a stream category in capitals": request(
            tenant,
            stream(freshId("s"), "Visit"),
            ExpectedVersion.any,
            events(1)
          ),
          "an event id that is not a UUIDv7": request(tenant, s, ExpectedVersion.any, [event({}, { eventId: "42" })]),
          "an event id twice in one append": request(tenant, s, ExpectedVersion.any, [duplicated, duplicated]),
          "an occurredAt that is not an instant": request(tenant, s, ExpectedVersion.any, [
            event({}, { occurredAt: "yesterday" })
          ]),
          "a commandId with a space": request(tenant, s, ExpectedVersion.any, events(1), "command 1"),
          "NUL in a payload string": request(tenant, s, ExpectedVersion.any, [event({ note: "a\u0000b" })]),
          "NUL deep in a payload": request(tenant, s, ExpectedVersion.any, [event({ list: [{ deep: ["\u0000"] }] })]),
          "NUL in a payload key": request(tenant, s, ExpectedVersion.any, [event({ "k\u0000": 1 })]),
          "NUL in the second event of a batch": request(tenant, s, ExpectedVersion.any, [
            event(),
            event({ x: "\u0000" })
          ])
        }
        for (const [what, req] of Object.entries(cases)) {
          assertStoreError(yield* attempt(req), "InvalidRequest", what)
          assert.deepStrictEqual(yield* readAll(tenant), before, `${what}: nothing is written`)
        }
      })
    )

    effect("refuses an event over the size limit with TooLarge, writing nothing of its batch", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("large")
        const huge = event({ blob: "x".repeat(1024 * 1024 + 16) })
        assertStoreError(
          yield* attempt(request(tenant, stream(), ExpectedVersion.any, [event(), huge])),
          "TooLarge",
          "an event of more than 1 MiB"
        )
        assert.deepStrictEqual((yield* head(tenant)).position, 0)
        assert.deepStrictEqual(yield* readAll(tenant), [])
      })
    )

    effect("refuses an event id already stored, writing nothing of its batch", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("reused")
        const stored = yield* append(request(tenant, stream(), ExpectedVersion.any, events(1)))
        const fresh = event()
        const reuse = event({ other: true }, { eventId: stored.events[0]!.eventId })
        assertStoreError(
          yield* attempt(request(tenant, stream(), ExpectedVersion.any, [fresh, reuse])),
          "InvalidRequest",
          "an event id already stored"
        )
        assert.deepStrictEqual(ids(yield* readAll(tenant)), ids(stored.events))
        // Nothing of the refused batch was kept: its fresh event id is still free.
        const later = yield* append(request(tenant, stream(), ExpectedVersion.any, [fresh]))
        assert.deepStrictEqual(positions(later.events), [2])
      })
    )
  })
}

export const idempotencyTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("idempotency by commandId", () => {
    effect("the same request again returns the first result, marked duplicate, and writes nothing", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("dup")
        const req = request(tenant, stream(), ExpectedVersion.noStream, events(2))
        const first = yield* append(req)
        assert.isFalse(first.duplicate)
        const headAfter = yield* head(tenant)
        const again = yield* append(req)
        assert.isTrue(again.duplicate)
        assert.deepStrictEqual(again.events, first.events)
        assert.strictEqual(again.version, first.version)
        assert.deepStrictEqual(yield* head(tenant), headAfter)
      })
    )

    effect("a retry with new event ids and times but the same payload is the same request", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("retry")
        const req = request(tenant, stream(), ExpectedVersion.noStream, events(2, "retry"))
        const first = yield* append(req)
        const reminted = req.events.map((e) => ({
          ...e,
          eventId: event().eventId,
          occurredAt: "2024-03-16T00:00:00.000Z"
        }))
        const again = yield* append({ ...req, events: reminted })
        assert.isTrue(again.duplicate)
        assert.deepStrictEqual(ids(again.events), ids(first.events))
        assert.strictEqual((yield* head(tenant)).position, 2)
      })
    )

    effect("a duplicate is recognised after the stream moved on, before the version check", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("stale-dup")
        const s = stream()
        const req = request(tenant, s, ExpectedVersion.noStream, events(1))
        const first = yield* append(req)
        yield* append(request(tenant, s, exact(1), events(1)))
        const again = yield* append(req)
        assert.isTrue(again.duplicate)
        assert.deepStrictEqual(again.events, first.events)
        assert.strictEqual((yield* head(tenant)).position, 2)
      })
    )

    effect("the same commandId with another request is refused with IdempotencyMismatch", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("mismatch")
        const s = stream()
        const req = request(tenant, s, ExpectedVersion.noStream, [event({ n: 1 })])
        yield* append(req)
        const before = yield* readAll(tenant)
        const variants = {
          "another payload": { ...req, events: [event({ n: 2 })] },
          "another stream": { ...req, stream: stream() },
          "another event type": { ...req, events: [event({ n: 1 }, { type: "Other" })] },
          "more events": { ...req, events: [event({ n: 1 }), event({ n: 1 })] },
          "other subjects": { ...req, events: [event({ n: 1 }, { subjects: ["household-1"] })] }
        }
        for (const [what, variant] of Object.entries(variants)) {
          const outcome = yield* attempt(variant)
          assert.isTrue(Result.isFailure(outcome), `${what}: accepted`)
          const failure = Result.isFailure(outcome) ? outcome.failure : undefined
          assert.instanceOf(failure, IdempotencyMismatch, `${what}: ${failure?.message}`)
          assert.strictEqual((failure as IdempotencyMismatch).commandId, req.context.commandId)
          assert.deepStrictEqual(yield* readAll(tenant), before, `${what}: nothing is written`)
        }
      })
    )

    effect("readCommand returns what a command wrote, and nothing for an unknown command", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("readcmd")
        const s = yield* store
        const req = request(tenant, stream(), ExpectedVersion.noStream, events(3))
        const written = yield* append(req)
        yield* append(request(tenant, stream(), ExpectedVersion.noStream, events(1)))
        assert.deepStrictEqual(yield* s.readCommand(tenant, req.context.commandId), written.events)
        assert.isUndefined(yield* s.readCommand(tenant, freshId("unknown")))
        assert.isUndefined(yield* s.readCommand(freshTenant("other"), req.context.commandId))
      })
    )
  })
}
