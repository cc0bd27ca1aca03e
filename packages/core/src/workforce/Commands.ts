import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import { StationId, WorkerId } from "../shared/Ids.ts"
import { LeavingReason, PostFilled, PostsAllotted, PostVacated, WorkerHired } from "./Events.ts"

/** Sets the station's number of posts. */
export class AllotPosts extends Schema.TaggedClass<AllotPosts>()("AllotPosts", asGiven(PostsAllotted.fields)) {}

/** Takes one of the station's open posts for a worker: the first step of a hire or a transfer in. */
export class FillPost extends Schema.TaggedClass<FillPost>()("FillPost", asGiven(PostFilled.fields)) {}

/** Frees the worker's post at the station: the last step of leaving or transferring out, or an undo. */
export class VacatePost extends Schema.TaggedClass<VacatePost>()("VacatePost", asGiven(PostVacated.fields)) {}

export class HireWorker extends Schema.TaggedClass<HireWorker>()("HireWorker", asGiven(WorkerHired.fields)) {}

export class TransferWorker extends Schema.TaggedClass<TransferWorker>()("TransferWorker", {
  worker: WorkerId,
  to: StationId,
  transferredOn: Scalars.LocalDate
}) {}

/** Records that a worker leaves their post; `leftOn` is the last day on it. */
export class EndEmployment extends Schema.TaggedClass<EndEmployment>()("EndEmployment", {
  worker: WorkerId,
  leftOn: Scalars.LocalDate,
  reason: LeavingReason,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

/** Commands of a station's "post-quota" stream. FillPost and VacatePost are steps of the worker commands. */
export const QuotaCommand = Schema.Union([AllotPosts, FillPost, VacatePost])
export type QuotaCommand = typeof QuotaCommand.Type

/** Commands of a "worker" stream. */
export const WorkerCommand = Schema.Union([HireWorker, TransferWorker, EndEmployment])
export type WorkerCommand = typeof WorkerCommand.Type

/** What a host app sends to `handle`: the posts, and the worker commands with their post steps. */
export const Command = Schema.Union([AllotPosts, HireWorker, TransferWorker, EndEmployment])
export type Command = typeof Command.Type
