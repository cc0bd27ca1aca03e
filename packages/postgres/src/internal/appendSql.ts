import type { SqlClient } from "effect/sql"

/**
 * Where the rows of a batch come from in a statement: SQL expressions (parameters, or a column of the CTE
 * the rows are joined to) for the tenant, the store time and the JSON of events, subjects, streams and
 * commands (as `internal/batchDecision.ts` builds them).
 */
interface RowSources {
  readonly tenant: string
  /** Tables the row sources are joined to, each followed by a comma: `""`, or `"hd, "`. */
  readonly joined: string
  readonly recordedAt: string
  readonly events: string
  readonly subjects: string
  readonly streams: string
  readonly commands: string
}

/**
 * The append's writes, as CTEs `ev`, `sb`, `st` and `cm`: the one text both append paths insert with. The
 * schema name is checked to be a plain identifier when the store is made; every value is a parameter.
 */
const insertRows = (table: (name: string) => string, from: RowSources) => `ev AS (
      INSERT INTO ${table("events")} (tenant, position, category, stream_id, version, event_id, type, schema_version,
        data, occurred_at, recorded_at, actor, command_id, correlation_id, causation_id, subjects, prev_hash, hash)
      SELECT ${from.tenant}, (r->>'position')::bigint, r->>'category', r->>'stream_id', (r->>'version')::integer,
        r->>'event_id', r->>'type', (r->>'schema_version')::integer, r->'data', r->>'occurred_at',
        ${from.recordedAt}::timestamptz, r->'actor', r->>'command_id', r->>'correlation_id', r->>'causation_id',
        r->'subjects', r->>'prev_hash', r->>'hash'
      FROM ${from.joined}jsonb_array_elements(${from.events}::jsonb) AS r
    ), sb AS (
      INSERT INTO ${table("subjects")} (tenant, subject, position)
      SELECT ${from.tenant}, x.subject, x.position
      FROM ${from.joined}jsonb_to_recordset(${from.subjects}::jsonb) AS x(subject text, position bigint)
    ), st AS (
      INSERT INTO ${table("streams")} (tenant, category, stream_id, version)
      SELECT ${from.tenant}, x.category, x.id, x.version
      FROM ${from.joined}jsonb_to_recordset(${from.streams}::jsonb) AS x(category text, id text, version integer)
      ON CONFLICT (tenant, category, stream_id) DO UPDATE SET version = excluded.version
    ), cm AS (
      INSERT INTO ${table("commands")} (tenant, command_id, fingerprint, category, stream_id, version, first_position, last_position)
      SELECT ${from.tenant}, x.command_id, x.fingerprint, x.category, x.stream_id, x.version, x.first_position, x.last_position
      FROM ${from.joined}jsonb_to_recordset(${from.commands}::jsonb) AS x(command_id text, fingerprint text,
        category text, stream_id text, version integer, first_position bigint, last_position bigint)
    )`

/** The texts of the append statements, built once per store (each runs for almost every append). */
export const appendTexts = (schema: string) => {
  const table = (name: string) => `"${schema}"."${name}"`
  return {
    /**
     * The full path's write, inside the transaction that holds the head lock: every row, then the head moved.
     * `$1` tenant, `$2`/`$3` the head's new position and hash, `$4` store time, `$5`–`$8` the rows, `$9` the
     * notification channel.
     */
    write: `WITH ${insertRows(table, {
      tenant: "$1::text",
      joined: "",
      recordedAt: "$4",
      events: "$5",
      subjects: "$6",
      streams: "$7",
      commands: "$8"
    })}
    UPDATE ${table("heads")} SET position = $2::bigint, hash = $3, recorded_at = $4::timestamptz
    WHERE tenant = $1
    RETURNING length(pg_notify($9, $1)::text) AS notified`,

    /**
     * The fast path: one self-committing statement that checks the writer's guess (no command id or event id
     * of the batch stored, each stream at the assumed version), moves the head only if it is still where the
     * writer last left it, and writes every row joined to that move, so it writes everything or nothing.
     * `$1` tenant, `$2` command ids, `$3` event ids, `$4` assumed stream versions, `$5`–`$7` the head's new
     * position, hash and store time, `$8`/`$9` the head the writer last committed, `$10`–`$13` the rows,
     * `$14` the notification channel. Each key is a `LATERAL … LIMIT 1` probe of its unique index.
     */
    ifUnmoved: `WITH ok AS (
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
    ), ${insertRows(table, {
      tenant: "hd.tenant",
      joined: "hd, ",
      recordedAt: "$7",
      events: "$10",
      subjects: "$11",
      streams: "$12",
      commands: "$13"
    })}
    SELECT count(*)::int AS applied, max(length(pg_notify($14, hd.tenant)::text)) AS notified FROM hd`
  }
}

/**
 * The full path's lookups for a batch, as three JSON text columns (`commands`, `streams`, `event_ids`): each
 * key looked up on its own through its unique index (`LATERAL … LIMIT 1` cannot be flattened into a join).
 */
export const lookupColumns = (
  sql: SqlClient.SqlClient,
  schema: string,
  tenant: string,
  keys: {
    readonly commandIds: ReadonlyArray<string>
    readonly streams: ReadonlyArray<{ readonly category: string; readonly id: string }>
    readonly eventIds: ReadonlyArray<string>
  }
) => {
  const t = (name: string) => sql(`${schema}.${name}`)
  return sql`(SELECT coalesce(json_agg(json_build_object('id', c.command_id, 'fingerprint', c.fingerprint,
          'version', c.version, 'first', c.first_position, 'last', c.last_position)), '[]'::json)
        FROM jsonb_array_elements_text(${JSON.stringify(keys.commandIds)}::jsonb) AS k(id)
        CROSS JOIN LATERAL (SELECT * FROM ${t("commands")} c
          WHERE c.tenant = ${tenant} AND c.command_id = k.id LIMIT 1) c
      )::text AS commands,
      (SELECT coalesce(json_agg(json_build_object('category', s.category, 'id', s.stream_id, 'version', s.version)), '[]'::json)
        FROM (SELECT DISTINCT category, id
          FROM jsonb_to_recordset(${JSON.stringify(keys.streams)}::jsonb) AS k(category text, id text)) k
        CROSS JOIN LATERAL (SELECT * FROM ${t("streams")} s
          WHERE s.tenant = ${tenant} AND s.category = k.category AND s.stream_id = k.id LIMIT 1) s
      )::text AS streams,
      (SELECT coalesce(json_agg(e.event_id), '[]'::json)
        FROM jsonb_array_elements_text(${JSON.stringify(keys.eventIds)}::jsonb) AS k(id)
        CROSS JOIN LATERAL (SELECT e.event_id FROM ${t("events")} e
          WHERE e.tenant = ${tenant} AND e.event_id = k.id LIMIT 1) e
      )::text AS event_ids`
}
