import { assert, describe, it } from "@effect/vitest"
import {
  type Envelope,
  EventStore,
  IdGenerator,
  Projection,
  type Recorded,
  RuleViolation
} from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as Domain from "../Domain.ts"
import * as CountyDashboard from "./CountyDashboard.ts"
import type { Figure, Measure } from "./Figures.ts"
import * as RecruitmentStatus from "./RecruitmentStatus.ts"
import * as Render from "./Render.ts"
import * as StationDashboard from "./StationDashboard.ts"
import * as TrainingParticipation from "./TrainingParticipation.ts"
import * as WorkerCaseloads from "./WorkerCaseloads.ts"

// A small county built from commands through Domain.handle on the in-memory store, read back from the log
// through the dashboard, and every figure checked against a count made here from the commands that were
// accepted — never from the projection code.

const tenant = "yangshan"
const today = "2025-08-05"
const asOf = "2025-08-04"
const bureau = { id: "bureau-1", role: "bureau" }
const worker = (id: string, station: string) => ({ id, role: "worker", station })

type Command = Record<string, unknown> & { readonly _tag: string }

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

/** Sends commands in order; keeps the accepted ones (the model the expected figures are counted from). */
const makeCounty = () => {
  const accepted: Array<Command> = []
  let n = 0
  const send = (command: Command, actor: Envelope.Actor = bureau) =>
    Effect.gen(function* () {
      n += 1
      yield* Domain.handleUnknown(tenant, command, { actor, commandId: `cmd-${n}` })
      accepted.push(command)
    })
  const refuse = (command: Command, code: string) =>
    Effect.gen(function* () {
      n += 1
      const error = yield* Effect.flip(Domain.handleUnknown(tenant, command, { actor: bureau, commandId: `cmd-${n}` }))
      assert.instanceOf(error, RuleViolation, `${command._tag} is refused`)
      assert.strictEqual((error as RuleViolation).code, code)
    })
  return { accepted, send, refuse }
}

const townships = [
  { township: "t1", name: "阳城镇" },
  { township: "t2", name: "黄盆镇" },
  { township: "t3", name: "七拱镇" },
  { township: "t4", name: "岭背镇" }
]

const household = (id: string, station: string, township: string, village: string, registeredOn: string) => ({
  _tag: "RegisterHousehold",
  household: id,
  station,
  township,
  village,
  address: `${village} 1 号`,
  head: { person: `p-${id}-1`, name: `户主${id}`, birthDate: "1950-03-01" },
  registeredOn
})

const visit = (
  id: string,
  h: string,
  station: string,
  w: string,
  visitedOn: string,
  personsSeen: ReadonlyArray<string>,
  modality = "HomeVisit"
) => ({
  _tag: "RecordVisit",
  visit: id,
  household: h,
  station,
  worker: w,
  visitedOn,
  personsSeen,
  modality,
  findings: "情况稳定",
  needs: [],
  itemsGiven: []
})

const openCase = (person: string, h: string, station: string, w: string, caseType: string, openedOn: string) => ({
  _tag: "OpenCase",
  person,
  household: h,
  station,
  worker: w,
  caseType,
  riskLevel: "Medium",
  openedOn
})
const caseOf = (person: string, caseType: string) => `${person}.${caseType}`

/** Assess, plan, serve and evaluate a case, all on one day. */
const workCase = (id: string, on: string): ReadonlyArray<Command> => [
  { _tag: "RecordAssessment", case: id, needs: ["生活照料"], riskLevel: "Medium", assessedOn: on },
  { _tag: "RecordPlan", case: id, goals: ["改善生活"], services: ["ResourceLinking"], plannedOn: on },
  { _tag: "DeliverService", case: id, service: "ResourceLinking", deliveredOn: on, notes: "链接资源" },
  { _tag: "RecordEvaluation", case: id, outcome: "GoalsAchieved", evaluatedOn: on, notes: "目标达成" }
]

const campaignVisit = (
  campaign: string,
  person: string,
  h: string,
  village: string,
  station: string,
  w: string,
  visitedOn: string
) => ({ _tag: "VisitRecipient", campaign, person, household: h, village, visitedOn, worker: w, station })

/** Everything the article describes, at a small scale. */
const buildCounty = Effect.gen(function* () {
  yield* TestClock.setTime(Date.parse(`${today}T10:00:00+08:00`))
  const county = makeCounty()
  const { send, refuse } = county

  // Stations: four townships, a station in each; one closed this year.
  yield* send({ _tag: "ConfigureCounty", name: "阳山县", townships })
  for (const [i, t] of townships.entries()) {
    yield* send({
      _tag: "EstablishStation",
      township: t.township,
      station: `s${i + 1}`,
      name: `${t.name}社工站`,
      establishedOn: "2024-01-05"
    })
  }
  yield* send({
    _tag: "OpenServicePoint",
    township: "t1",
    village: "vil-1",
    name: "一村社工点",
    openedOn: "2024-02-01"
  })
  yield* send({ _tag: "CloseStation", township: "t4", closedOn: "2025-03-01", reason: "TownshipMerged" })

  // Posts and workers: hires, a transfer, a leaver, a hire after the report day.
  yield* send({ _tag: "AllotPosts", station: "s1", posts: 3, allottedOn: "2024-01-05" })
  yield* send({ _tag: "AllotPosts", station: "s2", posts: 2, allottedOn: "2024-01-05" })
  yield* send({ _tag: "AllotPosts", station: "s3", posts: 2, allottedOn: "2024-01-05" })
  const hires: ReadonlyArray<readonly [string, string]> = [
    ["w1", "s1"],
    ["w2", "s1"],
    ["w3", "s2"],
    ["w4", "s3"],
    ["w5", "s3"]
  ]
  for (const [w, s] of hires) {
    yield* send({ _tag: "HireWorker", worker: w, name: `社工${w}`, station: s, hiredOn: "2024-01-10" })
  }
  yield* send({ _tag: "TransferWorker", worker: "w2", to: "s2", transferredOn: "2025-02-01" })
  yield* refuse(
    { _tag: "HireWorker", worker: "w9", name: "社工w9", station: "s2", hiredOn: "2025-02-02" },
    "NoOpenPost"
  )

  // Training, exchange visits and publicity (last year mostly).
  const course = (id: string, kind: string, heldOn: string, attendees: ReadonlyArray<string>) => ({
    _tag: "RecordCourse",
    course: id,
    kind,
    title: `培训${id}`,
    heldOn,
    attendees
  })
  yield* send(course("c-0705", "ProfessionalCapacity", "2024-07-05", ["w1", "w2", "w3"]))
  yield* send(course("c-0815", "ChildWelfare", "2024-08-15", ["w1", "w2", "w3", "w4", "w5"]))
  yield* send(course("c-1109", "ProfessionalCapacity", "2024-11-09", ["w1", "w3", "w4", "w5"]))
  yield* send(course("c-2025", "ProfessionalCapacity", "2025-03-01", ["w1"]))
  yield* send({
    _tag: "RecordExchangeVisit",
    exchangeVisit: "ev-2024",
    host: "s3",
    visiting: ["s1", "s2"],
    participants: ["w1", "w3", "w4"],
    heldOn: "2024-02-20"
  })
  yield* send({
    _tag: "RecordExchangeVisit",
    exchangeVisit: "ev-2025",
    host: "s1",
    visiting: ["s2"],
    participants: ["w1", "w2"],
    heldOn: "2025-05-10"
  })
  const print = (id: string, kind: string, quantity: number, printedOn: string) => ({
    _tag: "RecordPrintRun",
    printRun: id,
    kind,
    title: "社工站宣传",
    quantity,
    printedOn,
    scope: { _tag: "CountyWide" }
  })
  yield* send(print("print-brochure-2024", "Brochure", 10_000, "2024-07-10"))
  yield* send(print("print-leaflet-2024", "Leaflet", 5_000, "2024-07-10"))
  yield* send(print("print-brochure-2025", "Brochure", 2_000, "2025-02-01"))

  // Recruitment: last year's drive and this year's, one application the day after the report day.
  yield* send({
    _tag: "OpenDrive",
    drive: "d-2024",
    title: "2024年招聘",
    vacancies: 2,
    stations: ["s1"],
    opensOn: "2024-03-01",
    closesOn: "2024-03-31"
  })
  yield* send({
    _tag: "OpenDrive",
    drive: "d-2025",
    title: "2025年双百社工招聘",
    vacancies: 3,
    stations: ["s1", "s3"],
    opensOn: "2025-07-01",
    closesOn: "2025-08-10"
  })
  const application = (drive: string, applicant: string, receivedOn: string) => ({
    _tag: "ReceiveApplication",
    drive,
    applicant,
    name: `报名人${applicant}`,
    receivedOn
  })
  yield* send(application("d-2024", "a-1", "2024-03-02"))
  yield* send(application("d-2024", "a-2", "2024-03-05"))
  const received = ["2025-07-02", "2025-07-03", "2025-07-10", "2025-07-20", "2025-08-01", "2025-08-04", "2025-08-05"]
  for (const [i, on] of received.entries()) yield* send(application("d-2025", `a-${i + 3}`, on))
  yield* refuse(application("d-2025", "a-3", "2025-07-04"), "ApplicationAlreadyReceived")
  yield* send({ _tag: "ShortlistApplicant", drive: "d-2025", applicant: "a-3", shortlistedOn: "2025-07-05" })

  // Households on file, members, categories (one revoked, one verified after the report day).
  yield* send(household("h1", "s1", "t1", "vil-1", "2024-01-15"))
  yield* send(household("h2", "s1", "t1", "vil-1", "2024-02-20"))
  yield* send(household("h3", "s2", "t2", "vil-3", "2024-03-01"))
  yield* send(household("h4", "s2", "t2", "vil-4", "2024-04-01"))
  yield* send(household("h5", "s3", "t3", "vil-5", "2025-01-20"))
  yield* send(household("h6", "s3", "t3", "vil-6", "2024-05-01"))
  yield* send(household("h7", "s3", "t3", "vil-7", "2024-06-01"))
  yield* send(household("h8", "s1", "t1", "vil-8", "2024-06-01"))
  yield* send(household("h9", "s2", "t2", "vil-9", today))
  const member = (h: string, n: number, relation: string, birthDate: string, guardian?: string) => ({
    _tag: "AddMember",
    household: h,
    person: `p-${h}-${n}`,
    name: `成员${h}-${n}`,
    birthDate,
    relation,
    ...(guardian === undefined ? {} : { guardian })
  })
  yield* send(member("h2", 2, "Spouse", "1952-01-01"))
  yield* send(member("h3", 2, "Child", "2015-06-01", "p-h3-1"))
  yield* send(member("h4", 2, "Spouse", "1955-01-01"))
  yield* send(member("h5", 2, "Grandchild", "2016-09-01", "p-h5-1"))
  yield* send(member("h7", 2, "Spouse", "1948-01-01"))
  const assign = (h: string, person: string, category: string, verifiedOn: string) => ({
    _tag: "AssignCategory",
    household: h,
    person,
    category,
    verifiedBy: "bureau-1",
    verifiedOn
  })
  yield* send(assign("h1", "p-h1-1", "ElderlyLivingAlone", "2024-02-01"))
  yield* send(assign("h2", "p-h2-1", "MinimumSubsistence", "2024-03-01"))
  yield* send(assign("h2", "p-h2-2", "PersonInDifficulty", today))
  yield* send(assign("h3", "p-h3-2", "ChildInDifficulty", "2025-01-10"))
  yield* send(assign("h4", "p-h4-1", "ExtremePoverty", "2024-05-01"))
  yield* send(assign("h4", "p-h4-2", "SpecialGroup", "2024-07-01"))
  yield* send(assign("h5", "p-h5-2", "LeftBehindChild", "2025-02-01"))
  yield* send(assign("h6", "p-h6-1", "Disabled", "2024-06-01"))
  yield* send(assign("h7", "p-h7-1", "LeftBehindElderly", "2024-06-01"))
  yield* send(assign("h8", "p-h8-1", "ExtremePoverty", "2024-06-01"))
  yield* send({
    _tag: "RevokeCategory",
    household: "h6",
    person: "p-h6-1",
    category: "Disabled",
    verifiedBy: "bureau-1",
    verifiedOn: "2025-03-01",
    reason: "复核不符合条件"
  })
  yield* send({
    _tag: "AssessRisk",
    household: "h4",
    person: "p-h4-1",
    level: "High",
    assessedOn: "2025-01-05",
    assessedBy: "w3"
  })

  // Home visits: a phone call amended to a home visit, a visit moved out of the first half, one voided,
  // one whose persons seen are corrected, one to a household archived later.
  const w1 = worker("w1", "s1")
  const w3 = worker("w3", "s2")
  const w4 = worker("w4", "s3")
  yield* send(visit("v1", "h1", "s1", "w1", "2025-01-15", ["p-h1-1"]), w1)
  yield* send(visit("v2", "h1", "s1", "w1", "2025-03-02", ["p-h1-1"]), w1)
  yield* send(visit("v3", "h2", "s1", "w1", "2025-01-28", ["p-h2-1"], "Phone"), w1)
  yield* send({ _tag: "AmendVisit", visit: "v3", reason: "实为入户", modality: "HomeVisit" }, w1)
  yield* send(visit("v4", "h3", "s2", "w3", "2024-12-20", ["p-h3-1"]), w3)
  yield* send(visit("v5", "h3", "s2", "w3", "2025-06-25", ["p-h3-1"]), w3)
  yield* send({ _tag: "AmendVisit", visit: "v5", reason: "日期录错", visitedOn: "2025-07-02" }, w3)
  yield* send(visit("v6", "h4", "s2", "w3", "2025-02-10", ["p-h4-1"]), w3)
  yield* send({ _tag: "VoidVisit", visit: "v6", reason: "重复录入" }, w3)
  yield* send(visit("v7", "h5", "s3", "w4", "2025-07-20", ["p-h5-1", "p-h5-2"]), w4)
  yield* send(visit("v8", "h6", "s3", "w4", "2025-05-05", ["p-h6-1"], "Video"), w4)
  yield* send(visit("v9", "h7", "s3", "w4", "2025-04-01", ["p-h7-1"]), w4)
  yield* send({ _tag: "AmendVisit", visit: "v9", reason: "见到的是配偶", personsSeen: ["p-h7-2"] }, w4)
  yield* send(visit("v10", "h8", "s1", "w1", "2025-03-15", ["p-h8-1"]), w1)
  yield* send({ _tag: "ArchiveHousehold", household: "h8", archivedOn: "2025-04-01", reason: "迁出" })
  yield* refuse(visit("v11", "h8", "s1", "w1", "2025-04-02", ["p-h8-1"]), "HouseholdIsArchived")

  // Cases through the workflow: open, worked, closed, reopened, transferred, a new case after a close.
  const elderly1 = caseOf("p-h1-1", "ElderlyCare")
  yield* send(openCase("p-h1-1", "h1", "s1", "w1", "ElderlyCare", "2024-11-01"), w1)
  const assistance2 = caseOf("p-h2-1", "SocialAssistance")
  yield* send(openCase("p-h2-1", "h2", "s1", "w1", "SocialAssistance", "2025-02-01"), w1)
  for (const command of workCase(assistance2, "2025-03-01")) yield* send(command, w1)
  yield* send(
    { _tag: "CloseCase", case: assistance2, reason: "GoalsAchieved", closedOn: "2025-05-20", notes: "结案" },
    w1
  )
  yield* send({ _tag: "ReopenCase", case: assistance2, reason: "再次申请", reopenedOn: "2025-07-01" }, w1)
  yield* send(openCase("p-h3-2", "h3", "s2", "w3", "ChildWelfare", "2025-03-10"), w3)
  const elderly4 = caseOf("p-h4-1", "ElderlyCare")
  yield* send(openCase("p-h4-1", "h4", "s2", "w3", "ElderlyCare", "2024-05-01"), w3)
  yield* send({ _tag: "CloseCase", case: elderly4, reason: "LostContact", closedOn: "2024-09-01", notes: "失联" }, w3)
  yield* send(openCase("p-h4-1", "h4", "s2", "w3", "ElderlyCare", "2025-07-10"), w3)
  const mental5 = caseOf("p-h5-1", "MentalHealth")
  yield* send(openCase("p-h5-1", "h5", "s2", "w3", "MentalHealth", "2025-06-15"), w3)
  yield* send({ _tag: "TransferCase", case: mental5, worker: "w4", station: "s3", transferredOn: "2025-06-20" }, w3)
  const disability6 = caseOf("p-h6-1", "Disability")
  yield* send(openCase("p-h6-1", "h6", "s3", "w4", "Disability", "2025-01-05"), w4)
  yield* send(
    { _tag: "CloseCase", case: disability6, reason: "RecipientMovedAway", closedOn: "2025-07-15", notes: "迁居" },
    w4
  )
  yield* refuse(openCase("p-h1-1", "h1", "s1", "w2", "ElderlyCare", "2025-01-02"), "CaseAlreadyOpen")
  assert.isString(elderly1)

  // Activities: one last year, three this year, one cancelled, one planned, one held after the report day.
  const plan = (id: string, station: string, theme: string, plannedOn: string) => ({
    _tag: "PlanActivity",
    activity: id,
    station,
    theme,
    title: `活动${id}`,
    plannedOn
  })
  const held = (id: string, heldOn: string, participants: ReadonlyArray<string>, headcount?: number) => ({
    _tag: "RecordActivity",
    activity: id,
    heldOn,
    participants,
    ...(headcount === undefined ? {} : { headcount })
  })
  yield* send(plan("a1", "s1", "Reading", "2024-11-01"))
  yield* send(held("a1", "2024-11-10", [], 20))
  yield* send(plan("a2", "s1", "Lecture", "2025-01-05"))
  yield* send(held("a2", "2025-01-12", ["p-h1-1", "p-h2-1"], 30))
  yield* send(plan("a3", "s2", "DrowningPrevention", "2025-07-01"))
  yield* send(held("a3", "2025-07-15", ["p-h3-2", "p-h3-1"]))
  yield* send(plan("a4", "s3", "FarmingHelp", "2025-03-01"))
  yield* send(held("a4", "2025-03-20", ["p-h7-1", "p-h7-2"], 1))
  yield* send(plan("a5", "s3", "Painting", "2025-06-01"))
  yield* send({ _tag: "CancelActivity", activity: "a5", reason: "暴雨" })
  yield* send(plan("a6", "s2", "Crafts", "2025-08-01"))
  yield* send(plan("a7", "s1", "TreePlanting", "2025-07-30"))
  yield* send(held("a7", today, [], 10))

  // Relief: last year's cold snap, this year's cold snap and flood.
  yield* send({
    _tag: "LaunchCampaign",
    campaign: "cold-2024",
    kind: "ColdSnap",
    title: "2024寒冬送温暖",
    scope: { _tag: "CountyWide" },
    launchedOn: "2024-01-22"
  })
  yield* send(campaignVisit("cold-2024", "p-h1-1", "h1", "vil-1", "s1", "w1", "2024-01-23"), w1)
  yield* send({
    _tag: "LaunchCampaign",
    campaign: "cold-2025",
    kind: "ColdSnap",
    title: "送暖入户",
    scope: { _tag: "CountyWide" },
    launchedOn: "2025-01-20"
  })
  const receive = (campaign: string, item: string, quantity: number, receivedOn: string) => ({
    _tag: "ReceiveSupplies",
    campaign,
    item,
    quantity,
    source: "县民政局",
    receivedOn
  })
  yield* send(receive("cold-2025", "WinterClothing", 40, "2025-01-20"))
  yield* send(receive("cold-2025", "Quilt", 3, "2025-01-20"))
  yield* send(campaignVisit("cold-2025", "p-h1-1", "h1", "vil-1", "s1", "w1", "2025-01-24"), w1)
  yield* send(campaignVisit("cold-2025", "p-h2-1", "h2", "vil-1", "s1", "w1", "2025-01-24"), w1)
  yield* send(campaignVisit("cold-2025", "p-h3-1", "h3", "vil-3", "s2", "w3", "2025-01-25"), w3)
  yield* send(campaignVisit("cold-2025", "p-h7-1", "h7", "vil-7", "s3", "w4", "2025-01-26"), w4)
  yield* send(campaignVisit("cold-2025", "p-h1-1", "h1", "vil-1", "s1", "w1", "2025-01-27"), w1)
  const distribute = (
    campaign: string,
    item: string,
    quantity: number,
    person: string,
    h: string,
    village: string,
    station: string,
    w: string,
    on: string
  ) => ({
    _tag: "DistributeSupplies",
    campaign,
    item,
    quantity,
    person,
    household: h,
    village,
    distributedOn: on,
    worker: w,
    station
  })
  yield* send(distribute("cold-2025", "WinterClothing", 2, "p-h1-1", "h1", "vil-1", "s1", "w1", "2025-01-24"), w1)
  yield* send(distribute("cold-2025", "WinterClothing", 1, "p-h3-1", "h3", "vil-3", "s2", "w3", "2025-01-25"), w3)
  yield* send(distribute("cold-2025", "Quilt", 1, "p-h7-1", "h7", "vil-7", "s3", "w4", "2025-01-26"), w4)
  yield* send({ _tag: "CloseCampaign", campaign: "cold-2025", closedOn: "2025-02-10" })
  yield* send({
    _tag: "LaunchCampaign",
    campaign: "flood-2025",
    kind: "Flood",
    title: "灾后入户慰问",
    scope: { _tag: "Stations", stations: ["s1", "s2"] },
    launchedOn: "2025-04-25"
  })
  yield* send(campaignVisit("flood-2025", "p-h2-1", "h2", "vil-1", "s1", "w1", "2025-04-28"), w1)
  yield* send(campaignVisit("flood-2025", "p-h4-1", "h4", "vil-4", "s2", "w3", "2025-04-29"), w3)
  yield* send(campaignVisit("flood-2025", "p-h3-1", "h3", "vil-3", "s2", "w3", "2025-04-29"), w3)
  const relocate = (person: string, h: string, village: string, station: string, w: string, on: string) => ({
    _tag: "AssistRelocation",
    campaign: "flood-2025",
    person,
    household: h,
    fromVillage: village,
    toPlace: "镇中心小学",
    assistedOn: on,
    worker: w,
    station
  })
  yield* send(relocate("p-h4-1", "h4", "vil-4", "s2", "w3", "2025-04-26"), w3)
  yield* send(relocate("p-h3-1", "h3", "vil-3", "s2", "w3", "2025-04-26"), w3)
  yield* send(relocate("p-h3-1", "h3", "vil-3", "s2", "w3", "2025-04-27"), w3)
  yield* refuse(relocate("p-h7-1", "h7", "vil-7", "s3", "w4", "2025-04-26"), "StationOutsideCampaign")

  // A worker leaves, another is hired the day after the report day.
  yield* send({ _tag: "EndEmployment", worker: "w5", leftOn: "2025-05-01", reason: "Resigned" })
  yield* send({ _tag: "HireWorker", worker: "w6", name: "社工w6", station: "s1", hiredOn: today })

  const store = yield* EventStore.EventStore
  const stored = yield* store.readAll(tenant, { after: 0, limit: 100_000 })
  const recorded: Array<Recorded<Domain.Event>> = []
  for (const event of stored) recorded.push(yield* Effect.fromResult(Domain.codec.decode(event)))
  return { accepted: county.accepted, recorded }
})

// ---- counts made from the accepted commands --------------------------------------------------------------

const between = (date: string, from: string, to: string) => date >= from && date <= to
const ytd = { from: "2025-01-01", to: asOf }
const h1 = { from: "2025-01-01", to: "2025-06-30" }
const lastYear = { from: "2024-01-01", to: "2024-12-31" }

const of = (accepted: ReadonlyArray<Command>, tag: string) => accepted.filter((c) => c._tag === tag) as Array<any>

/** Each visit as it stands after its amendments, void ones removed. */
const visitsNow = (accepted: ReadonlyArray<Command>) => {
  const visits = new Map<
    string,
    { household: string; station: string; visitedOn: string; modality: string; persons: ReadonlyArray<string> }
  >()
  for (const c of accepted as Array<any>) {
    if (c._tag === "RecordVisit") {
      visits.set(c.visit, {
        household: c.household,
        station: c.station,
        visitedOn: c.visitedOn,
        modality: c.modality,
        persons: c.personsSeen
      })
    } else if (c._tag === "AmendVisit") {
      const v = visits.get(c.visit)!
      visits.set(c.visit, {
        ...v,
        visitedOn: c.visitedOn ?? v.visitedOn,
        modality: c.modality ?? v.modality,
        persons: c.personsSeen ?? v.persons
      })
    } else if (c._tag === "VoidVisit") visits.delete(c.visit)
  }
  return [...visits.values()]
}

/** Per case file, its open/close/reopen days in order, and its station through transfers. */
const caseTimelines = (accepted: ReadonlyArray<Command>) => {
  const files = new Map<string, { person: string; steps: Array<{ on: string; open: boolean; station?: string }> }>()
  for (const c of accepted as Array<any>) {
    if (c._tag === "OpenCase") {
      const id = caseOf(c.person, c.caseType)
      const file = files.get(id) ?? {
        person: c.person as string,
        steps: [] as Array<{ on: string; open: boolean; station?: string }>
      }
      file.steps.push({ on: c.openedOn, open: true, station: c.station })
      files.set(id, file)
    } else if (c._tag === "CloseCase") files.get(c.case)!.steps.push({ on: c.closedOn, open: false })
    else if (c._tag === "ReopenCase") files.get(c.case)!.steps.push({ on: c.reopenedOn, open: true })
    else if (c._tag === "TransferCase" && c.station !== undefined) {
      const steps = files.get(c.case)!.steps
      steps.push({ on: c.transferredOn, open: steps[steps.length - 1]!.open, station: c.station })
    }
  }
  return [...files.values()]
}

const openOn = (steps: ReadonlyArray<{ on: string; open: boolean }>, day: string) => {
  const before = steps.filter((s) => s.on <= day)
  return before.length > 0 && before[before.length - 1]!.open
}

const expectedFigures = (accepted: ReadonlyArray<Command>) => {
  const expected = new Map<string, number | undefined>()
  const put = (measure: Measure, value: number | undefined, scope?: string) =>
    expected.set(scope === undefined ? measure : `${measure}@${scope}`, value)

  // F1
  const openStation = new Map<string, boolean>()
  for (const c of accepted as Array<any>) {
    if (c._tag === "EstablishStation" && c.establishedOn <= asOf) openStation.set(c.township, true)
    if (c._tag === "CloseStation" && c.closedOn <= asOf) openStation.set(c.township, false)
  }
  const covered = townships.filter((t) => openStation.get(t.township) === true).length
  put("F1.coverage", covered / townships.length)
  put("F1.townships", townships.length)
  put("F1.covered", covered)

  // F2
  const onFile = (day: string) => {
    const files = new Map<string, string>()
    for (const c of of(accepted, "RegisterHousehold")) if (c.registeredOn <= day) files.set(c.household, c.station)
    for (const c of of(accepted, "ArchiveHousehold")) if (c.archivedOn <= day) files.delete(c.household)
    return files
  }
  const carried = new Map<string, { household: string; categories: Set<string> }>()
  for (const c of accepted as Array<any>) {
    if (c._tag === "AssignCategory" && c.verifiedOn <= asOf) {
      const r = carried.get(c.person) ?? { household: c.household, categories: new Set<string>() }
      r.categories.add(c.category)
      carried.set(c.person, r)
    }
    if (c._tag === "RevokeCategory" && c.verifiedOn <= asOf) carried.get(c.person)?.categories.delete(c.category)
  }
  const filesNow = onFile(asOf)
  const recipients = [...carried].filter(([, r]) => r.categories.size > 0 && filesNow.has(r.household)).map(([p]) => p)
  const reached = new Set<string>()
  for (const v of visitsNow(accepted))
    if (between(v.visitedOn, ytd.from, ytd.to)) for (const p of v.persons) reached.add(p)
  for (const c of [...of(accepted, "VisitRecipient"), ...of(accepted, "DistributeSupplies")]) {
    if (between(c.visitedOn ?? c.distributedOn, ytd.from, ytd.to)) reached.add(c.person)
  }
  for (const c of of(accepted, "AssistRelocation")) if (between(c.assistedOn, ytd.from, ytd.to)) reached.add(c.person)
  for (const c of of(accepted, "RecordActivity")) {
    if (between(c.heldOn, ytd.from, ytd.to)) for (const p of c.participants) reached.add(p)
  }
  for (const file of caseTimelines(accepted)) {
    const openSomeDay = openOn(file.steps, "2024-12-31") || file.steps.some((s) => between(s.on, ytd.from, ytd.to))
    if (openSomeDay) reached.add(file.person)
  }
  const reachedRecipients = recipients.filter((p) => reached.has(p)).length
  put("F2.coverage", reachedRecipients / recipients.length)
  put("F2.recipients", recipients.length)
  put("F2.reached", reachedRecipients)

  // F3–F8, per campaign launched this year
  for (const launch of of(accepted, "LaunchCampaign")) {
    if (!between(launch.launchedOn, ytd.from, ytd.to)) continue
    const id = launch.campaign
    const visited = of(accepted, "VisitRecipient").filter((c) => c.campaign === id)
    const handed = (item: string) =>
      of(accepted, "DistributeSupplies")
        .filter((c) => c.campaign === id && c.item === item)
        .reduce((n, c) => n + c.quantity, 0)
    const persons = new Set(visited.map((c) => c.person)).size
    if (launch.kind === "ColdSnap") {
      put("F3.villages", new Set(visited.map((c) => c.village)).size, id)
      put("F4.recipients", persons, id)
      put("F5.winterClothing", handed("WinterClothing"), id)
      put("F6.quilts", handed("Quilt"), id)
    } else {
      put("F7.recipients", persons, id)
      put(
        "F8.relocated",
        new Set(
          of(accepted, "AssistRelocation")
            .filter((c) => c.campaign === id)
            .map((c) => c.person)
        ).size,
        id
      )
    }
  }

  // F9–F15
  const homeHouseholds = (from: string, to: string) =>
    new Set(
      visitsNow(accepted)
        .filter((v) => v.modality === "HomeVisit" && between(v.visitedOn, from, to))
        .map((v) => v.household)
    ).size
  put("F9.households", homeHouseholds(ytd.from, ytd.to))
  const heldThisYear = of(accepted, "RecordActivity").filter((c) => between(c.heldOn, ytd.from, ytd.to))
  put("F10.activities", heldThisYear.length)
  put(
    "F11.personTimes",
    heldThisYear.reduce((n, c) => n + Math.max(c.headcount ?? 0, c.participants.length), 0)
  )
  put("F12.households", homeHouseholds(h1.from, h1.to))
  put("F13.households", filesNow.size)
  put("F14.cases", of(accepted, "OpenCase").filter((c) => between(c.openedOn, h1.from, h1.to)).length)
  put("F15.cases", caseTimelines(accepted).filter((f) => openOn(f.steps, h1.to)).length)

  // F16–F18
  const posts = new Map<string, number>()
  for (const c of of(accepted, "AllotPosts")) if (c.allottedOn <= asOf) posts.set(c.station, c.posts)
  const onPost = new Set<string>()
  for (const c of accepted as Array<any>) {
    if (c._tag === "HireWorker" && c.hiredOn <= asOf) onPost.add(c.worker)
    if (c._tag === "EndEmployment" && c.leftOn <= asOf) onPost.delete(c.worker)
  }
  const allotted = [...posts.values()].reduce((n, p) => n + p, 0)
  put("F16.posts", allotted)
  put("F17.onPost", onPost.size)
  put("F18.toRecruit", allotted - onPost.size)

  // F19, per drive
  for (const drive of of(accepted, "OpenDrive")) {
    put(
      "F19.applicants",
      of(accepted, "ReceiveApplication").filter((c) => c.drive === drive.drive && c.receivedOn <= asOf).length,
      drive.drive
    )
  }

  // F20–F23
  const exchange = of(accepted, "RecordExchangeVisit")
  for (const ev of exchange) {
    if (!between(ev.heldOn, lastYear.from, lastYear.to)) continue
    put("F20.stations", 1 + ev.visiting.length, ev.exchangeVisit)
    put("F20.workers", ev.participants.length, ev.exchangeVisit)
  }
  const heldBy = exchange.filter((ev) => ev.heldOn <= asOf)
  put("F21.visits", heldBy.length)
  put("F21.stations", new Set(heldBy.flatMap((ev) => [ev.host, ...ev.visiting])).size)
  const courses = of(accepted, "RecordCourse").filter(
    (c) => c.kind === "ProfessionalCapacity" && between(c.heldOn, lastYear.from, lastYear.to)
  )
  put("F22.courses", courses.length)
  put(
    "F22.personTimes",
    courses.reduce((n, c) => n + c.attendees.length, 0)
  )
  put(
    "F23.copies",
    of(accepted, "RecordPrintRun")
      .filter((c) => c.kind === "Brochure" && between(c.printedOn, lastYear.from, lastYear.to))
      .reduce((n, c) => n + c.quantity, 0)
  )
  return expected
}

const keyOf = (f: Figure) => (f.scope === undefined ? f.measure : `${f.measure}@${f.scope.id}`)

describe("CountyDashboard", () => {
  it.effect("reproduces every figure F1–F23 of a county built from commands", () =>
    Effect.gen(function* () {
      const { accepted, recorded } = yield* buildCounty
      const periods = CountyDashboard.periods(asOf)
      const dashboard = CountyDashboard.view(Projection.fold(CountyDashboard.projection(periods), recorded))
      const expected = expectedFigures(accepted)

      const actual = new Map(dashboard.figures.map((f) => [keyOf(f), f.value] as const))
      assert.deepStrictEqual(actual, expected)
      // Every figure of the article is there, and the scenario is not trivial: no figure is zero.
      const ids = new Set(dashboard.figures.map((f) => f.id))
      for (let i = 1; i <= 23; i++) assert.isTrue(ids.has(`F${i}` as Figure["id"]), `F${i}`)
      for (const f of dashboard.figures) assert.isAbove(f.value ?? 0, 0, keyOf(f))
      assert.strictEqual(dashboard.county, "阳山县")

      // The figures worked out by hand for this scenario, to catch a model and a projection wrong alike.
      const value = (key: string) => actual.get(key)
      assert.strictEqual(value("F1.coverage"), 0.75)
      assert.strictEqual(value("F2.recipients"), 7)
      assert.strictEqual(value("F2.reached"), 6)
      assert.deepStrictEqual(
        ["F3.villages", "F4.recipients", "F5.winterClothing", "F6.quilts"].map((m) => value(`${m}@cold-2025`)),
        [3, 4, 3, 1]
      )
      assert.deepStrictEqual([value("F7.recipients@flood-2025"), value("F8.relocated@flood-2025")], [3, 2])
      assert.deepStrictEqual(
        [
          "F9.households",
          "F10.activities",
          "F11.personTimes",
          "F12.households",
          "F13.households",
          "F14.cases",
          "F15.cases"
        ].map(value),
        [6, 3, 34, 4, 7, 4, 4]
      )
      assert.deepStrictEqual(["F16.posts", "F17.onPost", "F18.toRecruit"].map(value), [7, 4, 3])
      assert.deepStrictEqual([value("F19.applicants@d-2024"), value("F19.applicants@d-2025")], [2, 6])
      assert.deepStrictEqual([value("F20.stations@ev-2024"), value("F20.workers@ev-2024")], [3, 3])
      assert.deepStrictEqual(
        ["F21.visits", "F21.stations", "F22.courses", "F22.personTimes", "F23.copies"].map(value),
        [2, 3, 2, 7, 10_000]
      )

      // Each figure says which days it covers.
      const covers = new Map(dashboard.figures.map((f) => [keyOf(f), f.covers] as const))
      assert.deepStrictEqual(covers.get("F9.households"), ytd)
      assert.deepStrictEqual(covers.get("F14.cases"), h1)
      assert.deepStrictEqual(covers.get("F15.cases"), { to: h1.to })
      assert.deepStrictEqual(covers.get("F13.households"), { to: asOf })
      assert.deepStrictEqual(covers.get("F3.villages@cold-2025"), { from: "2025-01-20", to: "2025-02-10" })
      assert.deepStrictEqual(covers.get("F22.courses"), lastYear)

      // A host may ask for other campaigns, drives and exchange visits than the periods select.
      const chosen = CountyDashboard.view(Projection.fold(CountyDashboard.projection(periods), recorded), {
        campaigns: ["cold-2024"],
        drives: ["d-2025"],
        exchangeVisits: ["ev-2025"]
      })
      const scoped = chosen.figures.filter((f) => f.scope !== undefined).map((f) => [keyOf(f), f.value])
      assert.deepStrictEqual(scoped, [
        ["F3.villages@cold-2024", 1],
        ["F4.recipients@cold-2024", 1],
        ["F5.winterClothing@cold-2024", 0],
        ["F6.quilts@cold-2024", 0],
        ["F19.applicants@d-2025", 6],
        ["F20.stations@ev-2025", 2],
        ["F20.workers@ev-2025", 2]
      ])
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("gives the same figures per station, summing to the county where a figure adds up", () =>
    Effect.gen(function* () {
      const { accepted, recorded } = yield* buildCounty
      const state = Projection.fold(StationDashboard.projection(CountyDashboard.periods(asOf)), recorded)
      const county = new Map(CountyDashboard.view(state).figures.map((f) => [keyOf(f), f.value] as const))
      const stations = StationDashboard.view(state)
      assert.deepStrictEqual(
        stations.stations.map((s) => [s.station, s.name]),
        [
          ["s1", "阳城镇社工站"],
          ["s2", "黄盆镇社工站"],
          ["s3", "七拱镇社工站"],
          ["s4", "岭背镇社工站"]
        ]
      )
      const per = (station: string, key: string) =>
        stations.stations.find((s) => s.station === station)!.figures.find((f) => keyOf(f) === key)?.value
      // Independent per-station counts for the figures that have a station.
      const files = of(accepted, "RegisterHousehold").filter((c) => c.registeredOn <= asOf && c.household !== "h8")
      for (const s of ["s1", "s2", "s3", "s4"]) {
        assert.strictEqual(per(s, "F13.households"), files.filter((c) => c.station === s).length, `F13 ${s}`)
        const home = (from: string, to: string) =>
          new Set(
            visitsNow(accepted)
              .filter((v) => v.station === s && v.modality === "HomeVisit" && between(v.visitedOn, from, to))
              .map((v) => v.household)
          ).size
        assert.strictEqual(per(s, "F9.households"), home(ytd.from, ytd.to), `F9 ${s}`)
        assert.strictEqual(per(s, "F12.households"), home(h1.from, h1.to), `F12 ${s}`)
        assert.strictEqual(
          per(s, "F14.cases"),
          of(accepted, "OpenCase").filter((c) => c.station === s && between(c.openedOn, h1.from, h1.to)).length,
          `F14 ${s}`
        )
        const held = of(accepted, "RecordActivity").filter(
          (c) =>
            between(c.heldOn, ytd.from, ytd.to) &&
            of(accepted, "PlanActivity").find((p) => p.activity === c.activity)!.station === s
        )
        assert.strictEqual(per(s, "F10.activities"), held.length, `F10 ${s}`)
      }
      assert.deepStrictEqual(
        ["s1", "s2", "s3", "s4"].map((s) => per(s, "F1.coverage")),
        [1, 1, 1, 0]
      )
      assert.deepStrictEqual(
        ["s1", "s2", "s3"].map((s) => per(s, "F17.onPost")),
        [1, 2, 1]
      )
      // F15 by the station a case was at on 30 June: the transferred case counts at s3.
      assert.deepStrictEqual(
        ["s1", "s2", "s3"].map((s) => per(s, "F15.cases")),
        [1, 1, 2]
      )
      assert.deepStrictEqual([per("s1", "F8.relocated@flood-2025"), per("s2", "F8.relocated@flood-2025")], [0, 2])
      // Additive figures sum to the county's.
      for (const key of [
        "F10.activities",
        "F11.personTimes",
        "F13.households",
        "F14.cases",
        "F15.cases",
        "F16.posts",
        "F17.onPost",
        "F2.recipients",
        "F2.reached"
      ]) {
        const sum = stations.stations.reduce((n, s) => n + (s.figures.find((f) => keyOf(f) === key)?.value ?? 0), 0)
        assert.strictEqual(sum, county.get(key), key)
      }
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("prints in zh-CN and en, and renders JSON and CSV", () =>
    Effect.gen(function* () {
      const { recorded } = yield* buildCounty
      const state = Projection.fold(CountyDashboard.projection(CountyDashboard.periods(asOf)), recorded)
      const dashboard = CountyDashboard.view(state)
      const zh = Render.print(dashboard, "zh-CN")
      assert.include(zh, "阳山县 县级指标（截至 2025-08-04）")
      assert.match(zh, /F1\s+社工站乡镇覆盖率\s+75%\s+截至 2025-08-04/)
      assert.match(zh, /F23\s+印发宣传手册（份）\s+10,000\s+2024-01-01 至 2024-12-31/)
      assert.match(zh, /F5\s+送出防寒衣物（件）\s+3\s+2025-01-20 至 2025-02-10\s+救助行动: 送暖入户/)
      const en = Render.print(dashboard, "en")
      assert.match(en, /F2\s+social-work service coverage of people in difficulty and special groups\s+85\.7%/)
      assert.match(en, /F19\s+applicants\s+6\s+as of 2025-08-04\s+recruitment drive: 2025年双百社工招聘/)

      const json = JSON.parse(Render.toJson(dashboard))
      assert.strictEqual(json.figures.length, dashboard.figures.length)
      assert.deepStrictEqual(json.figures[0], {
        id: "F1",
        measure: "F1.coverage",
        label: { "zh-CN": "社工站乡镇覆盖率", en: "station coverage of townships" },
        unit: "ratio",
        value: 0.75,
        covers: { from: null, to: asOf },
        scope: null
      })

      const csv = Render.toCsv(dashboard, "en").split("\r\n")
      assert.strictEqual(csv[0], "id,measure,label,value,unit,from,to,scope_kind,scope_id,scope_title")
      assert.strictEqual(csv.length, dashboard.figures.length + 2)
      assert.include(csv, "F23,F23.copies,brochures printed,10000,count,2024-01-01,2024-12-31,,,")
      assert.include(
        Render.toCsv(StationDashboard.view(state), "zh-CN").split("\r\n"),
        "s2,黄盆镇社工站,F13,F13.households,建档户数,2,count,,2025-08-04,,,"
      )
      assert.include(Render.print(StationDashboard.view(state), "en"), "黄盆镇社工站 (s2)")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("caseloads, recruitment status and training participation read the same log", () =>
    Effect.gen(function* () {
      const { recorded } = yield* buildCounty
      const loads = WorkerCaseloads.view(Projection.fold(WorkerCaseloads.projection(), recorded))
      // Open now: p-h1-1 (w1), p-h2-1 reopened (w1), p-h3-2 (w3), p-h4-1 new (w3), p-h5-1 transferred (w4).
      assert.strictEqual(loads.openCases, 5)
      assert.deepStrictEqual(
        loads.workers.map((w): ReadonlyArray<unknown> => [w.worker, w.station, w.onPost, w.openCases]),
        [
          ["w1", "s1", true, 2],
          ["w2", "s2", true, 0],
          ["w3", "s2", true, 2],
          ["w4", "s3", true, 1],
          ["w6", "s1", true, 0]
        ]
      )
      assert.deepStrictEqual(
        loads.stations.map((s): ReadonlyArray<unknown> => [s.station, s.openCases, s.workersOnPost, s.casesPerWorker]),
        [
          ["s1", 2, 2, 1],
          ["s2", 2, 2, 1],
          ["s3", 1, 1, 1]
        ]
      )
      const midYear = WorkerCaseloads.view(
        Projection.fold(WorkerCaseloads.projection({ asOf: "2025-06-30" }), recorded)
      )
      assert.strictEqual(midYear.openCases, 4)
      assert.isFalse(
        midYear.workers.some((w) => w.worker === "w5"),
        "w5 left in May and has no case"
      )

      const recruitment = RecruitmentStatus.view(Projection.fold(RecruitmentStatus.projection(asOf), recorded))
      assert.deepStrictEqual(
        [recruitment.posts, recruitment.onPost, recruitment.vacancies, recruitment.applicants],
        [7, 4, 3, 8]
      )
      assert.strictEqual(recruitment.applicantsPerPost, 8 / 3)
      assert.deepStrictEqual(
        recruitment.drives.map(
          (d): ReadonlyArray<unknown> => [
            d.drive,
            d.vacancies,
            d.applicants,
            d.applicantsPerPost,
            d.shortlisted,
            d.open
          ]
        ),
        [
          ["d-2024", 2, 2, 1, 0, true],
          ["d-2025", 3, 6, 2, 1, true]
        ]
      )

      const training = TrainingParticipation.view(
        Projection.fold(TrainingParticipation.projection({ from: "2024-01-01", to: "2024-12-31" }), recorded)
      )
      assert.deepStrictEqual([training.courses, training.personTimes, training.workers], [3, 12, 5])
      assert.deepStrictEqual(training.byKind.ProfessionalCapacity, { courses: 2, personTimes: 7 })
      assert.deepStrictEqual(
        training.stations.map((s): ReadonlyArray<unknown> => [s.station, s.personTimes, s.workers]),
        [
          ["s1", 5, 2],
          ["s2", 3, 1],
          ["s3", 4, 2]
        ]
      )
    }).pipe(Effect.provide(TestLayer))
  )
})
