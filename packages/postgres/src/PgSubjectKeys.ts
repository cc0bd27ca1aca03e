import { EventStoreError, SubjectKeys } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import { fromSqlError } from "./internal/errors.ts"
import { columns, decodeAllValues } from "./internal/rows.ts"
import * as Tables from "./internal/tables.ts"
import { derivedCommands } from "./SideTables.ts"

// The subject keys in the store's schema (table `subject_keys`, migration 2). Every `read` (what opening a
// sealed field uses) asks the table, so a key is gone for every process the moment an erasure's transaction
// commits. `getOrCreate` (what sealing uses) keeps the live keys it made or found: an append then costs no
// round trip for its keys. A process that keeps a key another process has since destroyed seals new fields
// under it, which every read shows as erased: a kept key can lose new data about an erased person, never
// open old data. `destroy` forgets the key here at once.

interface KeyRow {
  readonly subject: string
  readonly key: string | null
}

const stateOf = (row: KeyRow): SubjectKeys.KeyState =>
  row.key === null ? { _tag: "Destroyed" } : { _tag: "Live", key: new Uint8Array(Buffer.from(row.key, "base64")) }

const toMap = (rows: ReadonlyArray<KeyRow>) => new Map(rows.map((row) => [row.subject, stateOf(row)]))

export const make = (
  options: { readonly schema?: string } = {}
): Effect.Effect<SubjectKeys.SubjectKeysShape, EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const schema = options.schema ?? "shuangbai"
    const problem = Tables.checkSchemaName(schema)
    if (problem !== undefined)
      return yield* Effect.fail(new EventStoreError({ reason: "InvalidRequest", message: problem }))
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const t = (name: string) => sql(`${schema}.${name}`)
    const mapped = <A, E>(effect: Effect.Effect<A, E | SqlError>) =>
      Effect.mapError(effect, (e) => (isSqlError(e) ? fromSqlError(schema, e) : e)) as Effect.Effect<
        A,
        Exclude<E, SqlError> | EventStoreError
      >
    const kept = new Map<string, SubjectKeys.KeyState>()
    const keptId = (tenant: string, subject: string) => `${tenant}\u0000${subject}`
    // One probe of the primary key per subject (`LATERAL … LIMIT 1` cannot be flattened into a join): an
    // `IN (subquery)` may be planned as a scan of the tenant's keys, which grows with every household
    // (docs/postgres.md, "Plans that stay good as the tables grow").
    const keyProbes = (tenant: string, subjects: ReadonlyArray<string>) =>
      sql`jsonb_array_elements_text(${JSON.stringify(subjects)}::jsonb) AS s(subject)
        CROSS JOIN LATERAL (SELECT subject, key FROM ${t("subject_keys")}
          WHERE tenant = ${tenant} AND subject = s.subject LIMIT 1) k`
    const read = (tenant: string, subjects: ReadonlyArray<string>) =>
      mapped(
        Effect.map(
          sql<KeyRow>`SELECT k.subject, encode(k.key, 'base64') AS key
            FROM ${keyProbes(tenant, subjects)}`,
          toMap
        )
      )
    return {
      read,
      getOrCreate: (tenant, subjects) => {
        const found = new Map<string, SubjectKeys.KeyState>()
        for (const s of subjects) {
          const key = kept.get(keptId(tenant, s))
          if (key !== undefined) found.set(s, key)
        }
        if (found.size === subjects.length) return Effect.succeed(found)
        return mapped(
          Effect.map(
            // The CTE's insert and the select see the same snapshot: the union is the new rows and the old.
            sql<KeyRow>`WITH fresh AS (
                INSERT INTO ${t("subject_keys")} (tenant, subject, key)
                SELECT ${tenant}, x.subject, decode(x.key, 'base64')
                FROM jsonb_to_recordset(${JSON.stringify(
                  subjects.map((subject) => ({
                    subject,
                    key: Buffer.from(SubjectKeys.newKey()).toString("base64")
                  }))
                )}::jsonb) AS x(subject text, key text)
                ON CONFLICT (tenant, subject) DO NOTHING
                RETURNING subject, key
              )
              SELECT subject, encode(key, 'base64') AS key FROM fresh
              UNION ALL
              SELECT k.subject, encode(k.key, 'base64') AS key FROM ${keyProbes(tenant, subjects)}`,
            (rows) => {
              const made = toMap(rows)
              if (kept.size > 100_000) kept.clear()
              for (const [s, state] of made) if (state._tag === "Live") kept.set(keptId(tenant, s), state)
              return made
            }
          )
        )
      },
      destroy: (tenant, subject, rewrites) =>
        mapped(
          Effect.andThen(
            Effect.sync(() => kept.delete(keptId(tenant, subject))),
            sql.withTransaction(
              Effect.gen(function* () {
                const [before] = yield* sql<{ live: boolean }>`SELECT key IS NOT NULL AS live FROM ${t("subject_keys")}
                WHERE tenant = ${tenant} AND subject = ${subject} FOR UPDATE`
                yield* sql`INSERT INTO ${t("subject_keys")} (tenant, subject, key, destroyed_at)
                VALUES (${tenant}, ${subject}, NULL, now())
                ON CONFLICT (tenant, subject) DO UPDATE SET key = NULL,
                  destroyed_at = COALESCE(${t("subject_keys")}.destroyed_at, now())`
                for (const r of rewrites) {
                  yield* sql`UPDATE ${t("events")} SET schema_version = ${r.schemaVersion},
                    data = ${JSON.stringify(r.data)}::jsonb
                  WHERE tenant = ${tenant} AND position = ${r.position}`
                }
                if (rewrites.length > 0) {
                  // A command's fingerprint is derived from its events (SideTables.ts): those of the rewritten
                  // rows' commands are derived again, so no digest of the plaintext is kept either.
                  const rows = yield* sql`SELECT ${sql.literal(columns)} FROM ${t("events")} e
                  WHERE e.tenant = ${tenant} AND e.command_id IN (
                    SELECT command_id FROM ${t("events")} WHERE tenant = ${tenant}
                      AND position IN (SELECT jsonb_array_elements_text(${JSON.stringify(
                        rewrites.map((r) => String(r.position))
                      )}::jsonb)::bigint))
                  ORDER BY e.position`.values
                  const decoded = decodeAllValues(rows, "columns")
                  if (decoded._tag === "Err") return yield* Effect.fail(decoded.error)
                  for (const command of derivedCommands(decoded.events)) {
                    yield* sql`UPDATE ${t("commands")} SET fingerprint = ${command.fingerprint}
                    WHERE tenant = ${tenant} AND command_id = ${command.command_id}`
                  }
                }
                return before?.live !== false || rewrites.length > 0
              })
            )
          )
        ),
      restore: (tenant, restored) =>
        mapped(
          Effect.asVoid(
            sql`INSERT INTO ${t("subject_keys")} (tenant, subject, key, destroyed_at)
              SELECT ${tenant}, x.subject, decode(x.key, 'base64'), CASE WHEN x.key IS NULL THEN now() END
              FROM jsonb_to_recordset(${restoredRows(restored)}::jsonb) AS x(subject text, key text)
              ON CONFLICT (tenant, subject) DO UPDATE SET key = NULL,
                destroyed_at = COALESCE(${t("subject_keys")}.destroyed_at, now())
              WHERE excluded.key IS NULL`
          )
        )
    }
  })

/** The rows of `restore`: a key as base64, or null for a destroyed one. */
const restoredRows = (restored: ReadonlyArray<{ readonly subject: string; readonly state: SubjectKeys.KeyState }>) =>
  JSON.stringify(
    restored.map(({ subject, state }) => ({
      subject,
      key: state._tag === "Live" ? Buffer.from(state.key).toString("base64") : null
    }))
  )

/** Provides `SubjectKeys` on the `SqlClient` in context. */
export const layerWith = (
  options: { readonly schema?: string } = {}
): Layer.Layer<SubjectKeys.SubjectKeys, EventStoreError, SqlClient.SqlClient> =>
  Layer.effect(SubjectKeys.SubjectKeys, make(options))
