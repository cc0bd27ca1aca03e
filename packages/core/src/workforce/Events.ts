import { EventCodec, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { DriveId, StationId, WorkerId } from "../shared/Ids.ts"

/** A number of posts: a whole number, 0 to 10,000. */
export const PostCount = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 10_000 }))
export type PostCount = typeof PostCount.Type

export const LeavingReason = Schema.Literals(["Resigned", "ContractEnded", "Dismissed", "Retired", "Deceased", "Other"])
export type LeavingReason = typeof LeavingReason.Type

// ---- "post-quota" stream (one per station) --------------------------------------------------------

/** The bureau sets the station's number of posts (岗位), raising or lowering the earlier number. */
export class PostsAllotted extends Schema.TaggedClass<PostsAllotted>()("PostsAllotted", {
  station: StationId,
  posts: PostCount,
  allottedOn: Scalars.LocalDate
}) {}

/** A post of the station is taken by a worker being hired or transferred in. */
export class PostFilled extends Schema.TaggedClass<PostFilled>()("PostFilled", {
  station: StationId,
  worker: WorkerId,
  filledOn: Scalars.LocalDate
}) {}

/** A post of the station is free again: its worker left or moved on, or the hire did not go through. */
export class PostVacated extends Schema.TaggedClass<PostVacated>()("PostVacated", {
  station: StationId,
  worker: WorkerId,
  vacatedOn: Scalars.LocalDate
}) {}

// ---- "worker" stream (one per worker) -----------------------------------------------------------

/** A "双百" social worker starts on a post of a station, possibly recruited by a drive. */
export class WorkerHired extends Schema.TaggedClass<WorkerHired>()("WorkerHired", {
  worker: WorkerId,
  name: Scalars.NonEmptyText,
  station: StationId,
  hiredOn: Scalars.LocalDate,
  drive: Schema.optionalKey(DriveId)
}) {}

/** The worker serves another station from `transferredOn` (and the first one until the day before). */
export class WorkerTransferred extends Schema.TaggedClass<WorkerTransferred>()("WorkerTransferred", {
  worker: WorkerId,
  from: StationId,
  to: StationId,
  transferredOn: Scalars.LocalDate
}) {}

/** The worker leaves the post; `leftOn` is their last day on it. */
export class WorkerLeft extends Schema.TaggedClass<WorkerLeft>()("WorkerLeft", {
  worker: WorkerId,
  station: StationId,
  leftOn: Scalars.LocalDate,
  reason: LeavingReason,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

export const QuotaEvent = Schema.Union([PostsAllotted, PostFilled, PostVacated])
export type QuotaEvent = typeof QuotaEvent.Type

export const WorkerEvent = Schema.Union([WorkerHired, WorkerTransferred, WorkerLeft])
export type WorkerEvent = typeof WorkerEvent.Type

/** One codec for both stream categories of the context ("post-quota" and "worker"). */
export const codec = EventCodec.make({
  PostsAllotted,
  PostFilled,
  PostVacated,
  WorkerHired,
  WorkerTransferred,
  WorkerLeft
})

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day an event happened on. */
export const dateOf = (event: Event): Scalars.LocalDate => {
  switch (event._tag) {
    case "PostsAllotted":
      return event.allottedOn
    case "PostFilled":
      return event.filledOn
    case "PostVacated":
      return event.vacatedOn
    case "WorkerHired":
      return event.hiredOn
    case "WorkerTransferred":
      return event.transferredOn
    case "WorkerLeft":
      return event.leftOn
  }
}
