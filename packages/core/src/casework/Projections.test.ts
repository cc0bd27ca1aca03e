import { assert, describe, it } from "@effect/vitest"
import { Projection, type Recorded, Scalars } from "@shuangbai/eventsourcing"
import { ProjectionLaws } from "@shuangbai/testing"
import { type CaseId, HouseholdId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import {
  CaseClosed,
  CaseOpened,
  CaseReopened,
  CaseTransferred,
  type CaseType,
  type Event,
  FollowUpRecorded,
  ServiceDelivered
} from "./Events.ts"
import * as Projections from "./Projections.ts"
import { caseIdOf, streamOf } from "./Stream.ts"

const record = ProjectionLaws.recorder<Event>((event) => ({
  stream: streamOf(event.case),
  occurredAt: Scalars.instantFromMillis(0),
  recordedAt: Scalars.instantFromMillis(0),
  actor: { id: "w", role: "worker" }
}))
const recorded = (person: string, caseType: CaseType, make: (id: CaseId) => Event): Recorded<Event> =>
  record(make(caseIdOf(PersonId.make(person), caseType)))
const opened = (
  person: string,
  station: string,
  worker: string,
  openedOn: string,
  caseType: CaseType = "ElderlyCare"
) =>
  recorded(
    person,
    caseType,
    (id) =>
      new CaseOpened({
        case: id,
        person: PersonId.make(person),
        household: HouseholdId.make(`h-${person}`),
        station: StationId.make(station),
        worker: WorkerId.make(worker),
        caseType,
        riskLevel: "Medium",
        openedOn
      })
  )
const closed = (person: string, closedOn: string) =>
  recorded(
    person,
    "ElderlyCare",
    (id) => new CaseClosed({ case: id, reason: "RecipientMovedAway", closedOn, notes: "" })
  )
const h1 = { from: "2024-01-01", to: "2024-06-30" }

describe("casework projections", () => {
  const log = [
    opened("p1", "s1", "w1", "2023-12-20"),
    opened("p2", "s1", "w1", "2024-01-05"),
    opened("p3", "s2", "w2", "2024-03-01"),
    opened("p3", "s2", "w2", "2024-03-02", "ChildWelfare"),
    closed("p2", "2024-04-01"),
    recorded("p2", "ElderlyCare", (id) => new CaseReopened({ case: id, reason: "再次求助", reopenedOn: "2024-05-01" })),
    closed("p1", "2024-06-10"),
    opened("p4", "s2", "w3", "2024-07-02"),
    closed("p3", "2024-07-05")
  ]

  it("F14: counts cases opened in the period, not reopenings", () => {
    const state = Projection.fold(Projections.openedIn(h1), log)
    assert.strictEqual(state.total, 3)
    assert.deepStrictEqual(
      state.byStation,
      new Map([
        [StationId.make("s1"), 1],
        [StationId.make("s2"), 2]
      ])
    )
    assert.deepStrictEqual(
      state.byType,
      new Map<CaseType, number>([
        ["ElderlyCare", 2],
        ["ChildWelfare", 1]
      ])
    )
  })

  it("F15: cases ongoing at the end of the period, as they stood that day", () => {
    const end = Projection.fold(Projections.ongoingAt(h1.to), log)
    // p1 closed on 06-10; p2 reopened; both p3 cases open until 07-05; p4 not yet opened.
    assert.strictEqual(Projections.ongoingCount(end), 3)
    assert.deepStrictEqual(
      Projections.ongoingByStation(end),
      new Map([
        [StationId.make("s1"), 1],
        [StationId.make("s2"), 2]
      ])
    )
    const april = Projection.fold(Projections.ongoingAt("2024-04-15"), log)
    assert.strictEqual(Projections.ongoingCount(april), 3) // p1, both p3
  })

  it("worker caseloads: open cases per worker, following transfers", () => {
    const transferred = recorded(
      "p3",
      "ElderlyCare",
      (id) => new CaseTransferred({ case: id, worker: WorkerId.make("w1"), transferredOn: "2024-07-03" })
    )
    const state = Projection.fold(Projections.cases, [...log.slice(0, 8), transferred])
    assert.deepStrictEqual(
      Projections.caseloads(state),
      new Map([
        [WorkerId.make("w1"), 2],
        [WorkerId.make("w2"), 1],
        [WorkerId.make("w3"), 1]
      ])
    )
    const after = Projection.fold(Projections.cases, [log[8]!], state)
    assert.strictEqual(Projections.caseloads(after).get(WorkerId.make("w1")), 1)
  })

  it("crisis follow-ups: due within the deadline, overdue after it, answered by a follow-up", () => {
    const crisis = (person: string, on: string) =>
      recorded(
        person,
        "ElderlyCare",
        (id) => new ServiceDelivered({ case: id, service: "CrisisIntervention", deliveredOn: on, notes: "" })
      )
    const events = [
      opened("c1", "s1", "w1", "2024-06-01"),
      opened("c2", "s1", "w2", "2024-06-01"),
      opened("c3", "s2", "w3", "2024-06-01"),
      crisis("c1", "2024-06-03"),
      crisis("c2", "2024-06-08"),
      crisis("c3", "2024-06-05"),
      recorded("c3", "ElderlyCare", (id) => new FollowUpRecorded({ case: id, followedUpOn: "2024-06-06", notes: "" })),
      recorded(
        "c1",
        "ElderlyCare",
        (id) => new ServiceDelivered({ case: id, service: "PolicyGuidance", deliveredOn: "2024-06-04", notes: "" })
      )
    ]
    const state = Projection.fold(Projections.cases, events)
    const on10 = Projections.crisisFollowUps(state, "2024-06-11")
    assert.deepStrictEqual(
      on10.overdue.map((d) => [d.worker, d.since, d.dueBy]),
      [[WorkerId.make("w1"), "2024-06-03", "2024-06-10"]]
    )
    assert.deepStrictEqual(
      on10.due.map((d) => [d.worker, d.dueBy]),
      [[WorkerId.make("w2"), "2024-06-15"]]
    )
    const strict = Projections.crisisFollowUps(state, "2024-06-11", { deadlineDays: 2 })
    assert.strictEqual(strict.overdue.length, 2)
    assert.strictEqual(strict.due.length, 0)
    // On the deadline day itself the follow-up is still due, not overdue.
    assert.strictEqual(Projections.crisisFollowUps(state, "2024-06-10").overdue.length, 0)
  })

  it("adds days across months and leap years", () => {
    assert.strictEqual(Projections.addDays("2024-02-27", 3), "2024-03-01")
    assert.strictEqual(Projections.addDays("2023-12-29", 7), "2024-01-05")
  })

  it("ignores events of other stream categories", () => {
    const foreign = { ...opened("x", "s1", "w1", "2024-02-01"), stream: { category: "visit", id: "v1" } }
    assert.strictEqual(Projection.fold(Projections.openedIn(h1), [foreign]).total, 0)
  })
})
