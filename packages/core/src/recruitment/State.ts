import type { Scalars } from "@shuangbai/eventsourcing"
import type { DriveId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import type { Event, Stage } from "./Events.ts"

export interface Application {
  readonly applicant: PersonId
  readonly name: Scalars.NonEmptyText
  readonly receivedOn: Scalars.LocalDate
  readonly stage: Stage
  /** The day of the application's latest step: the next one may not come before it. */
  readonly lastOn: Scalars.LocalDate
  /** The station of the offer, once one is made. */
  readonly station?: StationId
  /** The worker id, once hired. */
  readonly worker?: WorkerId
}

export interface Drive {
  readonly drive: DriveId
  readonly title: Scalars.NonEmptyText
  readonly vacancies: number
  readonly stations: ReadonlyArray<StationId>
  readonly opensOn: Scalars.LocalDate
  readonly closesOn: Scalars.LocalDate
  /** One application per person. */
  readonly applications: ReadonlyMap<PersonId, Application>
  /** The latest day an application step was recorded on, once there is one. */
  readonly latest?: Scalars.LocalDate
}

export type State =
  | { readonly _tag: "NotOpened" }
  | { readonly _tag: "Open"; readonly drive: Drive }
  | { readonly _tag: "Closed"; readonly drive: Drive; readonly closedOn: Scalars.LocalDate }

export const initial: State = { _tag: "NotOpened" }

/** Applications holding a post of the drive: offered (and not declined), accepted or hired. */
export const postsTaken = (drive: Drive): number =>
  [...drive.applications.values()].filter((a) => a.stage === "Offered" || a.stage === "Accepted" || a.stage === "Hired")
    .length

export const hiredCount = (drive: Drive): number =>
  [...drive.applications.values()].filter((a) => a.stage === "Hired").length

const later = (a: Scalars.LocalDate | undefined, b: Scalars.LocalDate): Scalars.LocalDate =>
  a === undefined || b > a ? b : a

const step = (
  drive: Drive,
  applicant: PersonId,
  stage: Stage,
  on: Scalars.LocalDate,
  extra: { readonly station?: StationId; readonly worker?: WorkerId } = {}
): Drive => {
  const application = drive.applications.get(applicant)
  if (application === undefined) return drive
  const applications = new Map(drive.applications)
  applications.set(applicant, { ...application, ...extra, stage, lastOn: on })
  return { ...drive, applications, latest: later(drive.latest, on) }
}

const evolveOpen = (drive: Drive, event: Event): State => {
  switch (event._tag) {
    case "DriveOpened":
      return { _tag: "Open", drive }
    case "ApplicationReceived": {
      if (drive.applications.has(event.applicant)) return { _tag: "Open", drive }
      const applications = new Map(drive.applications)
      applications.set(event.applicant, {
        applicant: event.applicant,
        name: event.name,
        receivedOn: event.receivedOn,
        stage: "Received",
        lastOn: event.receivedOn
      })
      return { _tag: "Open", drive: { ...drive, applications, latest: later(drive.latest, event.receivedOn) } }
    }
    case "ApplicantShortlisted":
      return { _tag: "Open", drive: step(drive, event.applicant, "Shortlisted", event.shortlistedOn) }
    case "ApplicantRejected":
      return { _tag: "Open", drive: step(drive, event.applicant, "Rejected", event.rejectedOn) }
    case "OfferMade":
      return {
        _tag: "Open",
        drive: step(drive, event.applicant, "Offered", event.offeredOn, { station: event.station })
      }
    case "OfferAccepted":
      return { _tag: "Open", drive: step(drive, event.applicant, "Accepted", event.acceptedOn) }
    case "OfferDeclined":
      return { _tag: "Open", drive: step(drive, event.applicant, "Declined", event.declinedOn) }
    case "ApplicantHired":
      return { _tag: "Open", drive: step(drive, event.applicant, "Hired", event.hiredOn, { worker: event.worker }) }
    case "DriveClosed":
      return { _tag: "Closed", drive, closedOn: event.closedOn }
  }
}

/** Pure and total: an event that does not fit the stage (none is ever decided) leaves the state as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (state._tag) {
    case "NotOpened":
      return event._tag === "DriveOpened"
        ? {
            _tag: "Open",
            drive: {
              drive: event.drive,
              title: event.title,
              vacancies: event.vacancies,
              stations: event.stations,
              opensOn: event.opensOn,
              closesOn: event.closesOn,
              applications: new Map()
            }
          }
        : state
    case "Open":
      return evolveOpen(state.drive, event)
    case "Closed":
      return state
  }
}
