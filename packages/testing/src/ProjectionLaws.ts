import { assert } from "@effect/vitest"
import { type Envelope, Projection, type Recorded, StreamId } from "@shuangbai/eventsourcing"
import * as fc from "fast-check"

export interface Options {
  /** Runs of the property (default 200). */
  readonly numRuns?: number
}

/**
 * Throws unless the projection gives the same state over `log` in one batch, one by one, and resumed
 * from a saved state after the first `cut % (log.length + 1)` events — both from the saved state itself,
 * which resuming must leave as it was, and from a copy of it (`structuredClone`: a state saved and read
 * back). Returns the state, for assertions of the caller's own.
 */
export const holds = <Event, State>(
  projection: Projection.Projection<Event, State>,
  log: ReadonlyArray<Recorded<Event>>,
  cut: number
): State => {
  const batch = Projection.fold(projection, log)
  let oneByOne = projection.initial
  for (const recorded of log) oneByOne = projection.evolve(oneByOne, recorded)
  assert.deepStrictEqual(oneByOne, batch, "one by one")
  const at = cut % (log.length + 1)
  const saved = Projection.fold(projection, log.slice(0, at))
  assert.deepStrictEqual(Projection.fold(projection, log.slice(at), saved), batch, `resumed after ${at} events`)
  assert.deepStrictEqual(
    saved,
    Projection.fold(projection, log.slice(0, at)),
    "resuming left the saved state as it was"
  )
  const copy = structuredClone(saved)
  assert.deepStrictEqual(Projection.fold(projection, log.slice(at), copy), batch, `resumed from a copy after ${at}`)
  return batch
}

/**
 * The law every projection obeys, checked on random logs: the same state in one batch, one by one, and
 * resumed from a saved state (`holds`), for each of the projections.
 */
export const check = <Event>(
  projections:
    | Projection.Projection<Event, any>
    | ReadonlyArray<Projection.Projection<Event, any>>
    | Readonly<Record<string, Projection.Projection<Event, any>>>,
  log: fc.Arbitrary<ReadonlyArray<Recorded<Event>>>,
  options: Options = {}
): void => {
  const all: ReadonlyArray<Projection.Projection<Event, any>> =
    "evolve" in projections && typeof projections.evolve === "function"
      ? [projections as Projection.Projection<Event, any>]
      : Object.values(projections)
  fc.assert(
    fc.property(log, fc.nat(), (events, cut) => {
      for (const projection of all) holds(projection, events, cut)
    }),
    { numRuns: options.numRuns ?? 200 }
  )
}

/** The envelope fields a test may fix: everything but the payload and what the log counts. */
export type EnvelopeFields = Partial<Omit<Envelope.StoredEvent, "data" | "position" | "version" | "type">>

/**
 * Wraps bare events in envelopes, as a log would hand them to a projection: positions count up from 1
 * across the log, versions from 1 in each stream, ids follow the positions, and `envelope` fixes the rest
 * (a stream, an actor, a time) — the same for every event, or a function of the event (its own stream,
 * the actor of its station). Each recorder keeps its own count. Use it as `events.map(recorder())`: extra
 * map arguments are ignored.
 */
export const recorder = <Event extends { readonly _tag: string }>(
  envelope: EnvelopeFields | ((event: Event) => EnvelopeFields) = {}
): ((event: Event) => Recorded<Event>) => {
  let position = 0
  const versions = new Map<string, number>()
  return (event) => {
    position += 1
    const fields = typeof envelope === "function" ? envelope(event) : envelope
    const stream = fields.stream ?? { category: "any", id: "one" }
    const key = StreamId.format(stream)
    const version = (versions.get(key) ?? 0) + 1
    versions.set(key, version)
    return {
      eventId: `0198f000-0000-7000-8000-${String(position).padStart(12, "0")}`,
      tenant: "yangshan",
      schemaVersion: 1,
      occurredAt: "2025-01-01T00:00:00.000Z",
      recordedAt: "2025-01-01T00:00:00.000Z",
      actor: { id: "w1", role: "worker" },
      commandId: `c${position}`,
      correlationId: `c${position}`,
      causationId: `c${position}`,
      subjects: [],
      prevHash: "",
      hash: "",
      ...fields,
      stream,
      version,
      position,
      type: event._tag,
      event
    }
  }
}
