import { EventCodec, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { ActivityId, PersonId, StationId } from "../shared/Ids.ts"

/** What an activity is about: the kinds the article names, and "Other". */
export const ActivityTheme = Schema.Literals([
  "Lecture", // 讲座
  "ClassMeeting", // 主题班会
  "Reading", // 读书
  "Painting", // 绘画
  "Crafts", // 手工
  "Performance", // 文艺表演
  "DrowningPrevention", // 防溺水
  "TreePlanting", // 植树护绿
  "FarmingHelp", // 助耕助农
  "PolicyPublicity", // 政策宣传
  "Other"
])
export type ActivityTheme = typeof ActivityTheme.Type

/** A headcount: how many people took part, named or not. */
export const Headcount = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100_000 }))
export type Headcount = typeof Headcount.Type

/** The persons on file who took part, each once. */
export const Participants = Schema.Array(PersonId).check(Schema.isUnique(), Schema.isMaxLength(5_000))
export type Participants = typeof Participants.Type

/**
 * Person-times (人次) of one activity: everyone present counts once, named or not. A headcount counts all
 * present, the named persons are those of them on file, so the attendance is the larger of the two (a
 * headcount lower than the persons named is taken to have missed some of them). Distinct persons reached
 * are counted from named persons only: a headcount cannot tell who came twice.
 */
export const personTimesOf = (attendance: {
  readonly headcount?: number | undefined
  readonly participants: ReadonlyArray<unknown>
}): number => Math.max(attendance.headcount ?? 0, attendance.participants.length)

const someoneAttended = Schema.makeFilter(
  (a: { readonly headcount?: number; readonly participants: ReadonlyArray<unknown> }) =>
    personTimesOf(a) > 0 || "an activity held has a headcount or named participants",
  { expected: "an attendance of at least one person" }
)

/** An activity planned by a station. `scheduledFor` is the day it is meant for, the one date that may lie ahead. */
export class ActivityPlanned extends Schema.TaggedClass<ActivityPlanned>()("ActivityPlanned", {
  activity: ActivityId,
  station: StationId,
  theme: ActivityTheme,
  title: Scalars.NonEmptyText,
  plannedOn: Scalars.LocalDate,
  scheduledFor: Schema.optionalKey(Scalars.LocalDate)
}) {}

/** The activity took place: its day and who came, as a headcount and/or a list of persons on file. */
export class ActivityHeld extends Schema.TaggedClass<ActivityHeld>()(
  "ActivityHeld",
  Schema.Struct({
    activity: ActivityId,
    heldOn: Scalars.LocalDate,
    headcount: Schema.optionalKey(Headcount),
    participants: Participants
  }).check(someoneAttended)
) {}

export class ActivityCancelled extends Schema.TaggedClass<ActivityCancelled>()("ActivityCancelled", {
  activity: ActivityId,
  reason: Scalars.NonEmptyText
}) {}

export const codec = EventCodec.make({ ActivityPlanned, ActivityHeld, ActivityCancelled })

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day: the day planned or held; a cancellation is as of now (none). */
export const dateOf = (event: Event): Scalars.LocalDate | undefined => {
  switch (event._tag) {
    case "ActivityPlanned":
      return event.plannedOn
    case "ActivityHeld":
      return event.heldOn
    case "ActivityCancelled":
      return undefined
  }
}
