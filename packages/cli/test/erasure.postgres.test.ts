import { randomBytes } from "node:crypto"
import { PgEventStore } from "@shuangbai/postgres"
import { Services } from "@shuangbai/testing"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { dumpSchema, suite, tamperSchema } from "./erasure.ts"

// One schema for the file: each test its own tenant's log would collide, so each gets its own schema.
const schemas: Array<string> = []
const fresh = () => {
  schemas.push(`sb_erasure_${randomBytes(5).toString("hex")}`)
  return schemas.at(-1)!
}

Services.describePg("erasure on PostgreSQL", () => {
  suite("postgres", {
    layer: () => {
      const schema = fresh()
      return Layer.provideMerge(
        Layer.effectDiscard(
          Effect.flatMap(SqlClient.SqlClient, (sql) =>
            Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`))
          )
        ),
        PgEventStore.layerPg({ url: Services.pgUrl, migrate: true, schema })
      )
    },
    dump: Effect.suspend(() => dumpSchema(schemas.at(-1)!)),
    tamper: (position, data) => tamperSchema(schemas.at(-1)!)(position, data)
  })
})
