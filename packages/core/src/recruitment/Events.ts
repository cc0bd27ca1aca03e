import { EventCodec, Personal, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { DriveId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"

/** Where an application stands. Rejected, Declined and Hired are final. */
export const Stage = Schema.Literals([
  "Received",
  "Shortlisted",
  "Rejected",
  "Offered",
  "Accepted",
  "Declined",
  "Hired"
])
export type Stage = typeof Stage.Type

export const RejectionReason = Schema.Literals(["NotEligible", "FailedExam", "FailedInterview", "Withdrawn", "Other"])
export type RejectionReason = typeof RejectionReason.Type

/** Posts a drive recruits for: 1 to 10,000. */
export const Vacancies = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 }))

/** The stations a drive recruits for: at least one, each once. */
export const DriveStations = Schema.NonEmptyArray(StationId).check(Schema.isUnique())

/** A drive's fields; its application window ends no earlier than it starts. */
export const DriveFields = Schema.Struct({
  drive: DriveId,
  title: Scalars.NonEmptyText,
  vacancies: Vacancies,
  stations: DriveStations,
  opensOn: Scalars.LocalDate,
  closesOn: Scalars.LocalDate
}).check(
  Schema.makeFilter((d: { readonly opensOn: string; readonly closesOn: string }) =>
    d.opensOn <= d.closesOn ? true : { path: ["closesOn"], issue: "must not be before opensOn" }
  )
)

/** The bureau announces a drive (招聘公告): how many posts, for which stations, and the application window. */
export class DriveOpened extends Schema.TaggedClass<DriveOpened>()("DriveOpened", DriveFields) {}

export class ApplicationReceived extends Schema.TaggedClass<ApplicationReceived>()("ApplicationReceived", {
  drive: DriveId,
  applicant: PersonId,
  name: Personal.field(Scalars.NonEmptyText, { about: "applicant" }),
  receivedOn: Scalars.LocalDate
}) {}

export class ApplicantShortlisted extends Schema.TaggedClass<ApplicantShortlisted>()("ApplicantShortlisted", {
  drive: DriveId,
  applicant: PersonId,
  shortlistedOn: Scalars.LocalDate
}) {}

export class ApplicantRejected extends Schema.TaggedClass<ApplicantRejected>()("ApplicantRejected", {
  drive: DriveId,
  applicant: PersonId,
  reason: RejectionReason,
  rejectedOn: Scalars.LocalDate,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

/** A post at one of the drive's stations is offered to a shortlisted applicant. */
export class OfferMade extends Schema.TaggedClass<OfferMade>()("OfferMade", {
  drive: DriveId,
  applicant: PersonId,
  station: StationId,
  offeredOn: Scalars.LocalDate
}) {}

export class OfferAccepted extends Schema.TaggedClass<OfferAccepted>()("OfferAccepted", {
  drive: DriveId,
  applicant: PersonId,
  acceptedOn: Scalars.LocalDate
}) {}

export class OfferDeclined extends Schema.TaggedClass<OfferDeclined>()("OfferDeclined", {
  drive: DriveId,
  applicant: PersonId,
  declinedOn: Scalars.LocalDate,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

/** The applicant who accepted is hired; `worker` is their id in the workforce context. */
export class ApplicantHired extends Schema.TaggedClass<ApplicantHired>()("ApplicantHired", {
  drive: DriveId,
  applicant: PersonId,
  worker: WorkerId,
  hiredOn: Scalars.LocalDate
}) {}

/** The drive ends: nothing more is recorded on it. */
export class DriveClosed extends Schema.TaggedClass<DriveClosed>()("DriveClosed", {
  drive: DriveId,
  closedOn: Scalars.LocalDate
}) {}

export const codec = EventCodec.make(
  {
    DriveOpened,
    ApplicationReceived,
    ApplicantShortlisted,
    ApplicantRejected,
    OfferMade,
    OfferAccepted,
    OfferDeclined,
    ApplicantHired,
    DriveClosed
  },
  { ApplicationReceived: Personal.versioning(ApplicationReceived) }
)

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/**
 * The business day of each step. A drive has none: it is announced when it is recorded, and its window
 * (`opensOn`) may lie ahead, while a business day is one that has come (`DateIsInFuture`).
 */
export const dateOf = (event: Event): Scalars.LocalDate | undefined => {
  switch (event._tag) {
    case "DriveOpened":
      return undefined
    case "ApplicationReceived":
      return event.receivedOn
    case "ApplicantShortlisted":
      return event.shortlistedOn
    case "ApplicantRejected":
      return event.rejectedOn
    case "OfferMade":
      return event.offeredOn
    case "OfferAccepted":
      return event.acceptedOn
    case "OfferDeclined":
      return event.declinedOn
    case "ApplicantHired":
      return event.hiredOn
    case "DriveClosed":
      return event.closedOn
  }
}
