// F1…F23 are the article's figures, each defined in docs/figures.md.
import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import { type CaseType, dateOf } from "../../casework/Events.ts"
import type { Event } from "../../Domain.ts"
import type { CaseId, HouseholdId, PersonId, StationId, WorkerId } from "../../shared/Ids.ts"
import { PersistentMap } from "../../shared/Persistent.ts"
import { type Period, within } from "../Period.ts"
import { increment } from "./maps.ts"

/**
 * A case file (one recipient, one case type: the casework stream), now and as of the report's days. A file
 * holds its cases one after another; what is kept is where the latest one stands.
 */
export interface CaseFile {
  readonly person: PersonId
  readonly household: HouseholdId
  readonly caseType: CaseType
  /** In charge now (after every event seen). */
  readonly worker: WorkerId
  readonly station: StationId
  readonly open: boolean
  /** Open at the end of `at` (events dated later left out), and at which station. */
  readonly openAt: boolean
  readonly stationAt: StationId
  /** Open on the day before `reachedIn` begins. */
  readonly openBeforeReach: boolean
  /** Opened, reopened, closed or served on a day of `reachedIn`. */
  readonly reached: boolean
}

export interface Cases {
  readonly files: PersistentMap<CaseId, CaseFile>
  /** Cases opened (接案) in `openedIn`: a case opened again after a close is a new case, a reopening is not. */
  readonly opened: number
  readonly openedByStation: PersistentMap<StationId, number>
}

/** The events `make` reads: every casework event. */
export const types = [
  "CaseOpened",
  "CaseClosed",
  "CaseReopened",
  "CaseTransferred",
  "AssessmentRecorded",
  "PlanRecorded",
  "ServiceDelivered",
  "ReferralMade",
  "ReferralAccepted",
  "ReferralRejected",
  "FollowUpRecorded",
  "EvaluationRecorded"
] as const

export interface Options {
  /** The day "open" is read at (F15: the last day of the first half). Default: no day, every event counts. */
  readonly at?: Scalars.LocalDate
  readonly openedIn?: Period
  /** The period a recipient counts as reached by a case open on some day of it (F2). */
  readonly reachedIn?: Period
}

// No real day falls in it, none before it.
const never: Period = { from: "0000-01-01", to: "0000-01-01" }

/**
 * Case files, what opened in a period and what was open on a day. Relies on a file's days never going back
 * (casework refuses a date before the case's opening or closing), so the last open or close dated on or
 * before a day says whether it was open that day.
 */
export const make = (options: Options = {}): Projection.Projection<Event, Cases> => {
  const at = options.at ?? "9999-12-31"
  const openedIn = options.openedIn ?? never
  const reachedIn = options.reachedIn ?? never
  return {
    initial: { files: PersistentMap.empty(), opened: 0, openedByStation: PersistentMap.empty() },
    evolve: (state: Cases, { event }: Recorded<Event>): Cases => {
      switch (event._tag) {
        case "CaseOpened": {
          const before = PersistentMap.from(state.files).get(event.case)
          const date = event.openedOn
          const file: CaseFile = {
            person: event.person,
            household: event.household,
            caseType: event.caseType,
            worker: event.worker,
            station: event.station,
            open: true,
            openAt: date <= at ? true : (before?.openAt ?? false),
            stationAt: date <= at ? event.station : (before?.stationAt ?? event.station),
            openBeforeReach: date < reachedIn.from ? true : (before?.openBeforeReach ?? false),
            reached: (before?.reached ?? false) || within(date, reachedIn)
          }
          const counted = within(date, openedIn)
          return {
            files: PersistentMap.from(state.files).with(event.case, file),
            opened: counted ? state.opened + 1 : state.opened,
            openedByStation: counted ? increment(state.openedByStation, event.station) : state.openedByStation
          }
        }
        case "CaseClosed":
        case "CaseReopened": {
          const before = PersistentMap.from(state.files).get(event.case)
          if (before === undefined) return state
          const date = dateOf(event)
          const open = event._tag === "CaseReopened"
          const file: CaseFile = {
            ...before,
            open,
            openAt: date <= at ? open : before.openAt,
            openBeforeReach: date < reachedIn.from ? open : before.openBeforeReach,
            reached: before.reached || (within(date, reachedIn) && (open || before.open))
          }
          return { ...state, files: PersistentMap.from(state.files).with(event.case, file) }
        }
        case "CaseTransferred": {
          const before = PersistentMap.from(state.files).get(event.case)
          if (before === undefined) return state
          const file: CaseFile = {
            ...before,
            worker: event.worker ?? before.worker,
            station: event.station ?? before.station,
            stationAt: event.transferredOn <= at && event.station !== undefined ? event.station : before.stationAt
          }
          return { ...state, files: PersistentMap.from(state.files).with(event.case, file) }
        }
        case "AssessmentRecorded":
        case "PlanRecorded":
        case "ServiceDelivered":
        case "ReferralMade":
        case "ReferralAccepted":
        case "ReferralRejected":
        case "FollowUpRecorded":
        case "EvaluationRecorded": {
          const before = PersistentMap.from(state.files).get(event.case)
          if (before === undefined || before.reached || !before.open || !within(dateOf(event), reachedIn)) return state
          return { ...state, files: PersistentMap.from(state.files).with(event.case, { ...before, reached: true }) }
        }
        default:
          return state
      }
    }
  }
}

/** Whether the file's recipient was reached by a case open on some day of `reachedIn`. */
export const reached = (file: CaseFile): boolean => file.reached || file.openBeforeReach
