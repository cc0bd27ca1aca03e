import { Domain } from "@shuangbai/core"
import {
  type CommandHandler,
  type Envelope,
  EventStore,
  type IdGenerator,
  type Recorded
} from "@shuangbai/eventsourcing"
import { Effect } from "effect"

// A small county for the dashboard's tests, built from commands through Domain.handle: three stations,
// a year of home visits, cases, activities and two relief campaigns, so every chart has something to show.
// Its clock must be after `today`.

export const tenant = "yangshan"
export const asOf = "2025-08-04"
export const today = "2025-08-05"

const bureau: Envelope.Actor = { id: "bureau-1", role: "bureau" }
const worker = (id: string, station: string): Envelope.Actor => ({ id, role: "worker", station })

const townships = [
  { township: "t1", name: "阳城镇" },
  { township: "t2", name: "黄坌镇" },
  { township: "t3", name: "七拱镇" }
]
const stations = [
  { station: "s1", township: "t1", worker: "w1" },
  { station: "s2", township: "t2", worker: "w2" },
  { station: "s3", township: "t3", worker: "w3" }
] as const

/** Households: id, station index, village. */
const households = Array.from({ length: 12 }, (_, i) => ({
  household: `h${i + 1}`,
  at: stations[i % 3]!,
  village: `vil-${i + 1}`
}))

/** Home visits per month (yyyy-mm → how many households of the county are visited that month). */
const visitsPerMonth: ReadonlyArray<readonly [string, number]> = [
  ["2024-09", 3],
  ["2024-10", 5],
  ["2024-11", 4],
  ["2024-12", 6],
  ["2025-01", 9],
  ["2025-02", 4],
  ["2025-03", 7],
  ["2025-04", 8],
  ["2025-05", 10],
  ["2025-06", 6],
  ["2025-07", 11],
  ["2025-08", 2]
]

export const build = (
  options: { readonly stationName?: (i: number) => string } = {}
): Effect.Effect<void, CommandHandler.HandleError, EventStore.EventStore | IdGenerator.IdGenerator> =>
  Effect.gen(function* () {
    let n = 0
    const send = (command: Record<string, unknown>, actor: Envelope.Actor = bureau) =>
      Effect.suspend(() => {
        n += 1
        return Domain.handleUnknown(tenant, command, { actor, commandId: `cmd-${n}` })
      })
    yield* send({ _tag: "ConfigureCounty", name: "阳山县", townships })
    for (const [i, s] of stations.entries()) {
      yield* send({
        _tag: "EstablishStation",
        township: s.township,
        station: s.station,
        name: options.stationName?.(i) ?? `${townships[i]!.name}社工站`,
        establishedOn: "2024-01-05"
      })
      yield* send({ _tag: "AllotPosts", station: s.station, posts: 3, allottedOn: "2024-01-05" })
      yield* send({
        _tag: "HireWorker",
        worker: s.worker,
        name: `社工${s.worker}`,
        station: s.station,
        hiredOn: "2024-01-10"
      })
    }
    for (const h of households) {
      yield* send({
        _tag: "RegisterHousehold",
        household: h.household,
        station: h.at.station,
        township: h.at.township,
        village: h.village,
        address: `${h.village} 1 号`,
        head: { person: `p-${h.household}`, name: `户主${h.household}`, birthDate: "1950-03-01" },
        registeredOn: "2024-03-01"
      })
      yield* send({
        _tag: "AssignCategory",
        household: h.household,
        person: `p-${h.household}`,
        category: "ElderlyLivingAlone",
        verifiedBy: "bureau-1",
        verifiedOn: "2024-03-02"
      })
    }
    let v = 0
    for (const [month, count] of visitsPerMonth) {
      for (let i = 0; i < count; i++) {
        const h = households[i % households.length]!
        v += 1
        yield* send(
          {
            _tag: "RecordVisit",
            visit: `v${v}`,
            household: h.household,
            station: h.at.station,
            worker: h.at.worker,
            visitedOn: `${month}-${String(2 + i).padStart(2, "0")}`,
            personsSeen: [`p-${h.household}`],
            modality: "HomeVisit",
            findings: "情况稳定",
            needs: [],
            itemsGiven: []
          },
          worker(h.at.worker, h.at.station)
        )
      }
    }
    // Cases: opened over the months, some closed after their evaluation.
    const cases: ReadonlyArray<readonly [number, string, string | undefined]> = [
      [0, "2024-10-08", "2025-01-20"],
      [1, "2024-12-03", undefined],
      [2, "2025-01-15", "2025-04-10"],
      [3, "2025-02-11", undefined],
      [4, "2025-03-05", "2025-06-18"],
      [5, "2025-03-20", undefined],
      [6, "2025-05-06", undefined],
      [7, "2025-06-09", "2025-07-28"],
      [8, "2025-07-14", undefined]
    ]
    for (const [i, openedOn, closedOn] of cases) {
      const h = households[i]!
      const actor = worker(h.at.worker, h.at.station)
      const id = `p-${h.household}.ElderlyCare`
      yield* send(
        {
          _tag: "OpenCase",
          person: `p-${h.household}`,
          household: h.household,
          station: h.at.station,
          worker: h.at.worker,
          caseType: "ElderlyCare",
          riskLevel: "Medium",
          openedOn
        },
        actor
      )
      if (closedOn === undefined) continue
      for (const command of [
        { _tag: "RecordAssessment", case: id, needs: ["生活照料"], riskLevel: "Medium", assessedOn: openedOn },
        { _tag: "RecordPlan", case: id, goals: ["改善生活"], services: ["ResourceLinking"], plannedOn: openedOn },
        { _tag: "DeliverService", case: id, service: "ResourceLinking", deliveredOn: openedOn, notes: "链接资源" },
        { _tag: "RecordEvaluation", case: id, outcome: "GoalsAchieved", evaluatedOn: closedOn, notes: "目标达成" },
        { _tag: "CloseCase", case: id, reason: "GoalsAchieved", closedOn, notes: "结案" }
      ])
        yield* send(command, actor)
    }
    // Activities held in several months.
    const activities: ReadonlyArray<readonly [string, string, number]> = [
      ["s1", "2024-11-10", 20],
      ["s2", "2025-01-12", 35],
      ["s3", "2025-03-20", 18],
      ["s1", "2025-05-04", 42],
      ["s2", "2025-06-01", 60],
      ["s3", "2025-07-15", 25]
    ]
    for (const [i, [station, heldOn, headcount]] of activities.entries()) {
      yield* send({
        _tag: "PlanActivity",
        activity: `a${i}`,
        station,
        theme: "Lecture",
        title: `活动${i}`,
        plannedOn: heldOn
      })
      yield* send({ _tag: "RecordActivity", activity: `a${i}`, heldOn, participants: [], headcount })
    }
    // Relief: a cold snap and a flood this year.
    yield* send({
      _tag: "LaunchCampaign",
      campaign: "cold-2025",
      kind: "ColdSnap",
      title: "寒冬送温暖",
      scope: { _tag: "CountyWide" },
      launchedOn: "2025-01-20"
    })
    for (const [item, quantity] of [
      ["WinterClothing", 60],
      ["Quilt", 20]
    ] as const)
      yield* send({
        _tag: "ReceiveSupplies",
        campaign: "cold-2025",
        item,
        quantity,
        source: "县民政局",
        receivedOn: "2025-01-20"
      })
    for (const h of households.slice(0, 7)) {
      const actor = worker(h.at.worker, h.at.station)
      const where = { person: `p-${h.household}`, household: h.household, worker: h.at.worker, station: h.at.station }
      yield* send(
        { _tag: "VisitRecipient", campaign: "cold-2025", village: h.village, visitedOn: "2025-01-24", ...where },
        actor
      )
      yield* send(
        {
          _tag: "DistributeSupplies",
          campaign: "cold-2025",
          item: "WinterClothing",
          quantity: 3,
          village: h.village,
          distributedOn: "2025-01-24",
          ...where
        },
        actor
      )
      yield* send(
        {
          _tag: "DistributeSupplies",
          campaign: "cold-2025",
          item: "Quilt",
          quantity: 1,
          village: h.village,
          distributedOn: "2025-01-24",
          ...where
        },
        actor
      )
    }
    yield* send({ _tag: "CloseCampaign", campaign: "cold-2025", closedOn: "2025-02-10" })
    yield* send({
      _tag: "LaunchCampaign",
      campaign: "flood-2025",
      kind: "Flood",
      title: "汛期转移安置",
      scope: { _tag: "CountyWide" },
      launchedOn: "2025-04-25"
    })
    for (const h of households.slice(3, 8)) {
      const actor = worker(h.at.worker, h.at.station)
      const where = { person: `p-${h.household}`, household: h.household, worker: h.at.worker, station: h.at.station }
      yield* send(
        { _tag: "VisitRecipient", campaign: "flood-2025", village: h.village, visitedOn: "2025-04-27", ...where },
        actor
      )
    }
    for (const h of households.slice(3, 6)) {
      yield* send(
        {
          _tag: "AssistRelocation",
          campaign: "flood-2025",
          person: `p-${h.household}`,
          household: h.household,
          fromVillage: h.village,
          toPlace: "镇中心小学",
          assistedOn: "2025-04-26",
          worker: h.at.worker,
          station: h.at.station
        },
        worker(h.at.worker, h.at.station)
      )
    }
  })

/** The tenant's log, decoded, as a report folds it. */
export const recorded = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const stored = yield* store.readAll(tenant, { after: 0, limit: 100_000 })
  const out: Array<Recorded<Domain.Event>> = []
  for (const event of stored) out.push(yield* Effect.fromResult(Domain.codec.decode(event)))
  return out
})
