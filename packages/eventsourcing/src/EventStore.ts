import { Context, Effect, Layer, type Stream } from "effect"
import type { AppendContext, NewEvent, StoredEvent, Tenant } from "./Envelope.ts"
import type { ConcurrencyConflict, EventStoreError, IdempotencyMismatch, StreamNotFound } from "./Errors.ts"
import type { ExpectedVersion } from "./ExpectedVersion.ts"
import * as MemoryStore from "./internal/memoryStore.ts"
import { traced as tracedStore } from "./internal/traced.ts"
import { verifyingReads } from "./internal/verifyingReads.ts"
import type { Instant } from "./Scalars.ts"
import * as Sealing from "./Sealing.ts"
import type { StreamId } from "./StreamId.ts"
import type { SubjectKeysShape } from "./SubjectKeys.ts"
import * as SubjectKeys from "./SubjectKeys.ts"

export interface AppendRequest {
  readonly tenant: Tenant
  readonly stream: StreamId
  readonly expected: ExpectedVersion
  readonly events: ReadonlyArray<NewEvent>
  readonly context: AppendContext
}

export interface AppendResult {
  /** The envelopes as stored, in order. */
  readonly events: ReadonlyArray<StoredEvent>
  /** The stream's version after the append. */
  readonly version: number
  /** True when this commandId had been recorded already: the first result is returned and nothing is written. */
  readonly duplicate: boolean
}

export interface ReadStreamOptions {
  /** Only events with `version >= fromVersion`. */
  readonly fromVersion?: number
  /** The stream as it stood when the tenant's log ended at this position. */
  readonly asOfPosition?: number
  /** The stream as it stood at this store time (`recordedAt <= asOfTime`). */
  readonly asOfTime?: Instant
}

export interface PageOptions {
  /** Exclusive: events with `position > after`. 0 reads from the start. */
  readonly after: number
  readonly limit: number
}

export interface ReadAllOptions extends PageOptions {
  /**
   * Only events of these types (`StoredEvent.type`), as a projection declares them (`Projection.types`);
   * the others are passed over by the store and do not count against `limit`. A filtered page does not
   * tell how far it read: bound it with `through` (the head read before) to move a cursor past the events
   * passed over, as `Subscription.readPage` does.
   */
  readonly types?: ReadonlyArray<string> | undefined
  /** Inclusive: only events with `position <= through`. */
  readonly through?: number | undefined
}

export interface SubscribeOptions {
  /** Exclusive: events with `position > after`. */
  readonly after: number
  /** Only events of these types (see `ReadAllOptions.types`). */
  readonly types?: ReadonlyArray<string> | undefined
}

export interface Head {
  /** The tenant's last position, 0 when it has no events. */
  readonly position: number
  /** That event's hash, the chain's genesis when there is none. */
  readonly hash: string
}

/**
 * The port every store implements. The guarantees (docs/postgres.md, "Guarantees") are the same for all of them:
 * per-tenant positions are gapless and in commit order, so a reader that has seen position n has seen
 * everything before it; subscribers never skip or repeat; a rejected append leaves the store as it was.
 */
export interface EventStoreShape {
  readonly append: (
    request: AppendRequest
  ) => Effect.Effect<AppendResult, ConcurrencyConflict | IdempotencyMismatch | EventStoreError>
  /** A stream forward by version. Fails with StreamNotFound if it has no events (at the given point in time). */
  readonly readStream: (
    tenant: Tenant,
    stream: StreamId,
    options?: ReadStreamOptions
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, StreamNotFound | EventStoreError>
  /** The tenant's whole log by position, a page at a time (of some event types only, if asked). */
  readonly readAll: (
    tenant: Tenant,
    options: ReadAllOptions
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError>
  /** Every event that names this subject (a household or person), in position order. */
  readonly readSubject: (
    tenant: Tenant,
    subject: string,
    options: PageOptions
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError>
  /** The events a command wrote, if it was recorded: how a retried command finds its first result. */
  readonly readCommand: (
    tenant: Tenant,
    commandId: string
  ) => Effect.Effect<ReadonlyArray<StoredEvent> | undefined, EventStoreError>
  readonly head: (tenant: Tenant) => Effect.Effect<Head, EventStoreError>
  /** Catches up from `after`, then follows new events live (of some event types only, if asked). Never ends on its own. */
  readonly subscribe: (tenant: Tenant, options: SubscribeOptions) => Stream.Stream<StoredEvent, EventStoreError>
}

export class EventStore extends Context.Service<EventStore, EventStoreShape>()("@shuangbai/eventsourcing/EventStore") {}

export interface MemoryOptions {
  /** Largest encoded event payload accepted, in bytes (default 1 MiB, as the Postgres store). */
  readonly maxEventBytes?: number
  /** Check every event read against its hash (`Audit.verifyingReads`); default off. */
  readonly verifyReads?: boolean
}

/** An in-memory store with every guarantee of the port, and its subject keys. */
export const makeMemoryWithKeys = (
  options?: MemoryOptions
): Effect.Effect<{ readonly store: EventStoreShape; readonly keys: SubjectKeysShape }> =>
  Effect.map(MemoryStore.make(options), ({ store, rewrite }) => {
    const keys = SubjectKeys.makeMemory(rewrite)
    const opened = Sealing.sealed(store, keys)
    return { store: tracedStore(options?.verifyReads === true ? verifyingReads(opened) : opened), keys }
  })

/** An in-memory store with every guarantee of the port. For tests, examples and embedding. */
export const makeMemory = (options?: MemoryOptions): Effect.Effect<EventStoreShape> =>
  Effect.map(makeMemoryWithKeys(options), ({ store }) => store)

/**
 * The store with every call in a span `EventStore.<method>` carrying the tenant, stream and command id
 * where the call has them. Both stores apply it; a store built on the port applies it once, outermost.
 */
export const traced: (store: EventStoreShape) => EventStoreShape = tracedStore

/** The in-memory store with its `SubjectKeys` (for `Erasure.erase`). */
export const layerMemoryWith = (options: MemoryOptions): Layer.Layer<EventStore | SubjectKeys.SubjectKeys> =>
  Layer.effectContext(
    Effect.map(makeMemoryWithKeys(options), ({ store, keys }) =>
      Context.make(EventStore, store).pipe(Context.add(SubjectKeys.SubjectKeys, keys))
    )
  )

export const layerMemory: Layer.Layer<EventStore | SubjectKeys.SubjectKeys> = layerMemoryWith({})
