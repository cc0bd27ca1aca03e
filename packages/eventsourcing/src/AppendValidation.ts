import { createHash } from "node:crypto"
import { Schema } from "effect"
import type { StoredEvent } from "./Envelope.ts"
import { AppendContext, NewEvent } from "./Envelope.ts"
import { EventStoreError, issuesOf } from "./Errors.ts"
import type { AppendRequest } from "./EventStore.ts"
import { canonicalPayload, seal } from "./HashChain.ts"
import { Verbatim, write } from "./internal/canonical.ts"
import { StreamId } from "./StreamId.ts"

export const defaultMaxEventBytes = 1024 * 1024

const validRequest = Schema.decodeUnknownResult(
  Schema.Struct({ tenant: Schema.String, stream: StreamId, events: Schema.Array(NewEvent), context: AppendContext })
)

const hasNul = (value: unknown): boolean => {
  if (typeof value === "string") return value.includes("\u0000")
  if (value === null || typeof value !== "object") return false
  if (Array.isArray(value)) return value.some(hasNul)
  return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v))
}

// With the `u` flag, \p{Cs} matches only a surrogate that is not half of a pair: text that is not
// well-formed Unicode, which UTF-8 (and so PostgreSQL) cannot hold as it is.
const loneSurrogate = /\p{Cs}/u

const hasLoneSurrogate = (value: unknown): boolean => {
  if (typeof value === "string") return loneSurrogate.test(value)
  if (value === null || typeof value !== "object") return false
  if (Array.isArray(value)) return value.some(hasLoneSurrogate)
  return Object.entries(value).some(([k, v]) => loneSurrogate.test(k) || hasLoneSurrogate(v))
}

/**
 * Checks what every store must refuse before it touches storage, so that all stores refuse the same
 * requests with the same errors. Returns the encoded payloads, which the caller stores as they are.
 */
export const validate = (
  request: AppendRequest,
  maxEventBytes: number
):
  | {
      readonly _tag: "Ok"
      readonly payloads: ReadonlyArray<string>
      /** Each event's `canonicalJson(data)`, for `fingerprint`. */
      readonly canonical: ReadonlyArray<string>
      /** The same text where it is also the canonical form of the stored payload, for `HashChain.seal`. */
      readonly sealData: ReadonlyArray<string | undefined>
    }
  | { readonly _tag: "Err"; readonly error: EventStoreError } => {
  const shape = validRequest(request)
  if (shape._tag === "Failure") {
    const issues = issuesOf(shape.failure.issue).map((i) => `${i.path}: ${i.message}`)
    return {
      _tag: "Err",
      error: new EventStoreError({ reason: "InvalidRequest", message: `invalid append request: ${issues.join("; ")}` })
    }
  }
  if (hasLoneSurrogate(request)) {
    return {
      _tag: "Err",
      error: new EventStoreError({
        reason: "InvalidRequest",
        message: "invalid append request: text must be well-formed Unicode (it contains a lone surrogate)"
      })
    }
  }
  const ids = new Set<string>()
  const payloads: Array<string> = []
  const canonical: Array<string> = []
  const sealData: Array<string | undefined> = []
  for (const event of request.events) {
    if (ids.has(event.eventId)) {
      return {
        _tag: "Err",
        error: new EventStoreError({
          reason: "InvalidRequest",
          message: `event ${event.eventId} appears twice in one append`
        })
      }
    }
    ids.add(event.eventId)
    if (hasNul(event.data)) {
      return {
        _tag: "Err",
        error: new EventStoreError({
          reason: "InvalidRequest",
          message: `event ${event.type} ${event.eventId}: text must not contain \\u0000`
        })
      }
    }
    const payload = JSON.stringify(event.data ?? null)
    const bytes = Buffer.byteLength(payload)
    if (bytes > maxEventBytes) {
      return {
        _tag: "Err",
        error: new EventStoreError({
          reason: "TooLarge",
          message: `event ${event.type} ${event.eventId} is ${bytes} bytes, over the limit of ${maxEventBytes}; split it or raise maxEventBytes`
        })
      }
    }
    payloads.push(payload)
    const { text, roundTrips } = canonicalPayload(event.data)
    canonical.push(text)
    sealData.push(roundTrips ? text : undefined)
  }
  return { _tag: "Ok", payloads, canonical, sealData }
}

/**
 * Event `index` of an accepted request as the store records it at its place in the log, sealed onto
 * `prevHash`: the one way every store builds a stored event. The payload is the stored JSON parsed again, as
 * a read would return it: callers never share structure with the log.
 */
export const stored = (
  request: AppendRequest,
  accepted: { readonly payloads: ReadonlyArray<string>; readonly sealData: ReadonlyArray<string | undefined> },
  index: number,
  place: { readonly version: number; readonly position: number; readonly recordedAt: string; readonly prevHash: string }
): StoredEvent => {
  const event = request.events[index]!
  return seal(
    {
      eventId: event.eventId,
      tenant: request.tenant,
      stream: request.stream,
      version: place.version,
      position: place.position,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: JSON.parse(accepted.payloads[index]!),
      occurredAt: event.occurredAt,
      recordedAt: place.recordedAt,
      actor: request.context.actor,
      commandId: request.context.commandId,
      correlationId: request.context.correlationId,
      causationId: request.context.causationId,
      subjects: [...event.subjects],
      prevHash: place.prevHash
    },
    accepted.sealData[index]
  )
}

/** A request `validate` accepted, with what it computed for the store. */
export type Validated = Extract<ReturnType<typeof validate>, { readonly _tag: "Ok" }>

/**
 * What makes two appends "the same request" for idempotency: the stream and each event's type, version,
 * payload and subjects. Event ids and times are left out, since a retry may mint them anew.
 * sha256 of `canonicalJson({ stream, events: [{ type, schemaVersion, data, subjects }] })`; `canonical`,
 * when given, is each event's `canonicalJson(data)` as `validate` returned it, so it is not computed again.
 */
export const fingerprint = (request: AppendRequest, canonical?: ReadonlyArray<string>): string =>
  createHash("sha256")
    .update(
      write({
        stream: request.stream,
        events: request.events.map((e, i) => ({
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: canonical === undefined || e.data === undefined ? e.data : new Verbatim(canonical[i]!),
          subjects: e.subjects
        }))
      })
    )
    .digest("hex")
