// F1…F23 are the article's figures, each defined in docs/figures.md.
import { EventCodec, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CourseId, StationId, WorkerId } from "../shared/Ids.ts"
import { ExchangeVisitId, PrintRunId } from "./Stream.ts"

/** What a course was for: F22 counts the professional-capacity courses (专业能力提升培训班). */
export const CourseKind = Schema.Literals([
  "ProfessionalCapacity", // 专业能力提升
  "ChildWelfare", // 儿童福利保障和未成年人保护
  "Other"
])
export type CourseKind = typeof CourseKind.Type

export const MaterialKind = Schema.Literals([
  "Brochure", // 宣传册
  "Leaflet", // 宣传单
  "TvShort", // 电视短片
  "Other"
])
export type MaterialKind = typeof MaterialKind.Type

/** A worker who took part, with the station they were on post for that day (decided from the workforce). */
export const Participant = Schema.Struct({ worker: WorkerId, station: StationId })
export type Participant = typeof Participant.Type

/** Whom printed material is for: every station of the county, or the listed ones. */
export const StationScope = Schema.Union([
  Schema.TaggedStruct("CountyWide", {}),
  Schema.TaggedStruct("Stations", { stations: Schema.NonEmptyArray(StationId) })
])
export type StationScope = typeof StationScope.Type
export type StationScopeTag = StationScope["_tag"]

/** Copies printed: a positive integer. */
export const Quantity = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000_000 }))
export type Quantity = typeof Quantity.Type

/** A training course took place; each attendee once. Person-times (人次) = attendees. */
export class CourseHeld extends Schema.TaggedClass<CourseHeld>()("CourseHeld", {
  course: CourseId,
  kind: CourseKind,
  title: Scalars.NonEmptyText,
  heldOn: Scalars.LocalDate,
  attendees: Schema.NonEmptyArray(Participant)
}) {}

/**
 * Workers of the visiting stations came to the host station (互访交流). The stations taking part are the
 * host and the visiting ones; the participants are the workers of those stations who took part.
 */
export class ExchangeVisitHeld extends Schema.TaggedClass<ExchangeVisitHeld>()("ExchangeVisitHeld", {
  exchangeVisit: ExchangeVisitId,
  host: StationId,
  visiting: Schema.NonEmptyArray(StationId),
  participants: Schema.NonEmptyArray(Participant),
  heldOn: Scalars.LocalDate
}) {}

export class MaterialsPrinted extends Schema.TaggedClass<MaterialsPrinted>()("MaterialsPrinted", {
  printRun: PrintRunId,
  kind: MaterialKind,
  title: Scalars.NonEmptyText,
  quantity: Quantity,
  printedOn: Scalars.LocalDate,
  scope: StationScope
}) {}

export const codec = EventCodec.make({ CourseHeld, ExchangeVisitHeld, MaterialsPrinted })

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day an event happened on. */
export const dateOf = (event: Event): Scalars.LocalDate =>
  event._tag === "MaterialsPrinted" ? event.printedOn : event.heldOn
