import { assert, describe, it } from "@effect/vitest"
import { type Envelope, EventStore, IdGenerator, Projection, type Recorded } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as Domain from "../Domain.ts"
import type { HouseholdId } from "../shared/Ids.ts"
import * as HouseholdHistory from "./HouseholdHistory.ts"

const tenant = "yangshan"
const now = Date.parse("2025-02-01T09:30:00+08:00")
const bureau = { id: "bureau-1", role: "bureau" }
const li = { id: "w-li", role: "worker", station: "s1" }
const chen = { id: "w-chen", role: "worker", station: "s1" }
const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

const register = (household: string, head: string) => ({
  _tag: "RegisterHousehold",
  household,
  station: "s1",
  township: "t1",
  village: "g1",
  address: "黄盆镇某村",
  head: { person: head, name: "陈伯", birthDate: "1950-05-05" },
  registeredOn: "2024-06-01"
})

/** One household's life across five contexts, with a neighbour's in between. */
const scenario = Effect.gen(function* () {
  yield* TestClock.setTime(now)
  let n = 0
  const send = (command: Record<string, unknown>, actor: Envelope.Actor) =>
    Domain.handleUnknown(tenant, command, { actor, commandId: `cmd-${++n}` })
  yield* send({ _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: "t1", name: "黄盆镇" }] }, bureau)
  yield* send(
    { _tag: "EstablishStation", township: "t1", station: "s1", name: "黄盆镇社工站", establishedOn: "2024-01-01" },
    bureau
  )
  yield* send({ _tag: "AllotPosts", station: "s1", posts: 2, allottedOn: "2024-01-01" }, bureau)
  for (const w of ["w-li", "w-chen"]) {
    yield* send({ _tag: "HireWorker", worker: w, name: w, station: "s1", hiredOn: "2024-01-02" }, bureau)
  }
  yield* send(register("h1", "p1"), bureau)
  yield* send(register("h2", "q1"), bureau)
  yield* send(
    {
      _tag: "AddMember",
      household: "h1",
      person: "p2",
      name: "小明",
      birthDate: "2016-03-01",
      relation: "Grandchild",
      guardian: "p1"
    },
    bureau
  )
  yield* send(
    {
      _tag: "AssignCategory",
      household: "h1",
      person: "p2",
      category: "LeftBehindChild",
      verifiedBy: "bureau-1",
      verifiedOn: "2024-06-02"
    },
    bureau
  )
  const visit = (id: string, household: string, person: string, visitedOn: string) => ({
    _tag: "RecordVisit",
    visit: id,
    household,
    station: "s1",
    worker: "w-li",
    visitedOn,
    personsSeen: [person],
    modality: "HomeVisit",
    findings: "缺御寒衣物",
    needs: ["棉被"],
    itemsGiven: []
  })
  yield* send(visit("v1", "h1", "p1", "2025-01-27"), li)
  yield* send(visit("v2", "h2", "q1", "2025-01-27"), li)
  yield* send({ _tag: "AmendVisit", visit: "v1", reason: "补记", findings: "缺御寒衣物，已登记需求" }, chen)
  yield* send(
    {
      _tag: "OpenCase",
      person: "p2",
      household: "h1",
      station: "s1",
      worker: "w-chen",
      caseType: "ChildWelfare",
      riskLevel: "Medium",
      openedOn: "2025-01-28"
    },
    chen
  )
  yield* send(
    {
      _tag: "RecordAssessment",
      case: "p2.ChildWelfare",
      needs: ["学业辅导"],
      riskLevel: "Low",
      assessedOn: "2025-01-29"
    },
    chen
  )
  yield* send(
    {
      _tag: "LaunchCampaign",
      campaign: "cold",
      kind: "ColdSnap",
      title: "送暖入户",
      scope: { _tag: "CountyWide" },
      launchedOn: "2025-01-20"
    },
    bureau
  )
  yield* send(
    {
      _tag: "ReceiveSupplies",
      campaign: "cold",
      item: "Quilt",
      quantity: 2,
      source: "民政局",
      receivedOn: "2025-01-20"
    },
    bureau
  )
  yield* send(
    {
      _tag: "VisitRecipient",
      campaign: "cold",
      person: "p1",
      household: "h1",
      village: "g1",
      visitedOn: "2025-01-27",
      worker: "w-li",
      station: "s1"
    },
    li
  )
  yield* send(
    {
      _tag: "DistributeSupplies",
      campaign: "cold",
      item: "Quilt",
      quantity: 1,
      person: "q1",
      household: "h2",
      village: "g1",
      distributedOn: "2025-01-27",
      worker: "w-li",
      station: "s1"
    },
    li
  )
  yield* send(
    { _tag: "PlanActivity", activity: "a1", station: "s1", theme: "Reading", title: "读书会", plannedOn: "2025-01-25" },
    li
  )
  // The activity names only the child: it belongs to the household through its member.
  yield* send({ _tag: "RecordActivity", activity: "a1", heldOn: "2025-01-30", participants: ["p2"], headcount: 12 }, li)

  const store = yield* EventStore.EventStore
  const stored = yield* store.readAll(tenant, { after: 0, limit: 1_000 })
  const recorded: Array<Recorded<Domain.Event>> = []
  for (const event of stored) recorded.push(yield* Effect.fromResult(Domain.codec.decode(event)))
  return recorded
})

describe("HouseholdHistory", () => {
  it.effect("lists one household's events from several contexts, in position order, with who and when", () =>
    Effect.gen(function* () {
      const log = yield* scenario
      const history = HouseholdHistory.view(Projection.fold(HouseholdHistory.projection("h1" as HouseholdId), log))

      assert.deepStrictEqual(
        history.entries.map((e) => [e.context, e.type]),
        [
          ["registry", "HouseholdRegistered"],
          ["registry", "MemberAdded"],
          ["registry", "CategoryAssigned"],
          ["visits", "VisitConducted"],
          ["visits", "VisitAmended"],
          ["casework", "CaseOpened"],
          ["casework", "AssessmentRecorded"],
          ["relief", "RecipientVisited"],
          ["activities", "ActivityHeld"]
        ]
      )
      const positions = history.entries.map((e) => e.position)
      assert.deepStrictEqual(
        positions,
        [...positions].sort((a, b) => a - b)
      )
      assert.deepStrictEqual<ReadonlyArray<string>>(history.members, ["p1", "p2"])

      // Nothing of the neighbour's: their visit, the quilt handed to them, the campaign's own events.
      const all = new Map(log.map((r) => [r.position, r]))
      for (const e of history.entries) assert.strictEqual(all.get(e.position)!.eventId, e.eventId)
      assert.isFalse(history.entries.some((e) => e.type === "SuppliesDistributed" || e.type === "CampaignLaunched"))

      // Who did what and when, from the envelope.
      const visit = history.entries.find((e) => e.type === "VisitConducted")!
      assert.deepStrictEqual(visit.actor, li)
      assert.strictEqual(visit.occurredAt, "2025-01-26T16:00:00.000Z") // 27 January, China time: the day visited
      assert.strictEqual(visit.occurredOn, "2025-01-27")
      assert.strictEqual(visit.recordedAt, new Date(now).toISOString())
      const amended = history.entries.find((e) => e.type === "VisitAmended")!
      assert.deepStrictEqual(amended.actor, chen)
      assert.deepStrictEqual(amended.label, { "zh-CN": "更正探访记录", en: "visit amended" })
      assert.strictEqual(history.entries.find((e) => e.type === "AssessmentRecorded")!.stream.id, "p2.ChildWelfare")

      const printed = HouseholdHistory.print(history, "zh-CN")
      assert.include(printed, "户 h1 档案历史")
      // Business dates as the worker wrote them (China time), not the UTC date of occurredAt, a day early.
      assert.match(printed, /#\d+ {2}2025-01-27 {2}完成探访 {2}w-li \(worker, s1\) {2}visit\/v1@1/)
      assert.match(printed, /#\d+ {2}2024-06-01 {2}建档 /)
      assert.notInclude(printed, "2025-01-26")
      assert.include(HouseholdHistory.print(history, "en"), "case opened")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("reads the same history from the store by subject", () =>
    Effect.gen(function* () {
      const log = yield* scenario
      const folded = HouseholdHistory.view(Projection.fold(HouseholdHistory.projection("h1" as HouseholdId), log))
      const read = yield* HouseholdHistory.read(tenant, "h1" as HouseholdId)
      // read from the store, the history also lists who read it (the access log): nobody here
      assert.deepStrictEqual(read, { ...folded, reads: [] })
      const neighbour = yield* HouseholdHistory.read(tenant, "h2" as HouseholdId)
      assert.deepStrictEqual(
        neighbour.entries.map((e) => e.type),
        ["HouseholdRegistered", "VisitConducted", "SuppliesDistributed"]
      )
    }).pipe(Effect.provide(TestLayer))
  )
})
