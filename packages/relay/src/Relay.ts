import { headers, nanos } from "@nats-io/transport-node"
import { Backoff, type Envelope, EventStore, type EventStoreError } from "@shuangbai/eventsourcing"
import { Checkpoints, ProjectionRunner } from "@shuangbai/postgres"
import { Duration, Effect, Ref, type Schedule } from "effect"
import type { SqlClient } from "effect/sql"
import { call, isStreamNotFound, JetStreamClient } from "./JetStreamClient.ts"
import { RelayError } from "./RelayError.ts"
import * as Subjects from "./Subjects.ts"

/** Headers every message carries besides `Nats-Msg-Id` (the event id): enough to route without parsing. */
export const Header = {
  position: "Shuangbai-Position",
  type: "Shuangbai-Type",
  stream: "Shuangbai-Stream",
  tenant: "Shuangbai-Tenant"
} as const

export interface Options {
  readonly tenant: Envelope.Tenant
  /** The JetStream stream (created when missing). Default `SHUANGBAI`. */
  readonly stream?: string
  /** Subjects are `<prefix>.<tenant token>` (see Subjects). Default `shuangbai`. */
  readonly subjectPrefix?: string
  /** The checkpoint's name in the store's database. Default `relay:<stream>`. */
  readonly checkpoint?: string
  /** Events published between two checkpoint saves (default 500). */
  readonly pageSize?: number
  /** How long the broker remembers a message id to drop repeats (default 2 minutes). */
  readonly duplicateWindow?: Duration.Input
  /** Waits between retries of a publish the broker did not answer. Default: `Backoff.reconnect` (jittered exponential from 100 ms, capped at 5 s, forever). */
  readonly retry?: Schedule.Schedule<unknown, RelayError>
  /** Called after each acknowledged publish (progress, metrics). */
  readonly onPublished?: (event: Envelope.StoredEvent, ack: Ack) => Effect.Effect<void>
}

/** The broker's answer: where the message sits in the stream, or that it was a repeat it dropped. */
export interface Ack {
  readonly seq: number
  readonly duplicate: boolean
}

/** The store's reconnect schedule: a broker is retried as the database is. */
export const defaultRetry: Schedule.Schedule<unknown, RelayError> = Backoff.reconnect

interface Resolved {
  readonly tenant: string
  readonly stream: string
  readonly subject: string
  readonly prefix: string
  readonly checkpoint: string
}

const resolve = (options: Options): Effect.Effect<Resolved, RelayError> => {
  const stream = options.stream ?? "SHUANGBAI"
  const prefix = options.subjectPrefix ?? "shuangbai"
  const problem = Subjects.checkStreamName(stream) ?? Subjects.checkPrefix(prefix)
  if (problem !== undefined) return Effect.fail(new RelayError({ reason: "InvalidRequest", message: problem }))
  return Effect.succeed({
    tenant: options.tenant,
    stream,
    prefix,
    subject: Subjects.forTenant(prefix, options.tenant),
    checkpoint: options.checkpoint ?? `relay:${stream}`
  })
}

/**
 * Creates the stream when it is missing; an existing stream must take the relay's subjects (the relay
 * never rewrites a stream someone else configured).
 */
export const ensureStream = (options: Options): Effect.Effect<void, RelayError, JetStreamClient> =>
  Effect.gen(function* () {
    const { stream, prefix } = yield* resolve(options)
    const { manager } = yield* JetStreamClient
    const wanted = Subjects.all(prefix)
    const info = yield* call(`look up stream ${stream}`, () =>
      manager.streams.info(stream).catch((e) => (isStreamNotFound(e) ? undefined : Promise.reject(e)))
    )
    if (info === undefined) {
      yield* call(`create stream ${stream}`, () =>
        manager.streams.add({
          name: stream,
          subjects: [wanted],
          duplicate_window: nanos(Duration.toMillis(Duration.fromInputUnsafe(options.duplicateWindow ?? "2 minutes")))
        })
      )
      return
    }
    if (!info.config.subjects?.includes(wanted))
      return yield* new RelayError({
        reason: "Rejected",
        message: `stream ${stream} takes ${JSON.stringify(info.config.subjects ?? [])}, not ${wanted}; choose another subjectPrefix or stream`
      })
  })

const messageHeaders = (event: Envelope.StoredEvent) => {
  const h = headers()
  h.set(Header.position, String(event.position))
  h.set(Header.type, event.type)
  h.set(Header.stream, `${event.stream.category}/${event.stream.id}`)
  h.set(Header.tenant, event.tenant)
  return h
}

/** Publishes one event and waits for the broker's ack; the event id is the message id, so a repeat is dropped. */
export const publish = (
  options: Options,
  event: Envelope.StoredEvent
): Effect.Effect<Ack, RelayError, JetStreamClient> =>
  Effect.gen(function* () {
    const { subject } = yield* resolve(options)
    const { jetstream } = yield* JetStreamClient
    const payload = JSON.stringify(event)
    const once = call(`publish event ${event.position} of ${event.tenant} to ${subject}`, () =>
      jetstream.publish(subject, payload, { msgID: event.eventId, headers: messageHeaders(event) })
    )
    const ack = yield* once.pipe(
      Effect.tapError((e) => (e.isRetryable ? Effect.logWarning(`${e.message}; retrying`) : Effect.void)),
      Effect.retry({ while: (e) => e.isRetryable, schedule: options.retry ?? defaultRetry })
    )
    return { seq: ack.seq, duplicate: ack.duplicate }
  })

/** The tenant's last message on the broker: its position and event id. */
export interface Published {
  readonly position: number
  readonly eventId: string
}

/**
 * The tenant's last message on the broker, undefined when it has none. Events are published one at a
 * time, each after the previous ack, so every position up to this one is on the broker.
 */
export const lastPublished = (options: Options): Effect.Effect<Published | undefined, RelayError, JetStreamClient> =>
  Effect.gen(function* () {
    const { stream, subject } = yield* resolve(options)
    const { manager } = yield* JetStreamClient
    const last = yield* call(`read the last message of ${subject}`, () =>
      manager.streams.getMessage(stream, { last_by_subj: subject })
    )
    if (last === null) return undefined
    return { position: Number(last.header.get(Header.position) || 0), eventId: last.header.get("Nats-Msg-Id") }
  })

type Requirements = EventStore.EventStore | Checkpoints.Checkpoints | SqlClient.SqlClient | JetStreamClient

/**
 * Moves the checkpoint up to what the broker already holds: after a crash between an ack and the
 * checkpoint save, nothing is sent again, even past the broker's duplicate window. The broker's last
 * message must be the store's event at that position: a stream filled from another log (a database
 * restored or re-seeded) is refused rather than silently skipped over.
 */
const resume = (resolved: Resolved, options: Options) =>
  Effect.gen(function* () {
    const checkpoints = yield* Checkpoints.Checkpoints
    const store = yield* EventStore.EventStore
    const saved = yield* checkpoints.load(resolved.tenant, resolved.checkpoint)
    const onBroker = yield* lastPublished(options)
    if (onBroker === undefined) return saved
    const [stored] = yield* store.readAll(resolved.tenant, { after: onBroker.position - 1, limit: 1 })
    if (stored === undefined || stored.position !== onBroker.position || stored.eventId !== onBroker.eventId)
      return yield* new RelayError({
        reason: "Rejected",
        message: `stream ${resolved.stream} holds event ${onBroker.eventId} at position ${onBroker.position} of ${resolved.tenant}, but the store has ${stored?.position === onBroker.position ? stored.eventId : "no event"} there: the stream was filled from another log; relay to another stream (options.stream) or delete this one`
      })
    if (onBroker.position > saved) yield* checkpoints.save(resolved.tenant, resolved.checkpoint, onBroker.position)
    return Math.max(saved, onBroker.position)
  })

const relayWith = <A, E>(
  options: Options,
  runner: (
    runnerOptions: ProjectionRunner.Options<RelayError, JetStreamClient>
  ) => Effect.Effect<A, E | RelayError | EventStoreError, Requirements>
): Effect.Effect<A, E | RelayError | EventStoreError, Requirements> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(options)
    const checkpoints = yield* Checkpoints.Checkpoints
    yield* ensureStream(options)
    const acked = yield* Ref.make(yield* resume(resolved, options))
    const handle = (event: Envelope.StoredEvent) =>
      Effect.gen(function* () {
        const ack = yield* publish(options, event)
        yield* Ref.set(acked, event.position)
        if (options.onPublished !== undefined) yield* options.onPublished(event, ack)
      })
    return yield* runner({
      name: resolved.checkpoint,
      tenant: resolved.tenant,
      handle,
      // The broker is not in the database: the checkpoint is saved after each page's acks.
      transactional: false,
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize })
    }).pipe(
      // Stopped mid-page: keep what the broker acknowledged, so a restart sends none of it again.
      Effect.onInterrupt(() =>
        Effect.flatMap(Ref.get(acked), (position) =>
          Effect.ignore(
            Effect.flatMap(checkpoints.load(resolved.tenant, resolved.checkpoint), (saved) =>
              position > saved ? checkpoints.save(resolved.tenant, resolved.checkpoint, position) : Effect.void
            )
          )
        )
      )
    )
  })

/**
 * Publishes the tenant's log from the checkpoint, then follows new events live; never ends on its own.
 * Interrupt it to stop: what was acknowledged is checkpointed, and releasing the JetStreamClient layer
 * drains the connection.
 */
export const run = (options: Options): Effect.Effect<never, RelayError | EventStoreError, Requirements> =>
  relayWith(options, ProjectionRunner.run)

/** Publishes every event up to the tenant's head as it is now; returns the position reached. */
export const catchUp = (options: Options): Effect.Effect<number, RelayError | EventStoreError, Requirements> =>
  relayWith(options, ProjectionRunner.catchUp)
