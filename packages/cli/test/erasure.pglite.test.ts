import { PgEventStore } from "@shuangbai/postgres"
import { dumpSchema, suite, tamperSchema } from "./erasure.ts"

suite("pglite", {
  layer: () => PgEventStore.layerPglite(),
  dump: dumpSchema(PgEventStore.defaultSchema),
  tamper: tamperSchema(PgEventStore.defaultSchema)
})
