import { assert, describe } from "@effect/vitest"
import { type EventStore, EventStoreError, ExpectedVersion } from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import {
  actor,
  append,
  attempt,
  event,
  events,
  freshTenant,
  head,
  type It,
  type Options,
  readAll,
  request,
  store,
  stream,
  test
} from "./fixtures.ts"

const nested = (depth: number): unknown => {
  let value: unknown = { leaf: true }
  for (let i = 0; i < depth; i++) value = { child: value }
  return value
}

const cyclic = (): unknown => {
  const value: Record<string, unknown> = { name: "loop" }
  value.self = { back: value }
  return value
}

/**
 * Requests every store refuses alike, before it touches storage, each with a word its message names: the
 * rows of the bad-input table (issue 8), as a store sees them.
 */
const hostileRequests = (
  tenant: string
): Record<string, { readonly request: EventStore.AppendRequest; readonly names: string }> => {
  const on = stream()
  const ok = (batch = events(1)) => request(tenant, on, ExpectedVersion.any, batch)
  const withData = (data: unknown) => ({ request: ok([event(data)]), names: "data" })
  return {
    "an empty tenant": { request: { ...ok(), tenant: "" }, names: "tenant" },
    "a tenant with a space": { request: { ...ok(), tenant: "a b" }, names: "tenant" },
    "a tenant with NUL": { request: { ...ok(), tenant: "t\u0000" }, names: "tenant" },
    "a tenant of 1 MB": { request: { ...ok(), tenant: "t".repeat(1024 * 1024) }, names: "tenant" },
    "a tenant with a zero-width space": { request: { ...ok(), tenant: `${tenant}\u200b` }, names: "tenant" },
    "a stream id with a right-to-left override": {
      request: request(tenant, stream(`hh-0\u202e`), ExpectedVersion.any, events(1)),
      names: "stream"
    },
    "a subject with a zero-width space": { request: ok([event({}, { subjects: ["hh-0\u200b"] })]), names: "subjects" },
    "a subject with a soft hyphen": { request: ok([event({}, { subjects: ["hh\u00ad0"] })]), names: "subjects" },
    "a commandId with a space": {
      request: { ...ok(), context: { ...ok().context, commandId: "cmd 1" } },
      names: "commandId"
    },
    "an actor with a phone number": {
      request: { ...ok(), context: { ...ok().context, actor: { ...actor, phone: "13800000000" } as typeof actor } },
      names: "phone"
    },
    "an actor with an id card": {
      request: { ...ok(), context: { ...ok().context, actor: { ...actor, idCard: "44000000" } as typeof actor } },
      names: "idCard"
    },
    "an unknown expected tag": {
      request: { ...ok(), expected: { _tag: "Whenever" } as unknown as ExpectedVersion.ExpectedVersion },
      names: "expected"
    },
    "a negative expected version": {
      request: { ...ok(), expected: { _tag: "Exact", version: -1 } },
      names: "expected"
    },
    "an occurredAt with no such day or time": {
      request: ok([event({}, { occurredAt: "9999-99-99T99:99:99.999Z" })]),
      names: "occurredAt"
    },
    "an occurredAt on 30 February": {
      request: ok([event({}, { occurredAt: "2024-02-30T00:00:00.000Z" })]),
      names: "occurredAt"
    },
    "an occurredAt with an offset": {
      request: ok([event({}, { occurredAt: "2024-03-15T10:00:00.000+08:00" })]),
      names: "occurredAt"
    },
    "a lone surrogate in a payload": withData({ note: "half \ud83d of a pair" }),
    "a lone surrogate in a payload key": withData({ "k\udc00": 1 }),
    "a BigInt in a payload": withData({ amount: 10n }),
    "a cycle in a payload": withData(cyclic()),
    "a payload nested 10,000 deep": withData(nested(10_000)),
    "NaN in a payload": withData({ n: Number.NaN }),
    "Infinity in a payload": withData({ n: [Number.POSITIVE_INFINITY] }),
    "a Map in a payload": withData({ m: new Map([["a", 1]]) }),
    "a function in a payload": withData({ f: () => 1 }),
    "a Date in a payload": withData({ at: new Date(0) }),
    "undefined in a payload array": withData({ list: [1, undefined] })
  }
}

export const hostileTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("hostile input", () => {
    // One test per row, so that each row is seen to fail on a store that lets it through.
    for (const what of Object.keys(hostileRequests("any"))) {
      effect(`refuses ${what} with InvalidRequest naming it, writing nothing`, () =>
        Effect.gen(function* () {
          const tenant = freshTenant("hostile")
          yield* append(request(tenant, stream(), ExpectedVersion.noStream, events(1)))
          const before = yield* readAll(tenant)
          const headBefore = yield* head(tenant)
          const { request: req, names } = hostileRequests(tenant)[what]!
          const outcome = yield* attempt(req)
          if (Result.isSuccess(outcome)) return assert.fail(`${what}: accepted, expected InvalidRequest`)
          const error = outcome.failure
          assert.instanceOf(error, EventStoreError, `${what}: ${error._tag} ${error.message}`)
          assert.strictEqual((error as EventStoreError).reason, "InvalidRequest", `${what}: ${error.message}`)
          assert.include(error.message, names, `${what}: the message names what is wrong`)
          assert.deepStrictEqual(yield* readAll(tenant), before, `${what}: nothing is written`)
          assert.deepStrictEqual(yield* head(tenant), headBefore, `${what}: the head stays`)
          assert.isUndefined(
            yield* (yield* store).readCommand(tenant, req.context.commandId),
            `${what}: the commandId is not recorded`
          )
        })
      )
    }

    effect("accepts the edges of what is valid: an id of 128 characters, nesting 64 deep, huge numbers", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("edges")
        const data = { deep: nested(62), big: 1e308, tiny: 5e-324, negative: -Number.MAX_SAFE_INTEGER, emoji: "家👪" }
        const result = yield* append(
          request(tenant, stream("h".repeat(128)), ExpectedVersion.any, [event(data, { subjects: ["p".repeat(128)] })])
        )
        assert.deepStrictEqual(result.events[0]!.data, data)
        assert.deepStrictEqual((yield* readAll(tenant))[0]!.data, data)
      })
    )

    effect("readStream refuses an asOfTime that is not an instant in UTC instead of comparing text", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("asof")
        const on = stream()
        yield* append(request(tenant, on, ExpectedVersion.noStream, events(2)))
        const s = yield* store
        for (const asOfTime of ["garbage", "2024-03-15T10:00:00.000+08:00", "2024-03-15", "9999-99-99T99:99:99.999Z"]) {
          const error = yield* Effect.flip(s.readStream(tenant, on, { asOfTime }))
          assert.instanceOf(error, EventStoreError, `${asOfTime}: ${error._tag}`)
          assert.strictEqual((error as EventStoreError).reason, "InvalidRequest", asOfTime)
          assert.include(error.message, "asOfTime", asOfTime)
        }
        assert.lengthOf(yield* s.readStream(tenant, on, { asOfTime: "9999-12-31T23:59:59.999Z" }), 2)
      })
    )
  })
}
