import { assert, describe, it } from "@effect/vitest"
import { Projection, type Recorded, StreamId } from "@shuangbai/eventsourcing"
import { Arbitrary, ProjectionLaws, SchemaLaws } from "@shuangbai/testing"
import { Result, type Schema } from "effect"
import * as fc from "fast-check"
import * as Activities from "../activities/index.ts"
import * as Casework from "../casework/index.ts"
import * as Domain from "../Domain.ts"
import * as Recruitment from "../recruitment/index.ts"
import * as Registry from "../registry/index.ts"
import * as Relief from "../relief/index.ts"
import type { HouseholdId } from "../shared/Ids.ts"
import { PersistentMap, PersistentSet } from "../shared/Persistent.ts"
import * as Stations from "../stations/index.ts"
import * as Training from "../training/index.ts"
import * as Visits from "../visits/index.ts"
import * as Workforce from "../workforce/index.ts"
import * as CountyDashboard from "./CountyDashboard.ts"
import * as HouseholdHistory from "./HouseholdHistory.ts"
import * as RecruitmentStatus from "./RecruitmentStatus.ts"
import * as StationDashboard from "./StationDashboard.ts"
import * as TrainingParticipation from "./TrainingParticipation.ts"
import * as VisitSchedule from "./VisitSchedule.ts"
import * as WorkerCaseloads from "./WorkerCaseloads.ts"

// Every report is a pure fold: the same answer in one batch or event by event, from zero or resumed from a
// saved state, and a saved state is never changed by folding on from it. The logs are any events of any
// context (the rules are not asked), with ids and days drawn from small pools so that events meet: the
// same household visited, amended and voided, a case opened, closed and reopened, a campaign launched twice.

// Weighted so that what the reports mostly read arrives often enough to meet on shared ids.
const classes: ReadonlyArray<readonly [Schema.Top, number]> = [
  ...Registry.Events.Event.members.map((c) => [c, 3] as const),
  ...Visits.Events.Event.members.map((c) => [c, 8] as const),
  ...Stations.Events.Event.members.map((c) => [c, 1] as const),
  ...Workforce.Events.Event.members.map((c) => [c, 1] as const),
  ...Recruitment.Events.Event.members.map((c) => [c, 1] as const),
  ...Casework.Events.Event.members.map((c) => [c, 3] as const),
  ...Activities.Events.Event.members.map((c) => [c, 4] as const),
  ...Relief.Events.Event.members.map((c) => [c, 3] as const),
  ...Training.Events.Event.members.map((c) => [c, 2] as const)
]

// Which pool an id field draws from, by its key (arrays of ids by the array's key).
const families: Record<string, string> = {
  household: "h",
  person: "p",
  personsSeen: "p",
  persons: "p",
  participants: "p",
  applicant: "p",
  guardian: "p",
  givenBy: "p",
  withdrawnBy: "p",
  station: "s",
  host: "s",
  visiting: "s",
  stations: "s",
  from: "s",
  to: "s",
  worker: "w",
  assessedBy: "w",
  attendees: "w",
  visit: "v",
  case: "c",
  activity: "a",
  campaign: "k",
  drive: "d",
  village: "g",
  fromVillage: "g",
  township: "t",
  exchangeVisit: "e",
  course: "o",
  printRun: "r"
}

// Pool sizes: small enough that a visit is amended or a case reopened, large enough that counts of
// distinct households and persons do not saturate.
const poolSize: Record<string, number> = { h: 8, p: 10, g: 5, s: 4, w: 4, v: 5, c: 4, a: 4, t: 4 }

const hash = (text: string) => {
  let h = 5381
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 33) ^ text.charCodeAt(i)) >>> 0
  return h
}

const dayPool = (text: string) =>
  new Date(Date.parse("2024-10-01T00:00:00Z") + (hash(text) % 300) * 86_400_000).toISOString().slice(0, 10)

const remap = (value: unknown, key: string | undefined): unknown => {
  if (typeof value === "string") {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return dayPool(value)
    const family = key === undefined ? undefined : families[key]
    return family === undefined ? value : `${family}${hash(value) % (poolSize[family] ?? 3)}`
  }
  if (Array.isArray(value)) {
    // Pooled ids collide: keep each once (persons seen, visiting stations… are unique lists).
    const mapped = value.map((v) => remap(v, key))
    return mapped.every((v) => typeof v === "string") ? [...new Set(mapped)] : mapped
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, k)]))
  }
  return value
}

/** The stream a context writes the event to (the reports read categories and ids from it). */
const streamFor = (event: Domain.Event): StreamId.StreamId => {
  const e = event as unknown as Record<string, string>
  switch (Domain.contextOfEvent.get(event._tag)?.name) {
    case "registry":
      return Registry.streamOf(e.household as never)
    case "visits":
      return Visits.streamOf(e.visit as never)
    case "stations":
      return event._tag === "CountyConfigured" ? Stations.countyStream : Stations.streamOf(e.township as never)
    case "workforce":
      return event._tag === "PostsAllotted" || event._tag === "PostFilled" || event._tag === "PostVacated"
        ? Workforce.quotaStreamOf(e.station as never)
        : Workforce.streamOf(e.worker as never)
    case "recruitment":
      return Recruitment.streamOf(e.drive as never)
    case "casework":
      return Casework.streamOf(e.case as never)
    case "activities":
      return Activities.streamOf(e.activity as never)
    case "relief":
      return Relief.streamOf(e.campaign as never)
    default:
      return event._tag === "CourseHeld"
        ? StreamId.make("course", e.course!)
        : event._tag === "ExchangeVisitHeld"
          ? StreamId.make("exchange-visit", e.exchangeVisit!)
          : StreamId.make("publicity", e.printRun!)
  }
}

const subjectsOf = (data: unknown): ReadonlyArray<string> => {
  const found = new Set<string>()
  const walk = (value: unknown) => {
    if (typeof value === "string") {
      if (/^[hp]\d+$/.test(value)) found.add(value)
    } else if (Array.isArray(value)) value.forEach(walk)
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk)
  }
  walk(data)
  return [...found]
}

/** Any event, ids and days from the pools; one whose remapped payload no longer decodes is left out. */
const pooledEvent: fc.Arbitrary<Domain.Event | undefined> = fc
  .oneof(...classes.map(([c, weight]) => ({ arbitrary: Arbitrary.make(c), weight })))
  .map((event) => {
    const stored = SchemaLaws.stored(Domain.codec, event as Domain.Event, { tenant: "t" })
    const decoded = Domain.codec.decode({ ...stored, data: remap(stored.data, undefined) })
    return Result.isSuccess(decoded) ? decoded.success.event : undefined
  })

const log: fc.Arbitrary<ReadonlyArray<Recorded<Domain.Event>>> = fc
  .array(pooledEvent, { maxLength: 80, size: "max" })
  .map((events) =>
    events
      .filter((e): e is Domain.Event => e !== undefined)
      .map(
        ProjectionLaws.recorder<Domain.Event>((event) => ({
          tenant: "t",
          stream: streamFor(event),
          recordedAt: "2025-01-02T00:00:00.000Z",
          actor: { id: "w0", role: "worker", station: "s0" },
          subjects: subjectsOf(Domain.codec.encode(event).data)
        }))
      )
  )

/** A state as plain, ordered data: persistent and native maps and sets as sorted entries. */
const snapshot = (value: unknown): unknown => {
  const sorted = (entries: Array<unknown>) =>
    entries
      .map((e) => [JSON.stringify(e), e] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => e)
  if (value instanceof PersistentMap)
    return { PersistentMap: sorted([...value].map(([k, v]) => [snapshot(k), snapshot(v)])) }
  if (value instanceof PersistentSet) return { PersistentSet: sorted([...value].map(snapshot)) }
  if (value instanceof Map) return { Map: sorted([...value].map(([k, v]) => [snapshot(k), snapshot(v)])) }
  if (value instanceof Set) return { Set: sorted([...value].map(snapshot)) }
  if (Array.isArray(value)) return value.map(snapshot)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)]))
  }
  return value
}

interface Report {
  readonly name: string
  readonly projection: Projection.Projection<Domain.Event, any>
  readonly view: (state: any) => unknown
  /** False for a state that keeps decoded events, class instances a copy (`structuredClone`) turns into plain objects. */
  readonly plainData?: false
}

const asOf = "2025-03-31"
const periods = CountyDashboard.periods(asOf, { exchangeVisits: { from: "2024-10-01", to: "2025-03-31" } })
const reports: ReadonlyArray<Report> = [
  { name: "CountyDashboard", projection: CountyDashboard.projection(periods), view: CountyDashboard.view },
  { name: "StationDashboard", projection: StationDashboard.projection(periods), view: StationDashboard.view },
  { name: "WorkerCaseloads", projection: WorkerCaseloads.projection(), view: WorkerCaseloads.view },
  { name: "WorkerCaseloads as of", projection: WorkerCaseloads.projection({ asOf }), view: WorkerCaseloads.view },
  { name: "VisitSchedule", projection: VisitSchedule.projection(asOf), view: (s) => VisitSchedule.view(s) },
  { name: "RecruitmentStatus", projection: RecruitmentStatus.projection(asOf), view: RecruitmentStatus.view },
  {
    name: "TrainingParticipation",
    projection: TrainingParticipation.projection({ from: "2024-10-01", to: asOf }),
    view: TrainingParticipation.view
  },
  {
    name: "HouseholdHistory",
    projection: HouseholdHistory.projection("h0" as HouseholdId),
    view: HouseholdHistory.view,
    plainData: false
  }
]

describe("reports are pure folds", () => {
  for (const report of reports) {
    it(`${report.name}: one batch = event by event = resumed, and a saved state stays as it was`, () => {
      fc.assert(
        fc.property(log, fc.nat(), fc.integer({ min: 1, max: 7 }), (events, cut, chunk) => {
          const { projection, view } = report
          const batch = view(Projection.fold(projection, events))

          let stepwise = projection.initial
          for (const recorded of events) stepwise = projection.evolve(stepwise, recorded)
          assert.deepStrictEqual(view(stepwise), batch)

          let chunked = projection.initial
          for (let i = 0; i < events.length; i += chunk) {
            chunked = Projection.fold(projection, events.slice(i, i + chunk), chunked)
          }
          assert.deepStrictEqual(view(chunked), batch)

          const k = events.length === 0 ? 0 : cut % (events.length + 1)
          const saved = Projection.fold(projection, events.slice(0, k))
          const savedView = view(saved)
          const savedSnapshot = JSON.stringify(snapshot(saved))
          const resumed = Projection.fold(projection, events.slice(k), saved)
          assert.deepStrictEqual(view(resumed), batch)
          const again = Projection.fold(projection, events.slice(k), saved)
          assert.deepStrictEqual(view(again), batch)
          // A state saved and read back (structuredClone, as a cache or a worker hands it over) resumes alike.
          if (report.plainData !== false) {
            const copy = structuredClone(saved)
            assert.deepStrictEqual(view(copy), savedView, "a copy of the saved state reads the same")
            assert.deepStrictEqual(
              view(Projection.fold(projection, events.slice(k), copy)),
              batch,
              "resumed from a copy"
            )
          }
          assert.deepStrictEqual(view(saved), savedView, "folding on leaves the saved state as it was")
          assert.strictEqual(
            JSON.stringify(snapshot(saved)),
            savedSnapshot,
            "folding on leaves the saved state as it was"
          )
          assert.strictEqual(
            JSON.stringify(snapshot(resumed)),
            JSON.stringify(snapshot(Projection.fold(projection, events)))
          )
        }),
        { numRuns: 40 }
      )
    }, 60_000)
  }

  it("the generated logs make the reports do work", () => {
    // A guard on the generator: across a sample, events of every context arrive and meet on shared ids.
    const sample = fc.sample(log, { numRuns: 40, seed: 20250804 }).flat()
    const contexts = new Set(sample.map((r) => Domain.contextOfEvent.get(r.type)?.name))
    assert.strictEqual(contexts.size, Domain.contexts.length)
    const figures = CountyDashboard.view(Projection.fold(reports[0]!.projection, sample)).figures
    assert.isTrue(figures.some((f) => f.measure === "F13.households" && (f.value ?? 0) > 0))
  })
})
