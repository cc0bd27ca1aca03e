import { assert, describe, it } from "@effect/vitest"
import { CommandHandler, EventCodec, EventStore, IdGenerator, StreamId } from "@shuangbai/eventsourcing"
import { HandlerSpec } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { HouseholdIsArchived, HouseholdNotRegistered, PersonNotMember } from "../registry/Decide.ts"
import * as RegistryEvents from "../registry/Events.ts"
import * as Registry from "../registry/Handler.ts"
import { streamOf as householdStream } from "../registry/Stream.ts"
import * as Stations from "../stations/Handler.ts"
import { WorkerNotOnPostAtStation } from "../workforce/Decide.ts"
import * as Workforce from "../workforce/Handler.ts"
import * as Events from "./Events.ts"
import { handle } from "./Handler.ts"
import { caseIdOf, streamOf } from "./Stream.ts"

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

// The in-memory store with a yield before each append, and a count of the conflicts it reports: every
// concurrent writer loads and decides before any of them appends, so the race is real, not sequential.
const racing = (conflicts: { count: number }) =>
  Layer.mergeAll(
    Layer.effect(
      EventStore.EventStore,
      Effect.map(EventStore.makeMemory(), (store) => ({
        ...store,
        append: (request: EventStore.AppendRequest) =>
          Effect.andThen(Effect.yieldNow, store.append(request)).pipe(
            Effect.tapError((e) => Effect.sync(() => e._tag === "ConcurrencyConflict" && conflicts.count++))
          )
      }))
    ),
    IdGenerator.layerDeterministic()
  )
const tenant = "yangshan"
const actor = { id: "w-01", role: "worker", station: "s-qigong" }
const today = Date.parse("2024-07-01T04:00:00Z")

const openCase = (worker: string, openedOn = "2024-06-01") => ({
  _tag: "OpenCase",
  person: "p-001",
  household: "h-001",
  station: "s-qigong",
  worker,
  caseType: "ElderlyCare",
  riskLevel: "High",
  openedOn
})
const id = caseIdOf("p-001" as never, "ElderlyCare")
const send = (input: unknown, commandId: string) =>
  CommandHandler.acceptUnknown(handle)(tenant, input, { actor, commandId })
const bureau = { id: "bureau-1", role: "bureau" }
const registry = (input: unknown, commandId: string) =>
  CommandHandler.acceptUnknown(Registry.handle)(tenant, input, { actor, commandId })

const household = {
  _tag: "RegisterHousehold",
  household: "h-001",
  station: "s-qigong",
  township: "t-qigong",
  village: "v-1",
  address: "七拱镇某村 3 号",
  head: { person: "p-001", name: "陈伯", birthDate: "1948-02-03" },
  registeredOn: "2024-01-05"
}

/**
 * What opening a case reads from other streams: household h-001 on file with p-001 its head, and the
 * stations s-qigong and s-yangcheng with workers hired on 2024-05-01 (w-01…w-06 at s-qigong, w-07 at
 * s-yangcheng); `leaving` end their time on post on 2024-06-15.
 */
const county = (leaving: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    yield* registry(household, "r-household")
    yield* Stations.handleCounty(
      tenant,
      {
        _tag: "ConfigureCounty",
        name: "阳山县",
        townships: [
          { township: "t-qigong", name: "七拱镇" },
          { township: "t-yangcheng", name: "阳城镇" }
        ]
      },
      { actor: bureau, commandId: "county" }
    )
    const staff = { "s-qigong": ["w-01", "w-02", "w-03", "w-04", "w-05", "w-06"], "s-yangcheng": ["w-07"] }
    for (const [station, workers] of Object.entries(staff)) {
      yield* Stations.handle(
        tenant,
        {
          _tag: "EstablishStation",
          township: station.replace("s-", "t-"),
          station,
          name: `${station}社工站`,
          establishedOn: "2024-01-01"
        },
        { actor: bureau, commandId: `station-${station}` }
      )
      yield* Workforce.handle(
        tenant,
        { _tag: "AllotPosts", station, posts: workers.length, allottedOn: "2024-01-01" },
        { actor: bureau, commandId: `posts-${station}` }
      )
      for (const worker of workers) {
        yield* Workforce.handle(
          tenant,
          { _tag: "HireWorker", worker, name: `社工${worker}`, station, hiredOn: "2024-05-01" },
          { actor: bureau, commandId: `hire-${worker}` }
        )
      }
    }
    for (const worker of leaving) {
      yield* Workforce.handle(
        tenant,
        { _tag: "EndEmployment", worker, leftOn: "2024-06-15", reason: "Resigned" },
        { actor: bureau, commandId: `leave-${worker}` }
      )
    }
  })

describe("casework handler", () => {
  it.effect("one open case per recipient and type, whatever concurrent writers do", () => {
    const conflicts = { count: 0 }
    return Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* county()
      const workers = ["w-01", "w-02", "w-03", "w-04", "w-05", "w-06"]
      const results = yield* Effect.forEach(workers, (w, i) => Effect.result(send(openCase(w), `open-${i}`)), {
        concurrency: "unbounded"
      })
      const succeeded = results.filter((r) => r._tag === "Success")
      const refused = results.filter((r) => r._tag === "Failure")
      assert.strictEqual(succeeded.length, 1)
      assert.strictEqual(refused.length, workers.length - 1)
      for (const r of refused) {
        assert.isTrue(
          r._tag === "Failure" && r.failure._tag === "RuleViolation" && r.failure.code === "CaseAlreadyOpen"
        )
      }
      const store = yield* EventStore.EventStore
      const events = yield* store.readStream(tenant, streamOf(id))
      assert.deepStrictEqual(
        events.map((e) => e.type),
        ["CaseOpened"]
      )
      assert.isAbove(conflicts.count, 0, "the writers raced")
    }).pipe(Effect.provide(racing(conflicts)))
  })

  it.effect("a reopen and a new opening racing on a closed case leave one case open", () => {
    const conflicts = { count: 0 }
    return Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* county()
      yield* send(openCase("w-01"), "c1")
      yield* send({ _tag: "CloseCase", case: id, reason: "ServiceRefused", closedOn: "2024-06-10", notes: "" }, "c2")
      const results = yield* Effect.all(
        [
          Effect.result(send({ _tag: "ReopenCase", case: id, reason: "再次求助", reopenedOn: "2024-06-20" }, "c3")),
          Effect.result(send(openCase("w-02", "2024-06-20"), "c4")),
          Effect.result(send(openCase("w-03", "2024-06-21"), "c5"))
        ],
        { concurrency: "unbounded" }
      )
      const store = yield* EventStore.EventStore
      const types = (yield* store.readStream(tenant, streamOf(id))).map((e) => e.type)
      assert.strictEqual(types.length, 3, types.join())
      assert.include(["CaseReopened", "CaseOpened"], types[2])
      assert.isAbove(results.filter((r) => r._tag === "Success").length, 0)
      assert.isAbove(conflicts.count, 0, "the writers raced")
    }).pipe(Effect.provide(racing(conflicts)))
  })

  it.effect("names the recipient and household as subjects of every case event", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* county()
      yield* send(openCase("w-01"), "c1")
      const assessed = yield* send(
        { _tag: "RecordAssessment", case: id, needs: ["生活照料"], riskLevel: "High", assessedOn: "2024-06-02" },
        "c2"
      )
      assert.deepStrictEqual(assessed.events[0]!.subjects, ["h-001", "p-001"])
      assert.strictEqual(assessed.events[0]!.occurredAt, "2024-06-01T16:00:00.000Z")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a referral reads the recipient's consent from their household file", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* county()
      yield* send(openCase("w-01"), "c1")
      const refer = (n: number) =>
        send(
          {
            _tag: "MakeReferral",
            case: id,
            referral: `ref-${n}`,
            organisation: "县人民医院",
            reason: "就医",
            referredOn: "2024-06-05"
          },
          `refer-${n}`
        )
      const refused = yield* Effect.flip(refer(1))
      assert.isTrue(refused._tag === "RuleViolation" && refused.code === "NoConsentToRefer")
      yield* registry(
        {
          _tag: "RecordConsent",
          household: "h-001",
          person: "p-001",
          scope: "Referral",
          givenBy: "p-001",
          givenOn: "2024-06-04"
        },
        "r2"
      )
      const made = yield* refer(2)
      assert.deepStrictEqual(
        made.events.map((e) => e.type),
        ["ReferralMade"]
      )
      yield* registry(
        {
          _tag: "WithdrawConsent",
          household: "h-001",
          person: "p-001",
          scope: "Referral",
          withdrawnBy: "p-001",
          withdrawnOn: "2024-06-06"
        },
        "r3"
      )
      const again = yield* Effect.flip(refer(3))
      assert.isTrue(again._tag === "RuleViolation" && again.code === "NoConsentToRefer")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect(
    "opening reads the household file and the worker's post; each refusal names its rule and writes nothing",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(today)
        yield* county(["w-02"])
        const store = yield* EventStore.EventStore
        const refused = (input: Record<string, unknown>, commandId: string) =>
          Effect.gen(function* () {
            const head = (yield* store.head(tenant)).position
            const error = yield* Effect.flip(send(input, commandId))
            assert.strictEqual((yield* store.head(tenant)).position, head, "nothing may be written")
            return error
          })
        assert.isTrue(HouseholdNotRegistered.is(yield* refused({ ...openCase("w-01"), household: "h-404" }, "o1")))
        assert.isTrue(PersonNotMember.is(yield* refused({ ...openCase("w-01"), person: "p-404" }, "o2")))
        // On post, but at another station; not yet hired; after the last day.
        const elsewhere = yield* refused(openCase("w-07"), "o3")
        assert.isTrue(WorkerNotOnPostAtStation.is(elsewhere))
        assert.deepStrictEqual(WorkerNotOnPostAtStation.is(elsewhere) && elsewhere.fields, {
          worker: "w-07",
          station: "s-qigong",
          date: "2024-06-01"
        })
        assert.isTrue(WorkerNotOnPostAtStation.is(yield* refused(openCase("w-01", "2024-04-30"), "o4")))
        assert.isTrue(WorkerNotOnPostAtStation.is(yield* refused(openCase("w-02", "2024-06-16"), "o5")))
        // The worker's last day is still on post.
        yield* send(openCase("w-02", "2024-06-15"), "o6")
        // Archived: no new case.
        yield* send({ _tag: "CloseCase", case: id, reason: "ServiceRefused", closedOn: "2024-06-20", notes: "" }, "o7")
        yield* registry(
          { _tag: "ArchiveHousehold", household: "h-001", archivedOn: "2024-06-21", reason: "迁出" },
          "r9"
        )
        assert.isTrue(HouseholdIsArchived.is(yield* refused(openCase("w-01", "2024-06-22"), "o8")))
      }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a transfer reads where the worker holding the case after it was on post that day", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* county(["w-03"])
      yield* send(openCase("w-01"), "c1")
      const transfer = (fields: Record<string, unknown>, commandId: string) =>
        send({ _tag: "TransferCase", case: id, transferredOn: "2024-06-20", ...fields }, commandId)
      // w-03 left on 2024-06-15; w-07 is on post at s-yangcheng, not s-qigong.
      assert.isTrue(WorkerNotOnPostAtStation.is(yield* Effect.flip(transfer({ worker: "w-03" }, "t1"))))
      assert.isTrue(WorkerNotOnPostAtStation.is(yield* Effect.flip(transfer({ worker: "w-07" }, "t2"))))
      // The case alone to s-yangcheng: its worker w-01 is not on post there.
      const moved = yield* Effect.flip(transfer({ station: "s-yangcheng" }, "t3"))
      assert.deepStrictEqual(WorkerNotOnPostAtStation.is(moved) && moved.fields, {
        worker: "w-01",
        station: "s-yangcheng",
        date: "2024-06-20"
      })
      // To w-07 at s-yangcheng, and to w-02 at s-qigong: both on post there.
      yield* transfer({ worker: "w-07", station: "s-yangcheng" }, "t4")
      const back = yield* transfer({ worker: "w-02", station: "s-qigong", transferredOn: "2024-06-21" }, "t5")
      assert.strictEqual(back.state._tag === "Open" ? back.state.case.worker : undefined, "w-02")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a reopening reads where the case's worker was on post on the reopening day", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* county(["w-01"])
      yield* send(openCase("w-01"), "c1")
      yield* send({ _tag: "CloseCase", case: id, reason: "ServiceRefused", closedOn: "2024-06-10", notes: "" }, "c2")
      const store = yield* EventStore.EventStore
      const head = (yield* store.head(tenant)).position
      const reopen = (reopenedOn: string, commandId: string) =>
        send({ _tag: "ReopenCase", case: id, reason: "再次求助", reopenedOn }, commandId)
      // w-01 left on 2024-06-15: a reopening after it is refused, naming the case's worker and station.
      const refused = yield* Effect.flip(reopen("2024-06-20", "c3"))
      assert.deepStrictEqual(WorkerNotOnPostAtStation.is(refused) && refused.fields, {
        worker: "w-01",
        station: "s-qigong",
        date: "2024-06-20"
      })
      assert.strictEqual((yield* store.head(tenant)).position, head)
      // On the last day on post it is reopened; then it is handed to w-02, who is on post.
      const reopened = yield* reopen("2024-06-15", "c4")
      assert.strictEqual(reopened.state._tag, "Open")
      yield* send({ _tag: "TransferCase", case: id, worker: "w-02", transferredOn: "2024-06-15" }, "c5")
      // Closed again in w-02's charge: reopened after w-01 left, since w-02 takes it up.
      yield* send({ _tag: "CloseCase", case: id, reason: "ServiceRefused", closedOn: "2024-06-18", notes: "" }, "c6")
      const again = yield* reopen("2024-06-20", "c7")
      assert.strictEqual(again.state._tag === "Open" ? again.state.case.worker : undefined, "w-02")
      const types = (yield* store.readStream(tenant, streamOf(id))).map((e) => e.type)
      assert.deepStrictEqual(types, [
        "CaseOpened",
        "CaseClosed",
        "CaseReopened",
        "CaseTransferred",
        "CaseClosed",
        "CaseReopened"
      ])
    }).pipe(Effect.provide(TestLayer))
  )

  it("for any hire, leaving and opening day, a case opens exactly when the worker was on post that day", () =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        fc.integer({ min: 0, max: 170 }),
        (hired, stayed, opened) => {
          const day = (n: number) => new Date(Date.UTC(2024, 0, 10 + n)).toISOString().slice(0, 10)
          const hiredOn = day(hired)
          const leftOn = stayed === undefined ? undefined : day(hired + stayed)
          const openedOn = day(opened)
          const onPost = hiredOn <= openedOn && (leftOn === undefined || openedOn <= leftOn)
          return Effect.runPromise(
            Effect.gen(function* () {
              yield* TestClock.setTime(today)
              yield* registry(household, "r-household")
              yield* Stations.handleCounty(
                tenant,
                { _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: "t-qigong", name: "七拱镇" }] },
                { actor: bureau, commandId: "county" }
              )
              yield* Stations.handle(
                tenant,
                {
                  _tag: "EstablishStation",
                  township: "t-qigong",
                  station: "s-qigong",
                  name: "七拱镇社工站",
                  establishedOn: "2024-01-01"
                },
                { actor: bureau, commandId: "station" }
              )
              yield* Workforce.handle(
                tenant,
                { _tag: "AllotPosts", station: "s-qigong", posts: 1, allottedOn: "2024-01-01" },
                { actor: bureau, commandId: "posts" }
              )
              yield* Workforce.handle(
                tenant,
                { _tag: "HireWorker", worker: "w-01", name: "李社工", station: "s-qigong", hiredOn },
                { actor: bureau, commandId: "hire" }
              )
              if (leftOn !== undefined) {
                yield* Workforce.handle(
                  tenant,
                  { _tag: "EndEmployment", worker: "w-01", leftOn, reason: "Resigned" },
                  { actor: bureau, commandId: "leave" }
                )
              }
              const outcome = yield* Effect.result(send(openCase("w-01", openedOn), "open"))
              assert.strictEqual(Result.isSuccess(outcome), onPost, `${hiredOn}–${leftOn ?? ""} ${openedOn}`)
              if (Result.isFailure(outcome)) assert.isTrue(WorkerNotOnPostAtStation.is(outcome.failure))
            }).pipe(Effect.provide(Layer.merge(TestLayer, TestClock.layer())))
          )
        }
      ),
      { numRuns: 40 }
    ))

  it.effect("an unknown case id is refused, not created", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      const error = yield* Effect.flip(
        send({ _tag: "RecordFollowUp", case: "nobody.ElderlyCare", followedUpOn: "2024-06-02", notes: "" }, "c1")
      )
      assert.isTrue(error._tag === "RuleViolation" && error.code === "CaseNotOpened")
      const store = yield* EventStore.EventStore
      assert.strictEqual((yield* store.head(tenant)).position, 0)
      assert.strictEqual(StreamId.format(streamOf(id)), "case/p-001.ElderlyCare")
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("casework handler, given events already in the store", () => {
  const as = <S extends Schema.Top>(schema: S, fields: object): S["Type"] =>
    Schema.decodeUnknownSync(schema as unknown as Schema.Codec<S["Type"], unknown>)(fields)
  const registered = as(RegistryEvents.HouseholdRegistered, { ...household, _tag: "HouseholdRegistered" })
  const consent = as(RegistryEvents.ConsentRecorded, {
    _tag: "ConsentRecorded",
    household: "h-001",
    person: "p-001",
    scope: "Referral",
    givenBy: "p-001",
    givenOn: "2024-06-04"
  })
  const opened = as(Events.CaseOpened, { ...openCase("w-01"), _tag: "CaseOpened", case: id })
  const referral = {
    _tag: "MakeReferral",
    case: id,
    referral: "ref-1",
    organisation: "县人民医院",
    reason: "就医",
    referredOn: "2024-06-05"
  } as const
  const codec = EventCodec.combine(RegistryEvents.codec, Events.codec)
  const theCase = { stream: streamOf(opened.case), events: [opened] }

  it.effect("a referral reads consent from the household of the case as loaded; the case is read once", () =>
    Effect.gen(function* () {
      const reads: Array<string> = []
      const counting = Layer.effect(
        EventStore.EventStore,
        Effect.map(EventStore.makeMemory(), (store) => ({
          ...store,
          readStream: (...args: Parameters<EventStore.EventStoreShape["readStream"]>) => {
            reads.push(`${args[1].category}/${args[1].id}`)
            return store.readStream(...args)
          }
        }))
      )
      const spec = HandlerSpec.make(handle, { codec, actor, now: today, store: counting })
      yield* spec
        .given({ stream: householdStream(registered.household), events: [registered, consent] }, theCase)
        .when(referral)
        .then([as(Events.ReferralMade, { ...referral, _tag: "ReferralMade" })])
      assert.deepStrictEqual(reads, [`case/${id}`, "household/h-001"])
    })
  )

  it.effect("without the recipient's consent on file, the referral is refused", () =>
    HandlerSpec.make(handle, { codec, actor, now: today })
      .given({ stream: householdStream(registered.household), events: [registered] }, theCase)
      .when(referral)
      .thenFails("NoConsentToRefer")
  )
})
