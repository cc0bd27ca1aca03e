// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Recorded, type Scalars } from "@shuangbai/eventsourcing"
import { PersistentMap } from "../shared/Persistent.ts"
import type { Event } from "./Events.ts"

/**
 * One drive's recruitment status. Counts are of events, each recorded once per application and step
 * (the decider records nothing for a repeated step), so they are the number of applicants who ever
 * reached the step.
 */
export interface DriveStatus {
  readonly title: Scalars.NonEmptyText | undefined
  readonly vacancies: number
  readonly applicants: number
  /**
   * Applications by the day received, for "applicants by 4 August" (F19). A persistent map
   * (shared/Persistent.ts): an application costs O(log days), however long the drive runs.
   */
  readonly receivedOn: ReadonlyMap<Scalars.LocalDate, number>
  readonly shortlisted: number
  readonly rejected: number
  readonly offers: number
  readonly accepted: number
  readonly declined: number
  readonly hired: number
  readonly closedOn: Scalars.LocalDate | undefined
}

export const emptyDrive: DriveStatus = {
  title: undefined,
  vacancies: 0,
  applicants: 0,
  receivedOn: PersistentMap.empty(),
  shortlisted: 0,
  rejected: 0,
  offers: 0,
  accepted: 0,
  declined: 0,
  hired: 0,
  closedOn: undefined
}

/** One drive; feed it that drive's events. */
export const drive = Projection.make<Event, DriveStatus>({
  initial: emptyDrive,
  evolve: (state, { event }) => {
    switch (event._tag) {
      case "DriveOpened":
        return { ...state, title: event.title, vacancies: event.vacancies }
      case "ApplicationReceived": {
        const receivedOn = PersistentMap.from(state.receivedOn)
        return {
          ...state,
          applicants: state.applicants + 1,
          receivedOn: receivedOn.with(event.receivedOn, (receivedOn.get(event.receivedOn) ?? 0) + 1)
        }
      }
      case "ApplicantShortlisted":
        return { ...state, shortlisted: state.shortlisted + 1 }
      case "ApplicantRejected":
        return { ...state, rejected: state.rejected + 1 }
      case "OfferMade":
        return { ...state, offers: state.offers + 1 }
      case "OfferAccepted":
        return { ...state, accepted: state.accepted + 1 }
      case "OfferDeclined":
        return { ...state, declined: state.declined + 1 }
      case "ApplicantHired":
        return { ...state, hired: state.hired + 1 }
      case "DriveClosed":
        return { ...state, closedOn: event.closedOn }
    }
  }
})

/** Every drive of the tenant, by drive id. */
export const drives: Projection.Projection<Event, ReadonlyMap<string, DriveStatus>> = Projection.partitioned(
  drive,
  (recorded: Recorded<Event>) => recorded.event.drive
)

/** Applications received on or before a day (F19: more than 600 by 4 August). */
export const applicantsBy = (status: DriveStatus, day: Scalars.LocalDate): number =>
  [...PersistentMap.from(status.receivedOn)].reduce((n, [on, count]) => (on <= day ? n + count : n), 0)

/** Applicants per post (F19 ÷ F18); undefined without vacancies. */
export const applicantsPerPost = (status: { readonly applicants: number; readonly vacancies: number }) =>
  status.vacancies === 0 ? undefined : status.applicants / status.vacancies

export interface CountyStatus {
  readonly drives: number
  readonly openDrives: number
  readonly vacancies: number
  readonly applicants: number
  readonly applicantsPerPost: number | undefined
  readonly shortlisted: number
  readonly offers: number
  readonly hired: number
}

/** The county: the sum of its drives. */
export const county = (state: ReadonlyMap<string, DriveStatus>, asOf?: Scalars.LocalDate): CountyStatus => {
  const all = [...state.values()]
  const sum = (f: (d: DriveStatus) => number) => all.reduce((n, d) => n + f(d), 0)
  const vacancies = sum((d) => d.vacancies)
  const applicants = sum((d) => (asOf === undefined ? d.applicants : applicantsBy(d, asOf)))
  return {
    drives: all.length,
    openDrives: all.filter((d) => d.title !== undefined && d.closedOn === undefined).length,
    vacancies,
    applicants,
    applicantsPerPost: applicantsPerPost({ applicants, vacancies }),
    shortlisted: sum((d) => d.shortlisted),
    offers: sum((d) => d.offers),
    hired: sum((d) => d.hired)
  }
}
