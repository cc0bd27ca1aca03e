import { type Envelope, EventStore, EventStoreError, Subscription } from "@shuangbai/eventsourcing"
import { Data, Effect, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import { Checkpoints } from "./Checkpoints.ts"
import { connectionDefects, fromSqlError } from "./internal/errors.ts"
import { pause } from "./internal/notifier.ts"

export interface Options<E, R> {
  /** The checkpoint's name: one per read model. */
  readonly name: string
  readonly tenant: Envelope.Tenant
  /** Handles one event; called in position order, each event once per run. */
  readonly handle: (event: Envelope.StoredEvent) => Effect.Effect<void, E, R>
  /**
   * The event types the read model reads (a projection's `types`): only these are handed to `handle`. The
   * checkpoint still moves past the others, so a restart does not read them again; catching up, the store
   * passes them over itself (`ReadAllOptions.types`). Undefined: every event.
   */
  readonly types?: ReadonlyArray<string> | undefined
  /**
   * `true` (default): each page of events and its checkpoint commit in one transaction, so a read model
   * kept in the same database through the same `SqlClient` sees every event exactly once, whatever
   * crashes. `false`: the checkpoint is saved after the handler (at-least-once), for read models kept
   * elsewhere; make the handler idempotent.
   */
  readonly transactional?: boolean
  /** Events per transaction (default 500). */
  readonly pageSize?: number
}

/** Another runner (or a rebuild) moved the checkpoint: this one re-reads it and goes on from there. */
class CheckpointMoved extends Data.TaggedError("CheckpointMoved")<{ readonly position: number }> {}

type Requirements<R> = EventStore.EventStore | Checkpoints | SqlClient.SqlClient | R

/** Handles the events of a page read through `last` (past any events of other types), then saves `last`. */
const handlePage = <E, R>(
  options: Options<E, R>,
  expected: number,
  page: ReadonlyArray<Envelope.StoredEvent>,
  last: number
): Effect.Effect<number, E | EventStoreError | CheckpointMoved | SqlError, Requirements<R>> =>
  Effect.gen(function* () {
    const checkpoints = yield* Checkpoints
    const types = options.types === undefined ? undefined : new Set(options.types)
    const events = types === undefined ? page : page.filter((event) => types.has(event.type))
    if (options.transactional === false) {
      for (const event of events) yield* options.handle(event)
      yield* checkpoints.save(options.tenant, options.name, last)
      return last
    }
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        const stored = yield* checkpoints.lock(options.tenant, options.name)
        if (stored !== expected) return yield* Effect.fail(new CheckpointMoved({ position: stored }))
        for (const event of events) yield* options.handle(event)
        yield* checkpoints.save(options.tenant, options.name, last)
        return last
      })
    )
  })

const mapSql = <A, E, R>(
  effect: Effect.Effect<A, E | SqlError, R>
): Effect.Effect<A, Exclude<E, SqlError> | EventStoreError, R> =>
  connectionDefects(undefined)(
    Effect.catchIf(
      effect,
      (e): e is SqlError => isSqlError(e),
      (e) => Effect.fail(fromSqlError(undefined, e))
    )
  ) as never

/**
 * Runs the handler over the tenant's events from the stored checkpoint, then follows new events live.
 * Never ends on its own; after a restart it resumes where the last committed page left off. A runner of
 * some types catches up first (the store passes the other events over), then follows every event and
 * hands it those of its types.
 */
export const run = <E, R>(options: Options<E, R>): Effect.Effect<never, E | EventStoreError, Requirements<R>> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const checkpoints = yield* Checkpoints
    let cursor =
      options.types === undefined ? yield* checkpoints.load(options.tenant, options.name) : yield* catchUp(options)
    const pageSize = options.pageSize ?? 500
    yield* store.subscribe(options.tenant, { after: cursor }).pipe(
      Stream.runForEachArray((events) =>
        Effect.forEach(
          Array.from({ length: Math.ceil(events.length / pageSize) }, (_, i) =>
            events.slice(i * pageSize, (i + 1) * pageSize)
          ),
          (page) =>
            Effect.map(handlePage(options, cursor, page, page[page.length - 1]!.position), (last) => {
              cursor = last
            }),
          { discard: true }
        )
      )
    )
    return yield* Effect.never
  }).pipe(
    Effect.catchTag("CheckpointMoved", () => run(options)),
    mapSql,
    // Connection trouble: start over from the last committed checkpoint once the database is back.
    Effect.catchIf(
      (e): e is EventStoreError => isUnavailable(e),
      (e) =>
        Effect.logWarning(`projection ${options.name} paused: ${e.message}`).pipe(
          Effect.andThen(pause(1_000)),
          Effect.andThen(Effect.suspend(() => run(options)))
        )
    )
  ) as Effect.Effect<never, E | EventStoreError, Requirements<R>>

const isUnavailable = (e: unknown): boolean => e instanceof EventStoreError && e.reason === "Unavailable"

/** Handles every event up to the tenant's head as it is now, then returns the position reached. */
export const catchUp = <E, R>(options: Options<E, R>): Effect.Effect<number, E | EventStoreError, Requirements<R>> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const checkpoints = yield* Checkpoints
    const target = (yield* store.head(options.tenant)).position
    let cursor = yield* checkpoints.load(options.tenant, options.name)
    while (cursor < target) {
      const limit = Math.min(options.pageSize ?? 500, target - cursor)
      const { events, through } = yield* Subscription.readPage(
        { readAll: (page) => store.readAll(options.tenant, page), head: Effect.succeed(target) },
        { after: cursor, limit, types: options.types }
      )
      if (through <= cursor) break
      cursor = yield* handlePage(options, cursor, events, through)
    }
    return cursor
  }).pipe(
    Effect.catchTag("CheckpointMoved", () => catchUp(options)),
    mapSql
  ) as Effect.Effect<number, E | EventStoreError, Requirements<R>>

/**
 * Rebuilds the read model from zero: `reset` (e.g. truncate its tables) and the checkpoint's return to 0
 * commit together, then the events are handled again up to the head. A runner of the same name that is
 * running elsewhere notices the moved checkpoint and starts over too.
 */
export const rebuild = <E, R, E2, R2>(
  options: Options<E, R> & { readonly reset: Effect.Effect<void, E2, R2> }
): Effect.Effect<number, E | E2 | EventStoreError, Requirements<R | R2>> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const checkpoints = yield* Checkpoints
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* checkpoints.lock(options.tenant, options.name)
        yield* options.reset
        yield* checkpoints.save(options.tenant, options.name, 0)
      })
    )
    return yield* catchUp(options)
  }).pipe(mapSql) as Effect.Effect<number, E | E2 | EventStoreError, Requirements<R | R2>>
