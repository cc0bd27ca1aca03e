import {
  AppendValidation,
  Audit,
  type Envelope,
  EventStoreError,
  ExpectedVersion,
  HashChain
} from "@shuangbai/eventsourcing"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import type * as Statement from "effect/sql/Statement"
import { fromSqlError } from "./internal/errors.ts"
import { columns, decodeAllValues } from "./internal/rows.ts"
import * as Tables from "./internal/tables.ts"

/**
 * The side tables beside the log, each derived from the events alone (docs/audit.md, "Side tables"):
 *
 * - `subjects`: one row (subject, position) per distinct subject named in an event's `subjects`;
 * - `streams`: per (category, stream id), the highest `version` of its events;
 * - `commands`: per `commandId`, the stream of its events, the last version, the first and last position,
 *   and the fingerprint `AppendValidation.fingerprint` gives for those events;
 * - `heads`: the tenant's last event: its position, hash and `recorded_at` (genesis and none when empty).
 *
 * `verify` proves that they agree with the events; `rebuild` derives them again.
 */
export type Table = "subjects" | "streams" | "commands" | "heads"

/** One row that does not agree with the events: missing (derivable but absent), extra, or different. */
export const Disagreement = Schema.Struct({
  table: Schema.Literals(["subjects", "streams", "commands", "heads"]),
  problem: Schema.Literals(["Missing", "Extra", "Differs"]),
  /** The row as stored (Extra, Differs) or as derived (Missing). */
  row: Schema.Record(Schema.String, Schema.Unknown),
  /** For Differs: the row as the events say it should be. */
  expected: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown))
})
export type Disagreement = typeof Disagreement.Type

/** The side tables of a tenant do not agree with its events. `rebuild` derives them again. */
export class SideTablesDisagree extends Schema.TaggedError<SideTablesDisagree>()("SideTablesDisagree", {
  tenant: Schema.String,
  disagreements: Schema.Array(Disagreement)
}) {
  readonly isRetryable = false
  override get message() {
    const shown = this.disagreements
      .slice(0, 5)
      .map((d) => `${d.table} ${d.problem} ${JSON.stringify(d.row)}`)
      .join("; ")
    const more = this.disagreements.length > 5 ? ` and ${this.disagreements.length - 5} more` : ""
    return `the side tables of ${this.tenant} disagree with its events: ${shown}${more}; after checking the log (Audit.verifyChain with anchors), SideTables.rebuild derives them again`
  }
}

export interface Options {
  readonly schema?: string
  /**
   * Check only what events after this position derive (subjects and commands), plus streams and heads (one
   * row per stream, cheap): the incremental run after a signed checkpoint at that position.
   */
  readonly after?: number
}

const setup = (options: Options | undefined) =>
  Effect.gen(function* () {
    const schema = options?.schema ?? "shuangbai"
    const problem = Tables.checkSchemaName(schema)
    if (problem !== undefined)
      return yield* Effect.fail(new EventStoreError({ reason: "InvalidRequest", message: problem }))
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    return { schema, sql, t: (name: string) => sql(`${schema}.${name}`) }
  })

const mapped =
  (schema: string) =>
  <A, E>(effect: Effect.Effect<A, E | SqlError>): Effect.Effect<A, Exclude<E, SqlError> | EventStoreError> =>
    Effect.mapError(effect, (e) => (isSqlError(e) ? fromSqlError(schema, e) : e)) as Effect.Effect<
      A,
      Exclude<E, SqlError> | EventStoreError
    >

/** Commands as the events derive them, fingerprints included, for events after `after`. */
export const derivedCommands = (events: ReadonlyArray<Envelope.StoredEvent>) => {
  const byCommand = new Map<string, Array<Envelope.StoredEvent>>()
  for (const event of events) {
    const list = byCommand.get(event.commandId) ?? []
    list.push(event)
    byCommand.set(event.commandId, list)
  }
  return [...byCommand].map(([commandId, list]) => {
    const first = list[0]!
    const last = list[list.length - 1]!
    return {
      command_id: commandId,
      fingerprint: AppendValidation.fingerprint({
        tenant: first.tenant,
        stream: first.stream,
        expected: ExpectedVersion.any,
        events: list,
        context: first
      }),
      category: first.stream.category,
      stream_id: first.stream.id,
      version: last.version,
      first_position: first.position,
      last_position: last.position
    }
  })
}

/**
 * The tenant's events after `after`, page by page, checked as a chain from the event at `after` (the whole
 * log from 0): a side table is only ever derived from events that verify.
 */
const walk = (
  sql: SqlClient.SqlClient,
  t: (name: string) => Statement.Identifier,
  tenant: string,
  after: number,
  each: (page: ReadonlyArray<Envelope.StoredEvent>) => void
) =>
  Effect.gen(function* () {
    const read = (from: number, limit: number) =>
      Effect.flatMap(
        sql`SELECT ${sql.literal(columns)} FROM ${t("events")} e
          WHERE e.tenant = ${tenant} AND e.position > ${from} ORDER BY e.position LIMIT ${limit}`.values,
        (rows) => {
          const decoded = decodeAllValues(rows, "columns")
          return decoded._tag === "Ok" ? Effect.succeed(decoded.events) : Effect.fail(decoded.error)
        }
      )
    let cursor: HashChain.Head = { position: 0, hash: HashChain.genesis }
    if (after > 0) {
      const [at] = yield* read(after - 1, 1)
      if (at !== undefined) cursor = { position: at.position, hash: at.hash }
    }
    // Rows an erasure rewrote are accepted only when a later erasure event attests them (Audit.verifyChain).
    const unattested = new Map<number, HashChain.Unattested>()
    while (true) {
      const page = yield* read(cursor.position, 1000)
      const found =
        page.length === 0 ? HashChain.firstUnattested(unattested) : HashChain.verifyAttested(page, cursor, unattested)
      if (page.length === 0 && found === undefined) return cursor
      if (found !== undefined) {
        return yield* Effect.fail(
          new Audit.ChainBroken({
            tenant,
            kind: found._tag,
            position: found._tag === "PositionGap" ? found.expected : found.position
          })
        )
      }
      each(page)
      const last = page[page.length - 1]!
      cursor = { position: last.position, hash: last.hash }
    }
  })

// Rows of a jsonb aggregate, each `{ problem, row, expected? }`.
type Found = ReadonlyArray<{
  problem: Disagreement["problem"]
  row: Record<string, unknown>
  expected?: Record<string, unknown>
}>

/**
 * Proves that `subjects`, `streams`, `commands` and `heads` agree with the tenant's events (which must
 * verify as a chain), failing with every disagreeing row. Run it after `Audit.verifyChain` with anchors: a
 * chain that was re-sealed by whoever can write to the database is only caught there.
 */
export const verify = (
  tenant: string,
  options?: Options
): Effect.Effect<
  { readonly checked: number },
  SideTablesDisagree | Audit.ChainBroken | EventStoreError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { schema, sql, t } = yield* setup(options)
    const after = Math.max(0, Math.floor(options?.after ?? 0))
    return yield* mapped(schema)(
      Effect.gen(function* () {
        const derived: Array<ReturnType<typeof derivedCommands>[number]> = []
        let checked = 0
        yield* walk(sql, t, tenant, after, (page) => {
          checked += page.length
          derived.push(...derivedCommands(page.filter((e) => e.position > after)))
        })
        const disagreements: Array<Disagreement> = []
        const report = (table: Table, found: Found) => {
          for (const f of found) disagreements.push({ table, ...f })
        }
        const q = <A>(statement: Statement.Statement<{ found: string | null }>) =>
          Effect.map(statement, (rows) => JSON.parse(rows[0]?.found ?? "[]") as A)
        // subjects: both ways, over the positions checked.
        report(
          "subjects",
          yield* q<Found>(sql<{ found: string | null }>`WITH derived AS (
              SELECT DISTINCT s.subject, e.position FROM ${t("events")} e
              CROSS JOIN LATERAL jsonb_array_elements_text(e.subjects) AS s(subject)
              WHERE e.tenant = ${tenant} AND e.position > ${after}
            ), stored AS (
              SELECT subject, position FROM ${t("subjects")} WHERE tenant = ${tenant} AND position > ${after}
            ), found AS (
              SELECT 'Missing' AS problem, json_build_object('subject', subject, 'position', position) AS row
                FROM (SELECT * FROM derived EXCEPT SELECT * FROM stored) m
              UNION ALL
              SELECT 'Extra', json_build_object('subject', subject, 'position', position)
                FROM (SELECT * FROM stored EXCEPT SELECT * FROM derived) x
            )
            SELECT json_agg(json_build_object('problem', problem, 'row', row))::text AS found FROM found`)
        )
        // streams: every stream (one row each).
        report(
          "streams",
          yield* q<Found>(sql<{ found: string | null }>`WITH derived AS (
              SELECT category, stream_id, max(version) AS version FROM ${t("events")}
              WHERE tenant = ${tenant} GROUP BY category, stream_id
            ), stored AS (
              SELECT category, stream_id, version FROM ${t("streams")} WHERE tenant = ${tenant}
            ), found AS (
              SELECT CASE WHEN s.category IS NULL THEN 'Missing' WHEN d.category IS NULL THEN 'Extra' ELSE 'Differs' END
                  AS problem,
                CASE WHEN s.category IS NULL THEN json_build_object('category', d.category, 'stream_id', d.stream_id, 'version', d.version)
                  ELSE json_build_object('category', s.category, 'stream_id', s.stream_id, 'version', s.version) END AS row,
                CASE WHEN s.category IS NOT NULL AND d.category IS NOT NULL
                  THEN json_build_object('category', d.category, 'stream_id', d.stream_id, 'version', d.version) END AS expected
              FROM derived d FULL JOIN stored s ON s.category = d.category AND s.stream_id = d.stream_id
              WHERE s.version IS DISTINCT FROM d.version
            )
            SELECT json_agg(json_strip_nulls(json_build_object('problem', problem, 'row', row, 'expected', expected)))::text
              AS found FROM found`)
        )
        // commands: those the checked events derive, compared with their stored rows; rows of no event are extra.
        report(
          "commands",
          yield* q<Found>(sql<{ found: string | null }>`WITH derived AS (
              SELECT * FROM jsonb_to_recordset(${JSON.stringify(derived)}::jsonb) AS x(command_id text, fingerprint text,
                category text, stream_id text, version integer, first_position bigint, last_position bigint)
            ), stored AS (
              SELECT command_id, fingerprint, category, stream_id, version, first_position, last_position
              FROM ${t("commands")} WHERE tenant = ${tenant} AND last_position > ${after}
            ), found AS (
              SELECT CASE WHEN s.command_id IS NULL THEN 'Missing' WHEN d.command_id IS NULL THEN 'Extra' ELSE 'Differs' END
                  AS problem,
                CASE WHEN s.command_id IS NULL THEN row_to_json(d) ELSE row_to_json(s) END AS row,
                CASE WHEN s.command_id IS NOT NULL AND d.command_id IS NOT NULL THEN row_to_json(d) END AS expected
              FROM derived d FULL JOIN stored s ON s.command_id = d.command_id
              WHERE row(s.*) IS DISTINCT FROM row(d.*)
            )
            SELECT json_agg(json_strip_nulls(json_build_object('problem', problem, 'row', row, 'expected', expected)))::text
              AS found FROM found`)
        )
        // heads: the last event's position, hash and store time.
        report(
          "heads",
          yield* q<Found>(sql<{ found: string | null }>`WITH derived AS (
              SELECT e.position, e.hash, e.recorded_at FROM ${t("events")} e
              WHERE e.tenant = ${tenant} ORDER BY e.position DESC LIMIT 1
            ), stored AS (
              SELECT position, hash, recorded_at FROM ${t("heads")} WHERE tenant = ${tenant}
            ), found AS (
              SELECT CASE WHEN s.position IS NULL THEN 'Missing' WHEN d.position IS NULL THEN 'Extra' ELSE 'Differs' END
                  AS problem,
                CASE WHEN s.position IS NULL THEN row_to_json(d) ELSE row_to_json(s) END AS row,
                CASE WHEN s.position IS NOT NULL AND d.position IS NOT NULL THEN row_to_json(d) END AS expected
              FROM derived d FULL JOIN stored s ON true
              WHERE row(s.position, s.hash, s.recorded_at) IS DISTINCT FROM row(d.position, d.hash, d.recorded_at)
                -- A tenant whose appends all failed keeps an empty head: that agrees with no events.
                AND NOT (d.position IS NULL AND s.position = 0 AND s.hash = ${HashChain.genesis})
            )
            SELECT json_agg(json_strip_nulls(json_build_object('problem', problem, 'row', row, 'expected', expected)))::text
              AS found FROM found`)
        )
        if (disagreements.length > 0) return yield* Effect.fail(new SideTablesDisagree({ tenant, disagreements }))
        return { checked }
      })
    )
  })

/**
 * Derives the tenant's `subjects`, `streams`, `commands` and `heads` again from its events, in one
 * transaction that holds the tenant's head lock (appends wait). Refuses, changing nothing, when the events
 * do not verify as a chain: check the log against its anchors first (`Audit.verifyAnchored`).
 */
export const rebuild = (
  tenant: string,
  options?: { readonly schema?: string }
): Effect.Effect<
  { readonly events: number; readonly commands: number },
  Audit.ChainBroken | EventStoreError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { schema, sql, t } = yield* setup(options)
    return yield* mapped(schema)(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO ${t("heads")} (tenant, position, hash) VALUES (${tenant}, 0, ${HashChain.genesis})
            ON CONFLICT (tenant) DO NOTHING`
          yield* sql`SELECT 1 FROM ${t("heads")} WHERE tenant = ${tenant} FOR UPDATE`
          const commands: Array<ReturnType<typeof derivedCommands>[number]> = []
          const head = yield* walk(sql, t, tenant, 0, (page) => commands.push(...derivedCommands(page)))
          yield* sql`DELETE FROM ${t("subjects")} WHERE tenant = ${tenant}`
          yield* sql`INSERT INTO ${t("subjects")} (tenant, subject, position)
            SELECT DISTINCT e.tenant, s.subject, e.position FROM ${t("events")} e
            CROSS JOIN LATERAL jsonb_array_elements_text(e.subjects) AS s(subject)
            WHERE e.tenant = ${tenant}`
          yield* sql`DELETE FROM ${t("streams")} WHERE tenant = ${tenant}`
          yield* sql`INSERT INTO ${t("streams")} (tenant, category, stream_id, version)
            SELECT tenant, category, stream_id, max(version) FROM ${t("events")}
            WHERE tenant = ${tenant} GROUP BY tenant, category, stream_id`
          yield* sql`DELETE FROM ${t("commands")} WHERE tenant = ${tenant}`
          for (let i = 0; i < commands.length; i += 5000) {
            yield* sql`INSERT INTO ${t("commands")} (tenant, command_id, fingerprint, category, stream_id, version,
                first_position, last_position)
              SELECT ${tenant}, x.command_id, x.fingerprint, x.category, x.stream_id, x.version, x.first_position, x.last_position
              FROM jsonb_to_recordset(${JSON.stringify(commands.slice(i, i + 5000))}::jsonb) AS x(command_id text,
                fingerprint text, category text, stream_id text, version integer, first_position bigint, last_position bigint)`
          }
          yield* sql`UPDATE ${t("heads")} h SET position = ${head.position}, hash = ${head.hash},
              recorded_at = (SELECT e.recorded_at FROM ${t("events")} e WHERE e.tenant = ${tenant} AND e.position = ${head.position})
            WHERE h.tenant = ${tenant}`
          return { events: head.position, commands: commands.length }
        })
      )
    )
  })
