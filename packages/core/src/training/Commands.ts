import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import { CourseId, StationId, WorkerId } from "../shared/Ids.ts"
import { CourseKind, MaterialsPrinted } from "./Events.ts"
import { ExchangeVisitId } from "./Stream.ts"

/** Records a course that took place; the attendees' stations are read from the workforce. */
export class RecordCourse extends Schema.TaggedClass<RecordCourse>()("RecordCourse", {
  course: CourseId,
  kind: CourseKind,
  title: Scalars.NonEmptyText,
  heldOn: Scalars.LocalDate,
  attendees: Schema.NonEmptyArray(WorkerId)
}) {}

export class RecordExchangeVisit extends Schema.TaggedClass<RecordExchangeVisit>()("RecordExchangeVisit", {
  exchangeVisit: ExchangeVisitId,
  host: StationId,
  visiting: Schema.NonEmptyArray(StationId),
  participants: Schema.NonEmptyArray(WorkerId),
  heldOn: Scalars.LocalDate
}) {}

export class RecordPrintRun extends Schema.TaggedClass<RecordPrintRun>()(
  "RecordPrintRun",
  asGiven(MaterialsPrinted.fields)
) {}

export const Command = Schema.Union([RecordCourse, RecordExchangeVisit, RecordPrintRun])
export type Command = typeof Command.Type
