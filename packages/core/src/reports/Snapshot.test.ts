import { assert, describe, it } from "@effect/vitest"
import { Audit, EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Effect, Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import * as AccessLog from "../access/AccessLog.ts"
import { handle } from "../access/Handle.ts"
import { Principal } from "../access/Principal.ts"
import * as Domain from "../Domain.ts"
import type { HouseholdId } from "../shared/Ids.ts"
import * as CountyDashboard from "./CountyDashboard.ts"
import * as HouseholdHistory from "./HouseholdHistory.ts"
import * as Snapshot from "./Snapshot.ts"

// Time travel (Snapshot) and the access log on the in-memory store: a bound is a prefix of the log, the
// digest of a report is the same on every replay, and recorded reads stay out of the tenant's log.

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
const tenant = "yangshan"
const start = Date.parse("2024-07-01T04:00:00Z")

const admin = new Principal({ id: "admin-1", tenant, roles: ["admin"] })
const bureau = new Principal({ id: "bureau-1", tenant, roles: ["bureau"] })
const auditor = new Principal({ id: "auditor-1", tenant, roles: ["auditor"] })
const worker = new Principal({ id: "w-01", tenant, roles: ["worker"], station: "s1" })

/** A small county, one minute of store time between commands. */
const county = Effect.gen(function* () {
  yield* TestClock.setTime(start)
  let n = 0
  const send = (principal: Principal, command: Record<string, unknown>) =>
    Effect.andThen(handle(principal, command, { commandId: `c-${++n}` }), TestClock.adjust("1 minute"))
  yield* send(admin, { _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: "t1", name: "七拱镇" }] })
  yield* send(bureau, {
    _tag: "EstablishStation",
    township: "t1",
    station: "s1",
    name: "七拱",
    establishedOn: "2024-01-01"
  })
  yield* send(bureau, { _tag: "AllotPosts", station: "s1", posts: 2, allottedOn: "2024-01-01" })
  yield* send(bureau, { _tag: "HireWorker", worker: "w-01", name: "社工", station: "s1", hiredOn: "2024-05-01" })
  for (const h of ["h1", "h2", "h3"]) {
    yield* send(worker, {
      _tag: "RegisterHousehold",
      household: h,
      station: "s1",
      township: "t1",
      village: "g1",
      address: "七拱镇某村",
      head: { person: `${h}-p1`, name: "陈伯", birthDate: "1950-05-05" },
      registeredOn: "2024-06-01"
    })
  }
})

const dashboard = CountyDashboard.projection(CountyDashboard.periods("2024-07-01"))

describe("Snapshot.parseAsOf", () => {
  it("takes a position, a canonical store instant or a day, and refuses anything else", () => {
    assert.deepStrictEqual(
      Snapshot.parseAsOf("12"),
      Result.succeed({ bound: { _tag: "Position", position: 12 }, day: undefined })
    )
    assert.deepStrictEqual(
      Snapshot.parseAsOf("2024-08-08T16:00:00.000Z"),
      Result.succeed({ bound: { _tag: "Time", recordedAt: "2024-08-08T16:00:00.000Z" }, day: "2024-08-09" })
    )
    assert.deepStrictEqual(Snapshot.parseAsOf("2024-08-08"), Result.succeed({ bound: undefined, day: "2024-08-08" }))
    for (const bad of [
      "-1",
      "01",
      "1.5",
      "2024-02-30",
      "2024-08-08T16:00:00Z",
      "2024-08-08T16:00:00.000+08:00",
      "2024-02-30T00:00:00.000Z",
      ""
    ]) {
      assert.isTrue(Result.isFailure(Snapshot.parseAsOf(bad)), bad)
    }
  })
})

describe("Snapshot.fold", () => {
  it.effect("as of a position is the fold of the log's prefix; as of a store time, of what was recorded by then", () =>
    Effect.gen(function* () {
      yield* county
      const store = yield* EventStore.EventStore
      const all = yield* store.readAll(tenant, { after: 0, limit: 1_000 })
      const decoded = all.map((e) => Result.getOrThrow(Domain.codec.decode(e)))
      const head = all.length
      const samples = fc.sample(fc.integer({ min: 0, max: head + 2 }), 12)
      for (const p of samples) {
        const { state, through } = yield* Snapshot.fold(tenant, dashboard, { _tag: "Position", position: p })
        const expected = decoded.slice(0, p).reduce(dashboard.evolve, dashboard.initial)
        assert.deepStrictEqual(CountyDashboard.view(state), CountyDashboard.view(expected))
        assert.strictEqual(through.position, Math.min(p, head))
        if (p >= 1 && p <= head) {
          // a command's events share a store time: the cut by time falls after the last of them
          const at = all[p - 1]!.recordedAt
          const last = all.filter((e) => e.recordedAt <= at).length
          const byTime = yield* Snapshot.fold(tenant, dashboard, { _tag: "Time", recordedAt: at })
          const byPosition = yield* Snapshot.fold(tenant, dashboard, { _tag: "Position", position: last })
          assert.strictEqual(byTime.through.position, last)
          assert.strictEqual(
            Snapshot.digest(CountyDashboard.view(byTime.state)),
            Snapshot.digest(CountyDashboard.view(byPosition.state))
          )
        }
      }
      const before = yield* Snapshot.fold(tenant, dashboard, { _tag: "Time", recordedAt: "2024-07-01T03:59:59.999Z" })
      assert.deepStrictEqual(before.through, { position: 0, recordedAt: undefined })
      const page = yield* Snapshot.readPage(tenant, { _tag: "Position", position: 3 }, { after: 1, limit: 100 })
      assert.deepStrictEqual(
        page.map((e) => e.position),
        [2, 3]
      )
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("the digest of a report is the same on two replays and changes when the log grows", () =>
    Effect.gen(function* () {
      yield* county
      const first = yield* Snapshot.fold(tenant, dashboard, { _tag: "Position", position: 5 })
      const second = yield* Snapshot.fold(tenant, dashboard, { _tag: "Position", position: 5 })
      const d = Snapshot.digest(CountyDashboard.view(first.state))
      assert.match(d, /^[0-9a-f]{64}$/)
      assert.strictEqual(Snapshot.digest(CountyDashboard.view(second.state)), d)
      const later = yield* Snapshot.fold(tenant, dashboard)
      assert.notStrictEqual(Snapshot.digest(CountyDashboard.view(later.state)), d)
    }).pipe(Effect.provide(TestLayer))
  )

  it("the digest does not depend on the order of an object's keys", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse())
        return Snapshot.digest(record) === Snapshot.digest(reversed)
      })
    )
  })
})

describe("AccessLog", () => {
  it.effect("a personal read without a purpose fails and records nothing; with one it is recorded beside the log", () =>
    Effect.gen(function* () {
      yield* county
      const store = yield* EventStore.EventStore
      const head = yield* store.head(tenant)
      const read = { _tag: "HouseholdHistory", tenant, household: "h1" } as const
      for (const purpose of [undefined, "", "   "]) {
        const refused = yield* Effect.flip(AccessLog.authorizeAndRecord(worker, read, purpose))
        assert.strictEqual(refused._tag, "MissingPurpose")
      }
      assert.deepStrictEqual(yield* AccessLog.list(tenant, { after: 0, limit: 100 }), [])
      // a refused read is not recorded either
      const other = new Principal({ id: "w-09", tenant, roles: ["worker"], station: "s2" })
      assert.strictEqual((yield* Effect.flip(AccessLog.authorizeAndRecord(other, read, "探访")))._tag, "AccessDenied")
      yield* AccessLog.authorizeAndRecord(worker, read, "入户探访前了解情况")
      yield* TestClock.adjust("1 minute")
      yield* AccessLog.authorizeAndRecord(auditor, { _tag: "Log", tenant }, "年度审计")
      // a dashboard shows no person: no purpose needed, nothing recorded
      yield* AccessLog.authorizeAndRecord(bureau, { _tag: "CountyDashboard", tenant }, undefined)
      const listed = yield* AccessLog.list(tenant, { after: 0, limit: 100 })
      assert.deepStrictEqual(
        listed.map((e) => [e.actor.id, e.actor.role, e.what, e.purpose]),
        [
          ["w-01", "worker", "HouseholdHistory h1", "入户探访前了解情况"],
          ["auditor-1", "auditor", "Log", "年度审计"]
        ]
      )
      // the tenant's log, its chain and every report are as they were
      assert.deepStrictEqual(yield* store.head(tenant), head)
      yield* Audit.verifyChain(tenant)
      yield* Audit.verifyChain(AccessLog.tenantOf(tenant))
      const history = yield* HouseholdHistory.read(tenant, "h1" as HouseholdId)
      assert.deepStrictEqual(
        history.reads?.map((r) => r.purpose),
        ["入户探访前了解情况"]
      )
      assert.include(HouseholdHistory.print(history, "en"), "purpose: 入户探访前了解情况")
      // as of a time before the read, the history does not show it
      const before = yield* HouseholdHistory.read(tenant, "h1" as HouseholdId, {
        _tag: "Time",
        recordedAt: "2024-07-01T04:00:00.000Z"
      })
      assert.deepStrictEqual(before.reads, [])
      assert.deepStrictEqual(before.entries.length, 0)
    }).pipe(Effect.provide(TestLayer))
  )
})
