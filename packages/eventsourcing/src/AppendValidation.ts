import { createHash } from "node:crypto"
import { Schema, type SchemaIssue } from "effect"
import type { StoredEvent } from "./Envelope.ts"
import { Actor, AppendContext, NewEvent, Tenant } from "./Envelope.ts"
import { EventStoreError, type Issue, issuesOf } from "./Errors.ts"
import type { AppendRequest, ReadStreamOptions } from "./EventStore.ts"
import { ExpectedVersion } from "./ExpectedVersion.ts"
import { canonicalPayload, seal } from "./HashChain.ts"
import { Verbatim, write } from "./internal/canonical.ts"
import { Id, Instant, unstorableText } from "./Scalars.ts"
import { StreamId } from "./StreamId.ts"

export const defaultMaxEventBytes = 1024 * 1024

// An excess key can only be in the actor (the one part checked strictly): say why it is refused.
const explained = (issue: SchemaIssue.Issue): ReadonlyArray<Issue> =>
  issuesOf(issue).map((i) =>
    i.message === "Expected no excess property"
      ? { ...i, message: "not a field of the envelope (an actor is id, role, station): the log is permanent" }
      : i
  )

const issueText = (issue: SchemaIssue.Issue) =>
  explained(issue)
    .map((i) => `${i.path}: ${i.message}`)
    .join("; ")

const validRequest = Schema.decodeUnknownResult(
  Schema.Struct({
    tenant: Tenant,
    stream: StreamId,
    expected: ExpectedVersion,
    events: Schema.Array(NewEvent),
    context: AppendContext
  })
)

// The actor goes into the permanent, hashed log as it is given: a field the envelope does not define (a
// phone number, an id card) is refused rather than stored for ever or dropped without a word.
const strictContext = Schema.decodeUnknownResult(AppendContext, { onExcessProperty: "error" })

/** How deep a payload may nest: far beyond any event's shape, far below what a stack or jsonb can hold. */
export const maxDataDepth = 64

const invalid = (message: string) =>
  ({ _tag: "Err", error: new EventStoreError({ reason: "InvalidRequest", message }) }) as const

/**
 * Why `value` is not JSON data that reads back as it was written, or `undefined` when it is: plain objects,
 * arrays, finite numbers, booleans, null and storable text, nested at most `maxDataDepth` deep. Everything
 * else (a BigInt, NaN, a Date, a Map, a function, a cycle) JSON would throw on or silently turn into
 * something else, so it is refused, with the path to it.
 */
export const dataProblem = (value: unknown, path = "data", ancestors: Array<object> = []): string | undefined => {
  switch (typeof value) {
    case "string": {
      const problem = unstorableText(value)
      return problem === undefined ? undefined : `${path}: text ${problem}`
    }
    case "number":
      return Number.isFinite(value) ? undefined : `${path}: ${value} is not a JSON number`
    case "boolean":
      return undefined
    case "object": {
      if (value === null) return undefined
      if (ancestors.includes(value)) return `${path}: the value contains itself (a cycle)`
      if (ancestors.length >= maxDataDepth) return `${path}: nested deeper than ${maxDataDepth} levels`
      ancestors.push(value)
      try {
        if (Array.isArray(value)) {
          if (Object.getPrototypeOf(value) !== Array.prototype) return `${path}: not a plain array`
          for (let i = 0; i < value.length; i++) {
            const item = value[i]
            if (item === undefined) return `${path}[${i}]: undefined (or a hole) is not JSON`
            const problem = dataProblem(item, `${path}[${i}]`, ancestors)
            if (problem !== undefined) return problem
          }
          return undefined
        }
        const proto = Object.getPrototypeOf(value)
        if (proto !== Object.prototype && proto !== null) {
          const kind = (proto as { constructor?: { name?: unknown } }).constructor?.name
          return `${path}: a ${typeof kind === "string" ? kind : "class instance"} is not plain JSON data; encode it first (a Date as an ISO string)`
        }
        for (const key of Object.keys(value)) {
          const problem = unstorableText(key)
          if (problem !== undefined) return `${path}: key ${JSON.stringify(key)} ${problem}`
          const item = (value as Record<string, unknown>)[key]
          // An absent optional field: left out of the JSON, as it is absent from the value.
          if (item === undefined) continue
          const nested = dataProblem(item, `${path}.${key}`, ancestors)
          if (nested !== undefined) return nested
        }
        return undefined
      } finally {
        ancestors.pop()
      }
    }
    case "undefined":
      return undefined
    default:
      return `${path}: a ${typeof value} is not JSON`
  }
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
      /** The canonical form of the payload as stored (the same text where it round-trips), for `HashChain.seal`; undefined when seal must work it out. */
      readonly storedCanonical: ReadonlyArray<string | undefined>
    }
  | { readonly _tag: "Err"; readonly error: EventStoreError } => {
  const shape = validRequest(request)
  if (shape._tag === "Failure") return invalid(`invalid append request: ${issueText(shape.failure.issue)}`)
  const context = strictContext(request.context)
  if (context._tag === "Failure") return invalid(`invalid append request: context.${issueText(context.failure.issue)}`)
  const ids = new Set<string>()
  const payloads: Array<string> = []
  const canonical: Array<string> = []
  const storedCanonical: Array<string | undefined> = []
  for (const event of request.events) {
    if (ids.has(event.eventId)) return invalid(`event ${event.eventId} appears twice in one append`)
    ids.add(event.eventId)
    if (event.personal !== undefined && event.personal.length > 0) {
      return invalid(
        `event ${event.type} ${event.eventId} has personal fields to seal, and this store has no subject keys: make it with Sealing.sealed (every store of this library does)`
      )
    }
    const problem = dataProblem(event.data)
    if (problem !== undefined) return invalid(`event ${event.type} ${event.eventId}: ${problem}`)
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
    storedCanonical.push(roundTrips ? text : undefined)
  }
  return { _tag: "Ok", payloads, canonical, storedCanonical }
}

/**
 * Event `index` of an accepted request as the store records it at its place in the log, sealed onto
 * `prevHash`: the one way every store builds a stored event. The payload is the stored JSON parsed again, as
 * a read would return it: callers never share structure with the log.
 */
export const stored = (
  request: AppendRequest,
  accepted: { readonly payloads: ReadonlyArray<string>; readonly storedCanonical: ReadonlyArray<string | undefined> },
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
    accepted.storedCanonical[index]
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

const isInstant = Schema.is(Instant)

/**
 * The options of `readStream` that every store refuses alike: an `asOfTime` that is not an instant in the
 * store's own form (`2025-01-27T00:00:00.000Z`). Text in any other form would be compared as text, not as
 * the instant it names (`+08:00` would be hours off; `"garbage"` would read everything).
 */
export const readStreamError = (options: ReadStreamOptions | undefined): EventStoreError | undefined =>
  options?.asOfTime === undefined || isInstant(options.asOfTime)
    ? undefined
    : new EventStoreError({
        reason: "InvalidRequest",
        message: `invalid asOfTime ${JSON.stringify(String(options.asOfTime).slice(0, 80))}: expected an instant in UTC, YYYY-MM-DDTHH:MM:SS.mmmZ (Scalars.instantFromMillis(Date.parse(text)) converts one with an offset)`
      })

const validCommandEnvelope = Schema.decodeUnknownResult(
  Schema.Struct({
    tenant: Tenant,
    metadata: Schema.Struct({
      actor: Actor,
      commandId: Id,
      correlationId: Schema.optionalKey(Id),
      causationId: Schema.optionalKey(Id)
    })
  }),
  { errors: "all", onExcessProperty: "error" }
)

/**
 * What `validate` would refuse in the tenant and metadata of a command (a tenant that is not an id, a
 * commandId with a space, an actor with fields the envelope does not define), for a command handler to
 * refuse before it reads anything. Empty when they are fine.
 */
export const commandIssues = (tenant: unknown, metadata: unknown): ReadonlyArray<Issue> => {
  const checked = validCommandEnvelope({ tenant, metadata })
  return checked._tag === "Success" ? [] : explained(checked.failure.issue)
}
