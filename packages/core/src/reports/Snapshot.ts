import { createHash } from "node:crypto"
import {
  type Envelope,
  EventStore,
  type EventStoreError,
  HashChain,
  type InvalidEvent,
  Projection,
  type Recorded,
  Scalars,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import * as Domain from "../Domain.ts"

// Time travel: the tenant's log as it stood at a position or at a store time, one prefix of the log that
// every report, history and log read folds, so that two auditors asking the same question get the same
// answer, and a digest of that answer to compare without exchanging it.

/** Where the log is cut: after this position, or after the last event recorded at or before this instant. */
export type Bound =
  | { readonly _tag: "Position"; readonly position: number }
  | { readonly _tag: "Time"; readonly recordedAt: Scalars.Instant }

/**
 * What `--as-of` and `asOf` take: a position (`1234`), a store instant in its canonical form
 * (`2024-08-08T16:00:00.000Z`), or a business day (`2024-08-08`: the report's day, the whole log).
 */
export interface AsOf {
  /** The cut of the log, if any. */
  readonly bound: Bound | undefined
  /** The report's business day, when the text names one (a day, or the China day of an instant). */
  readonly day: Scalars.LocalDate | undefined
}

const positionPattern = /^(0|[1-9][0-9]{0,14})$/

/** Parses an as-of text; a failure says which forms are understood. */
export const parseAsOf = (text: string): Result.Result<AsOf, string> => {
  if (positionPattern.test(text))
    return Result.succeed({ bound: { _tag: "Position", position: Number(text) }, day: undefined })
  if (Scalars.isInstant(text)) {
    return Result.succeed({ bound: { _tag: "Time", recordedAt: text }, day: Scalars.chinaDateOf(Date.parse(text)) })
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && Scalars.isCalendarDate(text))
    return Result.succeed({ bound: undefined, day: text })
  return Result.fail(
    `${JSON.stringify(text.slice(0, 40))} is not a position (a whole number ≥ 0), a store instant (YYYY-MM-DDTHH:MM:SS.mmmZ) or a day (YYYY-MM-DD)`
  )
}

/** Whether a stored event is inside the bound (every bound is a prefix: store time never runs backwards). */
export const includes = (bound: Bound | undefined, event: { readonly position: number; readonly recordedAt: string }) =>
  bound === undefined ||
  (bound._tag === "Position" ? event.position <= bound.position : event.recordedAt <= bound.recordedAt)

/** How far a snapshot reached: its last event, 0 and no time when it has none. */
export interface Through {
  readonly position: number
  readonly recordedAt: Scalars.Instant | undefined
}

export type ReadError = EventStoreError | UnknownEventType | InvalidEvent

const pageSize = 5_000

const decodeAll = (page: ReadonlyArray<Envelope.StoredEvent>) => {
  const recorded: Array<Recorded<Domain.Event>> = []
  for (const stored of page) {
    const decoded = Domain.codec.decode(stored)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    recorded.push(decoded.success)
  }
  return Result.succeed(recorded)
}

/** The stored events of the tenant inside the bound, page by page in position order. */
export const forEachPage = <E, R>(
  tenant: Envelope.Tenant,
  bound: Bound | undefined,
  f: (page: ReadonlyArray<Envelope.StoredEvent>) => Effect.Effect<void, E, R>
): Effect.Effect<Through, E | EventStoreError, R | EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    let through: Through = { position: 0, recordedAt: undefined }
    for (;;) {
      const limit = bound?._tag === "Position" ? Math.min(pageSize, bound.position - through.position) : pageSize
      if (limit <= 0) return through
      const page = yield* store.readAll(tenant, { after: through.position, limit })
      const inside = bound === undefined ? page : page.filter((event) => includes(bound, event))
      if (inside.length > 0) {
        yield* f(inside)
        const last = inside[inside.length - 1]!
        through = { position: last.position, recordedAt: last.recordedAt }
      }
      if (inside.length < page.length || page.length < limit) return through
    }
  })

/** The log's stored events inside the bound, from `after`, at most `limit`: the API's page of the log as of. */
export const readPage = (
  tenant: Envelope.Tenant,
  bound: Bound | undefined,
  options: { readonly after: number; readonly limit: number }
): Effect.Effect<ReadonlyArray<Envelope.StoredEvent>, EventStoreError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const limit = bound?._tag === "Position" ? Math.min(options.limit, bound.position - options.after) : options.limit
    if (limit <= 0) return []
    const page = yield* store.readAll(tenant, { after: options.after, limit })
    if (bound === undefined) return page
    const end = page.findIndex((event) => !includes(bound, event))
    return end === -1 ? page : page.slice(0, end)
  })

/** The tenant's log inside the bound, decoded with the domain's codec and folded with a projection. */
export const fold = <S>(
  tenant: Envelope.Tenant,
  projection: Projection.Projection<Domain.Event, S>,
  bound?: Bound
): Effect.Effect<{ readonly state: S; readonly through: Through }, ReadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    let state = projection.initial
    const through = yield* forEachPage(tenant, bound, (page) =>
      Effect.map(Effect.fromResult(decodeAll(page)), (recorded) => {
        state = Projection.fold(projection, recorded, state)
      })
    )
    return { state, through }
  })

/**
 * The digest two auditors compare: hex sha256 of the canonical JSON (`HashChain.canonicalJson`: keys sorted
 * at every depth) of a result. The same question asked of the same log gives the same digest.
 */
export const digest = (value: unknown): string =>
  createHash("sha256").update(HashChain.canonicalJson(value), "utf8").digest("hex")

/**
 * The business day a bound stands for, so that a report as of a bound does not depend on when it is asked:
 * a store time's China day; a position's, the China day its event (or the head's, past the head) was
 * recorded on. Undefined without a bound, or when the log has no event inside it.
 */
export const dayOf = (
  tenant: Envelope.Tenant,
  bound: Bound | undefined
): Effect.Effect<Scalars.LocalDate | undefined, EventStoreError, EventStore.EventStore> =>
  Effect.gen(function* () {
    if (bound === undefined) return undefined
    if (bound._tag === "Time") return Scalars.chinaDateOf(Date.parse(bound.recordedAt))
    const store = yield* EventStore.EventStore
    const at = Math.min(bound.position, (yield* store.head(tenant)).position)
    if (at === 0) return undefined
    const [event] = yield* store.readAll(tenant, { after: at - 1, limit: 1 })
    return event === undefined ? undefined : Scalars.chinaDateOf(Date.parse(event.recordedAt))
  })
