/**
 * An effect/sql client over PGlite (Postgres compiled to WASM, one in-process connection): the
 * embedded store of the demo, the CLI and tests that need no server. It provides `SqlClient` with
 * the same statement compiler, error classification and row types as `@effect/sql-pg`, so code
 * written against one driver runs on the other, and `PgListen` for LISTEN/NOTIFY.
 *
 * PGlite is a single session. Statements are serialized by a semaphore: a transaction holds it from
 * `BEGIN` to `COMMIT`/`ROLLBACK`, a plain statement holds it while it runs, and statements inside a
 * transaction run on the transaction's connection without taking it again. Anything that asks for a
 * connection of its own from inside a transaction (`sql.reserve`, `listen`) waits for it to end.
 */
// PGlite's declarations use Emscripten's global types without depending on them; a host that type-checks its
// libraries (skipLibCheck false) gets them through this package.
/// <reference types="emscripten" preserve="true" />
import { mkdir } from "node:fs/promises"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as PgTypes from "@effect/sql-pg/PgTypes"
import { PGlite, type PGliteOptions, type QueryOptions, type Results } from "@electric-sql/pglite"
import { Cause, Config, Context, Effect, Layer, Predicate, Queue, type Scope, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import * as Client from "effect/sql/SqlClient"
import type { Connection } from "effect/sql/SqlConnection"
import {
  AuthenticationError,
  AuthorizationError,
  ConnectionError,
  ConstraintError,
  DeadlockError,
  LockTimeoutError,
  SerializationError,
  SqlError,
  type SqlErrorReason,
  SqlSyntaxError,
  StatementTimeoutError,
  UniqueViolation,
  UnknownError
} from "effect/sql/SqlError"
import * as Statement from "effect/sql/Statement"
import { makePrepared } from "./internal/pglitePrepared.ts"
import { PgListen } from "./PgListen.ts"

export const TypeId = "~@shuangbai/postgres/PgliteClient" as const
export type TypeId = typeof TypeId

export interface PgliteClient extends Client.SqlClient {
  readonly [TypeId]: TypeId
  readonly config: PgliteClientConfig
  /** A jsonb parameter, as `PgClient.json` on the server driver. */
  readonly json: (value: unknown) => Statement.Fragment
  /**
   * LISTEN on `channel` (case-sensitive, as `pg_notify` names it) until the scope closes; the queue
   * receives each payload. Resolves once LISTEN has run, so a NOTIFY committed afterwards arrives.
   */
  readonly listen: (channel: string) => Effect.Effect<Queue.Dequeue<string, SqlError>, SqlError, Scope.Scope>
  readonly notify: (channel: string, payload: string) => Effect.Effect<void, SqlError>
  /**
   * The PGlite instance itself, for what effect/sql cannot express (`dumpDataDir`, `exec` of a script).
   * It bypasses the client's lock: use it only while no statement of this client runs.
   */
  readonly pglite: PGlite
}

export const PgliteClient = Context.Service<PgliteClient>("@shuangbai/postgres/PgliteClient")

export interface PgliteClientConfig {
  /** Directory of an on-disk database, created when missing; absent = in memory. */
  readonly dataDir?: string | undefined
  /** Don't wait for PGlite's file-system sync after each statement (a no-op on Node's file system). */
  readonly relaxedDurability?: boolean | undefined
  readonly transformResultNames?: ((str: string) => string) | undefined
  readonly transformQueryNames?: ((str: string) => string) | undefined
  readonly transformJson?: boolean | undefined
  readonly spanAttributes?: Record<string, unknown> | undefined
  /**
   * Anything else PGlite takes (extensions, `loadDataDir`, `debug`, extra `parsers`). `dataDir` and
   * `relaxedDurability` above win over the same fields here; `parsers` are layered over ours.
   */
  readonly pglite?: PGliteOptions | undefined
}

const OID = PgTypes.OID

/**
 * Row values decoded as `@effect/sql-pg` decodes them, where PGlite's defaults differ: int8 is always
 * a bigint, date stays a `YYYY-MM-DD` string, and timestamp (without time zone) reads its wall clock
 * as UTC. Arrays of these follow, since PGlite builds array parsers from the element parsers.
 */
const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (value) => BigInt(value),
  [OID.date]: (value) => value,
  [OID.timestamp]: (value) => new Date(`${value.replace(" ", "T")}Z`)
}

/** Opens PGlite for the scope and builds the client on it. */
export const make = (
  options: PgliteClientConfig = {}
): Effect.Effect<PgliteClient, SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function* () {
    const semaphore = Semaphore.makeUnsafe(1)
    const pg = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          // PGlite creates only the last level of a data directory; a host app expects the whole path made.
          if (options.dataDir !== undefined && !options.dataDir.includes("://")) {
            await mkdir(options.dataDir, { recursive: true })
          }
          const pg = await PGlite.create({
            ...options.pglite,
            ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
            ...(options.relaxedDurability === undefined ? {} : { relaxedDurability: options.relaxedDurability }),
            parsers: { ...parsers, ...options.pglite?.parsers }
          })
          // Statements stay prepared (see internal/pglitePrepared.ts). PGlite runs no autovacuum, so no
          // ANALYZE ever invalidates a plan: a generic plan PostgreSQL settled on while a table was empty would
          // be kept as the table grew. With sequential scans off that plan is an index probe, not a scan whose
          // cost grows with every call (the server's connections run the same way: PgEventStore.serverSettings).
          await pg.exec("SET enable_seqscan = off")
          return pg
        },
        catch: (cause) =>
          new SqlError({
            reason: new ConnectionError({
              cause,
              message: `PgliteClient: cannot open ${options.dataDir ?? "an in-memory database"}: ${describe(cause)}`,
              operation: "connect"
            })
          })
      }),
      // Waits for a running transaction or statement, so PGlite is never closed under one.
      (pg) =>
        semaphore.withPermit(
          Effect.ignore(
            Effect.tryPromise(() => pg.close()),
            { log: "Warn", message: "PgliteClient: closing PGlite failed" }
          )
        )
    )
    return yield* makeWith(pg, semaphore, options)
  })

const makeWith = Effect.fnUntraced(function* (
  pg: PGlite,
  semaphore: Semaphore.Semaphore,
  config: PgliteClientConfig
): Effect.fn.Return<PgliteClient, never, Scope.Scope | Reactivity.Reactivity> {
  // Statements are kept prepared, as a server driver keeps them; the `…Unprepared` calls skip the cache.
  const prepared = makePrepared(pg)
  const query = <T>(sql: string, params: ReadonlyArray<unknown>, rowMode?: "array", prepare = true) =>
    Effect.tryPromise({
      try: () => {
        const bound = bindParameters(params)
        const options: QueryOptions = {}
        if (rowMode !== undefined) options.rowMode = rowMode
        if (bound.types !== undefined) options.paramTypes = bound.types
        return prepare ? prepared.query<T>(sql, bound.values, options) : pg.query<T>(sql, bound.values, options)
      },
      catch: (cause) => queryError(cause, pg, "query")
    })
  const rows = (sql: string, params: ReadonlyArray<unknown>, prepare = true) =>
    Effect.map(query<any>(sql, params, undefined, prepare), (_) => _.rows)

  const transformRows = config.transformResultNames
    ? Statement.defaultTransforms(config.transformResultNames, config.transformJson).array
    : undefined

  const connection: Connection = {
    execute: (sql, params, transform) => (transform ? Effect.map(rows(sql, params), transform) : rows(sql, params)),
    executeRaw: (sql, params) => query(sql, params),
    executeValues: (sql, params) => Effect.map(query<Array<unknown>>(sql, params, "array"), (_) => _.rows),
    executeValuesUnprepared: (sql, params) =>
      Effect.map(query<Array<unknown>>(sql, params, "array", false), (_) => _.rows),
    executeUnprepared: (sql, params, transform) =>
      transform ? Effect.map(rows(sql, params, false), transform) : rows(sql, params, false),
    // PGlite returns a result whole; the stream hands it on in chunks.
    executeStream: (sql, params, transform) =>
      Stream.unwrap(Effect.map(rows(sql, params), (all) => Stream.fromIterable(transform ? transform(all) : all)))
  }

  // The single-connection acquirers effect/sql builds for SQLite fit any one-session database: a
  // lease holds the semaphore for its scope, a borrow for one statement, and a failed COMMIT that
  // leaves the transaction open is rolled back before anyone else gets the connection.
  const acquirers = Client.makeSqliteAcquirers({
    connection: Effect.succeed(connection),
    semaphore,
    isTransaction: () => !pg.closed && pg.isInTransaction()
  })

  const client = yield* Client.make({
    driver: "pglite",
    acquirer: acquirers.acquirer,
    borrower: acquirers.borrower,
    transactionAcquirer: acquirers.transactionAcquirer,
    isTransaction: acquirers.isTransaction,
    onCommitFailure: acquirers.onCommitFailure,
    commit,
    releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
    compiler: PgClient.makeCompiler(config.transformQueryNames, config.transformJson),
    spanAttributes: [
      ...(config.spanAttributes ? Object.entries(config.spanAttributes) : []),
      [ATTR_DB_SYSTEM_NAME, "postgresql"],
      [ATTR_DB_NAMESPACE, config.dataDir ?? "memory"]
    ],
    transformRows
  })

  const listeners = yield* makeListeners(pg, semaphore)

  return Object.assign(client, {
    [TypeId]: TypeId,
    config,
    json: (value: unknown) => Statement.fragment([PgJson(value)]),
    listen: listeners.listen,
    notify: (channel: string, payload: string) =>
      Effect.flatMap(validateChannel(channel, "notify"), () =>
        Effect.asVoid(client`SELECT pg_notify(${channel}, ${payload})`)
      ),
    pglite: pg
  })
})

/** Postgres answers COMMIT of an aborted transaction with ROLLBACK: that is a failed commit. */
const commit = (conn: Connection): Effect.Effect<void, SqlError> =>
  Effect.flatMap(conn.executeRaw("COMMIT", []) as Effect.Effect<Results, SqlError>, (result) =>
    result.command === "ROLLBACK"
      ? Effect.fail(
          new SqlError({
            reason: new UnknownError({
              cause: new Error("COMMIT rolled back an aborted transaction"),
              message: "PgliteClient: COMMIT rolled back an aborted transaction",
              operation: "commit"
            })
          })
        )
      : Effect.void
  )

// LISTEN / NOTIFY -------------------------------------------------------------------------------

const makeListeners = Effect.fnUntraced(function* (pg: PGlite, semaphore: Semaphore.Semaphore) {
  const channels = new Map<string, Set<Queue.Queue<string, SqlError>>>()
  // PGlite hands notifications over in microtasks once the statement that delivered them (the
  // COMMIT, or the NOTIFY outside a transaction) has run.
  const off = pg.onNotification((channel, payload) => {
    const queues = channels.get(channel)
    if (queues !== undefined) for (const queue of queues) Queue.offerUnsafe(queue, payload)
  })
  yield* Effect.addFinalizer(() =>
    Effect.sync(() => {
      off()
      const closed = new SqlError({
        reason: new ConnectionError({
          cause: new Error("PGlite closed"),
          message: "PgliteClient: the database was closed while listening",
          operation: "listen"
        })
      })
      for (const queues of channels.values())
        for (const queue of queues) Queue.failCauseUnsafe(queue, Cause.fail(closed))
      channels.clear()
    })
  )

  const exec = (sql: string, operation: string) =>
    Effect.tryPromise({ try: () => pg.exec(sql), catch: (cause) => queryError(cause, pg, operation) })

  // Under the lock, so LISTEN never lands inside another fiber's open transaction (where a rollback
  // would undo it). A listen started inside a transaction therefore waits for that transaction.
  const subscribe = (channel: string, queue: Queue.Queue<string, SqlError>) =>
    semaphore.withPermit(
      Effect.suspend(() => {
        const queues = channels.get(channel)
        if (queues !== undefined) {
          queues.add(queue)
          return Effect.void
        }
        return Effect.tap(exec(`LISTEN ${quoteIdentifier(channel)}`, "listen"), () =>
          Effect.sync(() => channels.set(channel, new Set([queue])))
        )
      })
    )

  const unsubscribe = (channel: string, queue: Queue.Queue<string, SqlError>) =>
    semaphore.withPermit(
      Effect.suspend(() => {
        const queues = channels.get(channel)
        if (queues === undefined || !queues.delete(queue) || queues.size > 0) return Effect.void
        channels.delete(channel)
        return pg.closed
          ? Effect.void
          : Effect.ignore(exec(`UNLISTEN ${quoteIdentifier(channel)}`, "unlisten"), {
              log: "Warn",
              message: "PgliteClient: UNLISTEN failed"
            })
      })
    )

  const listen = (channel: string): Effect.Effect<Queue.Dequeue<string, SqlError>, SqlError, Scope.Scope> =>
    Effect.flatMap(validateChannel(channel, "listen"), () =>
      Effect.acquireRelease(
        Effect.flatMap(Queue.unbounded<string, SqlError>(), (queue) => Effect.as(subscribe(channel, queue), queue)),
        (queue) => Effect.andThen(unsubscribe(channel, queue), Queue.shutdown(queue))
      )
    )

  return { listen }
})

const channelEncoder = new TextEncoder()

const validateChannel = (channel: string, operation: string): Effect.Effect<void, SqlError> => {
  const length = channelEncoder.encode(channel).byteLength
  if (length > 0 && length <= 63 && !channel.includes("\u0000")) return Effect.void
  const message = "PgliteClient: a channel name must be 1 to 63 UTF-8 bytes without NUL"
  return Effect.fail(new SqlError({ reason: new UnknownError({ cause: new Error(message), message, operation }) }))
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`

// Parameters ------------------------------------------------------------------------------------

interface PgJson extends Statement.Custom<"PgJson", unknown> {}
/** The same custom fragment `PgClient.json` makes, so `PgClient.makeCompiler` compiles it. */
const PgJson = Statement.custom<PgJson>("PgJson")

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/**
 * Parameter types as `@effect/sql-pg` infers them (a JS integer binds as int4 or int8, a Date as
 * timestamptz, a string untyped so the statement decides …), so a statement means the same on both
 * drivers. Values it cannot type (plain objects, mixed arrays) bind untyped and PGlite serializes
 * them by the type Postgres infers. `PgTypes` parameters (`PgTypes.jsonb(x)`, `PgTypes.uuid(s)` …)
 * keep their OID.
 */
const bindParameters = (
  params: ReadonlyArray<unknown>
): { readonly values: Array<unknown>; readonly types: Array<number> | undefined } => {
  let types: Array<number> | undefined
  const values = new Array<unknown>(params.length)
  for (let index = 0; index < params.length; index++) {
    const param = params[index]
    let oid: number
    if (PgTypes.isParameter(param)) {
      oid = param.oid
      values[index] =
        (oid === OID.json || oid === OID.jsonb) && param.value !== null ? JSON.stringify(param.value) : param.value
    } else {
      oid = Array.isArray(param) ? arrayOid(param) : scalarOid(param)
      values[index] = oid === OID.int8 && typeof param === "number" ? BigInt(param) : param
    }
    if (oid !== 0) {
      types ??= new Array<number>(params.length).fill(0)
      types[index] = oid
    }
  }
  return { values, types }
}

const scalarOid = (value: unknown): number => {
  switch (typeof value) {
    case "boolean":
      return OID.bool
    case "bigint":
      return OID.int8
    case "number":
      return Number.isInteger(value)
        ? value >= INT32_MIN && value <= INT32_MAX
          ? OID.int4
          : Number.isSafeInteger(value)
            ? OID.int8
            : OID.float8
        : OID.float8
  }
  if (value instanceof Date) return OID.timestamptz
  if (value instanceof Uint8Array) return OID.bytea
  return 0
}

const arrayOids: Record<number, number> = {
  [OID.bool]: OID.boolArray,
  [OID.int4]: OID.int4Array,
  [OID.int8]: OID.int8Array,
  [OID.float8]: OID.float8Array,
  [OID.text]: OID.textArray,
  [OID.timestamptz]: OID.timestamptzArray,
  [OID.bytea]: OID.byteaArray
}

const arrayOid = (values: ReadonlyArray<unknown>): number => {
  let element: number | undefined
  for (const value of values) {
    if (value === null || value === undefined) continue
    const oid = typeof value === "string" ? OID.text : scalarOid(value)
    if (oid === 0 || (element !== undefined && element !== oid)) return 0
    element = oid
  }
  return element === undefined ? 0 : (arrayOids[element] ?? 0)
}

// Errors ----------------------------------------------------------------------------------------

/** The fields of a Postgres ErrorResponse PGlite copies onto its `DatabaseError`. */
const errorFields = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine"
] as const

const describe = (cause: unknown): string =>
  Predicate.hasProperty(cause, "message") && typeof cause.message === "string" ? cause.message : String(cause)

/**
 * A `SqlError` classified by SQLSTATE exactly as `@effect/sql-pg` does, with a cause shaped like
 * its own (an `Error` carrying the ErrorResponse fields, `code` being the SQLSTATE) — and without
 * the statement's parameters, which PGlite attaches to its error and which may be personal data.
 */
const queryError = (error: unknown, pg: PGlite, operation: string): SqlError => {
  const text = describe(error)
  const message = `PgliteClient: ${text}`
  const code = Predicate.hasProperty(error, "code") && typeof error.code === "string" ? error.code : undefined
  if (code === undefined) {
    const props = { cause: error, message, operation }
    return new SqlError({ reason: pg.closed ? new ConnectionError(props) : new UnknownError(props) })
  }
  const fields: Record<string, unknown> = {}
  for (const field of errorFields) {
    const value = (error as Record<string, unknown>)[field]
    if (value !== undefined) fields[field] = value
  }
  const cause = Object.assign(new Error(text), fields)
  return new SqlError({ reason: classifySqlState(code, fields.constraint, { cause, message, operation }) })
}

/** The SQLSTATE classes `@effect/sql-pg` maps (its `internal/sqlError.ts`, not exported). */
const classifySqlState = (
  code: string,
  constraint: unknown,
  props: { readonly cause: unknown; readonly message: string; readonly operation: string }
): SqlErrorReason => {
  if (code.startsWith("08")) return new ConnectionError(props)
  if (code.startsWith("28")) return new AuthenticationError(props)
  if (code === "42501") return new AuthorizationError(props)
  if (code.startsWith("42")) return new SqlSyntaxError(props)
  if (code === "23505") {
    const name = typeof constraint === "string" && constraint.trim().length > 0 ? constraint.trim() : "unknown"
    return new UniqueViolation({ ...props, constraint: name })
  }
  if (code.startsWith("23")) return new ConstraintError(props)
  if (code === "40P01") return new DeadlockError(props)
  if (code === "40001") return new SerializationError(props)
  if (code === "55P03") return new LockTimeoutError(props)
  if (code === "57014") return new StatementTimeoutError(props)
  return new UnknownError(props)
}

// Layers ----------------------------------------------------------------------------------------

/** `PgliteClient`, `SqlClient` and `PgListen` from one client. */
export const layerFrom = <E, R>(
  acquire: Effect.Effect<PgliteClient, E, R>
): Layer.Layer<PgliteClient | Client.SqlClient | PgListen, E, Exclude<R, Scope.Scope | Reactivity.Reactivity>> =>
  Layer.effectContext(
    Effect.map(acquire, (client) =>
      Context.make(PgliteClient, client).pipe(
        Context.add(Client.SqlClient, client),
        Context.add(PgListen, {
          listen: (channel: string) => Stream.unwrap(Effect.map(client.listen(channel), Stream.fromQueue))
        })
      )
    )
  ).pipe(Layer.provide(Reactivity.layer)) as any

export const layer = (
  config: PgliteClientConfig = {}
): Layer.Layer<PgliteClient | Client.SqlClient | PgListen, SqlError> => layerFrom(make(config))

export const layerConfig = (
  config: Config.Wrap<PgliteClientConfig>
): Layer.Layer<PgliteClient | Client.SqlClient | PgListen, Config.ConfigError | SqlError> =>
  layerFrom(Effect.flatMap(Config.unwrap(config), make))

const ATTR_DB_SYSTEM_NAME = "db.system.name"
const ATTR_DB_NAMESPACE = "db.namespace"
