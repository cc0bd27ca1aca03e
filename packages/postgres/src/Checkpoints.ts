import { EventStoreError } from "@shuangbai/eventsourcing"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import { fromSqlError } from "./internal/errors.ts"
import * as Tables from "./internal/tables.ts"

/**
 * How far each subscriber or projection has got in a tenant's log, by name. Every method runs in the
 * caller's transaction when there is one, so a read model and its checkpoint commit together.
 */
export class Checkpoints extends Context.Service<
  Checkpoints,
  {
    /** The last position handled, 0 when the name has none. */
    readonly load: (tenant: string, name: string) => Effect.Effect<number, EventStoreError>
    readonly save: (tenant: string, name: string, position: number) => Effect.Effect<void, EventStoreError>
    /**
     * Inside a transaction: loads the checkpoint and locks its row until commit, so that two runners of
     * one projection never both handle the same events.
     */
    readonly lock: (tenant: string, name: string) => Effect.Effect<number, EventStoreError>
  }
>()("@shuangbai/postgres/Checkpoints") {}

export const make = (
  options: { readonly schema?: string } = {}
): Effect.Effect<Checkpoints["Service"], EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const schema = options.schema ?? "shuangbai"
    const problem = Tables.checkSchemaName(schema)
    if (problem !== undefined)
      return yield* Effect.fail(new EventStoreError({ reason: "InvalidRequest", message: problem }))
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const table = sql(`${schema}.checkpoints`)
    const mapped = <A>(effect: Effect.Effect<A, SqlError>) =>
      Effect.mapError(effect, (e) => (isSqlError(e) ? fromSqlError(schema, e) : e))
    const position = (rows: ReadonlyArray<{ position: string }>) => (rows.length === 0 ? 0 : Number(rows[0]!.position))
    return {
      load: (tenant, name) =>
        mapped(
          Effect.map(
            sql<{ position: string }>`SELECT position::text AS position FROM ${table}
              WHERE tenant = ${tenant} AND name = ${name}`,
            position
          )
        ),
      save: (tenant, name, at) =>
        mapped(
          Effect.asVoid(sql`INSERT INTO ${table} (tenant, name, position) VALUES (${tenant}, ${name}, ${at})
            ON CONFLICT (tenant, name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`)
        ),
      lock: (tenant, name) =>
        mapped(
          Effect.gen(function* () {
            yield* sql`INSERT INTO ${table} (tenant, name, position) VALUES (${tenant}, ${name}, 0)
              ON CONFLICT (tenant, name) DO NOTHING`
            return position(
              yield* sql<{ position: string }>`SELECT position::text AS position FROM ${table}
                WHERE tenant = ${tenant} AND name = ${name} FOR UPDATE`
            )
          })
        )
    }
  })

export const layer: Layer.Layer<Checkpoints, EventStoreError, SqlClient.SqlClient> = Layer.effect(Checkpoints, make())

export const layerWith = (options: {
  readonly schema?: string
}): Layer.Layer<Checkpoints, EventStoreError, SqlClient.SqlClient> => Layer.effect(Checkpoints, make(options))
