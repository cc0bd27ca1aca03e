import { Result, Schema } from "effect"
import type { StoredEvent } from "./Envelope.ts"
import { InvalidEvent, issuesOf, UnknownEventType } from "./Errors.ts"
import { compileEvent, unsure } from "./internal/fastDecode.ts"
import * as Personal from "./Personal.ts"
import type { Recorded } from "./Recorded.ts"
import { isSealed, openedOf } from "./Sealing.ts"

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
  /** The personal fields of an event type (`Personal.field` marks), read once at `make`. */
  readonly personal: (type: string) => ReadonlyArray<Personal.Path>
  readonly encode: (event: E) => { readonly type: string; readonly schemaVersion: number; readonly data: unknown }
  readonly decode: (stored: StoredEvent) => Result.Result<Recorded<E>, UnknownEventType | InvalidEvent>
}

/** A codec made from event classes, with those classes as one Schema union (a context's `Events.Event`). */
export interface ClassCodec<M extends EventSchemas> extends EventCodec<EventOf<M>> {
  /** The event classes, in the order given to `make`. */
  readonly union: Schema.Union<ReadonlyArray<M[keyof M]>>
}

type Decode<E extends { readonly _tag: string }> = EventCodec<E>["decode"]

// Each codec made here keeps its decoder per type, so that `combine` dispatches a stored event with one
// lookup, straight to the decoder of its type (a replay decodes millions of events).
const decodersByType = new WeakMap<EventCodec<any>, ReadonlyMap<string, Decode<any>>>()

export const make = <M extends EventSchemas>(
  schemas: M,
  versioning: { readonly [K in keyof M]?: Versioning } = {}
): ClassCodec<M> => {
  const types: ReadonlyArray<EventOf<M>["_tag"]> = Object.keys(schemas)
  const encoders = new Map(types.map((t) => [t, Schema.encodeSync(schemas[t]!)]))
  const versionOf = (type: string) => versioning[type]?.current ?? 1
  const personal = new Map(types.map((t) => [t, Personal.pathsOf(schemas[t]!)]))
  for (const [type, paths] of personal) {
    if (paths.length > 0 && versionOf(type) < 2) {
      throw new Error(
        `event type ${type} has personal fields: give it Personal.versioning(${type}) in EventCodec.make, so they are stored sealed`
      )
    }
  }
  const byType = new Map(types.map((t) => [t, decodeOf<EventOf<M>>(schemas[t]!, t, versioning[t], personal.get(t)!)]))

  const codec: ClassCodec<M> = {
    types,
    union: Schema.Union(types.map((t) => schemas[t as keyof M]!)),
    schemaVersion: versionOf,
    personal: (type) => personal.get(type) ?? [],
    encode: (event) => {
      const encoder = encoders.get(event._tag)
      if (encoder === undefined) throw new Error(`event type ${event._tag} is not in this codec`)
      const { _tag, ...data } = encoder(event) as { _tag: string }
      return { type: _tag, schemaVersion: versionOf(_tag), data }
    },
    decode: (stored) => (byType.get(stored.type) ?? unknownType)(stored)
  }
  decodersByType.set(codec, byType)
  return codec
}

const unknownType = (stored: StoredEvent) =>
  Result.fail(
    new UnknownEventType({
      type: stored.type,
      schemaVersion: stored.schemaVersion,
      eventId: stored.eventId,
      position: stored.position
    })
  )

const invalid = (stored: StoredEvent, issues: InvalidEvent["issues"]) =>
  Result.fail(
    new InvalidEvent({
      type: stored.type,
      schemaVersion: stored.schemaVersion,
      eventId: stored.eventId,
      position: stored.position,
      issues
    })
  )

/** The decoder of one stored type: its version checked, its payload upcast to today's shape and decoded. */
const decodeOf = <E extends { readonly _tag: string }>(
  schema: EventSchemas[string],
  type: string,
  versioning: Versioning | undefined,
  paths: ReadonlyArray<Personal.Path>
): Decode<E> => {
  const decoder = Schema.decodeUnknownResult(schema)
  // A valid payload is read by a validator compiled from the Schema (internal/fastDecode.ts), with the same
  // result as the decoder; an invalid one, or a Schema it cannot compile, goes to the decoder itself.
  const fast = compileEvent(schema)
  const current = versioning?.current ?? 1
  return (stored) => {
    if (stored.schemaVersion > current || stored.schemaVersion < 1) return unknownType(stored)
    if (stored.data === null || typeof stored.data !== "object" || Array.isArray(stored.data)) {
      return invalid(stored, [{ path: "", message: "payload is not a JSON object" }])
    }
    let data = stored.data as Record<string, unknown>
    for (let v = stored.schemaVersion; v < current; v++) {
      const up = versioning?.upcast[v]
      if (up === undefined) return unknownType(stored)
      data = up(data)
    }
    let erased: Array<string> | undefined
    if (paths.length > 0) {
      const opened = openFields(data, paths)
      if (typeof opened === "string") {
        return invalid(stored, [
          {
            path: opened,
            message:
              "a sealed personal field that was not opened: read the event through a store made with its subject keys (Sealing.sealed)"
          }
        ])
      }
      data = opened.data
      erased = opened.erased
    }
    const quick = fast === undefined ? unsure : fast(data, type)
    if (quick !== unsure) return Result.succeed(recordedOf(stored, quick as E, erased))
    const decoded = decoder({ ...data, _tag: type })
    if (Result.isFailure(decoded)) return invalid(stored, issuesOf(decoded.failure.issue))
    return Result.succeed(recordedOf(stored, decoded.success as E, erased))
  }
}
/**
 * The payload with each personal field as its plaintext: opened by the store (Sealing.ts), upcast from a
 * version-1 row, or, once its subject's key is destroyed, the field's erased value (listed in `erased`).
 * A sealed value the store did not open is refused: returns its path.
 */
const openFields = (
  data: Record<string, unknown>,
  paths: ReadonlyArray<Personal.Path>
): { readonly data: Record<string, unknown>; readonly erased: Array<string> | undefined } | string => {
  let out = data
  let erased: Array<string> | undefined
  for (const p of paths) {
    const value = Personal.valueAt(out, p.path)
    if (value === undefined) continue
    let plain: unknown
    if (typeof value === "object" && value !== null && Personal.plainMark in value) {
      plain = (value as { [Personal.plainMark]: unknown })[Personal.plainMark]
    } else if (isSealed(value)) {
      const opened = openedOf(value)
      if (opened === undefined) return p.path.join(".")
      if (opened._tag === "Open") plain = opened.value
      else {
        plain = p.erased
        erased = [...(erased ?? []), p.path.join(".")]
      }
    } else continue
    out = Personal.replaceAt(out, p.path, () => plain) as Record<string, unknown>
  }
  return { data: out, erased }
}

/** The envelope of a stored event with its decoded payload (field by field: a replay does this per event). */
const recordedOf = <E>(stored: StoredEvent, event: E, erased?: ReadonlyArray<string>): Recorded<E> => {
  const recorded: Recorded<E> = {
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
  }
  return erased === undefined ? recorded : { ...recorded, erased }
}

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
  const byType = new Map<string, Decode<any>>(
    types.map((t) => [t, decodersByType.get(owners.get(t)!)?.get(t) ?? owners.get(t)!.decode])
  )
  return {
    types,
    schemaVersion: (type) => owners.get(type)?.schemaVersion(type) ?? 1,
    personal: (type) => owners.get(type)?.personal(type) ?? [],
    encode: (event) => {
      const owner = owners.get(event._tag)
      if (owner === undefined) throw new Error(`event type ${event._tag} is not in this codec`)
      return owner.encode(event)
    },
    decode: (stored) => (byType.get(stored.type) ?? unknownType)(stored)
  }
}
