import { Result, Schema } from "effect"
import type { StoredEvent } from "./Envelope.ts"
import { InvalidEvent, issuesOf, UnknownEventType } from "./Errors.ts"
import { compileEvent, unsure } from "./internal/fastDecode.ts"
import type { Recorded } from "./Recorded.ts"

/** Event classes by their stored type name (the class's `_tag`). Never rename a stored tag. */
export type EventSchemas = Record<string, Schema.Codec<{ readonly _tag: string }, any, never, never>>

export type EventOf<M extends EventSchemas> = M[keyof M]["Type"]

/** Turns a stored payload of an older schema version into the next version's shape. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>

export interface Versioning {
  /** The schema version written today. */
  readonly current: number
  /** `upcast[n]` turns version n into n + 1. */
  readonly upcast: Readonly<Record<number, Upcaster>>
}

export interface EventCodec<E extends { readonly _tag: string }> {
  /** The stored types it reads and writes: its events' tags. */
  readonly types: ReadonlyArray<E["_tag"]>
  readonly schemaVersion: (type: string) => number
  readonly encode: (event: E) => { readonly type: string; readonly schemaVersion: number; readonly data: unknown }
  readonly decode: (stored: StoredEvent) => Result.Result<Recorded<E>, UnknownEventType | InvalidEvent>
}

/** A codec made from event classes, with those classes as one Schema union (a context's `Events.Event`). */
export interface ClassCodec<M extends EventSchemas> extends EventCodec<EventOf<M>> {
  /** The event classes, in the order given to `make`. */
  readonly union: Schema.Union<ReadonlyArray<M[keyof M]>>
}

export const make = <M extends EventSchemas>(
  schemas: M,
  versioning: { readonly [K in keyof M]?: Versioning } = {}
): ClassCodec<M> => {
  const types: ReadonlyArray<EventOf<M>["_tag"]> = Object.keys(schemas)
  const decoders = new Map(types.map((t) => [t, Schema.decodeUnknownResult(schemas[t]!)]))
  // A valid payload is read by a validator compiled from the Schema (internal/fastDecode.ts), with the same
  // result as the decoder; an invalid one, or a Schema it cannot compile, goes to the decoder itself.
  const fast = new Map(types.map((t) => [t, compileEvent(schemas[t]!)]))
  const encoders = new Map(types.map((t) => [t, Schema.encodeSync(schemas[t]!)]))
  const versionOf = (type: string) => versioning[type]?.current ?? 1

  return {
    types,
    union: Schema.Union(types.map((t) => schemas[t as keyof M]!)),
    schemaVersion: versionOf,
    encode: (event) => {
      const encoder = encoders.get(event._tag)
      if (encoder === undefined) throw new Error(`event type ${event._tag} is not in this codec`)
      const { _tag, ...data } = encoder(event) as { _tag: string }
      return { type: _tag, schemaVersion: versionOf(_tag), data }
    },
    decode: (stored) => {
      const decoder = decoders.get(stored.type)
      const current = versionOf(stored.type)
      const unknown = () =>
        new UnknownEventType({
          type: stored.type,
          schemaVersion: stored.schemaVersion,
          eventId: stored.eventId,
          position: stored.position
        })
      if (decoder === undefined || stored.schemaVersion > current || stored.schemaVersion < 1)
        return Result.fail(unknown())
      if (stored.data === null || typeof stored.data !== "object" || Array.isArray(stored.data)) {
        return Result.fail(
          new InvalidEvent({
            type: stored.type,
            schemaVersion: stored.schemaVersion,
            eventId: stored.eventId,
            position: stored.position,
            issues: [{ path: "", message: "payload is not a JSON object" }]
          })
        )
      }
      let data = stored.data as Record<string, unknown>
      for (let v = stored.schemaVersion; v < current; v++) {
        const up = versioning[stored.type]?.upcast[v]
        if (up === undefined) return Result.fail(unknown())
        data = up(data)
      }
      const quick = fast.get(stored.type)?.(data, stored.type) ?? unsure
      if (quick !== unsure) return Result.succeed(recordedOf(stored, quick as EventOf<M>))
      const decoded = decoder({ ...data, _tag: stored.type })
      if (Result.isFailure(decoded)) {
        return Result.fail(
          new InvalidEvent({
            type: stored.type,
            schemaVersion: stored.schemaVersion,
            eventId: stored.eventId,
            position: stored.position,
            issues: issuesOf(decoded.failure.issue)
          })
        )
      }
      return Result.succeed(recordedOf(stored, decoded.success as EventOf<M>))
    }
  }
}

/** The envelope of a stored event with its decoded payload (field by field: a replay does this per event). */
const recordedOf = <E>(stored: StoredEvent, event: E): Recorded<E> => ({
  eventId: stored.eventId,
  tenant: stored.tenant,
  stream: stored.stream,
  version: stored.version,
  position: stored.position,
  type: stored.type,
  schemaVersion: stored.schemaVersion,
  occurredAt: stored.occurredAt,
  recordedAt: stored.recordedAt,
  actor: stored.actor,
  commandId: stored.commandId,
  correlationId: stored.correlationId,
  causationId: stored.causationId,
  subjects: stored.subjects,
  prevHash: stored.prevHash,
  hash: stored.hash,
  event
})

type CodecEvent<C> = C extends EventCodec<infer E> ? E : never

/**
 * One codec over several: each stored type is read by the codec that owns it. Types must be unique across
 * the codecs; a type owned twice is a programming error, thrown when the combined codec is built (at module
 * load), never discovered on a read.
 */
export const combine = <const Codecs extends ReadonlyArray<EventCodec<any>>>(
  ...codecs: Codecs
): EventCodec<CodecEvent<Codecs[number]>> => {
  const owners = new Map<string, EventCodec<any>>()
  for (const codec of codecs) {
    for (const type of codec.types) {
      if (owners.has(type)) throw new Error(`event type ${type} is owned by two of the combined codecs`)
      owners.set(type, codec)
    }
  }
  const types = [...owners.keys()]
  return {
    types,
    schemaVersion: (type) => owners.get(type)?.schemaVersion(type) ?? 1,
    encode: (event) => {
      const owner = owners.get(event._tag)
      if (owner === undefined) throw new Error(`event type ${event._tag} is not in this codec`)
      return owner.encode(event)
    },
    decode: (stored) => {
      const owner = owners.get(stored.type)
      if (owner === undefined) {
        return Result.fail(
          new UnknownEventType({
            type: stored.type,
            schemaVersion: stored.schemaVersion,
            eventId: stored.eventId,
            position: stored.position
          })
        )
      }
      return owner.decode(stored)
    }
  }
}
