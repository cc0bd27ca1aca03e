import * as PgClient from "@effect/sql-pg/PgClient"
import {
  AppendValidation,
  Audit,
  type ConcurrencyConflict,
  EventStore,
  EventStoreError,
  type IdempotencyMismatch,
  Sealing,
  SubjectKeys
} from "@shuangbai/eventsourcing"
import { Cause, Context, Duration, Effect, Layer, Option, Redacted, Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { isSqlError } from "effect/sql/SqlError"
import * as Checkpoints from "./Checkpoints.ts"
import { fromSqlError } from "./internal/errors.ts"
import * as GroupCommit from "./internal/groupCommit.ts"
import { makeNotifier, makePollingNotifier } from "./internal/notifier.ts"
import { makeReads } from "./internal/reads.ts"
import { makeReplicaReads } from "./internal/replicaReads.ts"
import * as Tables from "./internal/tables.ts"
import { makeWriter } from "./internal/writer.ts"
import * as PgListenModule from "./PgListen.ts"
import { PgListen } from "./PgListen.ts"
import * as PgliteClient from "./PgliteClient.ts"
import * as PgSubjectKeys from "./PgSubjectKeys.ts"

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
  /**
   * With a `ReadReplica`: how long a read of a tenant this store has just appended to waits for the
   * standby to replay that append before it reads the primary instead (default 1 s; docs/postgres.md,
   * "Read replicas").
   */
  readonly replicaWait?: Duration.Input
  /**
   * Every call in a span (`EventStore.traced`; default on). Off only to measure what spans cost: without
   * a tracer installed that is a few allocations per call (docs/benchmarks.md).
   */
  readonly spans?: boolean
  /**
   * The database is a Citus coordinator with the tables distributed by tenant (`distribute`; with `migrate:
   * true` the layer distributes them after migrating). Appends then take the full path and write with
   * `INSERT … VALUES` statements that Citus routes whole to the tenant's worker, and the notification is
   * sent from the coordinator. Default off. See docs/postgres.md, "Citus".
   */
  readonly citus?: boolean
}

/**
 * A hot standby's client for the store's reads and subscriptions. When it is in context, `make` sends
 * appends to the `SqlClient` (the primary) and reads to the standby; `layerPg({ readUrl })` provides it.
 */
export class ReadReplica extends Context.Service<ReadReplica, SqlClient.SqlClient>()(
  "@shuangbai/postgres/ReadReplica"
) {}

export const defaultSchema = "shuangbai"

type AppendError = ConcurrencyConflict | IdempotencyMismatch | EventStoreError

const invalidSchema = (schema: string) => {
  const problem = Tables.checkSchemaName(schema)
  return problem === undefined ? undefined : new EventStoreError({ reason: "InvalidRequest", message: problem })
}

/**
 * The `EventStore` port on PostgreSQL (server or PGlite): needs `SqlClient` and `PgListen`, and reads
 * from a `ReadReplica` when one is in context.
 */
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
    const channel = Tables.channelOf(schema)
    const writer = makeWriter(sql, schema, channel, options.citus === true)
    const queue = yield* GroupCommit.make({
      commit: writer.commit,
      maxEvents: typeof group === "object" ? (group.maxEvents ?? 1000) : group ? 1000 : 1,
      maxBytes: typeof group === "object" ? (group.maxBytes ?? 8 * 1024 * 1024) : 8 * 1024 * 1024,
      scope,
      context
    })
    const pollInterval = Duration.fromInputUnsafe(options.pollInterval ?? "500 millis")
    const notifier = makeNotifier(listen, channel, scope, context, pollInterval)

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
        if (queue.isClosed()) return Effect.fail(GroupCommit.shuttingDown)
        const enqueue = queue.enqueue(request, checked, AppendValidation.fingerprint(request, checked.canonical))
        if (oneSession) {
          return Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
            Option.isSome(open) ? Effect.fail(insideTransaction) : enqueue
          )
        }
        return enqueue
      })

    // The keys are read and made on the primary, in the store's own context like the writer: a key made inside
    // a caller's transaction that then rolled back would leave sealed events without their key.
    // The layer's SubjectKeys when there is one, so that an erasure through it forgets the keys this store keeps.
    const shared = yield* Effect.serviceOption(SubjectKeys.SubjectKeys)
    const keys = ownContext(Option.isSome(shared) ? shared.value : yield* PgSubjectKeys.make({ schema }), context)
    const primaryReads = makeReads(sql, schema, notifier)
    const replica = yield* Effect.serviceOption(ReadReplica)
    if (Option.isNone(replica)) return verified(options, Sealing.sealed({ append, ...primaryReads }, keys))
    // The primary's notifications still wake the standby's subscribers (a hint: the standby may replay
    // the append a moment later, and the poll interval bounds that wait).
    const standbyReads = makeReads(replica.value.withoutTransforms(), schema, notifier)
    const wait = Duration.toMillis(Duration.fromInputUnsafe(options.replicaWait ?? "1 second"))
    const { reads, appended } = makeReplicaReads(standbyReads, primaryReads, wait)
    return verified(
      options,
      Sealing.sealed(
        {
          append: (request) =>
            Effect.tap(append(request), (result) => Effect.sync(() => appended(request.tenant, result))),
          ...reads
        },
        keys
      )
    )
  })

/** The keys with every call in `context`, whatever transaction the caller has open. */
const ownContext = (
  keys: SubjectKeys.SubjectKeysShape,
  context: Context.Context<never>
): SubjectKeys.SubjectKeysShape => ({
  getOrCreate: (tenant, subjects) => Effect.setContext(keys.getOrCreate(tenant, subjects), context),
  read: (tenant, subjects) => Effect.setContext(keys.read(tenant, subjects), context),
  destroy: (tenant, subject, rewrites) => Effect.setContext(keys.destroy(tenant, subject, rewrites), context),
  restore: (tenant, restored) => Effect.setContext(keys.restore(tenant, restored), context)
})

const verified = (options: Pick<Options, "verifyReads" | "spans">, store: EventStore.EventStoreShape) => {
  const checked = options.verifyReads === true ? Audit.verifyingReads(store) : store
  return options.spans === false ? checked : EventStore.traced(checked)
}

/**
 * A read-only `EventStore` on a PostgreSQL hot standby (needs only its `SqlClient`): reads and
 * subscriptions as `make` serves them, subscribers polling every `pollInterval` since a standby cannot
 * LISTEN; `append` fails without touching anything.
 */
export const makeStandby = (
  options: Pick<Options, "schema" | "pollInterval" | "verifyReads" | "spans"> = {}
): Effect.Effect<EventStore.EventStoreShape, EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const schema = options.schema ?? defaultSchema
    const bad = invalidSchema(schema)
    if (bad !== undefined) return yield* Effect.fail(bad)
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const notifier = makePollingNotifier(Duration.fromInputUnsafe(options.pollInterval ?? "500 millis"))
    const readOnly = new EventStoreError({
      reason: "InvalidRequest",
      message:
        "append called on a store that reads a PostgreSQL hot standby (PgEventStore.layerReplica), which cannot write: append through PgEventStore.layerPg on the primary"
    })
    const keys = yield* PgSubjectKeys.make({ schema })
    return verified(
      options,
      Sealing.sealed({ append: () => Effect.fail(readOnly), ...makeReads(sql, schema, notifier) }, keys)
    )
  })

/** Provides `EventStore` and its `SubjectKeys` (for `Erasure.erase`) with `options`. */
export const layerWith = (
  options: Options
): Layer.Layer<EventStore.EventStore | SubjectKeys.SubjectKeys, EventStoreError, SqlClient.SqlClient | PgListen> =>
  Layer.effect(EventStore.EventStore, make(options)).pipe(
    Layer.provideMerge(PgSubjectKeys.layerWith({ schema: options.schema ?? defaultSchema }))
  )

export const layer: Layer.Layer<
  EventStore.EventStore | SubjectKeys.SubjectKeys,
  EventStoreError,
  SqlClient.SqlClient | PgListen
> = layerWith({})

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

/** The tables `distribute` distributes by tenant, `events` first (the others are colocated with it). */
export const citusTables: ReadonlyArray<string> = Tables.distributedTables

/**
 * On a Citus coordinator, distributes the migrated tables by tenant, colocated with `events` (idempotent:
 * tables already distributed are left alone). Returns the tables it distributed. Run it once after
 * `migrate`, as an ops step, or set `citus: true` with `migrate: true` on the layer. See docs/postgres.md, "Citus".
 */
export const distribute = (
  schema: string = defaultSchema
): Effect.Effect<ReadonlyArray<string>, EventStoreError, SqlClient.SqlClient> =>
  Effect.suspend(() => {
    const bad = invalidSchema(schema)
    if (bad !== undefined) return Effect.fail(bad)
    return Tables.distribute(schema).pipe(
      Effect.catchTag("SqlError", (error) => Effect.fail(fromSqlError(schema, error)))
    )
  })

/**
 * Session settings the store needs on every server connection it uses. `enable_seqscan = off`: the driver
 * prepares every statement, and a generic plan PostgreSQL made while the tables were small (a sequential scan of
 * a one-page table) would be kept as they grow, scanning the tenant on every append. With sequential scans off
 * the planner takes the index wherever one answers, at any table size, and every statement of the store has one,
 * so its plans may be generic and made once per connection (docs/postgres.md, "Plans that stay good as the
 * tables grow"). `layerPg` sets them over the host's own `client.startupParameters`; a host that builds its own
 * `PgClient` for `layerWith` passes them as its `startupParameters`.
 */
export const serverSettings: Readonly<Record<string, string>> = { enable_seqscan: "off" }

export interface PgOptions extends Options {
  /** `postgres://user:password@host:port/database` */
  readonly url: string | Redacted.Redacted
  /** Run the migrations when the layer starts (default false: run `shuangbai migrate` as an ops step). */
  readonly migrate?: boolean
  /** Pool size (default the driver's). Group commit needs about one connection per busy tenant. */
  readonly maxConnections?: number
  /** Further `@effect/sql-pg` pool settings. */
  readonly client?: Omit<PgClient.PgPoolConfig, "url">
  /**
   * A hot standby of the same database: reads and subscriptions go there, appends to `url`
   * (docs/postgres.md, "Read replicas"). Same pool settings as the primary.
   */
  readonly readUrl?: string | Redacted.Redacted
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
  const schema = options.schema ?? defaultSchema
  const migrated =
    options.citus === true ? Effect.andThen(migrate(schema), distribute(schema)) : Effect.asVoid(migrate(schema))
  const ready = options.migrate === true ? Layer.provideMerge(Layer.effectDiscard(migrated), clients) : clients
  return Layer.provideMerge(Layer.merge(layerWith(options), Checkpoints.layerWith({ schema })), ready)
}

/**
 * The store on a PostgreSQL server through `@effect/sql-pg`: provides `EventStore`, `Checkpoints`, the
 * `SqlClient` (for a host app's read models in the same database) and `PgListen`.
 */
export const layerPg = (
  options: PgOptions
): Layer.Layer<
  | EventStore.EventStore
  | SubjectKeys.SubjectKeys
  | Checkpoints.Checkpoints
  | SqlClient.SqlClient
  | PgClient.PgClient
  | PgListen,
  EventStoreError
> => {
  const client = PgClient.layerFrom(pgClient(options.url, options))
  const clients = Layer.provideMerge(PgListenModule.layerPgClient, client)
  if (options.readUrl === undefined) return withStore(clients, options)
  const standby = Layer.effect(ReadReplica, pgClient(options.readUrl, options)).pipe(Layer.provide(Reactivity.layer))
  return withStore(Layer.merge(clients, standby), options)
}

const pgClient = (url: string | Redacted.Redacted, options: Omit<PgOptions, "url">) =>
  Effect.mapError(
    PgClient.make({
      ...options.client,
      startupParameters: { ...options.client?.startupParameters, ...serverSettings },
      url: typeof url === "string" ? Redacted.make(url) : url,
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections })
    }),
    unreachable
  )

export interface ReplicaOptions extends Pick<Options, "schema" | "pollInterval" | "verifyReads"> {
  /** `postgres://user:password@host:port/database` of the hot standby. */
  readonly url: string | Redacted.Redacted
  /** Pool size (default the driver's). */
  readonly maxConnections?: number
  /** Further `@effect/sql-pg` pool settings. */
  readonly client?: Omit<PgClient.PgPoolConfig, "url">
}

/**
 * A read-only store on a PostgreSQL hot standby through `@effect/sql-pg`, for a process that only reads
 * and follows the log (a projection runner, a report server): provides `EventStore`, whose `append`
 * fails. Subscribers poll; see docs/postgres.md, "Read replicas".
 */
export const layerReplica = (options: ReplicaOptions): Layer.Layer<EventStore.EventStore, EventStoreError> =>
  Layer.effect(EventStore.EventStore, makeStandby(options)).pipe(
    Layer.provide(PgClient.layerFrom(pgClient(options.url, options)))
  )

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
  | EventStore.EventStore
  | SubjectKeys.SubjectKeys
  | Checkpoints.Checkpoints
  | SqlClient.SqlClient
  | PgliteClient.PgliteClient
  | PgListen,
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
