import { createHash } from "node:crypto"
import type { StoredEvent } from "./Envelope.ts"

/** The hash before a tenant's first event. */
export const genesis = "0".repeat(64)

/**
 * JSON with object keys sorted at every depth, so the same envelope always hashes the same,
 * whichever store wrote it and whatever key order a JSON parser returned.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
  return `{${entries.join(",")}}`
}

export type Unhashed = Omit<StoredEvent, "hash">

/** hash = sha256(prevHash ‖ canonical envelope). `prevHash` is inside the envelope, so order is sealed too. */
export const hashOf = (event: Unhashed): string => {
  const { hash: _ignored, ...rest } = event as StoredEvent
  return createHash("sha256").update(canonicalJson(rest)).digest("hex")
}

export const seal = (event: Unhashed): StoredEvent => ({ ...event, hash: hashOf(event) })

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
