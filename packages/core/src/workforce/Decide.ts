import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { notInFuture } from "../shared/Dates.ts"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import type * as Commands from "./Commands.ts"
import {
  type Event,
  PostFilled,
  PostsAllotted,
  PostVacated,
  WorkerHired,
  WorkerLeft,
  WorkerTransferred
} from "./Events.ts"
import { evolve, evolveQuota, initial, nextDay, type Quota, quotaInitial, type State } from "./State.ts"

// Rules, named as the facts that refuse a command.

export const NoOpenPost = Rule.define<{ station: StationId; posts: number; filled: number }>("NoOpenPost", {
  en: (f) => `station ${f.station} has no open post: ${f.filled} of its ${f.posts} posts are filled`,
  zh: (f) => `社工站 ${f.station} 没有空余岗位：${f.posts} 个岗位已有 ${f.filled} 人在岗`
})
export const QuotaBelowFilledPosts = Rule.define<{ station: StationId; posts: number; filled: number }>(
  "QuotaBelowFilledPosts",
  {
    en: (f) => `station ${f.station} cannot have ${f.posts} posts: ${f.filled} workers hold one now`,
    zh: (f) => `社工站 ${f.station} 现有 ${f.filled} 人在岗，岗位数不能减至 ${f.posts}`
  }
)
export const WorkerAlreadyOnPost = Rule.define<{ worker: WorkerId; station: StationId }>("WorkerAlreadyOnPost", {
  en: (f) => `worker ${f.worker} is already on post at station ${f.station}`,
  zh: (f) => `社工 ${f.worker} 已在社工站 ${f.station} 在岗`
})
export const WorkerNotOnPost = Rule.define<{ worker: WorkerId }>("WorkerNotOnPost", {
  en: (f) => `worker ${f.worker} is not on post`,
  zh: (f) => `社工 ${f.worker} 不在岗`
})
export const PostNotReserved = Rule.define<{ worker: WorkerId; station: StationId }>("PostNotReserved", {
  en: (f) => `no post of station ${f.station} is held for worker ${f.worker}: fill a post first`,
  zh: (f) => `社工站 ${f.station} 没有为社工 ${f.worker} 占用岗位，须先占岗`
})
export const WorkerNotOnPostAtStation = Rule.define<{ worker: WorkerId; station: StationId; date: Scalars.LocalDate }>(
  "WorkerNotOnPostAtStation",
  {
    en: (f) => `worker ${f.worker} was not on post at station ${f.station} on ${f.date}`,
    zh: (f) => `社工 ${f.worker} 于 ${f.date} 不在社工站 ${f.station} 在岗`
  }
)
export const StationNotActive = Rule.define<{ station: StationId; date: Scalars.LocalDate }>("StationNotActive", {
  en: (f) => `station ${f.station} is not active on ${f.date}: it is not established by then, or it is closed`,
  zh: (f) => `社工站 ${f.station} 于 ${f.date} 不在运行：当时尚未设立，或已撤销`
})
export const WorkerDateOutOfOrder = Rule.define<{
  field: string
  date: Scalars.LocalDate
  earliest: Scalars.LocalDate
}>("WorkerDateOutOfOrder", {
  en: (f) => `${f.field} ${f.date} is before ${f.earliest}, from the worker's earlier record`,
  zh: (f) => `${f.field} ${f.date} 早于该社工已登记的日期 ${f.earliest}`
})

type DecisionContext = Decider.DecisionContext

/**
 * What a worker decision knows besides the command: whether the station the worker is hired into or
 * transferred to lists them as holding one of its posts (the handler reads that station's quota stream).
 */
export interface WorkerContext extends DecisionContext {
  readonly postReserved: boolean
}

/**
 * What a quota decision knows besides the station's posts: the day the station was established, while the
 * stations context has it active now (the handler finds it by its id; see `findStation` there). Absent when
 * the station is unknown or closed: posts are allotted and filled only at an active station.
 */
export interface QuotaContext extends DecisionContext {
  readonly stationActiveSince?: Scalars.LocalDate
}

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

/**
 * "A worker acts only while on post, for a station": the check the deciders of other contexts (visits,
 * casework) make, given the station the worker was on post at that day as their handler read it with
 * `workerOnPost` (undefined when not on post at all).
 */
export const onPostAt = (
  worker: WorkerId,
  station: StationId,
  date: Scalars.LocalDate,
  onPost: StationId | undefined
): Result.Result<void, RuleViolation> =>
  onPost === station ? Result.void : Result.fail(WorkerNotOnPostAtStation({ worker, station, date }))

/** The station is active, and was established by `date`. */
const stationActiveOn = (
  station: StationId,
  date: Scalars.LocalDate,
  context: QuotaContext
): Result.Result<void, RuleViolation> =>
  context.stationActiveSince !== undefined && context.stationActiveSince <= date
    ? Result.void
    : Result.fail(StationNotActive({ station, date }))

const notBefore = (field: string, date: Scalars.LocalDate, earliest: Scalars.LocalDate) =>
  date < earliest ? Result.fail(WorkerDateOutOfOrder({ field, date, earliest })) : Result.succeed(date)

// ---- a station's posts --------------------------------------------------------------------------

/**
 * Raising or lowering the posts of an active station; never below the posts filled now. The same number
 * again records nothing.
 */
export const allotPosts = (cmd: Commands.AllotPosts, state: Quota, context: QuotaContext): Decision =>
  Result.gen(function* () {
    yield* notInFuture("allottedOn", cmd.allottedOn, context.now)
    if (cmd.posts < state.holders.size) {
      return yield* Result.fail(
        QuotaBelowFilledPosts({ station: cmd.station, posts: cmd.posts, filled: state.holders.size })
      )
    }
    if (cmd.posts === state.posts) return []
    yield* stationActiveOn(cmd.station, cmd.allottedOn, context)
    return [new PostsAllotted({ station: cmd.station, posts: cmd.posts, allottedOn: cmd.allottedOn })]
  })

/**
 * Takes an open post for the worker; if they hold one here already, nothing. Hires and transfers in pass
 * through here first, so "hired only at an active station" is decided here, for both.
 */
export const fillPost = (cmd: Commands.FillPost, state: Quota, context: QuotaContext): Decision =>
  Result.gen(function* () {
    if (state.holders.has(cmd.worker)) return []
    yield* notInFuture("filledOn", cmd.filledOn, context.now)
    yield* stationActiveOn(cmd.station, cmd.filledOn, context)
    if (state.holders.size >= state.posts) {
      return yield* Result.fail(NoOpenPost({ station: cmd.station, posts: state.posts, filled: state.holders.size }))
    }
    return [new PostFilled({ station: cmd.station, worker: cmd.worker, filledOn: cmd.filledOn })]
  })

/** Frees the worker's post; if they hold none here, nothing. */
export const vacatePost = (cmd: Commands.VacatePost, state: Quota, context: DecisionContext): Decision =>
  Result.gen(function* () {
    if (!state.holders.has(cmd.worker)) return []
    yield* notInFuture("vacatedOn", cmd.vacatedOn, context.now)
    return [new PostVacated({ station: cmd.station, worker: cmd.worker, vacatedOn: cmd.vacatedOn })]
  })

export const decideQuota = (command: Commands.QuotaCommand, state: Quota, context: QuotaContext): Decision => {
  switch (command._tag) {
    case "AllotPosts":
      return allotPosts(command, state, context)
    case "FillPost":
      return fillPost(command, state, context)
    case "VacatePost":
      return vacatePost(command, state, context)
  }
}

/** A station's posts ("post-quota" stream): where "hires ≤ posts" is decided. */
export const quotaDecider = Decider.make<Commands.QuotaCommand, Event, Quota, QuotaContext>({
  initialState: quotaInitial,
  evolve: evolveQuota,
  decide: decideQuota
})

// ---- a worker -----------------------------------------------------------------------------------

/** Hires onto a post the station holds for the worker; hired there already, nothing. Re-hiring after leaving is allowed. */
export const hireWorker = (cmd: Commands.HireWorker, state: State, context: WorkerContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "OnPost") {
      if (state.station === cmd.station) return []
      return yield* Result.fail(WorkerAlreadyOnPost({ worker: cmd.worker, station: state.station }))
    }
    yield* notInFuture("hiredOn", cmd.hiredOn, context.now)
    if (state._tag === "Left") yield* notBefore("hiredOn", cmd.hiredOn, nextDay(state.leftOn))
    if (!context.postReserved) return yield* Result.fail(PostNotReserved({ worker: cmd.worker, station: cmd.station }))
    return [
      new WorkerHired({
        worker: cmd.worker,
        name: cmd.name,
        station: cmd.station,
        hiredOn: cmd.hiredOn,
        ...(cmd.drive === undefined ? {} : { drive: cmd.drive })
      })
    ]
  })

/** Moves an on-post worker to a post the destination holds for them; there already, nothing. */
export const transferWorker = (cmd: Commands.TransferWorker, state: State, context: WorkerContext): Decision =>
  Result.gen(function* () {
    if (state._tag !== "OnPost") return yield* Result.fail(WorkerNotOnPost({ worker: cmd.worker }))
    if (state.station === cmd.to) return []
    yield* notInFuture("transferredOn", cmd.transferredOn, context.now)
    yield* notBefore("transferredOn", cmd.transferredOn, state.since)
    if (!context.postReserved) return yield* Result.fail(PostNotReserved({ worker: cmd.worker, station: cmd.to }))
    return [
      new WorkerTransferred({ worker: cmd.worker, from: state.station, to: cmd.to, transferredOn: cmd.transferredOn })
    ]
  })

/** Ends the worker's time on post; left already, nothing. */
export const endEmployment = (cmd: Commands.EndEmployment, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "Left") return []
    if (state._tag === "NotHired") return yield* Result.fail(WorkerNotOnPost({ worker: cmd.worker }))
    yield* notInFuture("leftOn", cmd.leftOn, context.now)
    yield* notBefore("leftOn", cmd.leftOn, state.since)
    return [
      new WorkerLeft({
        worker: cmd.worker,
        station: state.station,
        leftOn: cmd.leftOn,
        reason: cmd.reason,
        ...(cmd.note === undefined ? {} : { note: cmd.note })
      })
    ]
  })

export const decideWorker = (command: Commands.WorkerCommand, state: State, context: WorkerContext): Decision => {
  switch (command._tag) {
    case "HireWorker":
      return hireWorker(command, state, context)
    case "TransferWorker":
      return transferWorker(command, state, context)
    case "EndEmployment":
      return endEmployment(command, state, context)
  }
}

/** A worker ("worker" stream): on post, for which station, since when. */
export const workerDecider = Decider.make<Commands.WorkerCommand, Event, State, WorkerContext>({
  initialState: initial,
  evolve,
  decide: decideWorker
})
