import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { consentToProcess, householdOnFile, memberOnFile, noNotesAbout } from "../registry/Decide.ts"
import * as Registry from "../registry/State.ts"
import type { AfterWithdrawalOf } from "../shared/Consent.ts"
import { notInFuture } from "../shared/Dates.ts"
import type { CaseId, StationId, WorkerId } from "../shared/Ids.ts"
import { onPostAt } from "../workforce/Decide.ts"
import type * as Commands from "./Commands.ts"
import {
  AssessmentRecorded,
  CaseClosed,
  CaseOpened,
  CaseReopened,
  CaseTransferred,
  type CloseReason,
  EvaluationRecorded,
  type Event,
  FollowUpRecorded,
  isExcusing,
  PlanRecorded,
  ReferralAccepted,
  type ReferralId,
  ReferralMade,
  ReferralRejected,
  ServiceDelivered
} from "./Events.ts"
import { type Case, evolve, initial, type Referral, rankOf, type Stage, type State } from "./State.ts"
import { caseIdOf } from "./Stream.ts"

/**
 * What a casework decision knows besides the case itself, read by the handler from other streams.
 */
export interface CaseworkContext extends Decider.DecisionContext {
  /**
   * The registry file of the recipient's household: of the household a new case names (OpenCase), or of the
   * case's for a command that records something about its recipient (their consents in force and withdrawn).
   * Absent means not read: not on file for an opening, no consent to referral, no withdrawal known.
   */
  readonly household?: Registry.State
  /**
   * Where the case's worker was on post on the command's day, from the workforce context: the worker opening
   * the case on the opening day, the case's worker on the reopening day, the worker holding it after a
   * transfer on the transfer day. A worker absent, or the map absent (not read), was not on post.
   */
  readonly onPost?: ReadonlyMap<WorkerId, StationId>
}

// Rules, named as the facts that refuse a command. Across streams, a case is refused with the rules of the
// context that holds the fact: an unknown or archived household, or a recipient not a member of it, with the
// registry's (HouseholdNotRegistered, HouseholdIsArchived, PersonNotMember), a recipient who withdrew consent
// to processing with ProcessingConsentWithdrawn or NotesAboutWithdrawnPerson; a worker not on post at the
// case's station that day with the workforce's (WorkerNotOnPostAtStation).

export const CaseAlreadyOpen = Rule.define<{ case: CaseId; openedOn: Scalars.LocalDate }>("CaseAlreadyOpen", {
  en: (f) => `case ${f.case} has been open since ${f.openedOn}: a recipient has one open case of a type`,
  zh: (f) => `个案 ${f.case} 自 ${f.openedOn} 起在跟进中：同一服务对象同一类型只能有一个在办个案`
})
export const CaseNotOpened = Rule.define<{ case: CaseId }>("CaseNotOpened", {
  en: (f) => `no case ${f.case} has been opened`,
  zh: (f) => `个案 ${f.case} 尚未接案`
})
export const CaseAlreadyClosed = Rule.define<{ case: CaseId; closedOn: Scalars.LocalDate }>("CaseAlreadyClosed", {
  en: (f) => `case ${f.case} was closed on ${f.closedOn}: reopen it first`,
  zh: (f) => `个案 ${f.case} 已于 ${f.closedOn} 结案，须先重开`
})
export const CaseNotAssessed = Rule.define<{ case: CaseId }>("CaseNotAssessed", {
  en: (f) => `case ${f.case} has no assessment yet: assess before planning`,
  zh: (f) => `个案 ${f.case} 尚未预估，须先预估再制定计划`
})
export const CaseNotPlanned = Rule.define<{ case: CaseId }>("CaseNotPlanned", {
  en: (f) => `case ${f.case} has no plan yet: plan before delivering services`,
  zh: (f) => `个案 ${f.case} 尚未制定计划，须先制定计划再介入服务`
})
export const NoServiceDelivered = Rule.define<{ case: CaseId }>("NoServiceDelivered", {
  en: (f) => `no service has been delivered in case ${f.case} yet`,
  zh: (f) => `个案 ${f.case} 尚未提供任何介入服务`
})
export const CaseNotEvaluated = Rule.define<{ case: CaseId; reason: CloseReason }>("CaseNotEvaluated", {
  en: (f) => `case ${f.case} has no evaluation since it was (re)opened: closing for ${f.reason} needs one`,
  zh: (f) => `个案 ${f.case} 自接案或重开后尚未评估，以「${f.reason}」结案须先评估`
})
export const CrisisFollowUpMissing = Rule.define<{ case: CaseId; since: Scalars.LocalDate }>("CrisisFollowUpMissing", {
  en: (f) => `the crisis intervention of ${f.since} in case ${f.case} has had no follow-up yet`,
  zh: (f) => `个案 ${f.case} 于 ${f.since} 的危机干预尚未跟进`
})
export const NoConsentToRefer = Rule.define<{ case: CaseId }>("NoConsentToRefer", {
  en: (f) => `the recipient of case ${f.case} has no consent to referral in force`,
  zh: (f) => `个案 ${f.case} 的服务对象没有有效的转介同意`
})
export const ReferralAlreadyMade = Rule.define<{ case: CaseId; referral: ReferralId }>("ReferralAlreadyMade", {
  en: (f) => `referral ${f.referral} of case ${f.case} was already made, with other details`,
  zh: (f) => `个案 ${f.case} 的转介 ${f.referral} 已登记，且信息不同`
})
export const ReferralNotFound = Rule.define<{ case: CaseId; referral: ReferralId }>("ReferralNotFound", {
  en: (f) => `case ${f.case} has no referral ${f.referral}`,
  zh: (f) => `个案 ${f.case} 没有转介 ${f.referral}`
})
export const ReferralAlreadyAnswered = Rule.define<{ case: CaseId; referral: ReferralId; status: string }>(
  "ReferralAlreadyAnswered",
  {
    en: (f) => `referral ${f.referral} of case ${f.case} was already ${f.status.toLowerCase()}`,
    zh: (f) => `个案 ${f.case} 的转介 ${f.referral} 已有答复（${f.status === "Accepted" ? "已接收" : "已拒绝"}）`
  }
)
export const DateBeforeCaseOpened = Rule.define<{ case: CaseId; field: string; date: string; since: string }>(
  "DateBeforeCaseOpened",
  {
    en: (f) => `${f.field} ${f.date} is before case ${f.case} was opened or reopened (${f.since})`,
    zh: (f) => `${f.field} ${f.date} 早于个案 ${f.case} 接案或重开的日期（${f.since}）`
  }
)
export const DateBeforeCaseClosed = Rule.define<{ case: CaseId; field: string; date: string; closedOn: string }>(
  "DateBeforeCaseClosed",
  {
    en: (f) => `${f.field} ${f.date} is before case ${f.case} was closed (${f.closedOn})`,
    zh: (f) => `${f.field} ${f.date} 早于个案 ${f.case} 结案的日期（${f.closedOn}）`
  }
)
export const DateBeforeReferral = Rule.define<{ referral: ReferralId; field: string; date: string; since: string }>(
  "DateBeforeReferral",
  {
    en: (f) => `${f.field} ${f.date} is before referral ${f.referral} was made (${f.since})`,
    zh: (f) => `${f.field} ${f.date} 早于转介 ${f.referral} 的日期（${f.since}）`
  }
)

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

/** The case open now: none opened and a closed case refuse every command but open and reopen. */
const caseOpenNow = (id: CaseId, state: State): Result.Result<Case, RuleViolation> => {
  switch (state._tag) {
    case "NoCase":
      return Result.fail(CaseNotOpened({ case: id }))
    case "Closed":
      return Result.fail(CaseAlreadyClosed({ case: id, closedOn: state.closedOn }))
    case "Open":
      return Result.succeed(state.case)
  }
}

/** A day inside the open case: not after today, not before it was opened or reopened. */
const inCase = (
  id: CaseId,
  c: Case,
  field: string,
  date: Scalars.LocalDate,
  now: number
): Result.Result<Scalars.LocalDate, RuleViolation> =>
  Result.gen(function* () {
    yield* notInFuture(field, date, now)
    if (date < c.since) return yield* Result.fail(DateBeforeCaseOpened({ case: id, field, date, since: c.since }))
    return date
  })

const reached = (c: Case, stage: Stage): boolean => rankOf(c.stage) >= rankOf(stage)

/** The rule that refuses a step taken before the case reached the stage it needs. */
const notYet = { Assessed: CaseNotAssessed, Planned: CaseNotPlanned, Intervening: NoServiceDelivered } as const

/**
 * A step of the work in an open case (assess, plan, deliver, follow up, evaluate): the case has reached the
 * stage the step needs, and the step's day lies inside the case. The step records one event.
 */
const step = (
  state: State,
  now: number,
  taken: {
    readonly case: CaseId
    readonly needs?: keyof typeof notYet
    readonly field: string
    readonly date: Scalars.LocalDate
  },
  event: () => Event,
  /** Whether the step may record data about the recipient (their consent to processing), given the case. */
  consent: (c: Case) => Result.Result<void, RuleViolation>
): Decision =>
  Result.gen(function* () {
    const c = yield* caseOpenNow(taken.case, state)
    if (taken.needs !== undefined && !reached(c, taken.needs)) {
      return yield* Result.fail(notYet[taken.needs]({ case: taken.case }))
    }
    yield* inCase(taken.case, c, taken.field, taken.date, now)
    yield* consent(c)
    return [event()]
  })

/** The recipient's consent to processing, from their household's file as the handler read it. */
const recipientConsents = (context: CaseworkContext) => (c: Case) => consentToProcess(context.household, c.person)

/** A crisis intervention not yet followed up on or before `date`: an emergency (PIPL art. 13(4)). */
const crisisPending = (c: Case, date: Scalars.LocalDate): boolean => c.pendingCrises.some((d) => d <= date)

/** Consent to referral in force for the recipient in their household's open file (registry). */
const consentToRefer = (context: CaseworkContext, c: Case): boolean =>
  context.household?._tag === "Registered" &&
  context.household.household.id === c.household &&
  (Registry.memberOf(context.household.household, c.person)?.consents.some((x) => x.scope === "Referral") ?? false)

const referralOf = (id: CaseId, c: Case, referral: ReferralId): Result.Result<Referral, RuleViolation> => {
  const found = c.referrals.find((r) => r.referral === referral)
  return found === undefined ? Result.fail(ReferralNotFound({ case: id, referral })) : Result.succeed(found)
}

/**
 * Opens a case (接案) for a member of a household on file, by a worker on post at the case's station on the
 * opening day; the same case again records nothing.
 */
export const openCase = (cmd: Commands.OpenCase, state: State, context: CaseworkContext): Decision =>
  Result.gen(function* () {
    const id = caseIdOf(cmd.person, cmd.caseType)
    if (state._tag === "Open") {
      const c = state.case
      const same =
        c.openedOn === cmd.openedOn &&
        c.household === cmd.household &&
        c.station === cmd.station &&
        c.worker === cmd.worker
      if (same) return []
      return yield* Result.fail(CaseAlreadyOpen({ case: id, openedOn: c.openedOn }))
    }
    yield* notInFuture("openedOn", cmd.openedOn, context.now)
    if (state._tag === "Closed" && cmd.openedOn < state.closedOn) {
      return yield* Result.fail(
        DateBeforeCaseClosed({ case: id, field: "openedOn", date: cmd.openedOn, closedOn: state.closedOn })
      )
    }
    const household = yield* householdOnFile(cmd.household, context.household)
    yield* memberOnFile(household, cmd.person)
    yield* onPostAt(cmd.worker, cmd.station, cmd.openedOn, context.onPost?.get(cmd.worker))
    yield* consentToProcess(context.household, cmd.person)
    return [
      new CaseOpened({
        case: id,
        person: cmd.person,
        household: cmd.household,
        station: cmd.station,
        worker: cmd.worker,
        caseType: cmd.caseType,
        riskLevel: cmd.riskLevel,
        openedOn: cmd.openedOn
      })
    ]
  })

export const recordAssessment = (cmd: Commands.RecordAssessment, state: State, context: CaseworkContext): Decision =>
  step(
    state,
    context.now,
    { case: cmd.case, field: "assessedOn", date: cmd.assessedOn },
    () =>
      new AssessmentRecorded({
        case: cmd.case,
        needs: cmd.needs,
        riskLevel: cmd.riskLevel,
        assessedOn: cmd.assessedOn
      }),
    recipientConsents(context)
  )

export const recordPlan = (cmd: Commands.RecordPlan, state: State, context: CaseworkContext): Decision =>
  step(
    state,
    context.now,
    { case: cmd.case, needs: "Assessed", field: "plannedOn", date: cmd.plannedOn },
    () => new PlanRecorded({ case: cmd.case, goals: cmd.goals, services: cmd.services, plannedOn: cmd.plannedOn }),
    recipientConsents(context)
  )

/** A crisis intervention protects life or health in an emergency (PIPL art. 13(4)): it runs, with its notes. */
export const deliverService = (cmd: Commands.DeliverService, state: State, context: CaseworkContext): Decision =>
  step(
    state,
    context.now,
    { case: cmd.case, needs: "Planned", field: "deliveredOn", date: cmd.deliveredOn },
    () =>
      new ServiceDelivered({ case: cmd.case, service: cmd.service, deliveredOn: cmd.deliveredOn, notes: cmd.notes }),
    (c) => (cmd.service === "CrisisIntervention" ? Result.succeed(undefined) : recipientConsents(context)(c))
  )

export const makeReferral = (cmd: Commands.MakeReferral, state: State, context: CaseworkContext): Decision =>
  Result.gen(function* () {
    const c = yield* caseOpenNow(cmd.case, state)
    const existing = c.referrals.find((r) => r.referral === cmd.referral)
    if (existing !== undefined) {
      if (existing.organisation === cmd.organisation && existing.referredOn === cmd.referredOn) return []
      return yield* Result.fail(ReferralAlreadyMade({ case: cmd.case, referral: cmd.referral }))
    }
    yield* inCase(cmd.case, c, "referredOn", cmd.referredOn, context.now)
    yield* consentToProcess(context.household, c.person)
    if (!consentToRefer(context, c)) return yield* Result.fail(NoConsentToRefer({ case: cmd.case }))
    return [
      new ReferralMade({
        case: cmd.case,
        referral: cmd.referral,
        organisation: cmd.organisation,
        reason: cmd.reason,
        referredOn: cmd.referredOn
      })
    ]
  })

const answerReferral = (
  id: CaseId,
  referral: ReferralId,
  answer: "Accepted" | "Rejected",
  field: string,
  date: Scalars.LocalDate,
  state: State,
  now: number,
  event: () => Event
): Decision =>
  Result.gen(function* () {
    const c = yield* caseOpenNow(id, state)
    const r = yield* referralOf(id, c, referral)
    if (r.status === answer) return []
    if (r.status !== "Pending")
      return yield* Result.fail(ReferralAlreadyAnswered({ case: id, referral, status: r.status }))
    yield* inCase(id, c, field, date, now)
    if (date < r.referredOn)
      return yield* Result.fail(DateBeforeReferral({ referral, field, date, since: r.referredOn }))
    return [event()]
  })

export const acceptReferral = (
  cmd: Commands.AcceptReferral,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  answerReferral(
    cmd.case,
    cmd.referral,
    "Accepted",
    "acceptedOn",
    cmd.acceptedOn,
    state,
    context.now,
    () => new ReferralAccepted({ case: cmd.case, referral: cmd.referral, acceptedOn: cmd.acceptedOn })
  )

export const rejectReferral = (
  cmd: Commands.RejectReferral,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  answerReferral(
    cmd.case,
    cmd.referral,
    "Rejected",
    "rejectedOn",
    cmd.rejectedOn,
    state,
    context.now,
    () =>
      new ReferralRejected({ case: cmd.case, referral: cmd.referral, rejectedOn: cmd.rejectedOn, reason: cmd.reason })
  )

/** The follow-up of a pending crisis intervention runs, as the intervention did; any other needs consent. */
export const recordFollowUp = (cmd: Commands.RecordFollowUp, state: State, context: CaseworkContext): Decision =>
  step(
    state,
    context.now,
    { case: cmd.case, needs: "Intervening", field: "followedUpOn", date: cmd.followedUpOn },
    () => new FollowUpRecorded({ case: cmd.case, followedUpOn: cmd.followedUpOn, notes: cmd.notes }),
    (c) => (crisisPending(c, cmd.followedUpOn) ? Result.succeed(undefined) : recipientConsents(context)(c))
  )

export const recordEvaluation = (cmd: Commands.RecordEvaluation, state: State, context: CaseworkContext): Decision =>
  step(
    state,
    context.now,
    { case: cmd.case, needs: "Intervening", field: "evaluatedOn", date: cmd.evaluatedOn },
    () =>
      new EvaluationRecorded({ case: cmd.case, outcome: cmd.outcome, evaluatedOn: cmd.evaluatedOn, notes: cmd.notes }),
    recipientConsents(context)
  )

/** Closing runs whatever the recipient's consent, but not with notes about a recipient who withdrew it. */
export const closeCase = (cmd: Commands.CloseCase, state: State, context: CaseworkContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "Closed" && state.reason === cmd.reason && state.closedOn === cmd.closedOn) return []
    const c = yield* caseOpenNow(cmd.case, state)
    yield* inCase(cmd.case, c, "closedOn", cmd.closedOn, context.now)
    const since = c.pendingCrises[0]
    if (since !== undefined) return yield* Result.fail(CrisisFollowUpMissing({ case: cmd.case, since }))
    if (!c.evaluated && !isExcusing(cmd.reason)) {
      return yield* Result.fail(CaseNotEvaluated({ case: cmd.case, reason: cmd.reason }))
    }
    yield* noNotesAbout(context.household, c.person, "notes", cmd.notes)
    return [new CaseClosed({ case: cmd.case, reason: cmd.reason, closedOn: cmd.closedOn, notes: cmd.notes })]
  })

/**
 * Takes a closed case up again with its history, stage, station and worker. The case's worker takes it up on
 * the reopening day, so they must be on post at the case's station that day, as for an opening; a case whose
 * worker has left or moved is handed over by a transfer once reopened. Reopening an open case records nothing.
 */
export const reopenCase = (cmd: Commands.ReopenCase, state: State, context: CaseworkContext): Decision =>
  Result.gen(function* () {
    switch (state._tag) {
      case "NoCase":
        return yield* Result.fail(CaseNotOpened({ case: cmd.case }))
      case "Open":
        return []
      case "Closed": {
        yield* notInFuture("reopenedOn", cmd.reopenedOn, context.now)
        if (cmd.reopenedOn < state.closedOn) {
          return yield* Result.fail(
            DateBeforeCaseClosed({
              case: cmd.case,
              field: "reopenedOn",
              date: cmd.reopenedOn,
              closedOn: state.closedOn
            })
          )
        }
        const c = state.case
        yield* onPostAt(c.worker, c.station, cmd.reopenedOn, context.onPost?.get(c.worker))
        yield* consentToProcess(context.household, c.person)
        return [new CaseReopened({ case: cmd.case, reason: cmd.reason, reopenedOn: cmd.reopenedOn })]
      }
    }
  })

/**
 * Moves an open case to another worker, another station or both. Whoever holds the case after it must be on
 * post at the case's station after it on the transfer day: a new worker at the target station, or the case's
 * worker at a new station. A transfer that changes nothing records nothing.
 */
export const transferCase = (cmd: Commands.TransferCase, state: State, context: CaseworkContext): Decision =>
  Result.gen(function* () {
    const c = yield* caseOpenNow(cmd.case, state)
    const worker = cmd.worker !== undefined && cmd.worker !== c.worker ? { worker: cmd.worker } : {}
    const station = cmd.station !== undefined && cmd.station !== c.station ? { station: cmd.station } : {}
    if (worker.worker === undefined && station.station === undefined) return []
    yield* inCase(cmd.case, c, "transferredOn", cmd.transferredOn, context.now)
    const holder = worker.worker ?? c.worker
    yield* onPostAt(holder, station.station ?? c.station, cmd.transferredOn, context.onPost?.get(holder))
    return [new CaseTransferred({ case: cmd.case, ...worker, ...station, transferredOn: cmd.transferredOn })]
  })

/** What each casework command does for a recipient who withdrew consent to processing (shared/Consent.ts). */
export const afterWithdrawal: AfterWithdrawalOf<Commands.Command["_tag"]> = {
  OpenCase: { _tag: "Refused", why: "starts new processing about the person" },
  RecordAssessment: { _tag: "Refused", why: "its needs are new data about the recipient" },
  RecordPlan: { _tag: "Refused", why: "its goals are new data about the recipient" },
  DeliverService: {
    _tag: "RefusedUnless",
    unless: "the service is a crisis intervention, recorded with its notes",
    why: "a crisis intervention protects life or health in an emergency: art. 13(4)"
  },
  MakeReferral: {
    _tag: "Refused",
    why: "a referral hands the recipient's data to another organisation; consent of scope Referral is needed as well (NoConsentToRefer)"
  },
  AcceptReferral: {
    _tag: "Runs",
    why: "the answer to a referral made with consent: the organisation's, not new data about the person"
  },
  RejectReferral: {
    _tag: "Runs",
    why: "the answer to a referral made with consent: the organisation's, not new data about the person"
  },
  RecordFollowUp: {
    _tag: "RefusedUnless",
    unless: "it follows up a crisis intervention still pending on its day",
    why: "the follow-up is part of the emergency, and a case with a crisis pending cannot be closed"
  },
  RecordEvaluation: {
    _tag: "Refused",
    why: "an evaluation of the recipient is new data; close the case for a reason that excuses one (ServiceRefused)"
  },
  CloseCase: {
    _tag: "FieldsRefused",
    fields: ["notes"],
    why: "closing ends the processing and records the withdrawal's consequence in its reason; notes would be new data"
  },
  ReopenCase: { _tag: "Refused", why: "takes up processing about the person again" },
  TransferCase: { _tag: "Runs", why: "hands the case to the worker who will close it: nothing about the person" }
}

export const decide = (command: Commands.Command, state: State, context: CaseworkContext): Decision => {
  switch (command._tag) {
    case "OpenCase":
      return openCase(command, state, context)
    case "RecordAssessment":
      return recordAssessment(command, state, context)
    case "RecordPlan":
      return recordPlan(command, state, context)
    case "DeliverService":
      return deliverService(command, state, context)
    case "MakeReferral":
      return makeReferral(command, state, context)
    case "AcceptReferral":
      return acceptReferral(command, state, context)
    case "RejectReferral":
      return rejectReferral(command, state, context)
    case "RecordFollowUp":
      return recordFollowUp(command, state, context)
    case "RecordEvaluation":
      return recordEvaluation(command, state, context)
    case "CloseCase":
      return closeCase(command, state, context)
    case "ReopenCase":
      return reopenCase(command, state, context)
    case "TransferCase":
      return transferCase(command, state, context)
  }
}

export const decider = Decider.make<Commands.Command, Event, State, CaseworkContext>({
  initialState: initial,
  evolve,
  decide
})
