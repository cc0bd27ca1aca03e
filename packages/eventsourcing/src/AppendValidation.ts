import { createHash } from "node:crypto"
import { Schema } from "effect"
import { AppendContext, NewEvent } from "./Envelope.ts"
import { EventStoreError, issuesOf } from "./Errors.ts"
import type { AppendRequest } from "./EventStore.ts"
import { canonicalJson } from "./HashChain.ts"
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
  | { readonly _tag: "Ok"; readonly payloads: ReadonlyArray<string> }
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
  }
  return { _tag: "Ok", payloads }
}

/**
 * What makes two appends "the same request" for idempotency: the stream and each event's type, version,
 * payload and subjects. Event ids and times are left out, since a retry may mint them anew.
 */
export const fingerprint = (request: AppendRequest): string =>
  createHash("sha256")
    .update(
      canonicalJson({
        stream: request.stream,
        events: request.events.map((e) => ({
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          subjects: e.subjects
        }))
      })
    )
    .digest("hex")
