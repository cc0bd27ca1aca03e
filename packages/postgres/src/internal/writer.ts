import { type EventStoreError, HashChain, StreamId } from "@shuangbai/eventsourcing"
import { Clock, Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { appendTexts, lookupColumns } from "./appendSql.ts"
import { type CommandRecord, decideBatch, type Head, type Outcome, type Pending } from "./batchDecision.ts"
import { citusWriteStatements } from "./citusWrite.ts"
import { connectionDefects, fromSqlError } from "./errors.ts"
import { checkedHead } from "./headCheck.ts"
import { columns, decodeAllValues } from "./rows.ts"

const readCommitted = "BEGIN ISOLATION LEVEL READ COMMITTED"

interface LookupRow {
  readonly commands: string
  readonly streams: string
  readonly event_ids: string
}

interface Found {
  readonly commands: Array<{ id: string; fingerprint: string; version: number; first: number; last: number }>
  readonly streams: Array<{ category: string; id: string; version: number }>
  readonly eventIds: Array<string>
}

const parseFound = (row: LookupRow): Found => ({
  commands: JSON.parse(row.commands),
  streams: JSON.parse(row.streams),
  eventIds: JSON.parse(row.event_ids)
})

/** The keys a batch touches, for the lookups. */
const keysOf = (items: ReadonlyArray<Pending>) => ({
  commandIds: [...new Set(items.map((i) => i.request.context.commandId))],
  streams: items.map((i) => ({ category: i.request.stream.category, id: i.request.stream.id })),
  eventIds: items.flatMap((i) => i.request.events.map((e) => e.eventId))
})

/** The head and stream versions a writer saw at its last commit to a tenant: the fast path's guess. */
interface LastCommitted {
  readonly head: Head
  readonly versions: Map<string, number>
}

/**
 * Writes a batch of appends to one tenant: decides each request in order exactly as the in-memory store does
 * (`decideBatch`), then writes every row with one statement. By the fast path when this writer's guess that
 * nothing moved since its last commit holds, else by the full path: one transaction that locks the tenant's
 * head row, looks up the commands, stream versions and event ids the batch touches, decides and writes.
 * Positions are assigned under the head lock, so they are gapless and committed in order. See
 * docs/postgres.md, "The append path".
 */
export const makeWriter = (
  sql: SqlClient.SqlClient,
  schema: string,
  channel: string,
  /**
   * The tables are distributed on Citus: every append takes the full path and writes with statements Citus
   * routes whole to the tenant's worker, and the notification is sent apart, on the coordinator, where the
   * store LISTENs (docs/postgres.md, "Citus").
   */
  citus = false
) => {
  const t = (name: string) => sql(`${schema}.${name}`)
  const cols = sql.literal(columns)
  const texts = appendTexts(schema)

  const lockHead = (tenant: string) =>
    sql<{ position: string; hash: string; recorded_ms: string | null }>`
      SELECT position::text AS position, hash,
        (extract(epoch FROM recorded_at) * 1000)::bigint::text AS recorded_ms
      FROM ${t("heads")} WHERE tenant = ${tenant} FOR UPDATE`

  const lockOrCreateHead = (tenant: string) =>
    Effect.flatMap(lockHead(tenant), (rows) =>
      rows.length > 0
        ? Effect.succeed(rows[0]!)
        : Effect.flatMap(
            sql`INSERT INTO ${t("heads")} (tenant, position, hash) VALUES (${tenant}, 0, ${HashChain.genesis})
                ON CONFLICT (tenant) DO NOTHING`,
            () => Effect.map(lockHead(tenant), (again) => again[0]!)
          )
    )

  /** The lookups alone, in a statement of their own: run while holding the head lock, it sees every append before. */
  const lookup = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.map(sql<LookupRow>`SELECT ${lookupColumns(sql, schema, tenant, keysOf(items))}`, (rows) =>
      parseFound(rows[0]!)
    )

  /**
   * Locks the head row and runs the lookups in one round trip. The lookups read the statement's snapshot,
   * taken before the lock was granted; `seen` is the head position in that snapshot. Every append moves the
   * head, so when `seen` equals the locked position no append committed between the snapshot and the lock
   * and the lookups are complete; otherwise they are run again under the lock.
   */
  const lockAndLookup = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.flatMap(
      sql<
        LookupRow & {
          position: string | null
          hash: string | null
          recorded_ms: string | null
          seen: string | null
        }
      >`WITH h AS MATERIALIZED (
          SELECT position::text AS position, hash,
            (extract(epoch FROM recorded_at) * 1000)::bigint::text AS recorded_ms
          FROM ${t("heads")} WHERE tenant = ${tenant} FOR UPDATE
        )
        SELECT h.position, h.hash, h.recorded_ms,
          (SELECT s.position::text FROM ${t("heads")} s WHERE s.tenant = ${tenant}) AS seen,
          ${lookupColumns(sql, schema, tenant, keysOf(items))}
        FROM (SELECT 1) AS one LEFT JOIN h ON true`,
      (rows) => {
        const row = rows[0]!
        if (row.position === null || row.hash === null) {
          return Effect.flatMap(lockOrCreateHead(tenant), (head) =>
            Effect.map(lookup(tenant, items), (found) => ({ head, found }))
          )
        }
        const head = { position: row.position, hash: row.hash, recorded_ms: row.recorded_ms }
        return row.seen === row.position
          ? Effect.succeed({ head, found: parseFound(row) })
          : Effect.map(lookup(tenant, items), (found) => ({ head, found }))
      }
    )

  const readRange = (tenant: string, first: number, last: number) =>
    Effect.flatMap(
      sql`SELECT ${cols} FROM ${t("events")} e
        WHERE e.tenant = ${tenant} AND e.position >= ${first} AND e.position <= ${last} ORDER BY e.position`.values,
      (rows) => {
        const decoded = decodeAllValues(rows, "columns")
        return decoded._tag === "Ok" ? Effect.succeed(decoded.events) : Effect.fail(decoded.error)
      }
    )

  /**
   * Runs one statement on a connection of its own, taken as a transaction takes it: a pooled connection
   * already known to be dead is replaced rather than lent (a plain borrowed statement can be handed one).
   */
  const onReserved = <A extends object>(text: string, params: ReadonlyArray<unknown>) =>
    Effect.scoped(
      Effect.flatMap(
        sql.reserve,
        (connection) => connection.execute(text, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
      )
    )

  const lastCommitted = new Map<string, LastCommitted>()
  const rememberCommit = (tenant: string, head: Head, versions: Map<string, number>) => {
    // A hint only (the fast path checks every guess), so it is simply dropped when it grows large.
    lastCommitted.set(tenant, { head, versions: versions.size > 10_000 ? new Map() : versions })
    if (lastCommitted.size > 10_000) lastCommitted.clear()
  }

  /** The full path: one transaction that locks the head, looks up, decides and writes. */
  const commitLocked = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.gen(function* () {
      const { head: locked, found } = yield* lockAndLookup(tenant, items)
      // Audit (issue 10): chain only onto a head that is its last event's hash, and take the store-time floor
      // from that verified event, never from `heads.recorded_at` (see checkedHead).
      const head: Head = yield* checkedHead(
        sql,
        schema,
        tenant,
        { position: Number(locked.position), hash: locked.hash },
        yield* Clock.currentTimeMillis
      )
      const versions = new Map<string, number>(
        found.streams.map((s) => [StreamId.format({ category: s.category, id: s.id }), s.version])
      )
      // Streams looked up and not found are at version 0: worth remembering too.
      for (const item of items) {
        const key = StreamId.format(item.request.stream)
        if (!versions.has(key)) versions.set(key, 0)
      }
      const decision = decideBatch(
        items,
        {
          head,
          commands: new Map<string, CommandRecord>(found.commands.map((c) => [c.id, c])),
          versions,
          eventIds: new Set(found.eventIds)
        },
        yield* Clock.currentTimeMillis
      )
      const { outcomes } = decision
      for (const { index, command } of decision.duplicatesToRead) {
        const events = yield* readRange(tenant, command.first, command.last)
        outcomes[index] = { events, version: command.version, duplicate: true }
      }
      if (decision.writes && citus) {
        const statements = citusWriteStatements(schema, {
          tenant,
          head: decision.head,
          recordedAt: decision.recordedAt,
          rows: decision.rows
        })
        for (const statement of statements) yield* sql.unsafe(statement.text, statement.params)
        // Sent at this transaction's commit, from the coordinator.
        yield* sql`SELECT pg_notify(${channel}, ${tenant})`
      } else if (decision.writes) {
        const { rows } = decision
        yield* sql.unsafe(texts.write, [
          tenant,
          decision.head.position,
          decision.head.hash,
          decision.recordedAt,
          rows.events,
          rows.subjects,
          rows.streams,
          rows.commands,
          channel
        ])
      } else if (head.position === 0) {
        // Nothing written to a tenant with no events: the head row locked for it goes too, so that a refused
        // append leaves every table as it was.
        yield* sql`DELETE FROM ${t("heads")} WHERE tenant = ${tenant} AND position = 0`
      }
      return { outcomes, head: decision.writes ? decision.head : head, versions }
    }).pipe(sql.withTransaction, Effect.provideService(SqlClient.BeginTransaction, readCommitted))

  /**
   * The fast path: when this writer knows the tenant's head from its own last commit, it guesses that
   * nothing has moved since — no other process appended, the streams are at the versions the requests
   * expect (or the writer last saw), the commands and event ids are new — decides the batch on that
   * guess and sends one self-committing statement that checks every part of the guess and writes only if
   * it holds. The statement's head `UPDATE … WHERE position = <last committed>` takes the head row lock and,
   * if another transaction moved the head meanwhile, re-reads the row and matches nothing; since every
   * append moves the head, a match means no append committed since, so the checks (made on the statement's
   * snapshot) saw everything. Returns undefined when the guess fails or cannot be made: the caller then
   * takes the full path.
   */
  const commitIfUnmoved = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.suspend(() => {
      // On Citus the fast path's one statement would run as five steps with intermediate results and a
      // two-phase commit (docs/postgres.md, "Citus"): the full path is cheaper there.
      const last = citus ? undefined : lastCommitted.get(tenant)
      if (last === undefined) return Effect.succeed(undefined)
      const versions = new Map<string, number>()
      const assumed: Array<{ category: string; id: string; version: number }> = []
      for (const { request } of items) {
        const key = StreamId.format(request.stream)
        if (versions.has(key)) continue
        const expected = request.expected
        const version =
          last.versions.get(key) ??
          (expected._tag === "Exact" ? expected.version : expected._tag === "NoStream" ? 0 : undefined)
        if (version === undefined) return Effect.succeed(undefined)
        versions.set(key, version)
        assumed.push({ category: request.stream.category, id: request.stream.id, version })
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const decision = decideBatch(
          items,
          { head: last.head, commands: new Map(), versions, eventIds: new Set() },
          now
        )
        // Nothing to write, nothing that would check the guess: the full path decides.
        if (!decision.writes) return Effect.succeed(undefined)
        const keys = keysOf(items)
        const { rows } = decision
        return Effect.map(
          onReserved<{ applied: number | string }>(texts.ifUnmoved, [
            tenant,
            JSON.stringify(keys.commandIds),
            JSON.stringify(keys.eventIds),
            JSON.stringify(assumed),
            decision.head.position,
            decision.head.hash,
            decision.recordedAt,
            last.head.position,
            last.head.hash,
            rows.events,
            rows.subjects,
            rows.streams,
            rows.commands,
            channel
          ]),
          (result) => {
            if (Number(result[0]?.applied ?? 0) !== 1) return undefined
            for (const [key, version] of versions) last.versions.set(key, version)
            return { outcomes: decision.outcomes, head: decision.head, versions: last.versions }
          }
        )
      })
    })

  /**
   * Decides and writes the batch, by the fast path when the writer's guess holds, else by the full
   * transaction; fails as a whole only when the statement or transaction does.
   */
  const commit = (tenant: string, items: ReadonlyArray<Pending>): Effect.Effect<Array<Outcome>, EventStoreError> =>
    Effect.gen(function* () {
      const unmoved = yield* commitIfUnmoved(tenant, items).pipe(
        Effect.catchTag("SqlError", (error: SqlError) => {
          // Connection trouble leaves the outcome unknown: reported as it is. Anything else (a unique index
          // that fired after all, data PostgreSQL refuses) is left to the full transaction to decide and name.
          const mapped = fromSqlError(schema, error)
          return mapped.reason === "Unavailable" || mapped.reason === "NotMigrated"
            ? Effect.fail(error)
            : Effect.succeed(undefined)
        })
      )
      const committed = unmoved ?? (yield* commitLocked(tenant, items))
      rememberCommit(tenant, committed.head, committed.versions)
      return committed.outcomes
    }).pipe(
      Effect.onError(() => Effect.sync(() => lastCommitted.delete(tenant))),
      Effect.catchTag("SqlError", (error: SqlError) => Effect.fail(fromSqlError(schema, error))),
      connectionDefects(schema)
    )

  return { commit }
}
