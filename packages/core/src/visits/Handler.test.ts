import { assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion, IdGenerator, StreamId } from "@shuangbai/eventsourcing"
import { Effect, Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import * as Registry from "../registry/index.ts"
import { DateIsInFuture } from "../shared/Dates.ts"
import { VisitAlreadyConducted } from "./Decide.ts"
import { codec } from "./Events.ts"
import { handle } from "./Handler.ts"
import * as Projections from "./Projections.ts"

// Bad input end to end: decoded by the command Schema, decided, appended to the in-memory store. Every
// refusal is a typed error naming the field or the rule, and leaves the store as it was.

const tenant = "yangshan"
const actor = { id: "w1", role: "worker", station: "huangpen" }
const now = Date.parse("2025-01-28T10:00:00+08:00")
const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

const register = {
  _tag: "RegisterHousehold",
  household: "h1",
  station: "huangpen",
  township: "huangpen-town",
  village: "v1",
  address: "黄盆镇某村 3 号",
  head: { person: "grandpa", name: "陈伯", birthDate: "1942-05-05" },
  registeredOn: "2024-03-01"
}
const record = {
  _tag: "RecordVisit",
  visit: "v-1",
  household: "h1",
  station: "huangpen",
  worker: "w1",
  visitedOn: "2025-01-27",
  personsSeen: ["grandpa"],
  modality: "HomeVisit",
  findings: "独居，缺御寒衣物",
  needs: ["御寒衣物"],
  itemsGiven: [{ item: "棉被", quantity: 1 }]
}

/** A household on file, then the position of the log's head. */
const setup = Effect.gen(function* () {
  yield* TestClock.setTime(now)
  yield* Registry.handle(tenant, register, { actor, commandId: "c-register" })
  const store = yield* EventStore.EventStore
  return { store, head: (yield* store.head(tenant)).position }
})

const refused = (input: unknown) =>
  Effect.gen(function* () {
    const { store, head } = yield* setup
    const error = yield* Effect.flip(handle(tenant, input, { actor, commandId: "c-bad" }))
    assert.strictEqual((yield* store.head(tenant)).position, head, "nothing may be written")
    return error
  })

const issuePaths = (error: { readonly _tag: string }) =>
  error._tag === "InvalidCommand"
    ? (error as unknown as { issues: ReadonlyArray<{ path: string }> }).issues.map((i) => i.path)
    : []

describe("visits handler", () => {
  it.effect("records a visit, with its household and persons as subjects and the visit day as business time", () =>
    Effect.gen(function* () {
      const { head } = yield* setup
      const result = yield* handle(tenant, record, { actor, commandId: "c-visit" })
      assert.strictEqual(result.events[0]!.position, head + 1)
      assert.deepStrictEqual(result.events[0]!.subjects, ["h1", "grandpa"])
      assert.strictEqual(result.events[0]!.occurredAt, "2025-01-26T16:00:00.000Z")
      assert.deepStrictEqual(result.events[0]!.stream, StreamId.make("visit", "v-1"))
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses a command with a missing field, naming it", () =>
    Effect.gen(function* () {
      const { findings: _, ...missing } = record
      const error = yield* refused(missing)
      assert.strictEqual(error._tag, "InvalidCommand")
      assert.include(issuePaths(error), "findings")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses a field of the wrong type, naming it", () =>
    Effect.gen(function* () {
      const error = yield* refused({ ...record, itemsGiven: [{ item: "棉被", quantity: "one" }] })
      assert.strictEqual(error._tag, "InvalidCommand")
      assert.include(issuePaths(error), "itemsGiven[0].quantity")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses text with a NUL character, naming the field", () =>
    Effect.gen(function* () {
      const error = yield* refused({ ...record, findings: "ok\u0000" })
      assert.strictEqual(error._tag, "InvalidCommand")
      assert.deepStrictEqual(issuePaths(error), ["findings"])
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses a visit dated in the future with the rule", () =>
    Effect.gen(function* () {
      const error = yield* refused({ ...record, visitedOn: "2025-01-29" })
      assert.strictEqual(error._tag, "RuleViolation")
      assert.isTrue(DateIsInFuture.is(error))
      assert.strictEqual(DateIsInFuture.is(error) && error.fields.field, "visitedOn")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses a household that is not on file, naming it", () =>
    Effect.gen(function* () {
      const error = yield* refused({ ...record, household: "h-unknown" })
      assert.isTrue(Registry.Rules.HouseholdNotRegistered.is(error))
      assert.include(error.message, "h-unknown")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses an archived household", () =>
    Effect.gen(function* () {
      yield* setup
      yield* Registry.handle(
        tenant,
        { _tag: "ArchiveHousehold", household: "h1", archivedOn: "2025-01-02", reason: "迁出" },
        { actor, commandId: "c-archive" }
      )
      const store = yield* EventStore.EventStore
      const head = (yield* store.head(tenant)).position
      const error = yield* Effect.flip(handle(tenant, record, { actor, commandId: "c-visit" }))
      assert.isTrue(Registry.Rules.HouseholdIsArchived.is(error))
      assert.strictEqual((yield* store.head(tenant)).position, head)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a writer whose version moved on is refused, and writes nothing", () =>
    Effect.gen(function* () {
      const { store } = yield* setup
      yield* handle(tenant, record, { actor, commandId: "c-visit" })
      const head = (yield* store.head(tenant)).position
      const stale = codec.encode(
        (yield* Effect.fromResult(codec.decode((yield* store.readStream(tenant, StreamId.make("visit", "v-1")))[0]!)))
          .event
      )
      const error = yield* Effect.flip(
        store.append({
          tenant,
          stream: StreamId.make("visit", "v-1"),
          expected: ExpectedVersion.noStream,
          events: [
            {
              eventId: yield* (yield* IdGenerator.IdGenerator).next,
              ...stale,
              occurredAt: "2025-01-27T00:00:00.000Z",
              subjects: []
            }
          ],
          context: { actor, commandId: "c-stale", correlationId: "c-stale", causationId: "c-stale" }
        })
      )
      assert.strictEqual(error._tag, "ConcurrencyConflict")
      assert.strictEqual(error._tag === "ConcurrencyConflict" && error.actual, 1)
      assert.strictEqual((yield* store.head(tenant)).position, head)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("two writers racing on one visit: the handler decides again on the new version, one wins", () =>
    Effect.gen(function* () {
      const { store } = yield* setup
      const results = yield* Effect.forEach(
        ["早上", "下午"],
        (findings, i) => Effect.result(handle(tenant, { ...record, findings }, { actor, commandId: `c-${i}` })),
        { concurrency: "unbounded" }
      )
      const failures = results.filter(Result.isFailure).map((r) => r.failure)
      assert.strictEqual(failures.length, 1)
      assert.isTrue(VisitAlreadyConducted.is(failures[0]))
      assert.strictEqual((yield* store.readStream(tenant, StreamId.make("visit", "v-1"))).length, 1)
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("reading stored events through the codec", () => {
  const appendRaw = (type: string, data: unknown) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const ids = yield* IdGenerator.IdGenerator
      yield* store.append({
        tenant,
        stream: StreamId.make("visit", "v-9"),
        expected: ExpectedVersion.any,
        events: [
          {
            eventId: yield* ids.next,
            type,
            schemaVersion: 1,
            data,
            occurredAt: "2025-01-27T00:00:00.000Z",
            subjects: []
          }
        ],
        context: { actor, commandId: `raw-${type}`, correlationId: "raw", causationId: "raw" }
      })
      return yield* store.readAll(tenant, { after: 0, limit: 100 })
    })

  it.effect("an event of an unknown type is an UnknownEventType naming it, for a handler and a report", () =>
    Effect.gen(function* () {
      yield* setup
      const stored = yield* appendRaw("VisitTeleported", { visit: "v-9" })
      const decoded = Projections.decodeAll(stored)
      assert.isTrue(Result.isFailure(decoded))
      const error = Result.isFailure(decoded) ? decoded.failure : undefined
      assert.strictEqual(error?._tag, "UnknownEventType")
      assert.strictEqual(error?.type, "VisitTeleported")
      assert.strictEqual(error?.position, 2)
      const handled = yield* Effect.flip(
        handle(tenant, { _tag: "VoidVisit", visit: "v-9", reason: "x" }, { actor, commandId: "c-void" })
      )
      assert.strictEqual(handled._tag, "UnknownEventType")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a malformed payload is an InvalidEvent naming the event and the field", () =>
    Effect.gen(function* () {
      yield* setup
      const { _tag, ...data } = { ...record, visit: "v-9", visitedOn: "27 January" }
      const stored = yield* appendRaw("VisitConducted", data)
      const decoded = codec.decode(stored[stored.length - 1]!)
      assert.isTrue(Result.isFailure(decoded))
      const error = Result.isFailure(decoded) ? decoded.failure : undefined
      assert.strictEqual(error?._tag, "InvalidEvent")
      assert.strictEqual(error?.type, "VisitConducted")
      assert.deepStrictEqual(error?._tag === "InvalidEvent" ? error.issues.map((i) => i.path) : [], ["visitedOn"])
      assert.include(error?.message ?? "", stored[stored.length - 1]!.eventId)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("events of other streams are not the report's business; a non-object payload is invalid", () =>
    Effect.gen(function* () {
      yield* setup
      const stored = yield* appendRaw("VisitVoided", "not an object")
      const other = { ...stored[0]!, stream: StreamId.make("case", "c-1"), type: "CaseOpened" }
      assert.strictEqual(Projections.decode(other), undefined)
      const bad = Projections.decode(stored[1]!)
      assert.isTrue(bad !== undefined && Result.isFailure(bad) && bad.failure._tag === "InvalidEvent")
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("registry handler", () => {
  it.effect("refuses a child's own consent through the handler, writing nothing", () =>
    Effect.gen(function* () {
      const { store } = yield* setup
      yield* Registry.handle(
        tenant,
        {
          _tag: "AddMember",
          household: "h1",
          person: "kid",
          name: "小芳",
          birthDate: "2016-04-04",
          relation: "Grandchild",
          guardian: "grandpa"
        },
        { actor, commandId: "c-kid" }
      )
      const head = (yield* store.head(tenant)).position
      const consent = {
        _tag: "RecordConsent",
        household: "h1",
        person: "kid",
        scope: "DataProcessing",
        givenOn: "2025-01-28"
      }
      const error = yield* Effect.flip(
        Registry.handle(tenant, { ...consent, givenBy: "kid" }, { actor, commandId: "c-consent" })
      )
      assert.isTrue(Registry.Rules.ConsentNotFromGuardian.is(error))
      assert.strictEqual((yield* store.head(tenant)).position, head)
      const given = yield* Registry.handle(
        tenant,
        { ...consent, givenBy: "grandpa" },
        { actor, commandId: "c-consent-2" }
      )
      assert.deepStrictEqual(given.events[0]!.subjects, ["h1", "kid", "grandpa"])
      assert.strictEqual(given.events[0]!.occurredAt, "2025-01-27T16:00:00.000Z")
    }).pipe(Effect.provide(TestLayer))
  )
})
