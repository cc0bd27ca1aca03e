import {
  AppendValidation,
  ConcurrencyConflict,
  type Envelope,
  type EventStore,
  EventStoreError,
  ExpectedVersion,
  HashChain,
  IdempotencyMismatch,
  StreamId,
  Text
} from "@shuangbai/eventsourcing"
import { Clock, Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { connectionDefects, fromSqlError } from "./errors.ts"
import { checkedHead } from "./headCheck.ts"
import { columns, decodeAllValues } from "./rows.ts"

/** An append that passed validation and waits for a transaction. */
export interface Pending {
  readonly request: EventStore.AppendRequest
  /** The encoded payloads, as AppendValidation returned them. */
  readonly payloads: ReadonlyArray<string>
  /** Each payload's canonical JSON where AppendValidation could reuse it for the seal. */
  readonly sealData: ReadonlyArray<string | undefined>
  readonly fingerprint: string
  readonly bytes: number
}

export type Outcome = EventStore.AppendResult | ConcurrencyConflict | IdempotencyMismatch | EventStoreError

interface Recorded {
  readonly fingerprint: string
  readonly version: number
  readonly first: number
  readonly last: number
  /** Set when the command was written in this same batch. */
  readonly result?: EventStore.AppendResult
}

const readCommitted = "BEGIN ISOLATION LEVEL READ COMMITTED"

/** A tenant's head: last position, last hash and last store time (milliseconds). */
interface Head {
  readonly position: number
  readonly hash: string
  readonly recordedMs: number
}

/**
 * Writes a batch of appends to one tenant in one transaction: lock the tenant's head row, look up the
 * commands, stream versions and event ids the batch touches, decide each request in order exactly as the
 * in-memory store does (one request's conflict fails only that request), then insert every row with one
 * statement and commit once. Positions are assigned under the head lock, so they are gapless and committed
 * in order; a reader that sees position n sees everything before it.
 */
export const makeWriter = (sql: SqlClient.SqlClient, schema: string, channel: string) => {
  const t = (name: string) => sql(`${schema}.${name}`)
  const cols = sql.literal(columns)

  const lockHead = (tenant: string) =>
    sql<{ position: string; hash: string; recorded_ms: string | null }>`
      SELECT position::text AS position, hash,
        (extract(epoch FROM recorded_at) * 1000)::bigint::text AS recorded_ms
      FROM ${t("heads")} WHERE tenant = ${tenant} FOR UPDATE`

  const headFor = (tenant: string) =>
    Effect.flatMap(lockHead(tenant), (rows) =>
      rows.length > 0
        ? Effect.succeed(rows[0]!)
        : Effect.flatMap(
            sql`INSERT INTO ${t("heads")} (tenant, position, hash) VALUES (${tenant}, 0, ${HashChain.genesis})
                ON CONFLICT (tenant) DO NOTHING`,
            () => Effect.map(lockHead(tenant), (again) => again[0]!)
          )
    )

  // Each key is looked up on its own through its unique index (LATERAL … LIMIT 1 cannot be flattened into a
  // join), whatever the planner's statistics say: the cost is the same at ten rows or ten million.
  const lookups = (tenant: string, items: ReadonlyArray<Pending>) => {
    const commandIds = [...new Set(items.map((i) => i.request.context.commandId))]
    const streams = items.map((i) => ({ category: i.request.stream.category, id: i.request.stream.id }))
    const eventIds = items.flatMap((i) => i.request.events.map((e) => e.eventId))
    return sql`(SELECT coalesce(json_agg(json_build_object('id', c.command_id, 'fingerprint', c.fingerprint,
            'version', c.version, 'first', c.first_position, 'last', c.last_position)), '[]'::json)
          FROM jsonb_array_elements_text(${JSON.stringify(commandIds)}::jsonb) AS k(id)
          CROSS JOIN LATERAL (SELECT * FROM ${t("commands")} c
            WHERE c.tenant = ${tenant} AND c.command_id = k.id LIMIT 1) c
        )::text AS commands,
        (SELECT coalesce(json_agg(json_build_object('category', s.category, 'id', s.stream_id, 'version', s.version)), '[]'::json)
          FROM (SELECT DISTINCT category, id
            FROM jsonb_to_recordset(${JSON.stringify(streams)}::jsonb) AS k(category text, id text)) k
          CROSS JOIN LATERAL (SELECT * FROM ${t("streams")} s
            WHERE s.tenant = ${tenant} AND s.category = k.category AND s.stream_id = k.id LIMIT 1) s
        )::text AS streams,
        (SELECT coalesce(json_agg(e.event_id), '[]'::json)
          FROM jsonb_array_elements_text(${JSON.stringify(eventIds)}::jsonb) AS k(id)
          CROSS JOIN LATERAL (SELECT e.event_id FROM ${t("events")} e
            WHERE e.tenant = ${tenant} AND e.event_id = k.id LIMIT 1) e
        )::text AS event_ids`
  }

  interface Found {
    readonly commands: Array<{ id: string; fingerprint: string; version: number; first: number; last: number }>
    readonly streams: Array<{ category: string; id: string; version: number }>
    readonly eventIds: Array<string>
  }

  const parseFound = (row: { commands: string; streams: string; event_ids: string }): Found => ({
    commands: JSON.parse(row.commands),
    streams: JSON.parse(row.streams),
    eventIds: JSON.parse(row.event_ids)
  })

  /** The lookups alone, in a statement of their own: run while holding the head lock, it sees every append before. */
  const lookup = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.map(
      sql<{ commands: string; streams: string; event_ids: string }>`SELECT ${lookups(tenant, items)}`,
      (rows) => parseFound(rows[0]!)
    )

  /**
   * Locks the head row and runs the lookups in one round trip. The lookups read the statement's snapshot,
   * taken before the lock was granted; `seen` is the head position in that snapshot. Every append moves the
   * head, so when `seen` equals the locked position no append committed between the snapshot and the lock
   * and the lookups are complete; otherwise they are run again under the lock.
   */
  const lockAndLookup = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.flatMap(
      sql<{
        position: string | null
        hash: string | null
        recorded_ms: string | null
        seen: string | null
        commands: string
        streams: string
        event_ids: string
      }>`WITH h AS MATERIALIZED (
          SELECT position::text AS position, hash,
            (extract(epoch FROM recorded_at) * 1000)::bigint::text AS recorded_ms
          FROM ${t("heads")} WHERE tenant = ${tenant} FOR UPDATE
        )
        SELECT h.position, h.hash, h.recorded_ms,
          (SELECT s.position::text FROM ${t("heads")} s WHERE s.tenant = ${tenant}) AS seen,
          ${lookups(tenant, items)}
        FROM (SELECT 1) AS one LEFT JOIN h ON true`,
      (rows) => {
        const row = rows[0]!
        if (row.position === null || row.hash === null) {
          return Effect.flatMap(headFor(tenant), (head) =>
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

  const write = (
    tenant: string,
    recordedAt: string,
    head: { readonly position: number; readonly hash: string },
    rows: ReadonlyArray<string>,
    subjects: ReadonlyArray<{ subject: string; position: number }>,
    streams: ReadonlyArray<{ category: string; id: string; version: number }>,
    commands: ReadonlyArray<Record<string, unknown>>
  ) =>
    sql`WITH ev AS (
        INSERT INTO ${t("events")} (tenant, position, category, stream_id, version, event_id, type, schema_version,
          data, occurred_at, recorded_at, actor, command_id, correlation_id, causation_id, subjects, prev_hash, hash)
        SELECT ${tenant}, (r->>'position')::bigint, r->>'category', r->>'stream_id', (r->>'version')::integer,
          r->>'event_id', r->>'type', (r->>'schema_version')::integer, r->'data', r->>'occurred_at',
          ${recordedAt}::timestamptz, r->'actor', r->>'command_id', r->>'correlation_id', r->>'causation_id',
          r->'subjects', r->>'prev_hash', r->>'hash'
        FROM jsonb_array_elements(${`[${rows.join(",")}]`}::jsonb) AS r
      ), sb AS (
        INSERT INTO ${t("subjects")} (tenant, subject, position)
        SELECT ${tenant}, x.subject, x.position
        FROM jsonb_to_recordset(${JSON.stringify(subjects)}::jsonb) AS x(subject text, position bigint)
      ), st AS (
        INSERT INTO ${t("streams")} (tenant, category, stream_id, version)
        SELECT ${tenant}, x.category, x.id, x.version
        FROM jsonb_to_recordset(${JSON.stringify(streams)}::jsonb) AS x(category text, id text, version integer)
        ON CONFLICT (tenant, category, stream_id) DO UPDATE SET version = excluded.version
      ), cm AS (
        INSERT INTO ${t("commands")} (tenant, command_id, fingerprint, category, stream_id, version, first_position, last_position)
        SELECT ${tenant}, x.command_id, x.fingerprint, x.category, x.stream_id, x.version, x.first_position, x.last_position
        FROM jsonb_to_recordset(${JSON.stringify(commands)}::jsonb) AS x(command_id text, fingerprint text,
          category text, stream_id text, version integer, first_position bigint, last_position bigint)
      )
      UPDATE ${t("heads")} SET position = ${head.position}, hash = ${head.hash}, recorded_at = ${recordedAt}::timestamptz
      WHERE tenant = ${tenant}
      RETURNING length(pg_notify(${channel}, ${tenant})::text) AS notified`

  /**
   * Decides each request of the batch in order, exactly as the in-memory store would, against `state` (the
   * commands, stream versions and event ids found, and the head); returns the outcomes and the rows to write.
   * `state.versions` is updated to the versions after the batch.
   */
  const decide = (
    tenant: string,
    items: ReadonlyArray<Pending>,
    state: {
      readonly head: Head
      readonly commands: Map<string, Recorded>
      readonly versions: Map<string, number>
      readonly eventIds: Set<string>
    },
    now: number
  ) => {
    const { commands, versions, eventIds } = state
    // Store time never runs backwards within a tenant, so "as of a time" is always a prefix of the log.
    const recordedMs = Math.max(now, state.head.recordedMs)
    const recordedAt = Text.instantFromMillis(recordedMs)
    let position = state.head.position
    let prevHash = state.head.hash

    const outcomes: Array<Outcome> = []
    const fetchDuplicates: Array<{ index: number; recorded: Recorded }> = []
    const rows: Array<string> = []
    const subjects: Array<{ subject: string; position: number }> = []
    const newCommands: Array<Record<string, unknown>> = []
    const written = new Map<string, { category: string; id: string; version: number }>()

    for (const item of items) {
      const { request } = item
      const previous = commands.get(request.context.commandId)
      if (previous !== undefined) {
        if (previous.fingerprint !== item.fingerprint) {
          outcomes.push(new IdempotencyMismatch({ tenant, commandId: request.context.commandId }))
        } else if (previous.result !== undefined) {
          outcomes.push({ ...previous.result, duplicate: true })
        } else {
          fetchDuplicates.push({ index: outcomes.length, recorded: previous })
          outcomes.push(new EventStoreError({ reason: "Unknown", message: "pending duplicate" }))
        }
        continue
      }
      const key = StreamId.format(request.stream)
      const current = versions.get(key) ?? 0
      if (!ExpectedVersion.accepts(request.expected, current)) {
        outcomes.push(
          new ConcurrencyConflict({ tenant, stream: request.stream, expected: request.expected, actual: current })
        )
        continue
      }
      const reused = request.events.find((e) => eventIds.has(e.eventId))
      if (reused !== undefined) {
        outcomes.push(
          new EventStoreError({ reason: "InvalidRequest", message: `event id ${reused.eventId} is already stored` })
        )
        continue
      }
      if (request.events.length === 0) {
        outcomes.push({ events: [], version: current, duplicate: false })
        continue
      }
      const first = position + 1
      const stored: Array<Envelope.StoredEvent> = request.events.map((event, i) => {
        position += 1
        const sealed = AppendValidation.stored(request, item, i, {
          version: current + i + 1,
          position,
          recordedAt,
          prevHash
        })
        prevHash = sealed.hash
        const meta = JSON.stringify({
          position,
          category: request.stream.category,
          stream_id: request.stream.id,
          version: sealed.version,
          event_id: sealed.eventId,
          type: sealed.type,
          schema_version: sealed.schemaVersion,
          occurred_at: sealed.occurredAt,
          actor: sealed.actor,
          command_id: sealed.commandId,
          correlation_id: sealed.correlationId,
          causation_id: sealed.causationId,
          subjects: sealed.subjects,
          prev_hash: sealed.prevHash,
          hash: sealed.hash
        })
        // The payload goes in as the text validation produced, without a second stringify.
        rows.push(`${meta.slice(0, -1)},"data":${item.payloads[i]!}}`)
        for (const subject of new Set(event.subjects)) subjects.push({ subject, position })
        eventIds.add(event.eventId)
        return sealed
      })
      const version = current + stored.length
      versions.set(key, version)
      written.set(key, { category: request.stream.category, id: request.stream.id, version })
      const result: EventStore.AppendResult = { events: stored, version, duplicate: false }
      commands.set(request.context.commandId, {
        fingerprint: item.fingerprint,
        version,
        first,
        last: position,
        result
      })
      newCommands.push({
        command_id: request.context.commandId,
        fingerprint: item.fingerprint,
        category: request.stream.category,
        stream_id: request.stream.id,
        version,
        first_position: first,
        last_position: position
      })
      outcomes.push(result)
    }

    return {
      outcomes,
      fetchDuplicates,
      rows,
      subjects,
      newCommands,
      written: [...written.values()],
      recordedAt,
      head: { position, hash: prevHash, recordedMs } satisfies Head
    }
  }

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

  /** What the writer last knew of each tenant, as of its head: the fast path's guess. */
  const known = new Map<string, { head: Head; versions: Map<string, number> }>()
  const remember = (tenant: string, head: Head, versions: Map<string, number>) => {
    // A hint only (the fast path checks every guess), so it is simply dropped when it grows large.
    known.set(tenant, { head, versions: versions.size > 10_000 ? new Map() : versions })
    if (known.size > 10_000) known.clear()
  }

  /** The full path: one transaction that locks the head, looks up, decides and writes. */
  const transaction = (tenant: string, items: ReadonlyArray<Pending>) =>
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
      const decision = decide(
        tenant,
        items,
        {
          head,
          commands: new Map<string, Recorded>(found.commands.map((c) => [c.id, c])),
          versions,
          eventIds: new Set(found.eventIds)
        },
        yield* Clock.currentTimeMillis
      )
      const { outcomes } = decision
      for (const { index, recorded } of decision.fetchDuplicates) {
        const events = yield* readRange(tenant, recorded.first, recorded.last)
        outcomes[index] = { events, version: recorded.version, duplicate: true }
      }
      if (decision.rows.length > 0) {
        yield* write(
          tenant,
          decision.recordedAt,
          decision.head,
          decision.rows,
          decision.subjects,
          decision.written,
          decision.newCommands
        )
      }
      return { outcomes, head: decision.rows.length > 0 ? decision.head : head, versions }
    }).pipe(sql.withTransaction, Effect.provideService(SqlClient.BeginTransaction, readCommitted))

  // The fast path's statement, its text built once: it runs for almost every append, and building it from a
  // template each time cost more than the rest of the append's own work. The schema name is checked to be
  // a plain identifier when the store is made; every value is a parameter.
  const table = (name: string) => `"${schema}"."${name}"`
  const fastText = `WITH ok AS (
      SELECT 1 AS ok WHERE NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text($2::jsonb) AS k(id)
        CROSS JOIN LATERAL (SELECT 1 FROM ${table("commands")} c
          WHERE c.tenant = $1 AND c.command_id = k.id LIMIT 1) c
      ) AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text($3::jsonb) AS k(id)
        CROSS JOIN LATERAL (SELECT 1 FROM ${table("events")} e
          WHERE e.tenant = $1 AND e.event_id = k.id LIMIT 1) e
      ) AND NOT EXISTS (
        SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS k(category text, id text, version integer)
        LEFT JOIN LATERAL (SELECT s.version FROM ${table("streams")} s
          WHERE s.tenant = $1 AND s.category = k.category AND s.stream_id = k.id LIMIT 1) s ON true
        WHERE coalesce(s.version, 0) <> k.version
      )
    ), hd AS (
      UPDATE ${table("heads")} SET position = $5::bigint, hash = $6, recorded_at = $7::timestamptz
      WHERE tenant = $1 AND position = $8::bigint AND hash = $9 AND EXISTS (SELECT 1 FROM ok)
      RETURNING tenant
    ), ev AS (
      INSERT INTO ${table("events")} (tenant, position, category, stream_id, version, event_id, type, schema_version,
        data, occurred_at, recorded_at, actor, command_id, correlation_id, causation_id, subjects, prev_hash, hash)
      SELECT hd.tenant, (r->>'position')::bigint, r->>'category', r->>'stream_id', (r->>'version')::integer,
        r->>'event_id', r->>'type', (r->>'schema_version')::integer, r->'data', r->>'occurred_at',
        $7::timestamptz, r->'actor', r->>'command_id', r->>'correlation_id', r->>'causation_id',
        r->'subjects', r->>'prev_hash', r->>'hash'
      FROM hd, jsonb_array_elements($10::jsonb) AS r
    ), sb AS (
      INSERT INTO ${table("subjects")} (tenant, subject, position)
      SELECT hd.tenant, x.subject, x.position
      FROM hd, jsonb_to_recordset($11::jsonb) AS x(subject text, position bigint)
    ), st AS (
      INSERT INTO ${table("streams")} (tenant, category, stream_id, version)
      SELECT hd.tenant, x.category, x.id, x.version
      FROM hd, jsonb_to_recordset($12::jsonb) AS x(category text, id text, version integer)
      ON CONFLICT (tenant, category, stream_id) DO UPDATE SET version = excluded.version
    ), cm AS (
      INSERT INTO ${table("commands")} (tenant, command_id, fingerprint, category, stream_id, version, first_position, last_position)
      SELECT hd.tenant, x.command_id, x.fingerprint, x.category, x.stream_id, x.version, x.first_position, x.last_position
      FROM hd, jsonb_to_recordset($13::jsonb) AS x(command_id text, fingerprint text,
        category text, stream_id text, version integer, first_position bigint, last_position bigint)
    )
    SELECT count(*)::int AS applied, max(length(pg_notify($14, hd.tenant)::text)) AS notified FROM hd`

  /**
   * The fast path: when this writer knows the tenant's head from its own last commit, it guesses that
   * nothing has moved since — no other process appended, the streams are at the versions the requests
   * expect (or the writer last saw), the commands and event ids are new — decides the batch on that
   * guess and sends one self-committing statement that checks every part of the guess and writes only if
   * it holds. The statement's head `UPDATE … WHERE position = <known>` takes the head row lock and, if
   * another transaction moved the head meanwhile, re-reads the row and matches nothing; since every append
   * moves the head, a match means no append committed since the known head, so the checks (made on the
   * statement's snapshot) saw everything. Returns undefined when the guess fails or cannot be made: the
   * caller then runs the full transaction.
   */
  const fast = (tenant: string, items: ReadonlyArray<Pending>) =>
    Effect.suspend(() => {
      const hint = known.get(tenant)
      if (hint === undefined) return Effect.succeed(undefined)
      const versions = new Map<string, number>()
      const assumed: Array<{ category: string; id: string; version: number }> = []
      for (const { request } of items) {
        const key = StreamId.format(request.stream)
        if (versions.has(key)) continue
        const expected = request.expected
        const version =
          hint.versions.get(key) ??
          (expected._tag === "Exact" ? expected.version : expected._tag === "NoStream" ? 0 : undefined)
        if (version === undefined) return Effect.succeed(undefined)
        versions.set(key, version)
        assumed.push({ category: request.stream.category, id: request.stream.id, version })
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const decision = decide(
          tenant,
          items,
          { head: hint.head, commands: new Map(), versions, eventIds: new Set() },
          now
        )
        // Nothing to write, nothing that would check the guess: the full path decides.
        if (decision.rows.length === 0) return Effect.succeed(undefined)
        const commandIds = [...new Set(items.map((i) => i.request.context.commandId))]
        const eventIds = items.flatMap((i) => i.request.events.map((e) => e.eventId))
        return Effect.map(
          onReserved<{ applied: number | string }>(fastText, [
            tenant,
            JSON.stringify(commandIds),
            JSON.stringify(eventIds),
            JSON.stringify(assumed),
            decision.head.position,
            decision.head.hash,
            decision.recordedAt,
            hint.head.position,
            hint.head.hash,
            `[${decision.rows.join(",")}]`,
            JSON.stringify(decision.subjects),
            JSON.stringify(decision.written),
            JSON.stringify(decision.newCommands),
            channel
          ]),
          (rows) => {
            if (Number(rows[0]?.applied ?? 0) !== 1) return undefined
            for (const [key, version] of versions) hint.versions.set(key, version)
            return { outcomes: decision.outcomes, head: decision.head, versions: hint.versions }
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
      const quick = yield* fast(tenant, items).pipe(
        Effect.catchTag("SqlError", (error: SqlError) => {
          // Connection trouble leaves the outcome unknown: reported as it is. Anything else (a unique index
          // that fired after all, data PostgreSQL refuses) is left to the full transaction to decide and name.
          const mapped = fromSqlError(schema, error)
          return mapped.reason === "Unavailable" || mapped.reason === "NotMigrated"
            ? Effect.fail(error)
            : Effect.succeed(undefined)
        })
      )
      const done = quick ?? (yield* transaction(tenant, items))
      remember(tenant, done.head, done.versions)
      return done.outcomes
    }).pipe(
      Effect.onError(() => Effect.sync(() => known.delete(tenant))),
      Effect.catchTag("SqlError", (error: SqlError) => Effect.fail(fromSqlError(schema, error))),
      connectionDefects(schema)
    )

  return { commit }
}
