import {
  AppendValidation,
  Backoff,
  type Envelope,
  type EventStore,
  type EventStoreError,
  HashChain,
  StreamNotFound,
  Subscription
} from "@shuangbai/eventsourcing"
import { Clock, Effect, Stream } from "effect"
import type { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import type * as Statement from "effect/sql/Statement"
import { fromSqlError } from "./errors.ts"
import type { makeNotifier } from "./notifier.ts"
import { columns, decodeAllValues, jsonRow, type Shape } from "./rows.ts"

// Text PostgreSQL cannot hold (NUL, a lone surrogate) was never stored: a read for it finds nothing.
const unstorable = (s: string) => s.includes("\u0000") || /\p{Cs}/u.test(s)

/**
 * The store's reads and subscriptions: each read is one keyset statement on one index (docs/postgres.md,
 * "The read path" and "Plans that stay good as the tables grow").
 */
export const makeReads = (
  sql: SqlClient.SqlClient,
  schema: string,
  notifier: ReturnType<typeof makeNotifier>
): Pick<
  EventStore.EventStoreShape,
  "readStream" | "readAll" | "readSubject" | "readCommand" | "head" | "subscribe"
> => {
  const t = (name: string) => sql(`${schema}.${name}`)
  const cols = sql.literal(columns)
  const eventJson = sql.literal(jsonRow)
  const mapError = (error: SqlError) => fromSqlError(schema, error)

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
      // Compared as the ISO text the envelope carries, exactly as the in-memory store compares it: both
      // refuse any other form first (AppendValidation.readStreamError), so text order is time order.
      clauses.push(
        sql`AND to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') <= ${options.asOfTime}`
      )
    }
    return clauses.length === 0 ? sql`` : sql.join(" ", false)(clauses)
  }

  const readStream: EventStore.EventStoreShape["readStream"] = (tenant, stream, options) =>
    Effect.suspend((): Effect.Effect<ReadonlyArray<Envelope.StoredEvent>, StreamNotFound | EventStoreError> => {
      const refused = AppendValidation.readStreamError(options)
      if (refused !== undefined) return Effect.fail(refused)
      // Made only when it is the answer: an error captures a stack trace, and most reads find their stream.
      const notFound = () => new StreamNotFound({ tenant, stream })
      if (unstorable(tenant) || unstorable(stream.category) || unstorable(stream.id)) return Effect.fail(notFound())
      if (options?.asOfPosition !== undefined && Number.isNaN(options.asOfPosition)) return Effect.fail(notFound())
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
          if (from <= 1) return yield* Effect.fail(notFound())
          const existed = yield* sql`SELECT 1 AS found FROM ${t("events")} e
            WHERE e.tenant = ${tenant} AND e.category = ${stream.category} AND e.stream_id = ${stream.id} ${filter}
            LIMIT 1`
          return existed.length > 0 ? [] : yield* Effect.fail(notFound())
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
                WHERE e.tenant = ${tenant} AND e.position BETWEEN c.first_position AND c.last_position
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
  // the same cursor, on the reconnect schedule (in wall-clock time, as `pause`: a TestClock must not stop it).
  const retryUnavailable = <A>(effect: Effect.Effect<A, EventStoreError>): Effect.Effect<A, EventStoreError> =>
    effect.pipe(
      Effect.tapError((e) =>
        e.reason === "Unavailable" ? Effect.logWarning(`event store unavailable, retrying: ${e.message}`) : Effect.void
      ),
      Effect.retry({ schedule: Backoff.reconnect, while: (e) => e.reason === "Unavailable" }),
      Effect.provideService(Clock.Clock, Clock.Clock.defaultValue())
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

  return { readStream, readAll, readSubject, readCommand, head, subscribe }
}
