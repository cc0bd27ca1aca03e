import { assert, describe, it } from "@effect/vitest"
import {
  CommandHandler,
  EventCodec,
  EventStore,
  ExpectedVersion,
  IdGenerator,
  StreamId
} from "@shuangbai/eventsourcing"
import { HandlerSpec } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import * as Registry from "../registry/index.ts"
import { DateIsInFuture } from "../shared/Dates.ts"
import * as Stations from "../stations/Handler.ts"
import { WorkerNotOnPostAtStation } from "../workforce/Decide.ts"
import * as Workforce from "../workforce/Handler.ts"
import * as Staff from "../workforce/index.ts"
import { VisitAlreadyConducted } from "./Decide.ts"
import * as Events from "./Events.ts"
import { codec } from "./Events.ts"
import { handle } from "./Handler.ts"
import * as Projections from "./Projections.ts"
import { streamOf } from "./Stream.ts"

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
} as const
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
} as const

const bureau = { id: "bureau-1", role: "bureau" }

/**
 * The county's stations huangpen and yangcheng, two posts each, and worker w1 hired at huangpen on `hiredOn`
 * (and leaving on `leftOn`, if given): "a visit needs a worker on post at that station that day".
 */
const staff = (hiredOn = "2024-06-01", leftOn?: string) =>
  Effect.gen(function* () {
    yield* Stations.handleCounty(
      tenant,
      {
        _tag: "ConfigureCounty",
        name: "阳山县",
        townships: [
          { township: "huangpen-town", name: "黄盆镇" },
          { township: "yangcheng-town", name: "阳城镇" }
        ]
      },
      { actor: bureau, commandId: "c-county" }
    )
    for (const station of ["huangpen", "yangcheng"]) {
      yield* Stations.handle(
        tenant,
        {
          _tag: "EstablishStation",
          township: `${station}-town`,
          station,
          name: `${station}社工站`,
          establishedOn: "2024-01-01"
        },
        { actor: bureau, commandId: `c-station-${station}` }
      )
      yield* Workforce.handle(
        tenant,
        { _tag: "AllotPosts", station, posts: 2, allottedOn: "2024-01-01" },
        { actor: bureau, commandId: `c-posts-${station}` }
      )
    }
    yield* Workforce.handle(
      tenant,
      { _tag: "HireWorker", worker: "w1", name: "李社工", station: "huangpen", hiredOn },
      { actor: bureau, commandId: "c-hire" }
    )
    if (leftOn !== undefined) {
      yield* Workforce.handle(
        tenant,
        { _tag: "EndEmployment", worker: "w1", leftOn, reason: "Resigned" },
        { actor: bureau, commandId: "c-leave" }
      )
    }
  })

/** A household on file (and nothing else), then the position of the log's head. */
const householdOnly = Effect.gen(function* () {
  yield* TestClock.setTime(now)
  yield* Registry.handle(tenant, register, { actor, commandId: "c-register" })
  const store = yield* EventStore.EventStore
  return { store, head: (yield* store.head(tenant)).position }
})

/** The worker on post and a household on file, then the position of the log's head. */
const setup = Effect.gen(function* () {
  yield* TestClock.setTime(now)
  yield* staff()
  return yield* householdOnly
})

const refused = (input: unknown) =>
  Effect.gen(function* () {
    const { store, head } = yield* setup
    const error = yield* Effect.flip(CommandHandler.acceptUnknown(handle)(tenant, input, { actor, commandId: "c-bad" }))
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
      assert.isTrue(Registry.Decide.HouseholdNotRegistered.is(error))
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
      assert.isTrue(Registry.Decide.HouseholdIsArchived.is(error))
      assert.strictEqual((yield* store.head(tenant)).position, head)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses persons seen who are not members of the household with the registry's rule", () =>
    Effect.gen(function* () {
      const error = yield* refused({ ...record, personsSeen: ["grandpa", "neighbour-7"] })
      assert.isTrue(Registry.Decide.PersonNotMember.is(error), error.message)
      assert.deepStrictEqual(Registry.Decide.PersonNotMember.is(error) && error.fields, {
        household: "h1",
        person: "neighbour-7"
      })
      const scheduled = yield* Effect.flip(
        handle(
          tenant,
          {
            _tag: "ScheduleVisit",
            visit: "v-2",
            household: "h1",
            persons: ["stranger"],
            worker: "w1",
            station: "huangpen",
            dueOn: "2025-01-28"
          },
          { actor, commandId: "c-schedule" }
        )
      )
      assert.isTrue(Registry.Decide.PersonNotMember.is(scheduled), scheduled.message)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses an amendment naming a person who is not a member, writing nothing", () =>
    Effect.gen(function* () {
      const { store } = yield* setup
      yield* handle(tenant, record, { actor, commandId: "c-visit" })
      const head = (yield* store.head(tenant)).position
      const error = yield* Effect.flip(
        handle(
          tenant,
          { _tag: "AmendVisit", visit: "v-1", reason: "漏记", personsSeen: ["grandpa", "hh-2-child"] },
          { actor, commandId: "c-amend" }
        )
      )
      assert.isTrue(Registry.Decide.PersonNotMember.is(error), error.message)
      assert.strictEqual((yield* store.head(tenant)).position, head)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses more persons than any household has, as a command error, before any rule", () =>
    Effect.gen(function* () {
      const many = Array.from({ length: 50_000 }, (_, i) => `p-${i}`)
      const error = yield* refused({ ...record, personsSeen: many })
      assert.strictEqual(error._tag, "InvalidCommand")
      assert.include(issuePaths(error), "personsSeen")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses a visit by a worker not on post at its station that day, naming worker, station and day", () =>
    Effect.gen(function* () {
      // On post, but for another station.
      const elsewhere = yield* refused({ ...record, station: "yangcheng" })
      assert.isTrue(WorkerNotOnPostAtStation.is(elsewhere))
      assert.deepStrictEqual(WorkerNotOnPostAtStation.is(elsewhere) && elsewhere.fields, {
        worker: "w1",
        station: "yangcheng",
        date: "2025-01-27"
      })
      // Before they were hired.
      const early = yield* Effect.flip(
        handle(tenant, { ...record, visitedOn: "2024-05-31" }, { actor, commandId: "c-early" })
      )
      assert.isTrue(WorkerNotOnPostAtStation.is(early))
      // A worker the workforce has never heard of.
      const unknown = yield* Effect.flip(handle(tenant, { ...record, worker: "w-9" }, { actor, commandId: "c-w9" }))
      assert.isTrue(WorkerNotOnPostAtStation.is(unknown))
      // Scheduled for a day they are on post: accepted; at the other station: refused.
      const schedule = {
        _tag: "ScheduleVisit",
        visit: "v-2",
        household: "h1",
        persons: ["grandpa"],
        worker: "w1",
        station: "huangpen",
        dueOn: "2025-02-10"
      } as const
      yield* handle(tenant, schedule, { actor, commandId: "c-schedule" })
      const otherStation = yield* Effect.flip(
        handle(tenant, { ...schedule, visit: "v-3", station: "yangcheng" }, { actor, commandId: "c-schedule-3" })
      )
      assert.isTrue(WorkerNotOnPostAtStation.is(otherStation))
      const store = yield* EventStore.EventStore
      assert.strictEqual(
        (yield* store.readStream(tenant, StreamId.make("visit", "v-3")).pipe(Effect.orElseSucceed(() => []))).length,
        0
      )
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses a visit after the worker's last day, and one scheduled for a day after it", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* staff("2024-06-01", "2025-01-10")
      yield* Registry.handle(tenant, register, { actor, commandId: "c-register" })
      // The last day is still on post.
      yield* handle(tenant, { ...record, visitedOn: "2025-01-10" }, { actor, commandId: "c-last-day" })
      const after = yield* Effect.flip(
        handle(tenant, { ...record, visit: "v-2", visitedOn: "2025-01-11" }, { actor, commandId: "c-after" })
      )
      assert.isTrue(WorkerNotOnPostAtStation.is(after))
      const scheduled = yield* Effect.flip(
        handle(
          tenant,
          {
            _tag: "ScheduleVisit",
            visit: "v-3",
            household: "h1",
            persons: ["grandpa"],
            worker: "w1",
            station: "huangpen",
            dueOn: "2025-02-10"
          },
          { actor, commandId: "c-schedule" }
        )
      )
      assert.isTrue(WorkerNotOnPostAtStation.is(scheduled))
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("an amendment that moves the date reads where the visit's worker was on post on the new day", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* staff("2025-01-05", "2025-01-26")
      yield* Registry.handle(tenant, register, { actor, commandId: "c-register" })
      yield* handle(tenant, { ...record, visitedOn: "2025-01-20" }, { actor, commandId: "c-visit" })
      const store = yield* EventStore.EventStore
      const head = (yield* store.head(tenant)).position
      const amend = { _tag: "AmendVisit", visit: "v-1", reason: "日期登记错误" } as const
      // Before the hire, and after the last day: refused, naming the new day, and nothing written.
      for (const visitedOn of ["2025-01-04", "2025-01-27"]) {
        const error = yield* Effect.flip(
          handle(tenant, { ...amend, visitedOn }, { actor, commandId: `c-${visitedOn}` })
        )
        assert.isTrue(WorkerNotOnPostAtStation.is(error))
        assert.deepStrictEqual(WorkerNotOnPostAtStation.is(error) && error.fields, {
          worker: "w1",
          station: "huangpen",
          date: visitedOn
        })
      }
      assert.strictEqual((yield* store.head(tenant)).position, head)
      // A day on post: amended. The worker has left since; the findings are still corrected.
      const moved = yield* handle(tenant, { ...amend, visitedOn: "2025-01-05" }, { actor, commandId: "c-move" })
      assert.strictEqual(moved.events.length, 1)
      const corrected = yield* handle(
        tenant,
        { ...amend, visitedOn: "2025-01-05", findings: "另一说法" },
        { actor, commandId: "c-findings" }
      )
      assert.strictEqual(corrected.events.length, 1)
      assert.strictEqual((yield* store.head(tenant)).position, head + 2)
    }).pipe(Effect.provide(TestLayer))
  )

  it("for any hire, leaving and visit day, a visit is recorded exactly when the worker was on post that day", () =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 200 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        fc.integer({ min: 0, max: 260 }),
        fc.constantFrom("huangpen", "yangcheng"),
        (hired, stayed, visited, station) => {
          const day = (n: number) => new Date(Date.UTC(2024, 3, 1 + n)).toISOString().slice(0, 10)
          const hiredOn = day(hired)
          const leftOn = stayed === undefined ? undefined : day(hired + stayed)
          const visitedOn = day(visited)
          const onPost = station === "huangpen" && hiredOn <= visitedOn && (leftOn === undefined || visitedOn <= leftOn)
          return Effect.runPromise(
            Effect.gen(function* () {
              yield* staff(hiredOn, leftOn)
              yield* Registry.handle(tenant, register, { actor, commandId: "c-register" })
              const outcome = yield* Effect.result(
                handle(tenant, { ...record, station, visitedOn }, { actor, commandId: "c-visit" })
              )
              assert.strictEqual(
                Result.isSuccess(outcome),
                onPost,
                `${hiredOn}–${leftOn ?? ""} ${visitedOn} ${station}`
              )
              if (Result.isFailure(outcome)) assert.isTrue(WorkerNotOnPostAtStation.is(outcome.failure))
            }).pipe(Effect.provide(TestLayer))
          )
        }
      ),
      { numRuns: 40 }
    ))

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
      yield* householdOnly
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
      yield* householdOnly
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
      yield* householdOnly
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
      } as const
      const error = yield* Effect.flip(
        Registry.handle(tenant, { ...consent, givenBy: "kid" }, { actor, commandId: "c-consent" })
      )
      assert.isTrue(Registry.Decide.ConsentNotFromGuardian.is(error))
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

describe("visits handler, given events already in the store", () => {
  const as = <S extends Schema.Top>(schema: S, fields: object): S["Type"] =>
    Schema.decodeUnknownSync(schema as unknown as Schema.Codec<S["Type"], unknown>)(fields)
  const registered = as(Registry.Events.HouseholdRegistered, { ...register, _tag: "HouseholdRegistered" })
  const archived = as(Registry.Events.HouseholdArchived, {
    _tag: "HouseholdArchived",
    household: "h1",
    archivedOn: "2025-01-02",
    reason: "迁出"
  })
  const hired = as(Staff.Events.WorkerHired, {
    _tag: "WorkerHired",
    worker: "w1",
    name: "李社工",
    station: "huangpen",
    hiredOn: "2024-06-01"
  })
  const conducted = as(Events.VisitConducted, { ...record, _tag: "VisitConducted" })
  const household = { stream: Registry.streamOf(registered.household), events: [registered] }
  const worker = { stream: Staff.streamOf(hired.worker), events: [hired] }
  const spec = HandlerSpec.make(handle, {
    codec: EventCodec.combine(Registry.codec, Staff.codec, codec),
    actor,
    now
  })

  it.effect("a visit to a household on file by a worker on post is recorded, dated the visit day", () =>
    Effect.gen(function* () {
      const [stored] = yield* spec.given(household, worker).when(record).then([conducted])
      assert.deepStrictEqual(stored!.subjects, ["h1", "grandpa"])
      assert.strictEqual(stored!.occurredAt, "2025-01-26T16:00:00.000Z")
    })
  )

  it.effect("a visit to an archived household is refused by the registry's rule", () =>
    spec
      .given({ ...household, events: [registered, archived] }, worker)
      .when(record)
      .thenFails(Registry.Decide.HouseholdIsArchived)
  )

  it.effect("a visit already conducted is not conducted again, under another commandId", () =>
    spec
      .given(household, worker, { stream: streamOf(conducted.visit), events: [conducted] })
      .when({ ...record, findings: "再访" }, { commandId: "c-again" })
      .thenFails(VisitAlreadyConducted)
  )

  it.effect("an amendment that moves the date reads the worker from the visit as loaded, not from the command", () =>
    spec
      .given(household, worker, { stream: streamOf(conducted.visit), events: [conducted] })
      .when({ _tag: "AmendVisit", visit: "v-1", visitedOn: "2024-05-31", reason: "日期登记错误" })
      .thenFails(WorkerNotOnPostAtStation)
  )
})
