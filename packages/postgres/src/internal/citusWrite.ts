/**
 * The full path's write on Citus (docs/postgres.md, "Citus"). `appendTexts`' write inserts with
 * `INSERT … SELECT … FROM jsonb_array_elements($n)`, which Citus cannot send to the worker as it is: it
 * runs each such SELECT on the coordinator and copies its rows to the shard through intermediate results,
 * and commits the transaction with two-phase commit. `INSERT … VALUES` into one tenant's shard is routed
 * whole to that tenant's worker and commits in one phase, so on Citus the same rows go in as VALUES lists.
 */

import { eventColumns } from "./rows.ts"

/** The most bound parameters in one statement (PostgreSQL's protocol allows 65,535). */
const maxParams = 30_000

/** One table's insert: its columns, each column's cast, and the rows' values in column order. */
interface Insert {
  readonly table: string
  readonly columns: ReadonlyArray<string>
  readonly casts: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>
  readonly onConflict?: string
}

interface Statement {
  readonly text: string
  readonly params: ReadonlyArray<unknown>
}

interface EventRow {
  readonly position: number
  readonly category: string
  readonly stream_id: string
  readonly version: number
  readonly event_id: string
  readonly type: string
  readonly schema_version: number
  readonly data: unknown
  readonly occurred_at: string
  readonly actor: unknown
  readonly command_id: string
  readonly correlation_id: string
  readonly causation_id: string
  readonly subjects: unknown
  readonly prev_hash: string
  readonly hash: string
}

/** The batch's rows as `decideBatch` gives them (JSON texts) and the head after it. */
export interface CitusWrite {
  readonly tenant: string
  readonly head: { readonly position: number; readonly hash: string }
  readonly recordedAt: string
  readonly rows: {
    readonly events: string
    readonly subjects: string
    readonly streams: string
    readonly commands: string
  }
}

/**
 * The statements that write a batch and move the head, in order: each a modifying CTE of `INSERT … VALUES`
 * chunks of at most `maxParams` parameters, the last one's main statement the head's `UPDATE`. A batch of a
 * few thousand events is one statement.
 */
export const citusWriteStatements = (schema: string, write: CitusWrite): ReadonlyArray<Statement> => {
  const table = (name: string) => `"${schema}"."${name}"`
  const { tenant, recordedAt } = write
  const events: ReadonlyArray<EventRow> = JSON.parse(write.rows.events)
  const subjects: ReadonlyArray<{ subject: string; position: number }> = JSON.parse(write.rows.subjects)
  const streams: ReadonlyArray<{ category: string; id: string; version: number }> = JSON.parse(write.rows.streams)
  const commands: ReadonlyArray<{
    command_id: string
    fingerprint: string
    category: string
    stream_id: string
    version: number
    first_position: number
    last_position: number
  }> = JSON.parse(write.rows.commands)
  const inserts: ReadonlyArray<Insert> = [
    {
      table: table("events"),
      columns: eventColumns,
      casts: [
        "text",
        "bigint",
        "text",
        "text",
        "integer",
        "text",
        "text",
        "integer",
        "jsonb",
        "text",
        "timestamptz",
        "jsonb",
        "text",
        "text",
        "text",
        "jsonb",
        "text",
        "text"
      ],
      rows: events.map((e) => [
        tenant,
        e.position,
        e.category,
        e.stream_id,
        e.version,
        e.event_id,
        e.type,
        e.schema_version,
        JSON.stringify(e.data),
        e.occurred_at,
        recordedAt,
        JSON.stringify(e.actor),
        e.command_id,
        e.correlation_id,
        e.causation_id,
        JSON.stringify(e.subjects),
        e.prev_hash,
        e.hash
      ])
    },
    {
      table: table("subjects"),
      columns: ["tenant", "subject", "position"],
      casts: ["text", "text", "bigint"],
      rows: subjects.map((s) => [tenant, s.subject, s.position])
    },
    {
      table: table("streams"),
      columns: ["tenant", "category", "stream_id", "version"],
      casts: ["text", "text", "text", "integer"],
      rows: streams.map((s) => [tenant, s.category, s.id, s.version]),
      onConflict: "ON CONFLICT (tenant, category, stream_id) DO UPDATE SET version = excluded.version"
    },
    {
      table: table("commands"),
      columns: [
        "tenant",
        "command_id",
        "fingerprint",
        "category",
        "stream_id",
        "version",
        "first_position",
        "last_position"
      ],
      casts: ["text", "text", "text", "text", "text", "integer", "bigint", "bigint"],
      rows: commands.map((c) => [
        tenant,
        c.command_id,
        c.fingerprint,
        c.category,
        c.stream_id,
        c.version,
        c.first_position,
        c.last_position
      ])
    }
  ]

  const statements: Array<Statement> = []
  let parts: Array<string> = []
  let params: Array<unknown> = []
  const flush = (main: string) => {
    const ctes = parts.map((part, i) => `w${i} AS (${part})`)
    statements.push({ text: ctes.length === 0 ? main : `WITH ${ctes.join(", ")} ${main}`, params })
    parts = []
    params = []
  }
  const placeholder = (cast: string) => `$${params.length}::${cast}`
  for (const insert of inserts) {
    const perRow = insert.columns.length
    for (let start = 0; start < insert.rows.length; ) {
      if (params.length + perRow > maxParams) {
        // The last chunk becomes the main statement of a statement of its own.
        const last = parts.pop()!
        flush(last)
      }
      const room = Math.floor((maxParams - params.length) / perRow)
      const chunk = insert.rows.slice(start, start + room)
      const values = chunk.map(
        (row) =>
          `(${row
            .map((value, i) => {
              params.push(value)
              return placeholder(insert.casts[i]!)
            })
            .join(", ")})`
      )
      parts.push(
        `INSERT INTO ${insert.table} (${insert.columns.join(", ")}) VALUES ${values.join(", ")}${
          insert.onConflict === undefined ? "" : ` ${insert.onConflict}`
        }`
      )
      start += chunk.length
    }
  }
  params.push(tenant, write.head.position, write.head.hash, recordedAt)
  const n = params.length
  flush(
    `UPDATE ${table("heads")} SET position = $${n - 2}::bigint, hash = $${n - 1}::text, recorded_at = $${n}::timestamptz WHERE tenant = $${n - 3}::text`
  )
  return statements
}
