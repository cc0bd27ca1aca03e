import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as AppendValidation from "./AppendValidation.ts"
import type { StoredEvent } from "./Envelope.ts"
import type { AppendRequest } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"
import * as HashChain from "./HashChain.ts"

// The original definitions, kept verbatim as the oracle: every hash and fingerprint ever stored was made
// with them, so the fast implementation must produce exactly their bytes.
const oracleJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(oracleJson).join(",")}]`
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${oracleJson((value as Record<string, unknown>)[k])}`)
  return `{${entries.join(",")}}`
}

const oracleHash = (event: Omit<StoredEvent, "hash">): string => {
  const { hash: _ignored, ...rest } = event as StoredEvent
  return createHash("sha256").update(oracleJson(rest)).digest("hex")
}

const oracleFingerprint = (request: AppendRequest): string =>
  createHash("sha256")
    .update(
      oracleJson({
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

// Keys that sort differently from insertion order, numeric-looking keys, escapes, non-BMP text.
const key = fc.oneof(fc.string(), fc.constantFrom("10", "9", "a", "B", "é", "\u{1F600}", "__proto__", "data", ""))
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string({ unit: "binary" }),
    fc.array(tie("value"), { maxLength: 6 }),
    fc.dictionary(key, tie("value"), { maxKeys: 6 })
  )
})).value
// Beyond JSON: what the oracle also gives an answer for (undefined members, holes, dates, functions).
const odd = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    json,
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.date({ noInvalidDate: true }),
    fc.sparseArray(tie("value"), { maxLength: 5 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5, noNullPrototype: false }),
    fc.array(tie("value"), { maxLength: 4 })
  )
})).value

const envelope = (data: unknown): Omit<StoredEvent, "hash"> => ({
  eventId: "0190a6f0-0000-7000-8000-000000000001",
  tenant: "county",
  stream: { category: "household", id: "h-1" },
  version: 3,
  position: 17,
  type: "VisitRecorded",
  schemaVersion: 1,
  data,
  occurredAt: "2026-01-02T03:04:05.006Z",
  recordedAt: "2026-01-02T03:04:05.007Z",
  actor: { id: "w-1", role: "worker", station: "s-1" },
  commandId: "c-1",
  correlationId: "c-1",
  causationId: "c-1",
  subjects: ["h-1", "p-2"],
  prevHash: HashChain.genesis
})

describe("HashChain.canonicalJson", () => {
  it("is byte-identical to the original on arbitrary JSON values", () => {
    fc.assert(
      fc.property(json, (value) => HashChain.canonicalJson(value) === oracleJson(value)),
      { numRuns: 2000 }
    )
  })

  it("is byte-identical to the original beyond JSON too", () => {
    fc.assert(
      fc.property(odd, (value) => HashChain.canonicalJson(value) === oracleJson(value)),
      { numRuns: 2000 }
    )
  })

  it("seals and fingerprints exactly as before, with or without the payload text validation computed", () => {
    fc.assert(
      fc.property(odd, (data) => {
        const payload = JSON.stringify(data ?? null)
        // A bare function has no JSON at all; validation never gets that far with it.
        if (payload === undefined) return true
        const stored = JSON.parse(payload)
        const { text, roundTrips } = HashChain.canonicalPayload(data)
        if (text !== oracleJson(data)) return false
        // What a store seals is the payload after its JSON round trip.
        const expected = oracleHash(envelope(stored))
        if (HashChain.hashOf(envelope(stored)) !== expected) return false
        if (HashChain.seal(envelope(stored)).hash !== expected) return false
        if (roundTrips && HashChain.seal(envelope(stored), text).hash !== expected) return false
        const request: AppendRequest = {
          tenant: "county",
          stream: { category: "household", id: "h-1" },
          expected: ExpectedVersion.any,
          events: [
            {
              eventId: "0190a6f0-0000-7000-8000-000000000001",
              type: "VisitRecorded",
              schemaVersion: 1,
              data,
              occurredAt: "2026-01-02T03:04:05.006Z",
              subjects: ["h-1"]
            }
          ],
          context: { actor: { id: "w", role: "worker" }, commandId: "c", correlationId: "c", causationId: "c" }
        }
        const fingerprint = oracleFingerprint(request)
        return (
          AppendValidation.fingerprint(request) === fingerprint &&
          AppendValidation.fingerprint(request, [text]) === fingerprint
        )
      }),
      { numRuns: 1000 }
    )
  })

  it("reuses the payload text only for plain JSON", () => {
    assert.isTrue(HashChain.canonicalPayload({ b: [1, "x", null], a: { c: true } }).roundTrips)
    assert.isFalse(HashChain.canonicalPayload(undefined).roundTrips)
    assert.isFalse(HashChain.canonicalPayload({ at: new Date(0) }).roundTrips)
    assert.isFalse(HashChain.canonicalPayload({ f: () => 1 }).roundTrips)
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
    assert.isFalse(HashChain.canonicalPayload([1, , 2]).roundTrips)
  })

  it("keeps the hash of a known envelope", () => {
    const event = envelope({ visit: "home", notes: "家访", minutes: 45 })
    assert.strictEqual(HashChain.hashOf(event), oracleHash(event))
    assert.isUndefined(HashChain.verify([HashChain.seal({ ...event, position: 1 })]))
  })
})
