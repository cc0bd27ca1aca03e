import type { Scalars } from "@shuangbai/eventsourcing"
import type { HouseholdId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import type { RiskLevel } from "../shared/RecipientCategory.ts"
import type { CaseType, CloseReason, Event, ReferralId } from "./Events.ts"

/**
 * The stages of a case in order (接案 → 预估 → 计划 → 介入 → 评估); 结案 is the Closed state. A case's stage
 * is the furthest it has reached: assessing again or delivering more services never moves it back.
 */
export const stages = ["Intake", "Assessed", "Planned", "Intervening", "Evaluated"] as const
export type Stage = (typeof stages)[number]

export const rankOf = (stage: Stage): number => stages.indexOf(stage)

const furthest = (a: Stage, b: Stage): Stage => (rankOf(a) >= rankOf(b) ? a : b)

export interface Referral {
  readonly referral: ReferralId
  readonly organisation: Scalars.NonEmptyText
  readonly referredOn: Scalars.LocalDate
  readonly status: "Pending" | "Accepted" | "Rejected"
}

/** The case now open (or last closed) in this file. */
export interface Case {
  readonly person: PersonId
  readonly household: HouseholdId
  readonly station: StationId
  readonly worker: WorkerId
  readonly caseType: CaseType
  readonly riskLevel: RiskLevel
  readonly openedOn: Scalars.LocalDate
  /** The day the case was opened or last reopened: nothing in it is dated earlier. */
  readonly since: Scalars.LocalDate
  readonly stage: Stage
  /** An evaluation was recorded since the case was last opened or reopened. */
  readonly evaluated: boolean
  /** Days of crisis interventions that no follow-up has answered yet, earliest first. */
  readonly pendingCrises: ReadonlyArray<Scalars.LocalDate>
  readonly referrals: ReadonlyArray<Referral>
  /** How many cases this file has held, this one included. */
  readonly number: number
}

export type State =
  | { readonly _tag: "NoCase" }
  | { readonly _tag: "Open"; readonly case: Case }
  | {
      readonly _tag: "Closed"
      readonly case: Case
      readonly reason: CloseReason
      readonly closedOn: Scalars.LocalDate
    }

export const initial: State = { _tag: "NoCase" }

const insertSorted = (
  dates: ReadonlyArray<Scalars.LocalDate>,
  date: Scalars.LocalDate
): ReadonlyArray<Scalars.LocalDate> => [...dates, date].sort()

const evolveOpen = (c: Case, event: Event): State => {
  const open = (next: Case): State => ({ _tag: "Open", case: next })
  switch (event._tag) {
    case "CaseOpened":
    case "CaseReopened":
      return open(c)
    case "AssessmentRecorded":
      return open({ ...c, riskLevel: event.riskLevel, stage: furthest(c.stage, "Assessed") })
    case "PlanRecorded":
      return open({ ...c, stage: furthest(c.stage, "Planned") })
    case "ServiceDelivered":
      return open({
        ...c,
        stage: furthest(c.stage, "Intervening"),
        pendingCrises:
          event.service === "CrisisIntervention" ? insertSorted(c.pendingCrises, event.deliveredOn) : c.pendingCrises
      })
    case "FollowUpRecorded":
      return open({ ...c, pendingCrises: c.pendingCrises.filter((d) => d > event.followedUpOn) })
    case "EvaluationRecorded":
      return open({ ...c, stage: furthest(c.stage, "Evaluated"), evaluated: true })
    case "ReferralMade":
      return open({
        ...c,
        referrals: [
          ...c.referrals.filter((r) => r.referral !== event.referral),
          {
            referral: event.referral,
            organisation: event.organisation,
            referredOn: event.referredOn,
            status: "Pending"
          }
        ]
      })
    case "ReferralAccepted":
    case "ReferralRejected": {
      const status = event._tag === "ReferralAccepted" ? "Accepted" : "Rejected"
      return open({
        ...c,
        referrals: c.referrals.map((r) => (r.referral === event.referral ? { ...r, status } : r))
      })
    }
    case "CaseTransferred":
      return open({ ...c, worker: event.worker ?? c.worker, station: event.station ?? c.station })
    case "CaseClosed":
      return { _tag: "Closed", case: c, reason: event.reason, closedOn: event.closedOn }
  }
}

/** Pure and total: an event that does not fit the state (none should be stored) leaves it as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (state._tag) {
    case "Open":
      return evolveOpen(state.case, event)
    case "NoCase":
    case "Closed": {
      if (event._tag === "CaseOpened") {
        return {
          _tag: "Open",
          case: {
            person: event.person,
            household: event.household,
            station: event.station,
            worker: event.worker,
            caseType: event.caseType,
            riskLevel: event.riskLevel,
            openedOn: event.openedOn,
            since: event.openedOn,
            stage: "Intake",
            evaluated: false,
            pendingCrises: [],
            referrals: [],
            number: state._tag === "Closed" ? state.case.number + 1 : 1
          }
        }
      }
      if (event._tag === "CaseReopened" && state._tag === "Closed") {
        return { _tag: "Open", case: { ...state.case, since: event.reopenedOn, evaluated: false } }
      }
      return state
    }
  }
}
