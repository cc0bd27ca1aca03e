import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import { ActivityId } from "../shared/Ids.ts"
import { ActivityCancelled, ActivityPlanned, Headcount, Participants, personTimesOf } from "./Events.ts"

export class PlanActivity extends Schema.TaggedClass<PlanActivity>()("PlanActivity", asGiven(ActivityPlanned.fields)) {}

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

export class CancelActivity extends Schema.TaggedClass<CancelActivity>()(
  "CancelActivity",
  asGiven(ActivityCancelled.fields)
) {}

export const Command = Schema.Union([PlanActivity, RecordActivity, CancelActivity])
export type Command = typeof Command.Type
