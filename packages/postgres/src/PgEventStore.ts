import * as PgClient from "@effect/sql-pg/PgClient"
import {
  AppendValidation,
  Audit,
  type ConcurrencyConflict,
  type Envelope,
  EventStore,
  EventStoreError,
  HashChain,
  type IdempotencyMismatch,
  StreamNotFound,
  Subscription
} from "@shuangbai/eventsourcing"
import { Cause, Deferred, Duration, Effect, Exit, Layer, Option, Redacted, Scope, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import type * as Statement from "effect/sql/Statement"
import * as Checkpoints from "./Checkpoints.ts"
import { fromSqlError } from "./internal/errors.ts"
import { makeNotifier, pause } from "./internal/notifier.ts"
import { columns, decodeAllValues, jsonRow, type Shape } from "./internal/rows.ts"
import * as Tables from "./internal/tables.ts"
import { makeWriter, type Outcome, type Pending } from "./internal/writer.ts"
import * as PgListenModule from "./PgListen.ts"
import { PgListen } from "./PgListen.ts"
import * as PgliteClient from "./PgliteClient.ts"

export interface Options {
  /** The schema the tables live in, beside the host app's own (default `shuangbai`). */
  readonly schema?: string
  /** Largest encoded event payload accepted, in bytes (default 1 MiB, as the in-memory store). */
  readonly maxEventBytes?: number
  /**
   * Coalesce concurrent appends to one tenant into one transaction (default on). `false` gives every
   * append its own transaction; they still serialise on the tenant's head row.
   */
  readonly groupCommit?: boolean | { readonly maxEvents?: number; readonly maxBytes?: number }
  /** How often an idle subscriber re-reads when no notification came (default 500 ms). */
  readonly pollInterval?: Duration.Input
  /**
   * Check every event read against its hash and fail with the position of the first altered one
   * (`Audit.verifyingReads`; default off: it costs a sha256 per event read, see docs/audit.md).
   */
  readonly verifyReads?: boolean
}

export const defaultSchema = "shuangbai"

type AppendError = ConcurrencyConflict | IdempotencyMismatch | EventStoreError

interface Queued extends Pending {
  readonly deferred: Deferred.Deferred<EventStore.AppendResult, AppendError>
}

interface TenantQueue {
  readonly pending: Array<Queued>
  running: boolean
}

const invalidSchema = (schema: string) => {
  const problem = Tables.checkSchemaName(schema)
  return problem === undefined ? undefined : new EventStoreError({ reason: "InvalidRequest", message: problem })
}

// Text PostgreSQL cannot hold (NUL, a lone surrogate) was never stored: a read for it finds nothing.
const unstorable = (s: string) => s.includes("\u0000") || /\p{Cs}/u.test(s)

/** The `EventStore` port on PostgreSQL (server or PGlite): needs `SqlClient` and `PgListen`. */
export const make = (
  options: Options = {}
): Effect.Effect<EventStore.EventStoreShape, EventStoreError, SqlClient.SqlClient | PgListen | Scope.Scope> =>
  Effect.gen(function* () {
    const schema = options.schema ?? defaultSchema
    const bad = invalidSchema(schema)
    if (bad !== undefined) return yield* Effect.fail(bad)
    // Without the host app's name transforms: the store's own SQL and rows are in its own terms.
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const listen = yield* PgListen
    const scope = yield* Scope.Scope
    // Appends run in the store's own context, never inside a caller's transaction: the writer fiber gets
    // exactly this context (`setContext`; `provideContext` would merge it into the caller's, transaction
    // connection included).
    const context = yield* Effect.context<never>()
    const maxEventBytes = options.maxEventBytes ?? AppendValidation.defaultMaxEventBytes
    const group = options.groupCommit ?? true
    const maxEvents = typeof group === "object" ? (group.maxEvents ?? 1000) : group ? 1000 : 1
    const maxBytes = typeof group === "object" ? (group.maxBytes ?? 8 * 1024 * 1024) : 8 * 1024 * 1024
    const pollInterval = Duration.fromInputUnsafe(options.pollInterval ?? "500 millis")
    const channel = Tables.channelOf(schema)
    const writer = makeWriter(sql, schema, channel)
    const notifier = makeNotifier(listen, channel, scope, context, pollInterval)
    const t = (name: string) => sql(`${schema}.${name}`)
    const cols = sql.literal(columns)
    const eventJson = sql.literal(jsonRow)
    const mapError = (error: SqlError) => fromSqlError(schema, error)

    const settle = (item: Queued, outcome: Outcome) =>
      "events" in outcome
        ? Deferred.doneUnsafe(item.deferred, Effect.succeed(outcome))
        : Deferred.doneUnsafe(item.deferred, Effect.fail(outcome))

    // One batch; on a failure that is not the connection's or the schema's, each request is retried
    // alone so that one bad request cannot sink the others.
    const runBatch = (tenant: string, batch: ReadonlyArray<Queued>): Effect.Effect<void> =>
      Effect.flatMap(Effect.exit(writer.commit(tenant, batch)), (exit) => {
        if (Exit.isSuccess(exit)) {
          for (let i = 0; i < batch.length; i++) settle(batch[i]!, exit.value[i]!)
          return Effect.void
        }
        const failure = exit.cause.reasons.find(Cause.isFailReason)
        const error =
          failure !== undefined
            ? failure.error
            : new EventStoreError({ reason: "Unknown", message: "the append transaction died", cause: exit.cause })
        if (batch.length > 1 && error.reason !== "Unavailable" && error.reason !== "NotMigrated") {
          return Effect.forEach(batch, (item) => runBatch(tenant, [item]), { discard: true })
        }
        for (const item of batch) settle(item, error)
        return Effect.void
      })

    const queues = new Map<string, TenantQueue>()
    let closed = false

    const takeBatch = (queue: TenantQueue): Array<Queued> => {
      let events = 0
      let bytes = 0
      let n = 0
      while (n < queue.pending.length) {
        const next = queue.pending[n]!
        if (n > 0 && (events + next.request.events.length > maxEvents || bytes + next.bytes > maxBytes)) break
        events += next.request.events.length
        bytes += next.bytes
        n++
      }
      return queue.pending.splice(0, n)
    }

    const shuttingDown = new EventStoreError({
      reason: "Unavailable",
      message:
        "the event store is shutting down; the append may or may not have been written, retry with the same commandId"
    })

    yield* Scope.addFinalizer(
      scope,
      Effect.sync(() => {
        closed = true
      })
    )

    // The tenant's writer: drains every waiting request into one transaction, again and again, until none wait.
    const drain = (tenant: string, queue: TenantQueue): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (queue.pending.length === 0) {
          queue.running = false
          queues.delete(tenant)
          return Effect.void
        }
        const batch = takeBatch(queue)
        return runBatch(tenant, batch).pipe(
          Effect.onInterrupt(() =>
            Effect.sync(() => {
              for (const item of [...batch, ...queue.pending.splice(0)]) settle(item, shuttingDown)
            })
          ),
          Effect.andThen(drain(tenant, queue))
        )
      })

    // PGlite has one session: an append from inside the caller's open transaction would wait for that
    // transaction to end, and the transaction for the append. Refused at once instead of hanging.
    const oneSession = sql.driver === "pglite"
    const insideTransaction = new EventStoreError({
      reason: "InvalidRequest",
      message:
        "append called inside an open transaction on PGlite, which has one session: the append would wait for that transaction to end; append after it commits"
    })

    const append = (request: EventStore.AppendRequest): Effect.Effect<EventStore.AppendResult, AppendError> =>
      Effect.suspend(() => {
        const checked = AppendValidation.validate(request, maxEventBytes)
        if (checked._tag === "Err") return Effect.fail(checked.error)
        if (closed) return Effect.fail(shuttingDown)
        if (oneSession) {
          return Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
            Option.isSome(open) ? Effect.fail(insideTransaction) : enqueue(request, checked)
          )
        }
        return enqueue(request, checked)
      })

    /** Queues a validated request on its tenant's writer and waits for its outcome. */
    const enqueue = (
      request: EventStore.AppendRequest,
      checked: AppendValidation.Validated
    ): Effect.Effect<EventStore.AppendResult, AppendError> => {
      const item: Queued = {
        request,
        payloads: checked.payloads,
        sealData: checked.sealData,
        fingerprint: AppendValidation.fingerprint(request, checked.canonical),
        bytes: checked.payloads.reduce((n, p) => n + p.length, 0),
        deferred: Deferred.makeUnsafe()
      }
      // Enqueueing and starting the tenant's writer happen together or not at all; only the wait
      // for the result can be interrupted (the append is then still written: its outcome is unknown).
      return Effect.uninterruptibleMask((restore) =>
        Effect.suspend(() => {
          let queue = queues.get(request.tenant)
          if (queue === undefined) {
            queue = { pending: [], running: false }
            queues.set(request.tenant, queue)
          }
          queue.pending.push(item)
          if (queue.running) return restore(Deferred.await(item.deferred))
          queue.running = true
          return Effect.forkIn(Effect.setContext(drain(request.tenant, queue), context), scope).pipe(
            Effect.andThen(restore(Deferred.await(item.deferred)))
          )
        })
      )
    }

    const query = <A, E>(
      effect: Effect.Effect<A, E | SqlError>
    ): Effect.Effect<A, Exclude<E, SqlError> | EventStoreError> =>
      Effect.catchIf(
        effect,
        (e): e is SqlError => isSqlError(e),
        (e) => Effect.fail(mapError(e))
      ) as Effect.Effect<A, Exclude<E, SqlError> | EventStoreError>

    // Every read is one statement: the events `source` binds as `e` (a FROM clause), in `order`. On the
    // server they come back as rows of values; on PGlite, whose per-row result parsing costs several
    // times what the query does, as one JSON text (`json_agg` of `jsonRow`) parsed by one JSON.parse.
    const shape: Shape = sql.driver === "pglite" ? "json" : "columns"
    const selectEvents = (
      source: Statement.Fragment,
      order: string
    ): Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, SqlError> =>
      shape === "json"
        ? Effect.map(
            sql`SELECT json_agg(${eventJson} ORDER BY ${sql.literal(order)})::text FROM ${source}`.values,
            (rows) => {
              const page = rows[0]?.[0]
              return typeof page === "string" ? (JSON.parse(page) as ReadonlyArray<ReadonlyArray<unknown>>) : []
            }
          )
        : sql`SELECT ${cols} FROM ${source} ORDER BY ${sql.literal(order)}`.values

    const decoded = (rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
      const result = decodeAllValues(rows, shape)
      return result._tag === "Ok" ? Effect.succeed(result.events) : Effect.fail(result.error)
    }

    const bounds = (options: EventStore.ReadAllOptions) => ({
      after: Number.isNaN(options.after) ? 0 : Math.floor(Math.min(options.after, Number.MAX_SAFE_INTEGER)),
      limit: Number.isFinite(options.limit) ? Math.max(0, Math.floor(options.limit)) : options.limit > 0 ? null : 0
    })

    const readAll = (tenant: string, options: EventStore.ReadAllOptions) =>
      Effect.suspend(() => {
        const { after, limit } = bounds(options)
        if (unstorable(tenant) || limit === 0) return Effect.succeed([])
        return query(
          Effect.flatMap(
            selectEvents(
              sql`(SELECT * FROM ${t("events")} e
                WHERE e.tenant = ${tenant} AND e.position > ${after}
                ORDER BY e.position LIMIT ${limit}) e`,
              "e.position"
            ),
            decoded
          )
        )
      })

    const readSubject = (tenant: string, subject: string, options: EventStore.ReadAllOptions) =>
      Effect.suspend(() => {
        const { after, limit } = bounds(options)
        if (unstorable(tenant) || unstorable(subject) || limit === 0) return Effect.succeed([])
        return query(
          Effect.flatMap(
            // The index gives the positions; each event is then fetched by primary key (LATERAL … LIMIT 1
            // is never turned into a join that scans the tenant).
            selectEvents(
              sql`(SELECT s.position FROM ${t("subjects")} s
                  WHERE s.tenant = ${tenant} AND s.subject = ${subject} AND s.position > ${after}
                  ORDER BY s.position LIMIT ${limit}) s
                CROSS JOIN LATERAL (SELECT * FROM ${t("events")} e
                  WHERE e.tenant = ${tenant} AND e.position = s.position LIMIT 1) e`,
              "s.position"
            ),
            decoded
          )
        )
      })

    const asOf = (options: EventStore.ReadStreamOptions | undefined) => {
      const clauses = []
      if (options?.asOfPosition !== undefined) {
        clauses.push(sql`AND e.position <= ${Math.floor(options.asOfPosition)}`)
      }
      if (options?.asOfTime !== undefined) {
        // Compared as the ISO text the envelope carries, exactly as the in-memory store compares it.
        clauses.push(
          sql`AND to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') <= ${options.asOfTime}`
        )
      }
      return clauses.length === 0 ? sql`` : sql.join(" ", false)(clauses)
    }

    const readStream: EventStore.EventStoreShape["readStream"] = (tenant, stream, options) =>
      Effect.suspend((): Effect.Effect<ReadonlyArray<Envelope.StoredEvent>, StreamNotFound | EventStoreError> => {
        const notFound = new StreamNotFound({ tenant, stream })
        if (unstorable(tenant) || unstorable(stream.category) || unstorable(stream.id)) return Effect.fail(notFound)
        if (options?.asOfPosition !== undefined && Number.isNaN(options.asOfPosition)) return Effect.fail(notFound)
        const from = Math.max(1, Math.ceil(options?.fromVersion ?? 1))
        const filter = asOf(options)
        return query(
          Effect.gen(function* () {
            const rows = yield* selectEvents(
              sql`${t("events")} e
                WHERE e.tenant = ${tenant} AND e.category = ${stream.category} AND e.stream_id = ${stream.id}
                  AND e.version >= ${Number.isFinite(from) ? from : 2 ** 31} ${filter}`,
              "e.version"
            )
            if (rows.length > 0) return yield* decoded(rows)
            // Versions start at 1: read from the first, no rows means no stream (as of the filter), and
            // only a read from further on needs to ask whether the stream exists at all.
            if (from <= 1) return yield* Effect.fail(notFound)
            const existed = yield* sql`SELECT 1 AS found FROM ${t("events")} e
              WHERE e.tenant = ${tenant} AND e.category = ${stream.category} AND e.stream_id = ${stream.id} ${filter}
              LIMIT 1`
            return existed.length > 0 ? [] : yield* Effect.fail(notFound)
          })
        )
      })

    const readCommand: EventStore.EventStoreShape["readCommand"] = (tenant, commandId) =>
      Effect.suspend(() => {
        if (unstorable(tenant) || unstorable(commandId)) return Effect.succeed(undefined)
        return query(
          Effect.gen(function* () {
            const rows = yield* selectEvents(
              sql`${t("commands")} c
                CROSS JOIN LATERAL (SELECT * FROM ${t("events")} e
                  WHERE e.tenant = c.tenant AND e.position BETWEEN c.first_position AND c.last_position
                  ORDER BY e.position OFFSET 0) e
                WHERE c.tenant = ${tenant} AND c.command_id = ${commandId}`,
              "e.position"
            )
            return rows.length === 0 ? undefined : yield* decoded(rows)
          })
        )
      })

    const head: EventStore.EventStoreShape["head"] = (tenant) =>
      Effect.suspend(() => {
        if (unstorable(tenant)) return Effect.succeed({ position: 0, hash: HashChain.genesis })
        return query(
          Effect.map(
            sql<{ position: string; hash: string }>`SELECT position::text AS position, hash
              FROM ${t("heads")} WHERE tenant = ${tenant}`,
            (rows) =>
              rows.length === 0
                ? { position: 0, hash: HashChain.genesis }
                : { position: Number(rows[0]!.position), hash: rows[0]!.hash }
          )
        )
      })

    // A subscriber outlives connection trouble: a page that fails with Unavailable is read again, from
    // the same cursor, after a growing pause.
    const retryUnavailable = <A>(
      effect: Effect.Effect<A, EventStoreError>,
      attempt = 0
    ): Effect.Effect<A, EventStoreError> =>
      Effect.catchIf(
        effect,
        (e) => e.reason === "Unavailable",
        (e) =>
          Effect.logWarning(`event store unavailable, retrying: ${e.message}`).pipe(
            Effect.andThen(pause(Math.min(5_000, 50 * 2 ** Math.min(attempt, 10)))),
            Effect.andThen(retryUnavailable(effect, attempt + 1))
          )
      )

    const subscribe: EventStore.EventStoreShape["subscribe"] = (tenant, { after }) =>
      Stream.unwrap(
        Effect.map(notifier.start, () => {
          let seen = ""
          return Subscription.catchUpThenFollow(
            {
              readPage: (cursor, limit) =>
                retryUnavailable(
                  Effect.suspend(() => {
                    seen = notifier.token(tenant)
                    return readAll(tenant, { after: cursor, limit })
                  })
                ),
              awaitNewer: () => notifier.wait(tenant, seen)
            },
            after
          )
        })
      )

    const store: EventStore.EventStoreShape = { append, readStream, readAll, readSubject, readCommand, head, subscribe }
    return options.verifyReads === true ? Audit.verifyingReads(store) : store
  })

/** Provides `EventStore` on the `SqlClient` and `PgListen` in context, with the default schema. */
export const layer: Layer.Layer<EventStore.EventStore, EventStoreError, SqlClient.SqlClient | PgListen> = Layer.effect(
  EventStore.EventStore,
  make()
)

export const layerWith = (
  options: Options
): Layer.Layer<EventStore.EventStore, EventStoreError, SqlClient.SqlClient | PgListen> =>
  Layer.effect(EventStore.EventStore, make(options))

/**
 * Creates the schema if needed and runs the pending migrations (idempotent; concurrent runs wait on
 * each other). Returns the migrations it ran.
 */
export const migrate = (
  schema: string = defaultSchema
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, EventStoreError, SqlClient.SqlClient> =>
  Effect.suspend(() => {
    const bad = invalidSchema(schema)
    if (bad !== undefined) return Effect.fail(bad)
    return Tables.migrate(schema).pipe(
      Effect.mapError((error) =>
        error._tag === "SqlError"
          ? fromSqlError(schema, error)
          : new EventStoreError({ reason: "Unknown", message: `migration failed: ${error.message}`, cause: error })
      )
    )
  })

export interface PgOptions extends Options {
  /** `postgres://user:password@host:port/database` */
  readonly url: string | Redacted.Redacted
  /** Run the migrations when the layer starts (default false: run `shuangbai migrate` as an ops step). */
  readonly migrate?: boolean
  /** Pool size (default the driver's). Group commit needs about one connection per busy tenant. */
  readonly maxConnections?: number
  /** Further `@effect/sql-pg` pool settings. */
  readonly client?: Omit<PgClient.PgPoolConfig, "url">
}

const unreachable = (cause: unknown) =>
  new EventStoreError({
    reason: "Unavailable",
    message: `cannot connect to PostgreSQL: ${
      isSqlError(cause) ? cause.message : String(cause)
    }; check the connection URL (postgres://user:password@host:port/database) and that the server accepts connections`,
    cause
  })

const withStore = <E, R>(
  clients: Layer.Layer<SqlClient.SqlClient | PgListen, E, R>,
  options: Options & { readonly migrate?: boolean }
) => {
  const ready =
    options.migrate === true
      ? Layer.provideMerge(Layer.effectDiscard(migrate(options.schema ?? defaultSchema)), clients)
      : clients
  return Layer.provideMerge(
    Layer.merge(layerWith(options), Checkpoints.layerWith({ schema: options.schema ?? defaultSchema })),
    ready
  )
}

/**
 * The store on a PostgreSQL server through `@effect/sql-pg`: provides `EventStore`, `Checkpoints`, the
 * `SqlClient` (for a host app's read models in the same database) and `PgListen`.
 */
export const layerPg = (
  options: PgOptions
): Layer.Layer<
  EventStore.EventStore | Checkpoints.Checkpoints | SqlClient.SqlClient | PgClient.PgClient | PgListen,
  EventStoreError
> => {
  const client = PgClient.layerFrom(
    Effect.mapError(
      PgClient.make({
        ...options.client,
        url: typeof options.url === "string" ? Redacted.make(options.url) : options.url,
        ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections })
      }),
      unreachable
    )
  )
  return withStore(Layer.provideMerge(PgListenModule.layerPgClient, client), options)
}

export interface PgliteOptions extends Options {
  /** Directory of the on-disk database, created when missing; absent = in memory. */
  readonly dataDir?: string
  /** Run the migrations when the layer starts (default true: the embedded database is the app's own). */
  readonly migrate?: boolean
}

/** The store embedded in the process on PGlite (Postgres in WASM): for the demo, a laptop and tests. */
export const layerPglite = (
  options: PgliteOptions = {}
): Layer.Layer<
  EventStore.EventStore | Checkpoints.Checkpoints | SqlClient.SqlClient | PgliteClient.PgliteClient | PgListen,
  EventStoreError
> =>
  withStore(
    Layer.catchCause(PgliteClient.layer(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), (cause) => {
      const error = Cause.squash(cause)
      return Layer.effectContext(
        Effect.fail(
          new EventStoreError({
            reason: "Unavailable",
            message: `cannot open the embedded database: ${
              isSqlError(error) ? error.message : String(error)
            }; check that dataDir is a directory this process can write`,
            cause: error
          })
        )
      )
    }),
    { ...options, migrate: options.migrate ?? true }
  )
