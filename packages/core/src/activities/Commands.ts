import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { ActivityId, StationId } from "../shared/Ids.ts"
import { ActivityTheme, Headcount, Participants, personTimesOf } from "./Events.ts"

export class PlanActivity extends Schema.TaggedClass<PlanActivity>()("PlanActivity", {
  activity: ActivityId,
  station: StationId,
  theme: ActivityTheme,
  title: Scalars.NonEmptyText,
  plannedOn: Scalars.LocalDate,
  scheduledFor: Schema.optionalKey(Scalars.LocalDate)
}) {}

/** Records that a planned activity took place, with its attendance. */
export class RecordActivity extends Schema.TaggedClass<RecordActivity>()(
  "RecordActivity",
  Schema.Struct({
    activity: ActivityId,
    heldOn: Scalars.LocalDate,
    headcount: Schema.optionalKey(Headcount),
    participants: Participants
  }).check(
    Schema.makeFilter((a) => personTimesOf(a) > 0 || "an activity held has a headcount or named participants", {
      expected: "an attendance of at least one person"
    })
  )
) {}

export class CancelActivity extends Schema.TaggedClass<CancelActivity>()("CancelActivity", {
  activity: ActivityId,
  reason: Scalars.NonEmptyText
}) {}

export const Command = Schema.Union([PlanActivity, RecordActivity, CancelActivity])
export type Command = typeof Command.Type
