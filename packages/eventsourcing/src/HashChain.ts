import { hash as digest } from "node:crypto"
import type { StoredEvent } from "./Envelope.ts"
import { quoteKey, sortedKeys, write, writeNotingPlain } from "./internal/canonical.ts"
import { attested } from "./internal/erasureRecord.ts"

/** The hash before a tenant's first event. */
export const genesis = "0".repeat(64)

/**
 * JSON with object keys sorted at every depth, so the same envelope always hashes the same,
 * whichever store wrote it and whatever key order a JSON parser returned.
 *
 * Exactly the text of the original definition, kept as the oracle in HashChain.test.ts:
 * scalars as `JSON.stringify` (undefined, functions and symbols as `null`), arrays element by element,
 * objects by `Object.keys` in default sort order, leaving out undefined members, never calling `toJSON`.
 */
export const canonicalJson = (value: unknown): string => write(value)

/**
 * The canonical JSON of a payload, and whether it is also the canonical JSON of the payload after a JSON
 * round trip (`JSON.parse(JSON.stringify(data ?? null))`, which is what a store seals). That holds for
 * plain JSON data: plain objects and arrays, strings, numbers, booleans and null.
 */
export const canonicalPayload = (data: unknown): { readonly text: string; readonly roundTrips: boolean } => {
  const { text, plain } = writeNotingPlain(data)
  return { text, roundTrips: plain && data !== undefined }
}

export type Unhashed = Omit<StoredEvent, "hash">

const envelopeText = (event: Unhashed, data: string | undefined): string => {
  const keys = sortedKeys(event)
  let out = "{"
  let first = true
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    if (key === "hash") continue
    const item = (event as unknown as Record<string, unknown>)[key]
    if (item === undefined) continue
    if (first) first = false
    else out += ","
    out += quoteKey(key)
    out += ":"
    out += data !== undefined && key === "data" ? data : write(item)
  }
  return `${out}}`
}

/**
 * The exact text an event's hash is taken over: `canonicalJson` of the envelope without its `hash` member
 * (docs/audit.md, "The canonical form"). An export bundle carries this text as it is.
 */
export const canonicalEnvelope = (event: Unhashed): string => envelopeText(event, undefined)

/**
 * hash = hex(sha256(UTF-8 of `canonicalEnvelope(event)`)). `prevHash` is inside the envelope, so the order is
 * sealed too.
 */
export const hashOf = (event: Unhashed): string => digest("sha256", envelopeText(event, undefined), "hex")

/**
 * Seals an event. `data`, when given, must be `canonicalJson(event.data)` (see `canonicalPayload`): the
 * payload is then not serialised a second time.
 */
export const seal = (event: Unhashed, data?: string): StoredEvent => ({
  ...event,
  hash: digest("sha256", envelopeText(event, data), "hex")
})
/** Where a verified chain ends: the next event must link to this hash at this position + 1. */
export interface Head {
  readonly position: number
  readonly hash: string
}

export type ChainBreak =
  | { readonly _tag: "HashMismatch"; readonly position: number; readonly eventId: string }
  | { readonly _tag: "BrokenLink"; readonly position: number; readonly eventId: string }
  | { readonly _tag: "PositionGap"; readonly expected: number; readonly found: number }

/** Checks a tenant's events in position order; returns the first break, if any. */
export const verify = (
  events: Iterable<StoredEvent>,
  from: Head = { position: 0, hash: genesis }
): ChainBreak | undefined => {
  let position = from.position
  let hash = from.hash
  for (const event of events) {
    if (event.position !== position + 1) return { _tag: "PositionGap", expected: position + 1, found: event.position }
    if (event.prevHash !== hash) return { _tag: "BrokenLink", position: event.position, eventId: event.eventId }
    if (hashOf(event) !== event.hash) return { _tag: "HashMismatch", position: event.position, eventId: event.eventId }
    position = event.position
    hash = event.hash
  }
  return undefined
}

/** A row whose content does not match its hash, waiting for a later erasure event to attest its new content. */
export interface Unattested {
  readonly eventId: string
  readonly hash: string
  readonly content: string
}

/**
 * `verify`, except that a row whose content does not match its hash is held in `unattested` (by position)
 * rather than failing at once, and a later erasure event that attests exactly that row (its position, its
 * chained hash and the hash of its content now) releases it. What is still held when the walk ends is a
 * HashMismatch: any change but an attested erasure rewrite still fails (docs/audit.md, "Erasure").
 */
export const verifyAttested = (
  events: Iterable<StoredEvent>,
  from: Head,
  unattested: Map<number, Unattested>
): ChainBreak | undefined => {
  let position = from.position
  let hash = from.hash
  for (const event of events) {
    if (event.position !== position + 1) return { _tag: "PositionGap", expected: position + 1, found: event.position }
    if (event.prevHash !== hash) return { _tag: "BrokenLink", position: event.position, eventId: event.eventId }
    const content = hashOf(event)
    if (content !== event.hash) unattested.set(event.position, { eventId: event.eventId, hash: event.hash, content })
    else {
      for (const r of attested(event)) {
        const held = unattested.get(r.position)
        if (held !== undefined && held.hash === r.hash && held.content === r.content) unattested.delete(r.position)
      }
    }
    position = event.position
    hash = event.hash
  }
  return undefined
}

/** The first row still held by `verifyAttested`, as a HashMismatch. */
export const firstUnattested = (unattested: ReadonlyMap<number, Unattested>): ChainBreak | undefined => {
  let position = Number.POSITIVE_INFINITY
  for (const at of unattested.keys()) position = Math.min(position, at)
  const held = unattested.get(position)
  return held === undefined ? undefined : { _tag: "HashMismatch", position, eventId: held.eventId }
}
