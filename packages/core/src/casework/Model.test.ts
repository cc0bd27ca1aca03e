import { assert, describe, it } from "@effect/vitest"
import { Decider, Projection, type Recorded, Scalars } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, ProjectionLaws } from "@shuangbai/testing"
import { Result } from "effect"
import * as fc from "fast-check"
import { decider as registryDecider } from "../registry/Decide.ts"
import { ConsentRecorded, HouseholdRegistered } from "../registry/Events.ts"
import type * as RegistryState from "../registry/State.ts"
import { HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import * as Commands from "./Commands.ts"
import { type CaseworkContext, decider } from "./Decide.ts"
import { CloseReason, dateOf, type Event, ReferralId, ServiceType } from "./Events.ts"
import * as Projections from "./Projections.ts"
import { type State as CaseState, initial, rankOf } from "./State.ts"
import { caseIdOf, streamOf } from "./Stream.ts"

// Random command sequences over a few recipients, workers and days (some after "today"), run through
// decide/evolve, checked against a model that knows only which cases are open.

const now = Date.parse("2024-07-01T04:00:00Z")
const context: CaseworkContext = { tenant: "yangshan", actor: { id: "w1", role: "worker" }, now }

const persons = ["p1", "p2"].map((p) => PersonId.make(p))
const caseTypes = ["ElderlyCare", "ChildWelfare"] as const
const workers = ["w1", "w2", "w3"].map((w) => WorkerId.make(w))
const stations = ["s1", "s2"].map((s) => StationId.make(s))
const referrals = ["r1", "r2"].map((r) => ReferralId.make(r))

/** Days from 2024-06-01 to 2024-07-03: today is 2024-07-01, so a few are in the future. */
const day = fc
  .integer({ min: 0, max: 32 })
  .map((n) => Scalars.chinaDateOf(Date.parse("2024-06-01T04:00:00Z") + n * 86_400_000))
/** Later days, for reopening: a case is reopened on or after the day it was closed. */
const lateDay = fc
  .integer({ min: 20, max: 31 })
  .map((n) => Scalars.chinaDateOf(Date.parse("2024-06-01T04:00:00Z") + n * 86_400_000))
const caseId = fc.tuple(fc.constantFrom(...persons), fc.constantFrom(...caseTypes)).map(([p, t]) => caseIdOf(p, t))

const command: fc.Arbitrary<Commands.Command> = fc.oneof(
  fc
    .record({
      person: fc.constantFrom(...persons),
      caseType: fc.constantFrom(...caseTypes),
      worker: fc.constantFrom(...workers),
      station: fc.constantFrom(...stations),
      openedOn: day
    })
    .map((r) => new Commands.OpenCase({ ...r, household: HouseholdId.make(`h-${r.person}`), riskLevel: "Medium" })),
  fc
    .record({ case: caseId, assessedOn: day })
    .map((r) => new Commands.RecordAssessment({ ...r, needs: ["需要"], riskLevel: "High" })),
  fc
    .record({ case: caseId, plannedOn: day })
    .map((r) => new Commands.RecordPlan({ ...r, goals: ["目标"], services: ["PolicyGuidance"] })),
  fc
    .record({ case: caseId, deliveredOn: day, service: fc.constantFrom(...ServiceType.literals) })
    .map((r) => new Commands.DeliverService({ ...r, notes: "" })),
  fc
    .record({ case: caseId, referral: fc.constantFrom(...referrals), referredOn: day })
    .map((r) => new Commands.MakeReferral({ ...r, organisation: "县民政局", reason: "救助" })),
  fc
    .record({ case: caseId, referral: fc.constantFrom(...referrals), acceptedOn: day })
    .map((r) => new Commands.AcceptReferral(r)),
  fc
    .record({ case: caseId, referral: fc.constantFrom(...referrals), rejectedOn: day })
    .map((r) => new Commands.RejectReferral({ ...r, reason: "不符合条件" })),
  fc.record({ case: caseId, followedUpOn: day }).map((r) => new Commands.RecordFollowUp({ ...r, notes: "" })),
  fc
    .record({ case: caseId, evaluatedOn: day })
    .map((r) => new Commands.RecordEvaluation({ ...r, outcome: "GoalsAchieved", notes: "" })),
  {
    weight: 3,
    arbitrary: fc
      .record({ case: caseId, closedOn: fc.oneof(day, lateDay), reason: fc.constantFrom(...CloseReason.literals) })
      .map((r) => new Commands.CloseCase({ ...r, notes: "" }))
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ case: caseId, reopenedOn: lateDay })
      .map((r) => new Commands.ReopenCase({ ...r, reason: "再次求助" }))
  },
  fc
    .record({
      case: caseId,
      worker: fc.constantFrom(...workers),
      station: fc.constantFrom(...stations),
      transferredOn: day
    })
    .map((r) => new Commands.TransferCase(r))
)

const idOf = (c: Commands.Command) => (c._tag === "OpenCase" ? caseIdOf(c.person, c.caseType) : c.case)

/** The registry file of household h-<person>, the person its head, with their consent to referral or not. */
const fileOf = (household: HouseholdId, person: PersonId, referral = false): RegistryState.State =>
  Decider.fold(registryDecider, [
    new HouseholdRegistered({
      household,
      station: stations[0]!,
      township: TownshipId.make("t"),
      village: VillageId.make("v"),
      address: "某村",
      head: { person, name: "户主", birthDate: "1950-01-01" },
      registeredOn: "2024-01-01"
    }),
    ...(referral
      ? [new ConsentRecorded({ household, person, scope: "Referral", givenBy: person, givenOn: "2024-01-01" })]
      : [])
  ])

/**
 * The context in a county where the facts across streams hold: every household is on file with its recipient,
 * and the worker a case is opened by, reopened by or transferred to is on post at its station that day. The rules on
 * them are tested in Decide.test.ts; here the case's own lifecycle is under test.
 */
const inCounty = (command: Commands.Command, before: CaseState, consent: boolean): CaseworkContext => {
  const base: CaseworkContext =
    before._tag === "NoCase"
      ? context
      : { ...context, household: fileOf(before.case.household, before.case.person, consent) }
  switch (command._tag) {
    case "OpenCase":
      return {
        ...base,
        household: fileOf(command.household, command.person),
        onPost: new Map([[command.worker, command.station]])
      }
    case "ReopenCase":
      if (before._tag !== "Closed") return base
      return { ...base, onPost: new Map([[before.case.worker, before.case.station]]) }
    case "TransferCase": {
      if (before._tag !== "Open") return base
      const holder = command.worker ?? before.case.worker
      return { ...base, onPost: new Map([[holder, command.station ?? before.case.station]]) }
    }
    default:
      return base
  }
}

interface Real {
  readonly states: Map<string, CaseState>
  readonly recorded: Array<Recorded<Event>>
  readonly record: (event: Event) => Recorded<Event>
  /** Read models kept up to date event by event, as a subscriber would. */
  cases: ReturnType<typeof Projections.cases.evolve>
  ongoingToday: ReturnType<ReturnType<typeof Projections.ongoingAt>["evolve"]>
}

interface Model {
  /** What the model knows of each case file: open or closed. */
  readonly status: Map<string, "open" | "closed">
  opened: number
  closed: number
  reopened: number
}

/** A fresh log: each case file its own stream, positions in order. */
const newLog = () =>
  ProjectionLaws.recorder<Event>((event) => ({
    stream: streamOf(event.case),
    occurredAt: Scalars.instantFromMillis(now),
    recordedAt: Scalars.instantFromMillis(now),
    actor: context.actor
  }))

const ongoingToday = Projections.ongoingAt(Scalars.chinaDateOf(now))

const coverage = { closed: 0, reopened: 0, reopenedThenClosed: 0 }

/** Runs one command through decide/evolve and checks every invariant against the model. */
class Send implements fc.Command<Model, Real> {
  constructor(
    readonly command: Commands.Command,
    readonly consent: boolean
  ) {}
  check = () => true
  run(model: Model, real: Real): void {
    const id = idOf(this.command)
    const before = real.states.get(id) ?? initial
    const decided = decider.decide(this.command, before, inCounty(this.command, before, this.consent))
    if (this.command._tag === "OpenCase" && model.status.get(id) === "open") {
      // One open case per recipient and type: opening again writes nothing, or is refused.
      assert.isTrue(Result.isFailure(decided) || decided.success.length === 0)
    }
    if (Result.isFailure(decided)) return
    let state = before
    for (const event of decided.success) {
      const next = decider.evolve(state, event)
      if (state._tag !== "NoCase" && next._tag !== "NoCase" && event._tag !== "CaseOpened") {
        assert.isAtLeast(rankOf(next.case.stage), rankOf(state.case.stage), "stages never go backwards")
      }
      switch (event._tag) {
        case "CaseOpened":
          assert.notStrictEqual(model.status.get(id), "open", "opened while open")
          model.opened++
          model.status.set(id, "open")
          break
        case "CaseClosed":
          assert.strictEqual(model.status.get(id), "open", "closed twice without a reopen")
          model.closed++
          coverage.closed++
          if (before._tag === "Open" && before.case.since !== before.case.openedOn) coverage.reopenedThenClosed++
          model.status.set(id, "closed")
          break
        case "CaseReopened":
          assert.strictEqual(model.status.get(id), "closed", "reopened a case not closed")
          model.reopened++
          coverage.reopened++
          model.status.set(id, "open")
          break
        default:
          assert.strictEqual(model.status.get(id), "open", `${event._tag} in a case not open`)
      }
      const recorded = real.record(event)
      real.recorded.push(recorded)
      real.cases = Projections.cases.evolve(real.cases, recorded)
      real.ongoingToday = ongoingToday.evolve(real.ongoingToday, recorded)
      state = next
    }
    real.states.set(id, state)
    const open = [...real.states.values()].filter((s) => s._tag === "Open").length
    assert.strictEqual(open, model.opened - model.closed + model.reopened, "open = opened − closed + reopened")
    const load = [...Projections.caseloads(real.cases).values()].reduce((a, b) => a + b, 0)
    assert.strictEqual(load, open, "caseloads count every open case once")
    assert.strictEqual(Projections.ongoingCount(real.ongoingToday), open, "ongoing today = open now")
  }
  toString = () =>
    `${this.command._tag}(${JSON.stringify({ ...this.command, _tag: undefined })}, consent=${this.consent})`
}

const send = fc.tuple(command, fc.boolean()).map(([c, consent]) => new Send(c, consent))

/** Valid event histories: whatever the decider accepts of a random command sequence, in order. */
const histories = fc.array(fc.tuple(command, fc.boolean()), { maxLength: 80 }).map((commands) => {
  const states = new Map<string, CaseState>()
  const recorded: Array<Recorded<Event>> = []
  const record = newLog()
  for (const [c, consent] of commands) {
    const id = idOf(c)
    const before = states.get(id) ?? initial
    const decided = decider.decide(c, before, inCounty(c, before, consent))
    if (Result.isFailure(decided)) continue
    for (const event of decided.success) {
      recorded.push(record(event))
    }
    states.set(id, decided.success.reduce(decider.evolve, before))
  }
  return recorded
})

describe("casework: model-based", () => {
  it("random command sequences keep every invariant", () => {
    fc.assert(
      fc.property(fc.commands([send], { maxCommands: 150, size: "large" }), (commands) => {
        fc.modelRun(
          () => ({
            model: { status: new Map(), opened: 0, closed: 0, reopened: 0 },
            real: {
              states: new Map(),
              recorded: [],
              record: newLog(),
              cases: Projections.cases.initial,
              ongoingToday: ongoingToday.initial
            }
          }),
          commands
        )
      }),
      { numRuns: 100 }
    )
    // The runs went through the whole lifecycle, not only its first steps.
    assert.isAbove(coverage.closed, 0)
    assert.isAbove(coverage.reopened, 0)
    assert.isAbove(coverage.reopenedThenClosed, 0)
  })
})

describe("casework projections: batch or incremental, from zero or resumed", () => {
  const projections = {
    openedIn: Projections.openedIn({ from: "2024-06-05", to: "2024-06-25" }),
    ongoingAt: Projections.ongoingAt("2024-06-15"),
    cases: Projections.cases
  }

  it("gives the same answer however the events are split", () => {
    ProjectionLaws.check(Object.values(projections) as Array<Projection.Projection<Event, unknown>>, histories)
  })

  it("ongoing at a day: the last opening, closing or reopening dated on or before it decides", () => {
    fc.assert(
      fc.property(histories, day, (recorded, asOf) => {
        const expected = new Set<string>()
        const last = new Map<string, string>()
        for (const r of recorded) {
          const tag = r.event._tag
          if ((tag === "CaseOpened" || tag === "CaseClosed" || tag === "CaseReopened") && dateOf(r.event) <= asOf) {
            last.set(r.stream.id, tag)
          }
        }
        for (const [id, tag] of last) if (tag !== "CaseClosed") expected.add(id)
        const view = Projection.fold(Projections.ongoingAt(asOf), recorded)
        assert.deepStrictEqual(new Set([...view].filter(([, c]) => c.open).map(([id]) => id)), expected)
      }),
      { numRuns: 200 }
    )
  })
})

describe("casework: decider laws", () => {
  it("hold for random command sequences, in context and at random", () => {
    const contexts = fc
      .record({
        now: fc.integer({ min: Date.parse("2024-06-01T00:00:00Z"), max: Date.parse("2024-07-15T00:00:00Z") }),
        household: fc.option(
          fc.constantFrom(...persons).map((p) => fileOf(HouseholdId.make(`h-${p}`), p)),
          { nil: undefined }
        ),
        onPost: fc.option(
          fc.constantFrom(...stations).map((s) => new Map(workers.map((w) => [w, s]))),
          { nil: undefined }
        )
      })
      .map(
        ({ household, onPost, ...r }): CaseworkContext => ({
          ...context,
          ...r,
          ...(household === undefined ? {} : { household }),
          ...(onPost === undefined ? {} : { onPost })
        })
      )
    DeciderLaws.check({
      decider,
      command: fc.oneof({ weight: 4, arbitrary: command }, { weight: 1, arbitrary: Arbitrary.make(Commands.Command) }),
      context: contexts,
      maxCommands: 40,
      numRuns: 200
    })
  })
})
