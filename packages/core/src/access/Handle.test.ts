import { assert, describe, it } from "@effect/vitest"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as Registry from "../registry/index.ts"
import { authorizeRead, handle } from "./Handle.ts"
import { Principal } from "./Principal.ts"

// Access.handle and Access.authorizeRead on the in-memory store: the facts come from the store as the
// contexts wrote them, the actor recorded is the principal, and a refused command writes nothing.

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
const tenant = "yangshan"
const today = Date.parse("2024-07-01T04:00:00Z")

const admin = new Principal({ id: "admin-1", tenant, roles: ["admin"] })
const bureau = new Principal({ id: "bureau-1", tenant, roles: ["bureau"] })
const auditor = new Principal({ id: "auditor-1", tenant, roles: ["auditor"] })
const workerAt = (id: string, station: string) => new Principal({ id, tenant, roles: ["worker"], station })
const qigongWorker = workerAt("w-01", "s-qigong")
const yangchengWorker = workerAt("w-07", "s-yangcheng")
const qigongLead = new Principal({ id: "lead-1", tenant, roles: ["stationLead"], station: "s-qigong" })

/** The county as its admin and bureau set it up through Access.handle: two stations, one worker each. */
const county = Effect.gen(function* () {
  yield* TestClock.setTime(today)
  yield* handle(
    admin,
    {
      _tag: "ConfigureCounty",
      name: "阳山县",
      townships: [
        { township: "t-qigong", name: "七拱镇" },
        { township: "t-yangcheng", name: "阳城镇" }
      ]
    },
    { commandId: "county" }
  )
  for (const [station, worker] of [
    ["s-qigong", "w-01"],
    ["s-yangcheng", "w-07"]
  ] as const) {
    const township = station.replace("s-", "t-")
    const establish = { _tag: "EstablishStation", township, station, name: station, establishedOn: "2024-01-01" }
    yield* handle(bureau, establish, { commandId: `station-${station}` })
    yield* handle(
      bureau,
      { _tag: "AllotPosts", station, posts: 2, allottedOn: "2024-01-01" },
      { commandId: `posts-${station}` }
    )
    const hire = { _tag: "HireWorker", worker, name: `社工${worker}`, station, hiredOn: "2024-05-01" }
    yield* handle(bureau, hire, { commandId: `hire-${worker}` })
  }
})

const household = (id: string, station: string) => ({
  _tag: "RegisterHousehold",
  household: id,
  station,
  township: station.replace("s-", "t-"),
  village: "v-1",
  address: "七拱镇某村 3 号",
  head: { person: `${id}-p1`, name: "陈伯", birthDate: "1948-02-03" },
  registeredOn: "2024-06-01"
})

const positionOf = Effect.flatMap(EventStore.EventStore, (store) =>
  Effect.map(store.head(tenant), (head) => head.position)
)

/** Runs a command expected to be refused: the refusal's code, and whether the store moved. */
const refused = (principal: Principal, command: unknown, commandId: string) =>
  Effect.gen(function* () {
    const before = yield* positionOf
    const error = yield* Effect.flip(handle(principal, command, { commandId }))
    const after = yield* positionOf
    return { tag: error._tag, code: error._tag === "AccessDenied" ? error.code : undefined, wrote: after !== before }
  })

describe("Access.handle", () => {
  it.effect("records the principal as the actor, whatever the command body claims", () =>
    Effect.gen(function* () {
      yield* county
      const claimed = { ...household("h-001", "s-qigong"), actor: { id: "worker-017", role: "admin" } }
      const handled = yield* handle(qigongWorker, claimed, { commandId: "register-h-001" })
      assert.deepStrictEqual(
        handled.events.map((e) => e.actor),
        [{ id: "w-01", role: "worker", station: "s-qigong" }]
      )
      const store = yield* EventStore.EventStore
      const stored = yield* store.readStream(tenant, Registry.streamOf("h-001" as never))
      assert.deepStrictEqual(
        stored.map((e) => [e.tenant, e.actor.id, e.actor.role]),
        [[tenant, "w-01", "worker"]]
      )
      const setup = yield* store.readAll(tenant, { after: 0, limit: 100 })
      assert.deepStrictEqual(
        [...new Set(setup.map((e) => `${e.actor.id}:${e.actor.role}`))],
        ["admin-1:admin", "bureau-1:bureau", "w-01:worker"]
      )
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses before anything is written: another station, another tenant, a role that may not", () =>
    Effect.gen(function* () {
      yield* county
      yield* handle(qigongWorker, household("h-001", "s-qigong"), { commandId: "register-h-001" })
      const start = yield* positionOf
      const addMember = {
        _tag: "AddMember",
        household: "h-001",
        person: "p-2",
        name: "陈婆",
        birthDate: "1950-01-01",
        relation: "Spouse"
      }
      // a worker of another station, on post there, touches Qigong's household
      assert.deepStrictEqual(yield* refused(yangchengWorker, addMember, "add-1"), {
        tag: "AccessDenied",
        code: "OtherStation",
        wrote: false
      })
      // registering a household for another station
      assert.deepStrictEqual(yield* refused(yangchengWorker, household("h-002", "s-qigong"), "register-h-002"), {
        tag: "AccessDenied",
        code: "OtherStation",
        wrote: false
      })
      // a worker renaming the county or allotting posts
      const rename = { _tag: "ConfigureCounty", name: "某县", townships: [{ township: "t-qigong", name: "七拱镇" }] }
      assert.deepStrictEqual(yield* refused(qigongWorker, rename, "rename"), {
        tag: "AccessDenied",
        code: "RoleNotPermitted",
        wrote: false
      })
      const allot = { _tag: "AllotPosts", station: "s-qigong", posts: 500, allottedOn: "2024-06-01" }
      assert.deepStrictEqual(yield* refused(qigongWorker, allot, "allot"), {
        tag: "AccessDenied",
        code: "RoleNotPermitted",
        wrote: false
      })
      // an auditor writes nothing
      assert.deepStrictEqual(yield* refused(auditor, addMember, "add-2"), {
        tag: "AccessDenied",
        code: "RoleNotPermitted",
        wrote: false
      })
      // a principal of another county, with the right role and station names
      const stranger = new Principal({ id: "w-01", tenant: "another-county", roles: ["worker"], station: "s-qigong" })
      const error = yield* Effect.flip(handle(stranger, addMember, { commandId: "add-3", tenant }))
      assert.strictEqual(error._tag === "AccessDenied" && error.code, "OtherTenant")
      // a request addressed to another tenant than the principal's
      const addressed = yield* Effect.flip(handle(qigongWorker, addMember, { commandId: "add-4", tenant: "another" }))
      assert.strictEqual(addressed._tag === "AccessDenied" && addressed.code, "OtherTenant")
      assert.strictEqual(yield* positionOf, start)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a worker acts only while on post: one never hired, and one who left, are refused", () =>
    Effect.gen(function* () {
      yield* county
      const ghost = workerAt("w-99", "s-qigong")
      assert.deepStrictEqual(yield* refused(ghost, household("h-003", "s-qigong"), "register-h-003"), {
        tag: "AccessDenied",
        code: "NotOnPost",
        wrote: false
      })
      yield* handle(
        bureau,
        { _tag: "EndEmployment", worker: "w-01", leftOn: "2024-06-15", reason: "Resigned" },
        { commandId: "leave-w-01" }
      )
      assert.deepStrictEqual(yield* refused(qigongWorker, household("h-003", "s-qigong"), "register-h-003b"), {
        tag: "AccessDenied",
        code: "NotOnPost",
        wrote: false
      })
      // the station's lead still records for the station, and is recorded as its lead
      const handled = yield* handle(qigongLead, household("h-003", "s-qigong"), { commandId: "register-h-003c" })
      assert.deepStrictEqual(handled.events[0]!.actor, { id: "lead-1", role: "stationLead", station: "s-qigong" })
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a command that does not decode or that no context routes writes nothing and says why", () =>
    Effect.gen(function* () {
      yield* county
      const bad = yield* refused(qigongWorker, { ...household("h-004", "s-qigong"), registeredOn: "yesterday" }, "bad")
      assert.deepStrictEqual(bad, { tag: "InvalidCommand", code: undefined, wrote: false })
      const unknown = yield* refused(bureau, { _tag: "DropAllTables" }, "drop")
      assert.deepStrictEqual(unknown, { tag: "InvalidCommand", code: undefined, wrote: false })
      const step = yield* refused(
        bureau,
        { _tag: "FillPost", station: "s-qigong", worker: "w-5", filledOn: "2024-06-01" },
        "fill"
      )
      assert.deepStrictEqual(step, { tag: "InvalidCommand", code: undefined, wrote: false })
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("Access.handle: the station of a visit, an activity and a worker is read from the store", () => {
  it.effect("another station's worker may not touch them, their own station's may", () =>
    Effect.gen(function* () {
      yield* county
      yield* handle(qigongWorker, household("h-001", "s-qigong"), { commandId: "register-h-001" })
      const schedule = {
        _tag: "ScheduleVisit",
        visit: "v-1",
        household: "h-001",
        persons: ["h-001-p1"],
        worker: "w-01",
        station: "s-qigong",
        dueOn: "2024-07-10"
      }
      yield* handle(qigongWorker, schedule, { commandId: "schedule-v-1" })
      const plan = {
        _tag: "PlanActivity",
        activity: "a-1",
        station: "s-qigong",
        theme: "Lecture",
        title: "重阳敬老",
        plannedOn: "2024-06-20"
      }
      yield* handle(qigongWorker, plan, { commandId: "plan-a-1" })
      const skip = { _tag: "SkipVisit", visit: "v-1", reason: "户主外出" }
      const cancel = { _tag: "CancelActivity", activity: "a-1", reason: "台风" }
      assert.deepStrictEqual(yield* refused(yangchengWorker, skip, "skip-v-1"), {
        tag: "AccessDenied",
        code: "OtherStation",
        wrote: false
      })
      assert.deepStrictEqual(yield* refused(yangchengWorker, cancel, "cancel-a-1"), {
        tag: "AccessDenied",
        code: "OtherStation",
        wrote: false
      })
      // a skipped visit keeps only its household: the household's station still owns it
      yield* handle(qigongWorker, skip, { commandId: "skip-v-1" })
      const voidVisit = { _tag: "VoidVisit", visit: "v-1", reason: "重复登记" }
      assert.deepStrictEqual(yield* refused(yangchengWorker, voidVisit, "void-v-1"), {
        tag: "AccessDenied",
        code: "OtherStation",
        wrote: false
      })
      yield* handle(qigongWorker, cancel, { commandId: "cancel-a-1" })
      const yangchengLead = new Principal({ id: "lead-2", tenant, roles: ["stationLead"], station: "s-yangcheng" })
      const workerStream = { _tag: "Stream", tenant, stream: { category: "worker", id: "w-01" } } as const
      assert.strictEqual(yield* authorizeRead(qigongLead, workerStream), "stationLead")
      const denied = yield* Effect.flip(authorizeRead(yangchengLead, workerStream))
      assert.strictEqual(denied._tag === "AccessDenied" && denied.code, "OtherStation")
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("Access.authorizeRead", () => {
  it.effect("loads the household's station and the worker's post from the store", () =>
    Effect.gen(function* () {
      yield* county
      yield* handle(qigongWorker, household("h-001", "s-qigong"), { commandId: "register-h-001" })
      const history = { _tag: "HouseholdHistory", tenant, household: "h-001" } as const
      assert.strictEqual(yield* authorizeRead(qigongWorker, history), "worker")
      assert.strictEqual(yield* authorizeRead(qigongLead, history), "stationLead")
      assert.strictEqual(yield* authorizeRead(auditor, history), "auditor")
      const denied = (principal: Principal, read: Parameters<typeof authorizeRead>[1]) =>
        Effect.map(Effect.flip(authorizeRead(principal, read)), (e) => (e._tag === "AccessDenied" ? e.code : e._tag))
      assert.strictEqual(yield* denied(yangchengWorker, history), "OtherStation")
      assert.strictEqual(yield* denied(bureau, history), "RoleNotPermitted")
      const stream = { _tag: "Stream", tenant, stream: Registry.streamOf("h-001" as never) } as const
      assert.strictEqual(yield* authorizeRead(qigongWorker, stream), "worker")
      assert.strictEqual(yield* denied(yangchengWorker, stream), "OtherStation")
      assert.strictEqual(yield* denied(workerAt("w-99", "s-qigong"), history), "NotOnPost")
      assert.strictEqual(yield* denied(qigongWorker, { ...history, tenant: "another-county" }), "OtherTenant")
      assert.strictEqual(yield* denied(bureau, { _tag: "Log", tenant }), "RoleNotPermitted")
      assert.strictEqual(yield* authorizeRead(auditor, { _tag: "AccessLog", tenant }), "auditor")
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("Access.handle: the policy and the handler share one read of each stream", () => {
  const recordVisit = (visit: string) => ({
    _tag: "RecordVisit",
    visit,
    household: "h-001",
    station: "s-qigong",
    worker: "w-01",
    visitedOn: "2024-06-30",
    personsSeen: ["h-001-p1"],
    modality: "HomeVisit",
    findings: "身体尚可",
    needs: [],
    itemsGiven: []
  })

  /** The store as counted from the outside: how often each stream is read, and a hook run before appends. */
  const counting = (beforeAppend: (store: EventStore.EventStoreShape) => Effect.Effect<void, never>) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const reads = new Map<string, number>()
      const counted: EventStore.EventStoreShape = {
        ...store,
        readStream: (t, stream, options) => {
          const key = `${stream.category}/${stream.id}`
          reads.set(key, (reads.get(key) ?? 0) + 1)
          return store.readStream(t, stream, options)
        },
        append: (request) => Effect.andThen(beforeAppend(store), store.append(request))
      }
      return { counted, reads }
    })

  it.effect("a visit reads its household, its worker and its own stream once each", () =>
    Effect.gen(function* () {
      yield* county
      yield* handle(qigongWorker, household("h-001", "s-qigong"), { commandId: "register-h-001" })
      const { counted, reads } = yield* counting(() => Effect.void)
      const handled = yield* handle(qigongWorker, recordVisit("v-1"), { commandId: "record-v-1" }).pipe(
        Effect.provideService(EventStore.EventStore, counted)
      )
      assert.deepStrictEqual(
        handled.events.map((e) => e.type),
        ["VisitConducted"]
      )
      assert.deepStrictEqual(Object.fromEntries(reads), { "household/h-001": 1, "visit/v-1": 1, "worker/w-01": 1 })
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a conflict's retry reads afresh: it sees the other writer's same visit and writes nothing more", () =>
    Effect.gen(function* () {
      yield* county
      yield* handle(qigongWorker, household("h-001", "s-qigong"), { commandId: "register-h-001" })
      // another writer records the same visit between this command's read and its append, once
      let raced = false
      const ids = yield* IdGenerator.IdGenerator
      const { counted } = yield* counting((store) => {
        if (raced) return Effect.void
        raced = true
        return handle(qigongWorker, recordVisit("v-1"), { commandId: "other-writer" }).pipe(
          Effect.provideService(EventStore.EventStore, store),
          Effect.provideService(IdGenerator.IdGenerator, ids),
          Effect.orDie,
          Effect.asVoid
        )
      })
      const handled = yield* handle(qigongWorker, recordVisit("v-1"), { commandId: "record-v-1" }).pipe(
        Effect.provideService(EventStore.EventStore, counted)
      )
      // a stale read would decide to record it again at version 0 and conflict until the attempts ran out
      assert.deepStrictEqual(
        [handled.events.length, handled.version, (handled.state as { _tag: string })._tag],
        [0, 1, "Conducted"]
      )
    }).pipe(Effect.provide(TestLayer))
  )
})
