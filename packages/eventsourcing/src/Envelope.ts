import { Schema } from "effect"
import { Id, Instant } from "./Scalars.ts"
import { StreamId } from "./StreamId.ts"

/** A county bureau (or any host-app tenant): every key of the store starts with it. */
export const Tenant = Id
export type Tenant = typeof Tenant.Type

export const EventId = Schema.String.check(Schema.isUUID(7))
export type EventId = typeof EventId.Type

/** Who did it: the person, the role they acted in and, for station staff, the station. */
export const Actor = Schema.Struct({
  id: Id,
  role: Id,
  station: Schema.optionalKey(Id)
})
export type Actor = typeof Actor.Type

export const Version = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
export const Position = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** What the caller of `append` says about the request as a whole. */
export const AppendContext = Schema.Struct({
  actor: Actor,
  commandId: Id,
  correlationId: Id,
  causationId: Id
})
export type AppendContext = typeof AppendContext.Type

/** An event as a writer hands it to the store: the payload is already encoded to JSON-safe data. */
export const NewEvent = Schema.Struct({
  eventId: EventId,
  type: Id,
  schemaVersion: Version,
  data: Schema.Unknown,
  occurredAt: Instant,
  subjects: Schema.Array(Id),
  /**
   * The payload's personal fields and whose each is (`Personal.locate`): the store seals them under their
   * subjects' keys before anything is written (Sealing.ts). A store not made with keys refuses the event.
   */
  personal: Schema.optionalKey(Schema.Array(Schema.Struct({ path: Schema.Array(Schema.String), subject: Id })))
})
export type NewEvent = typeof NewEvent.Type

/** The stored envelope: everything an auditor needs to know who did what, when, and in which order. */
export const StoredEvent = Schema.Struct({
  eventId: EventId,
  tenant: Tenant,
  stream: StreamId,
  version: Version,
  position: Position,
  type: Id,
  schemaVersion: Version,
  data: Schema.Unknown,
  occurredAt: Instant,
  recordedAt: Instant,
  actor: Actor,
  commandId: Id,
  correlationId: Id,
  causationId: Id,
  subjects: Schema.Array(Id),
  prevHash: Schema.String,
  hash: Schema.String
})
export type StoredEvent = typeof StoredEvent.Type
