import {
  CommandHandler,
  type Decider,
  type Envelope,
  EventStore,
  type IdGenerator,
  type Scalars
} from "@shuangbai/eventsourcing"
import { Clock, Effect, Result, Schema } from "effect"
import { occurredAtOf } from "../shared/Dates.ts"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import { findStation } from "../stations/Handler.ts"
import * as Commands from "./Commands.ts"
import { type QuotaContext, quotaDecider, type WorkerContext, workerDecider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import { type Quota, type State, stationOn } from "./State.ts"
import { quotaStreamOf, streamOf } from "./Stream.ts"

/*
 * Why two streams, and in which order they are written.
 *
 * "Hires ≤ posts" concerns every worker of a station, "a worker is on post at one station" concerns one
 * worker; a store appends atomically to one stream only. So the station's post-quota stream is the
 * consistency boundary for the posts: a hire or a transfer in first fills a post there (FillPost is
 * decided against the quota's own count of filled posts and appended with the version it read; a
 * concurrent hire that read the same version gets a ConcurrencyConflict, decides again on the new
 * count and is refused with NoOpenPost when the last post went). Only then is the worker's own event
 * recorded, and the worker decider refuses a hire or transfer unless the quota lists the worker as
 * holding a post there (PostNotReserved). Leaving and transferring out free the post after the
 * worker's event. So the quota never holds fewer posts than workers on post: at worst, for the length
 * of one command, a post is held for a worker not yet recorded as hired.
 *
 * Each step has its own idempotency key derived from the command's (`<commandId>:fill-post`,
 * `:release-post`, `:undo-fill`): sending a command again after a crash between steps finishes it
 * without doing any step twice. A hire whose worker step is refused after its post was filled (a
 * concurrent command changed the worker) gives the post back before failing.
 *
 * Posts are allotted and filled only at a station the stations context has active (StationNotActive):
 * the quota's context reads it (`findStation`, by the station's id, over the county's townships).
 */

const occurredAt = occurredAtOf(dateOf)

const subjects = (event: Event): ReadonlyArray<string> => ("worker" in event ? [event.worker] : [])

// ---- loaders other contexts call ----------------------------------------------------------------

export const loadQuota = (
  tenant: Envelope.Tenant,
  station: StationId
): Effect.Effect<Quota, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(CommandHandler.load(tenant, quotaStreamOf(station), quotaDecider, codec), (loaded) => loaded.state)

export const loadWorker = (
  tenant: Envelope.Tenant,
  worker: WorkerId
): Effect.Effect<State, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(CommandHandler.load(tenant, streamOf(worker), workerDecider, codec), (loaded) => loaded.state)

/**
 * The station a worker was on post for on a day, or undefined. For the context loaders of visits,
 * training and casework: "a worker acts only while on post, for a station".
 */
export const workerOnPost = (
  tenant: Envelope.Tenant,
  worker: WorkerId,
  date: Scalars.LocalDate
): Effect.Effect<StationId | undefined, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(loadWorker(tenant, worker), (state) => stationOn(state, date))

/**
 * Where each of `workers` was on post on a day, as the `onPost` map decisions read (a worker not on post
 * that day is absent).
 */
export const workersOnPost = (
  tenant: Envelope.Tenant,
  workers: Iterable<WorkerId>,
  date: Scalars.LocalDate
): Effect.Effect<ReadonlyMap<WorkerId, StationId>, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(
    Effect.forEach(
      new Set(workers),
      (worker) => Effect.map(workerOnPost(tenant, worker, date), (s) => [worker, s] as const),
      {
        concurrency: 8
      }
    ),
    (found) =>
      new Map(found.flatMap(([worker, station]) => (station === undefined ? [] : [[worker, station] as const])))
  )

/** Whether the station's quota lists the worker as holding one of its posts. */
export const postHeld = (
  tenant: Envelope.Tenant,
  station: StationId,
  worker: WorkerId
): Effect.Effect<boolean, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(loadQuota(tenant, station), (quota) => quota.holders.has(worker))

/**
 * What a quota decision needs from the stations context: the day the station was established, while it
 * is active. Allotting and filling read it; vacating a post needs nothing (a closed station's workers
 * still leave or move on).
 */
export const loadQuotaContext = (
  command: Commands.QuotaCommand,
  _state: Quota,
  base: Decider.DecisionContext
): Effect.Effect<QuotaContext, CommandHandler.LoadError, EventStore.EventStore> => {
  switch (command._tag) {
    case "AllotPosts":
    case "FillPost":
      return Effect.map(
        findStation(base.tenant, command.station),
        (found): QuotaContext =>
          found?._tag === "Active" ? { ...base, stationActiveSince: found.station.establishedOn } : base
      )
    case "VacatePost":
      return Effect.succeed(base)
  }
}

export const loadWorkerContext = (
  command: Commands.WorkerCommand,
  _state: State,
  base: Decider.DecisionContext
): Effect.Effect<WorkerContext, CommandHandler.LoadError, EventStore.EventStore> => {
  switch (command._tag) {
    case "HireWorker":
      return Effect.map(postHeld(base.tenant, command.station, command.worker), (postReserved) => ({
        ...base,
        postReserved
      }))
    case "TransferWorker":
      return Effect.map(postHeld(base.tenant, command.to, command.worker), (postReserved) => ({
        ...base,
        postReserved
      }))
    case "EndEmployment":
      return Effect.succeed({ ...base, postReserved: false })
  }
}

// ---- one stream each ----------------------------------------------------------------------------

/**
 * A station's post-quota stream. Retried more than the default: every hire and transfer of the station
 * passes through it, and a conflict there is expected under load, not a fault.
 */
export const quotaDefinition: CommandHandler.Definition<
  Commands.QuotaCommand,
  typeof Commands.QuotaCommand.Encoded,
  Event,
  Quota,
  QuotaContext,
  CommandHandler.LoadError,
  EventStore.EventStore
> = {
  command: Commands.QuotaCommand,
  decider: quotaDecider,
  codec,
  stream: (command) => quotaStreamOf(command.station),
  subjects,
  occurredAt,
  loadContext: loadQuotaContext,
  maxAttempts: 20
}

export const handleQuota: CommandHandler.Handle<
  typeof Commands.QuotaCommand.Encoded,
  Quota,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(quotaDefinition)

/** A worker's stream alone. Hosts send worker commands through `handle`, which fills and frees the posts. */
export const workerDefinition: CommandHandler.Definition<
  Commands.WorkerCommand,
  typeof Commands.WorkerCommand.Encoded,
  Event,
  State,
  WorkerContext,
  CommandHandler.LoadError,
  EventStore.EventStore
> = {
  command: Commands.WorkerCommand,
  decider: workerDecider,
  codec,
  stream: (command) => streamOf(command.worker),
  subjects,
  occurredAt,
  loadContext: loadWorkerContext
}

export const handleWorker: CommandHandler.Handle<
  typeof Commands.WorkerCommand.Encoded,
  State,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(workerDefinition)

// ---- the commands a host sends ------------------------------------------------------------------

// cyrb53: a small, well-spread 53-bit string hash, enough to tell long command ids apart.
const hash53 = (text: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

/** `<commandId>:<step>`, kept within the 128 characters of an id: a long commandId is cut and hashed. */
export const stepId = (commandId: string, step: string): string => {
  const id = `${commandId}:${step}`
  return id.length <= 128 ? id : `${commandId.slice(0, 128 - step.length - 13)}~${hash53(commandId)}:${step}`
}

const stepOf = (metadata: CommandHandler.CommandMetadata, step: string): CommandHandler.CommandMetadata => ({
  actor: metadata.actor,
  commandId: stepId(metadata.commandId, step),
  correlationId: metadata.correlationId ?? metadata.commandId,
  causationId: metadata.commandId
})

const decodeCommand = CommandHandler.decodeCommand(Commands.Command)
const encodeQuota = Schema.encodeSync(Commands.QuotaCommand)
const encodeWorker = Schema.encodeSync(Commands.WorkerCommand)

/** The worker events a handled worker command recorded (or had recorded, for a repeated commandId). */
const workerEvents = (events: ReadonlyArray<Envelope.StoredEvent>): ReadonlyArray<Event> =>
  events.flatMap((stored) => {
    const decoded = codec.decode(stored)
    return Result.isSuccess(decoded) ? [decoded.success.event] : []
  })

type HandleError = CommandHandler.HandleError | CommandHandler.LoadError
type Services = EventStore.EventStore | IdGenerator.IdGenerator

/** Frees the worker's post at the station (nothing when they hold none there), as one step of a command. */
const vacate = (
  tenant: Envelope.Tenant,
  post: { readonly station: StationId; readonly worker: WorkerId; readonly on: Scalars.LocalDate },
  metadata: CommandHandler.CommandMetadata,
  step: string
): Effect.Effect<void, HandleError, Services> =>
  Effect.asVoid(
    handleQuota(
      tenant,
      encodeQuota(new Commands.VacatePost({ station: post.station, worker: post.worker, vacatedOn: post.on })),
      stepOf(metadata, step)
    )
  )

/** The hire or transfer in: fill the post first, then record the worker; undo the fill if the worker refuses. */
const withPostFilled = (
  tenant: Envelope.Tenant,
  command: Commands.HireWorker | Commands.TransferWorker,
  station: StationId,
  on: Scalars.LocalDate,
  metadata: CommandHandler.CommandMetadata
): Effect.Effect<CommandHandler.Handled<State>, HandleError, Services> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    let filled = false
    if ((yield* store.readCommand(tenant, metadata.commandId)) === undefined) {
      // Refuse early, on the worker's own rules, before taking a post for them.
      const worker = yield* loadWorker(tenant, command.worker)
      const now = yield* Clock.currentTimeMillis
      const dry = workerDecider.decide(command, worker, { tenant, actor: metadata.actor, now, postReserved: true })
      if (Result.isFailure(dry)) return yield* Effect.fail(dry.failure)
      if (dry.success.length > 0) {
        const fill = new Commands.FillPost({ station, worker: command.worker, filledOn: on })
        const result = yield* handleQuota(tenant, encodeQuota(fill), stepOf(metadata, "fill-post"))
        filled = result.events.length > 0
      }
    }
    return yield* handleWorker(tenant, encodeWorker(command), metadata).pipe(
      Effect.tapError(
        (error): Effect.Effect<void, HandleError, Services> =>
          filled && error._tag === "RuleViolation"
            ? vacate(tenant, { station, worker: command.worker, on }, metadata, "undo-fill")
            : Effect.void
      )
    )
  })

/** After a transfer out or leaving is recorded on the worker, the post it held is freed. */
const releasePosts = (
  tenant: Envelope.Tenant,
  handled: CommandHandler.Handled<State>,
  metadata: CommandHandler.CommandMetadata
): Effect.Effect<void, HandleError, Services> =>
  Effect.forEach(
    workerEvents(handled.events),
    (event): Effect.Effect<void, HandleError, Services> => {
      switch (event._tag) {
        case "WorkerTransferred":
          return vacate(
            tenant,
            { station: event.from, worker: event.worker, on: event.transferredOn },
            metadata,
            "release-post"
          )
        case "WorkerLeft":
          return vacate(
            tenant,
            { station: event.station, worker: event.worker, on: event.leftOn },
            metadata,
            "release-post"
          )
        default:
          return Effect.void
      }
    },
    { discard: true }
  )

/**
 * Sends a workforce command: `handle(tenant, { _tag: "HireWorker", … }, { actor, commandId })`.
 * Posts go to the station's quota stream; worker commands run their steps over both streams (see above).
 */
export const handle: CommandHandler.Handle<
  typeof Commands.Command.Encoded,
  State | Quota,
  CommandHandler.LoadError,
  EventStore.EventStore
> = (tenant, input, metadata) =>
  Effect.gen(function* () {
    const command = yield* decodeCommand(input)
    switch (command._tag) {
      case "AllotPosts":
        return yield* handleQuota(tenant, encodeQuota(command), metadata)
      case "HireWorker":
        return yield* withPostFilled(tenant, command, command.station, command.hiredOn, metadata)
      case "TransferWorker": {
        const handled = yield* withPostFilled(tenant, command, command.to, command.transferredOn, metadata)
        yield* releasePosts(tenant, handled, metadata)
        return handled
      }
      case "EndEmployment": {
        const handled = yield* handleWorker(tenant, encodeWorker(command), metadata)
        yield* releasePosts(tenant, handled, metadata)
        return handled
      }
    }
  })
