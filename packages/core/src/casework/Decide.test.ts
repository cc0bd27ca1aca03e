import { assert, describe, it } from "@effect/vitest"
import { Decider, Scalars } from "@shuangbai/eventsourcing"
import { DeciderSpec } from "@shuangbai/testing"
import { Result } from "effect"
import * as fc from "fast-check"
import * as RegistryDecide from "../registry/Decide.ts"
import { decider as registryDecider } from "../registry/Decide.ts"
import * as RegistryEvents from "../registry/Events.ts"
import type * as RegistryState from "../registry/State.ts"
import { DateIsInFuture } from "../shared/Dates.ts"
import { HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import { WorkerNotOnPostAtStation } from "../workforce/Decide.ts"
import * as Commands from "./Commands.ts"
import * as Decide from "./Decide.ts"
import { type CaseworkContext, decider } from "./Decide.ts"
import {
  AssessmentRecorded,
  CaseClosed,
  CaseOpened,
  CaseReopened,
  CaseTransferred,
  EvaluatedCloseReason,
  EvaluationRecorded,
  type Event,
  ExcusingCloseReason,
  FollowUpRecorded,
  PlanRecorded,
  ReferralAccepted,
  ReferralId,
  ReferralMade,
  ReferralRejected,
  ServiceDelivered
} from "./Events.ts"
import { rankOf } from "./State.ts"
import { caseIdOf } from "./Stream.ts"

// 2024-07-01, noon in China: "today" for every decision below.
const now = Date.parse("2024-07-01T04:00:00Z")
const today = Scalars.chinaDateOf(now)

const person = PersonId.make("p-001")
const household = HouseholdId.make("h-001")
const station = StationId.make("s-qigong")
const worker = WorkerId.make("w-01")

// What the handler reads from other streams: the household's registry file (p-001 its head, p-002 a
// member) and where workers were on post on the command's day (w-01 and w-02 at s-qigong).
const registered = new RegistryEvents.HouseholdRegistered({
  household,
  station,
  township: TownshipId.make("t-qigong"),
  village: VillageId.make("v-1"),
  address: "七拱镇某村 3 号",
  head: { person, name: "陈伯", birthDate: "1948-02-03" },
  registeredOn: "2024-01-10"
})
const grandson = new RegistryEvents.MemberAdded({
  household,
  person: PersonId.make("p-002"),
  name: "小陈",
  birthDate: "2012-03-04",
  relation: "Grandchild",
  guardian: person
})
const fileOf = (...events: ReadonlyArray<RegistryEvents.Event>): RegistryState.State =>
  Decider.fold(registryDecider, [registered, grandson, ...events])
const onPost = (...entries: ReadonlyArray<readonly [string, string]>): ReadonlyMap<WorkerId, StationId> =>
  new Map(entries.map(([w, s]) => [WorkerId.make(w), StationId.make(s)]))
const context: CaseworkContext = {
  tenant: "yangshan",
  actor: { id: "w-01", role: "worker" },
  now,
  household: fileOf(
    new RegistryEvents.ConsentRecorded({ household, person, scope: "Referral", givenBy: person, givenOn: "2024-01-10" })
  ),
  onPost: onPost(["w-01", "s-qigong"], ["w-02", "s-qigong"], ["w-9", "s-qigong"])
}

const spec = DeciderSpec.make(decider, context)
const given = spec.given
const id = caseIdOf(person, "ElderlyCare")
const referral = ReferralId.make("r-1")

const opened = new CaseOpened({
  case: id,
  person,
  household,
  station,
  worker,
  caseType: "ElderlyCare",
  riskLevel: "Medium",
  openedOn: "2024-06-01"
})
const assessed = new AssessmentRecorded({ case: id, needs: ["生活照料"], riskLevel: "High", assessedOn: "2024-06-02" })
const planned = new PlanRecorded({
  case: id,
  goals: ["稳定情绪", "链接救助资源"],
  services: ["PsychosocialSupport", "ResourceLinking"],
  plannedOn: "2024-06-03"
})
const served = new ServiceDelivered({ case: id, service: "ResourceLinking", deliveredOn: "2024-06-04", notes: "" })
const crisis = new ServiceDelivered({ case: id, service: "CrisisIntervention", deliveredOn: "2024-06-10", notes: "" })
const evaluated = new EvaluationRecorded({ case: id, outcome: "GoalsAchieved", evaluatedOn: "2024-06-20", notes: "" })
const closed = new CaseClosed({ case: id, reason: "GoalsAchieved", closedOn: "2024-06-25", notes: "" })
const referred = new ReferralMade({
  case: id,
  referral,
  organisation: "县残联",
  reason: "康复辅具",
  referredOn: "2024-06-05"
})

const openCase = (overrides: Partial<Commands.OpenCase> = {}) =>
  new Commands.OpenCase({
    person,
    household,
    station,
    worker,
    caseType: "ElderlyCare",
    riskLevel: "Medium",
    openedOn: "2024-06-01",
    ...overrides
  })
const close = (reason: Commands.CloseCase["reason"], closedOn = "2024-06-25") =>
  new Commands.CloseCase({ case: id, reason, closedOn, notes: "" })

describe("casework: opening", () => {
  it("opens a case for a recipient", () => {
    given([]).when(openCase()).then([opened])
  })

  it("CaseAlreadyOpen: a second open case of the same type for the same recipient", () => {
    given([opened])
      .when(openCase({ worker: WorkerId.make("w-02") }))
      .thenFails(Decide.CaseAlreadyOpen.code)
  })

  it("the same opening again is already done", () => {
    given([opened]).when(openCase()).thenNothing()
  })

  it("a new case after the last one closed, starting again at intake", () => {
    const next = openCase({ openedOn: "2024-06-28" })
    given([opened, assessed, planned, served, evaluated, closed])
      .when(next)
      .then([new CaseOpened({ ...opened, openedOn: "2024-06-28" })])
    const state = Decider.fold(decider, [
      opened,
      assessed,
      closed,
      new CaseOpened({ ...opened, openedOn: "2024-06-28" })
    ])
    assert.isTrue(state._tag === "Open" && state.case.stage === "Intake" && state.case.number === 2)
  })

  it("DateBeforeCaseClosed: a new case may not start before the last one closed", () => {
    given([opened, assessed, planned, served, evaluated, closed])
      .when(openCase({ openedOn: "2024-06-24" }))
      .thenFails(Decide.DateBeforeCaseClosed.code)
  })

  it("DateIsInFuture: a case opened tomorrow", () => {
    given([])
      .when(openCase({ openedOn: "2024-07-02" }))
      .thenFails(DateIsInFuture.code)
    given([])
      .when(openCase({ openedOn: today }))
      .then([new CaseOpened({ ...opened, openedOn: today })])
  })
})

describe("casework: stages in order", () => {
  it("CaseNotOpened: nothing is recorded in a case never opened", () => {
    given([])
      .when(new Commands.RecordAssessment({ case: id, needs: ["x"], riskLevel: "Low", assessedOn: "2024-06-02" }))
      .thenFails(Decide.CaseNotOpened.code)
    given([]).when(close("RecipientDeceased")).thenFails(Decide.CaseNotOpened.code)
  })

  it("CaseNotAssessed: no plan before an assessment", () => {
    const plan = new Commands.RecordPlan({
      case: id,
      goals: ["g"],
      services: ["PolicyGuidance"],
      plannedOn: "2024-06-03"
    })
    given([opened]).when(plan).thenFails(Decide.CaseNotAssessed.code)
    given([opened, assessed])
      .when(plan)
      .then([new PlanRecorded({ case: id, goals: ["g"], services: ["PolicyGuidance"], plannedOn: "2024-06-03" })])
  })

  it("CaseNotPlanned: no service before a plan", () => {
    const deliver = new Commands.DeliverService({
      case: id,
      service: "ResourceLinking",
      deliveredOn: "2024-06-04",
      notes: ""
    })
    given([opened, assessed]).when(deliver).thenFails(Decide.CaseNotPlanned.code)
    given([opened, assessed, planned]).when(deliver).then([served])
  })

  it("NoServiceDelivered: no evaluation and no follow-up before a service", () => {
    const evaluate = new Commands.RecordEvaluation({
      case: id,
      outcome: "GoalsAchieved",
      evaluatedOn: "2024-06-20",
      notes: ""
    })
    const followUp = new Commands.RecordFollowUp({ case: id, followedUpOn: "2024-06-12", notes: "" })
    given([opened, assessed, planned]).when(evaluate).thenFails(Decide.NoServiceDelivered.code)
    given([opened, assessed, planned]).when(followUp).thenFails(Decide.NoServiceDelivered.code)
    given([opened, assessed, planned, served]).when(evaluate).then([evaluated])
  })

  it("assessing again later keeps the stage reached", () => {
    const state = Decider.fold(decider, [opened, assessed, planned, served, assessed])
    assert.isTrue(state._tag === "Open" && state.case.stage === "Intervening" && state.case.riskLevel === "High")
  })

  it("DateBeforeCaseOpened: nothing in a case is dated before it was opened", () => {
    given([opened])
      .when(new Commands.RecordAssessment({ case: id, needs: ["x"], riskLevel: "Low", assessedOn: "2024-05-31" }))
      .thenFails(Decide.DateBeforeCaseOpened.code)
  })

  it("stages never go back, whatever order the stage commands come in", () => {
    const stageCommands = [
      new Commands.RecordAssessment({ case: id, needs: ["x"], riskLevel: "Low", assessedOn: "2024-06-02" }),
      new Commands.RecordPlan({ case: id, goals: ["g"], services: ["PolicyGuidance"], plannedOn: "2024-06-03" }),
      new Commands.DeliverService({ case: id, service: "PolicyGuidance", deliveredOn: "2024-06-04", notes: "" }),
      new Commands.RecordEvaluation({ case: id, outcome: "NotAchieved", evaluatedOn: "2024-06-05", notes: "" })
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...stageCommands), { maxLength: 12 }), (commands) => {
        let state = Decider.fold(decider, [opened])
        for (const command of commands) {
          const decided = decider.decide(command, state, context)
          if (Result.isFailure(decided)) continue
          const next = decided.success.reduce(decider.evolve, state)
          assert.isTrue(state._tag === "Open" && next._tag === "Open")
          if (state._tag === "Open" && next._tag === "Open") {
            assert.isAtLeast(rankOf(next.case.stage), rankOf(state.case.stage))
          }
          state = next
        }
      })
    )
  })
})

describe("casework: closing", () => {
  it("CaseNotEvaluated: closing for a reason that needs an evaluation, without one", () => {
    given([opened, assessed, planned, served]).when(close("GoalsAchieved")).thenFails(Decide.CaseNotEvaluated.code)
    given([opened, assessed, planned, served, evaluated]).when(close("GoalsAchieved")).then([closed])
  })

  it("every excusing reason closes without an evaluation; no other reason does", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ExcusingCloseReason.literals), (reason) => {
        given([opened])
          .when(close(reason))
          .then([new CaseClosed({ case: id, reason, closedOn: "2024-06-25", notes: "" })])
      })
    )
    fc.assert(
      fc.property(fc.constantFrom(...EvaluatedCloseReason.literals), (reason) => {
        given([opened, assessed, planned, served]).when(close(reason)).thenFails(Decide.CaseNotEvaluated.code)
      })
    )
  })

  it("CrisisFollowUpMissing: a crisis intervention without a follow-up keeps the case open", () => {
    const history = [opened, assessed, planned, crisis, evaluated]
    given(history).when(close("GoalsAchieved")).thenFails(Decide.CrisisFollowUpMissing.code)
    given(history).when(close("RecipientMovedAway")).thenFails(Decide.CrisisFollowUpMissing.code)
    // A follow-up dated before the intervention does not answer it.
    const early = new FollowUpRecorded({ case: id, followedUpOn: "2024-06-09", notes: "" })
    given([...history, early])
      .when(close("GoalsAchieved"))
      .thenFails(Decide.CrisisFollowUpMissing.code)
    const after = new FollowUpRecorded({ case: id, followedUpOn: "2024-06-12", notes: "情绪稳定" })
    given([...history, after])
      .when(close("GoalsAchieved"))
      .then([closed])
  })

  it("CaseAlreadyClosed: nothing after close but reopen", () => {
    const history = [opened, assessed, planned, served, evaluated, closed]
    given(history)
      .when(new Commands.DeliverService({ case: id, service: "PolicyGuidance", deliveredOn: "2024-06-26", notes: "" }))
      .thenFails(Decide.CaseAlreadyClosed.code)
    given(history).when(close("RecipientDeceased")).thenFails(Decide.CaseAlreadyClosed.code)
    given(history).when(close("GoalsAchieved")).thenNothing()
  })

  it("reopens a closed case, which then needs a new evaluation to close again", () => {
    const reopen = new Commands.ReopenCase({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })
    const history = [opened, assessed, planned, served, evaluated, closed]
    given(history)
      .when(reopen)
      .then([new CaseReopened({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })])
    const reopened = [...history, new CaseReopened({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })]
    given(reopened).when(close("GoalsAchieved", "2024-06-30")).thenFails(Decide.CaseNotEvaluated.code)
    given(reopened).when(reopen).thenNothing()
    const state = Decider.fold(decider, reopened)
    assert.isTrue(state._tag === "Open" && state.case.stage === "Evaluated" && state.case.since === "2024-06-27")
  })

  it("DateBeforeCaseClosed: a case is not reopened before it was closed", () => {
    given([opened, assessed, planned, served, evaluated, closed])
      .when(new Commands.ReopenCase({ case: id, reason: "x", reopenedOn: "2024-06-24" }))
      .thenFails(Decide.DateBeforeCaseClosed.code)
  })

  it("CaseNotOpened: there is nothing to reopen", () => {
    given([])
      .when(new Commands.ReopenCase({ case: id, reason: "x", reopenedOn: "2024-06-24" }))
      .thenFails(Decide.CaseNotOpened.code)
  })
})

describe("casework: referrals", () => {
  const make = new Commands.MakeReferral({
    case: id,
    referral,
    organisation: "县残联",
    reason: "康复辅具",
    referredOn: "2024-06-05"
  })

  it("refers with the recipient's consent", () => {
    given([opened, assessed]).when(make).then([referred])
  })

  it("NoConsentToRefer: no referral without consent", () => {
    given([opened, assessed]).when(make, { household: fileOf() }).thenFails(Decide.NoConsentToRefer.code)
  })

  it("ReferralAlreadyMade: the same referral id for another referral", () => {
    given([opened, referred]).when(make).thenNothing()
    given([opened, referred])
      .when(new Commands.MakeReferral({ ...make, organisation: "镇卫生院" }))
      .thenFails(Decide.ReferralAlreadyMade.code)
  })

  it("ReferralNotFound: answering a referral never made", () => {
    given([opened])
      .when(new Commands.AcceptReferral({ case: id, referral, acceptedOn: "2024-06-06" }))
      .thenFails(Decide.ReferralNotFound.code)
  })

  it("ReferralAlreadyAnswered: an accepted referral is not then rejected", () => {
    const accepted = new ReferralAccepted({ case: id, referral, acceptedOn: "2024-06-06" })
    given([opened, referred])
      .when(new Commands.AcceptReferral({ case: id, referral, acceptedOn: "2024-06-06" }))
      .then([accepted])
    given([opened, referred, accepted])
      .when(new Commands.AcceptReferral({ case: id, referral, acceptedOn: "2024-06-06" }))
      .thenNothing()
    given([opened, referred, accepted])
      .when(new Commands.RejectReferral({ case: id, referral, rejectedOn: "2024-06-07", reason: "名额已满" }))
      .thenFails(Decide.ReferralAlreadyAnswered.code)
    given([opened, referred])
      .when(new Commands.RejectReferral({ case: id, referral, rejectedOn: "2024-06-07", reason: "名额已满" }))
      .then([new ReferralRejected({ case: id, referral, rejectedOn: "2024-06-07", reason: "名额已满" })])
  })

  it("DateBeforeReferral: an answer dated before the referral", () => {
    given([opened, referred])
      .when(new Commands.AcceptReferral({ case: id, referral, acceptedOn: "2024-06-04" }))
      .thenFails(Decide.DateBeforeReferral.code)
  })
})

describe("casework: transfers", () => {
  it("hands the case to another worker; naming the current worker and station is already done", () => {
    const w2 = WorkerId.make("w-02")
    given([opened])
      .when(new Commands.TransferCase({ case: id, worker: w2, station, transferredOn: "2024-06-08" }))
      .then([new CaseTransferred({ case: id, worker: w2, transferredOn: "2024-06-08" })])
    given([opened])
      .when(new Commands.TransferCase({ case: id, worker, station, transferredOn: "2024-06-08" }))
      .thenNothing()
  })

  it("a transfer names a worker or a station", () => {
    assert.throws(() => new Commands.TransferCase({ case: id, transferredOn: "2024-06-08" }))
  })
})

describe("casework: across streams — the household, the recipient, the worker on post", () => {
  it("HouseholdNotRegistered: a case for a household not on file, not read, or another household's file", () => {
    const violation = given([])
      .when(openCase(), { household: registryDecider.initialState })
      .thenFails(RegistryDecide.HouseholdNotRegistered)
    assert.deepStrictEqual(violation.fields, { household: "h-001" })
    given([])
      .when(openCase({ household: HouseholdId.make("h-002") }))
      .thenFails(RegistryDecide.HouseholdNotRegistered)
    const { household: _, ...notRead } = context
    const decided = decider.decide(openCase(), decider.initialState, notRead)
    assert.isTrue(Result.isFailure(decided) && RegistryDecide.HouseholdNotRegistered.is(decided.failure))
  })

  it("HouseholdIsArchived: no case for an archived household", () =>
    given([])
      .when(openCase(), {
        household: fileOf(new RegistryEvents.HouseholdArchived({ household, archivedOn: "2024-05-01", reason: "迁出" }))
      })
      .thenFails(RegistryDecide.HouseholdIsArchived))

  it("PersonNotMember: the recipient is a current member of the household", () => {
    given([])
      .when(openCase({ person: PersonId.make("p-002") }))
      .then([
        new CaseOpened({
          ...opened,
          case: caseIdOf(PersonId.make("p-002"), "ElderlyCare"),
          person: PersonId.make("p-002")
        })
      ])
    const stranger = given([])
      .when(openCase({ person: PersonId.make("p-999") }))
      .thenFails(RegistryDecide.PersonNotMember)
    assert.deepStrictEqual(stranger.fields, { household: "h-001", person: "p-999" })
    given([])
      .when(openCase({ person: PersonId.make("p-002") }), {
        household: fileOf(
          new RegistryEvents.MemberRemoved({ household, person: PersonId.make("p-002"), reason: "随父母外出" })
        )
      })
      .thenFails(RegistryDecide.PersonNotMember)
  })

  it("WorkerNotOnPostAtStation: the case is opened by a worker on post at its station on the opening day", () => {
    const violation = given([]).when(openCase(), { onPost: onPost() }).thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(violation.fields, { worker: "w-01", station: "s-qigong", date: "2024-06-01" })
    given([])
      .when(openCase(), { onPost: onPost(["w-01", "s-yangcheng"]) })
      .thenFails(WorkerNotOnPostAtStation)
    const { onPost: _, ...notRead } = context
    const decided = decider.decide(openCase(), decider.initialState, notRead)
    assert.isTrue(Result.isFailure(decided) && WorkerNotOnPostAtStation.is(decided.failure))
  })

  it("WorkerNotOnPostAtStation: a transfer needs whoever holds the case after it on post at its station after it", () => {
    const w2 = WorkerId.make("w-02")
    const yangcheng = StationId.make("s-yangcheng")
    // To another worker at the same station: that worker on post there.
    given([opened])
      .when(new Commands.TransferCase({ case: id, worker: w2, transferredOn: "2024-06-08" }), {
        onPost: onPost(["w-02", "s-yangcheng"])
      })
      .thenFails(WorkerNotOnPostAtStation)
    // To another worker at another station: that worker on post at the target station.
    given([opened])
      .when(new Commands.TransferCase({ case: id, worker: w2, station: yangcheng, transferredOn: "2024-06-08" }), {
        onPost: onPost(["w-02", "s-yangcheng"])
      })
      .then([new CaseTransferred({ case: id, worker: w2, station: yangcheng, transferredOn: "2024-06-08" })])
    const refused = given([opened])
      .when(new Commands.TransferCase({ case: id, worker: w2, station: yangcheng, transferredOn: "2024-06-08" }))
      .thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(refused.fields, { worker: "w-02", station: "s-yangcheng", date: "2024-06-08" })
    // To another station only: the case's own worker on post there.
    given([opened])
      .when(new Commands.TransferCase({ case: id, station: yangcheng, transferredOn: "2024-06-08" }))
      .thenFails(WorkerNotOnPostAtStation)
    given([opened])
      .when(new Commands.TransferCase({ case: id, station: yangcheng, transferredOn: "2024-06-08" }), {
        onPost: onPost(["w-01", "s-yangcheng"])
      })
      .then([new CaseTransferred({ case: id, station: yangcheng, transferredOn: "2024-06-08" })])
    // A transfer that changes nothing records nothing, whoever is on post.
    given([opened])
      .when(new Commands.TransferCase({ case: id, worker, transferredOn: "2024-06-08" }), { onPost: onPost() })
      .thenNothing()
  })

  it("WorkerNotOnPostAtStation: a reopened case is taken up by its worker on post at its station that day", () => {
    const history = [opened, assessed, planned, served, evaluated, closed]
    const reopen = new Commands.ReopenCase({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })
    const reopened = new CaseReopened({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })
    given(history)
      .when(reopen, { onPost: onPost(["w-01", "s-qigong"]) })
      .then([reopened])
    // Left (or not yet hired): not on post anywhere; and not read is not on post.
    const violation = given(history).when(reopen, { onPost: onPost() }).thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(violation.fields, { worker: "w-01", station: "s-qigong", date: "2024-06-27" })
    const { onPost: _, ...notRead } = context
    const decided = decider.decide(reopen, Decider.fold(decider, history), notRead)
    assert.isTrue(Result.isFailure(decided) && WorkerNotOnPostAtStation.is(decided.failure))
    // Moved to another station; another worker on post at the case's station does not stand in.
    given(history)
      .when(reopen, { onPost: onPost(["w-01", "s-yangcheng"]) })
      .thenFails(WorkerNotOnPostAtStation)
    given(history)
      .when(reopen, { onPost: onPost(["w-02", "s-qigong"]) })
      .thenFails(WorkerNotOnPostAtStation)
  })

  it("WorkerNotOnPostAtStation: a reopened case is checked for its worker and station as transferred", () => {
    const w2 = WorkerId.make("w-02")
    const yangcheng = StationId.make("s-yangcheng")
    const transferred = new CaseTransferred({ case: id, worker: w2, station: yangcheng, transferredOn: "2024-06-08" })
    const history = [opened, transferred, assessed, planned, served, evaluated, closed]
    const reopen = new Commands.ReopenCase({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })
    const refused = given(history).when(reopen).thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(refused.fields, { worker: "w-02", station: "s-yangcheng", date: "2024-06-27" })
    given(history)
      .when(reopen, { onPost: onPost(["w-02", "s-yangcheng"]) })
      .then([new CaseReopened({ case: id, reason: "情况反复", reopenedOn: "2024-06-27" })])
  })

  it("a reopening refuses a future day or a day before the close before asking after the worker; an open case records nothing", () => {
    const history = [opened, assessed, planned, served, evaluated, closed]
    given(history)
      .when(new Commands.ReopenCase({ case: id, reason: "x", reopenedOn: "2024-06-24" }), { onPost: onPost() })
      .thenFails(Decide.DateBeforeCaseClosed.code)
    given(history)
      .when(new Commands.ReopenCase({ case: id, reason: "x", reopenedOn: "2024-07-02" }), { onPost: onPost() })
      .thenFails(DateIsInFuture.code)
    given([opened])
      .when(new Commands.ReopenCase({ case: id, reason: "x", reopenedOn: "2024-06-27" }), { onPost: onPost() })
      .thenNothing()
  })

  it("for any post of the case's worker on the reopening day, a closed case reopens exactly when it is at the case's station", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("w-01", "w-02"),
        fc.option(fc.constantFrom("s-qigong", "s-yangcheng"), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 25, max: 30 }),
        (who, at, moved, day) => {
          // The case's worker is w-01 at s-qigong, or w-02 at s-yangcheng after a transfer.
          const transferred = new CaseTransferred({
            case: id,
            worker: WorkerId.make("w-02"),
            station: StationId.make("s-yangcheng"),
            transferredOn: "2024-06-08"
          })
          const history = [opened, ...(moved ? [transferred] : []), assessed, planned, served, evaluated, closed]
          const reopenedOn = `2024-06-${day}`
          const decided = decider.decide(
            new Commands.ReopenCase({ case: id, reason: "情况反复", reopenedOn }),
            Decider.fold(decider, history),
            { ...context, onPost: at === undefined ? onPost() : onPost([who, at]) }
          )
          const holder = moved ? ["w-02", "s-yangcheng"] : ["w-01", "s-qigong"]
          const expected =
            reopenedOn < closed.closedOn
              ? Decide.DateBeforeCaseClosed.code
              : who === holder[0] && at === holder[1]
                ? "ok"
                : WorkerNotOnPostAtStation.code
          assert.strictEqual(Result.isSuccess(decided) ? "ok" : decided.failure.code, expected)
          if (Result.isFailure(decided) && WorkerNotOnPostAtStation.is(decided.failure)) {
            assert.deepStrictEqual(decided.failure.fields, { worker: holder[0], station: holder[1], date: reopenedOn })
          }
        }
      )
    )
  })

  it("for any file, recipient and post, a case opens exactly when household, membership and post all hold", () => {
    const files = {
      onFile: fileOf(),
      archived: fileOf(new RegistryEvents.HouseholdArchived({ household, archivedOn: "2024-05-01", reason: "迁出" })),
      unknown: registryDecider.initialState
    }
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(files) as ReadonlyArray<keyof typeof files>)),
        fc.constantFrom("p-001", "p-002", "p-999"),
        fc.constantFrom("w-01", "w-02"),
        fc.option(fc.constantFrom("s-qigong", "s-yangcheng"), { nil: undefined }),
        fc.constantFrom("s-qigong", "s-yangcheng"),
        (file, who, by, at, where) => {
          const decided = decider.decide(
            openCase({ person: PersonId.make(who), worker: WorkerId.make(by), station: StationId.make(where) }),
            decider.initialState,
            { ...context, household: files[file], onPost: at === undefined ? onPost() : onPost([by, at]) }
          )
          const expected =
            file === "unknown"
              ? RegistryDecide.HouseholdNotRegistered.code
              : file === "archived"
                ? RegistryDecide.HouseholdIsArchived.code
                : who === "p-999"
                  ? RegistryDecide.PersonNotMember.code
                  : at !== where
                    ? WorkerNotOnPostAtStation.code
                    : "ok"
          assert.strictEqual(Result.isSuccess(decided) ? "ok" : decided.failure.code, expected)
        }
      )
    )
  })
})

describe("casework: no future dates", () => {
  const future = fc.integer({ min: 1, max: 3650 }).map((days) => Scalars.chinaDateOf(now + days * 86_400_000))
  const full = [opened, assessed, planned, served, referred]

  it("DateIsInFuture: every dated command refuses a day after today", () => {
    const commands = (date: string): ReadonlyArray<[ReadonlyArray<Event>, Commands.Command]> => [
      [[], openCase({ openedOn: date })],
      [full, new Commands.RecordAssessment({ case: id, needs: ["x"], riskLevel: "Low", assessedOn: date })],
      [full, new Commands.RecordPlan({ case: id, goals: ["g"], services: ["PolicyGuidance"], plannedOn: date })],
      [full, new Commands.DeliverService({ case: id, service: "PolicyGuidance", deliveredOn: date, notes: "" })],
      [
        full,
        new Commands.MakeReferral({
          case: id,
          referral: ReferralId.make("r-2"),
          organisation: "o",
          reason: "r",
          referredOn: date
        })
      ],
      [full, new Commands.AcceptReferral({ case: id, referral, acceptedOn: date })],
      [full, new Commands.RejectReferral({ case: id, referral, rejectedOn: date, reason: "r" })],
      [full, new Commands.RecordFollowUp({ case: id, followedUpOn: date, notes: "" })],
      [full, new Commands.RecordEvaluation({ case: id, outcome: "PartlyAchieved", evaluatedOn: date, notes: "" })],
      [[...full, evaluated], close("RecipientMovedAway", date)],
      [[...full, evaluated, closed], new Commands.ReopenCase({ case: id, reason: "r", reopenedOn: date })],
      [full, new Commands.TransferCase({ case: id, worker: WorkerId.make("w-9"), transferredOn: date })]
    ]
    fc.assert(
      fc.property(future, (date) => {
        for (const [history, command] of commands(date)) given(history).when(command).thenFails(DateIsInFuture.code)
      })
    )
  })
})

describe("casework: case ids", () => {
  it("one id per recipient and case type, within the id length", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }).filter((s) => /^[^\s\p{Cc}]+$/u.test(s)),
        fc.string({ minLength: 1, maxLength: 128 }).filter((s) => /^[^\s\p{Cc}]+$/u.test(s)),
        (a, b) => {
          const ida = caseIdOf(PersonId.make(a), "ElderlyCare")
          assert.isAtMost(ida.length, 128)
          assert.strictEqual(ida, caseIdOf(PersonId.make(a), "ElderlyCare"))
          assert.notStrictEqual(ida, caseIdOf(PersonId.make(a), "ChildWelfare"))
          if (a !== b) assert.notStrictEqual(ida, caseIdOf(PersonId.make(b), "ElderlyCare"))
        }
      )
    )
  })
})

describe("casework: the recipient withdrew consent to processing", () => {
  const withdrawnFile = {
    household: fileOf(
      ...(["DataProcessing", "Referral"] as const).map(
        (scope) =>
          new RegistryEvents.ConsentRecorded({ household, person, scope, givenBy: person, givenOn: "2024-01-10" })
      ),
      new RegistryEvents.ConsentWithdrawn({
        household,
        person,
        scope: "DataProcessing",
        withdrawnBy: person,
        withdrawnOn: "2024-06-06"
      })
    )
  }
  const deliver = (service: "ResourceLinking" | "CrisisIntervention", notes: string) =>
    new Commands.DeliverService({ case: id, service, deliveredOn: "2024-06-12", notes })
  const followUp = (followedUpOn: string) => new Commands.RecordFollowUp({ case: id, followedUpOn, notes: "已回访" })

  it("an ordinary service is refused, a crisis intervention is recorded with its notes", () => {
    given([opened, assessed, planned])
      .when(deliver("ResourceLinking", ""), withdrawnFile)
      .thenFails(RegistryDecide.ProcessingConsentWithdrawn.code)
    given([opened, assessed, planned])
      .when(deliver("CrisisIntervention", "送医"), withdrawnFile)
      .then([
        new ServiceDelivered({ case: id, service: "CrisisIntervention", deliveredOn: "2024-06-12", notes: "送医" })
      ])
  })
  it("a follow-up runs while it answers a pending crisis, on or after the crisis's day, and not otherwise", () => {
    given([opened, assessed, planned, crisis])
      .when(followUp("2024-06-11"), withdrawnFile)
      .then([new FollowUpRecorded({ case: id, followedUpOn: "2024-06-11", notes: "已回访" })])
    given([opened, assessed, planned, crisis])
      .when(followUp("2024-06-09"), withdrawnFile)
      .thenFails(RegistryDecide.ProcessingConsentWithdrawn.code)
    given([opened, assessed, planned, served])
      .when(followUp("2024-06-11"), withdrawnFile)
      .thenFails(RegistryDecide.ProcessingConsentWithdrawn.code)
  })
  it("the case closes for a reason that excuses the evaluation, without notes", () => {
    given([opened, assessed, planned, served])
      .when(close("ServiceRefused"), withdrawnFile)
      .then([new CaseClosed({ case: id, reason: "ServiceRefused", closedOn: "2024-06-25", notes: "" })])
    given([opened, assessed, planned, served])
      .when(
        new Commands.CloseCase({ case: id, reason: "ServiceRefused", closedOn: "2024-06-25", notes: "本人撤回" }),
        withdrawnFile
      )
      .thenFails(RegistryDecide.NotesAboutWithdrawnPerson.code)
  })
  it("a referral is refused though consent to referral stands; answers to one made before run", () => {
    given([opened, assessed])
      .when(
        new Commands.MakeReferral({
          case: id,
          referral,
          organisation: "县残联",
          reason: "康复辅具",
          referredOn: "2024-06-07"
        }),
        withdrawnFile
      )
      .thenFails(RegistryDecide.ProcessingConsentWithdrawn.code)
    given([opened, assessed, referred])
      .when(new Commands.AcceptReferral({ case: id, referral, acceptedOn: "2024-06-08" }), withdrawnFile)
      .then([new ReferralAccepted({ case: id, referral, acceptedOn: "2024-06-08" })])
  })
})
