import { layer } from "@effect/vitest"
import { AuditSuite } from "@shuangbai/testing"
import { Layer } from "effect"
import { sideTableTests, sqlTamper } from "./audit.ts"
import { describePg, randomSchema, serverLayer } from "./helpers.ts"

const schema = randomSchema()
const store = Layer.provideMerge(sqlTamper(schema), serverLayer({}, schema))

describePg("audit on the PostgreSQL server", () => {
  AuditSuite.suite("postgres", store)
  layer(store, { excludeTestServices: true, timeout: "2 minutes" })((it) => sideTableTests(it, schema))
})
