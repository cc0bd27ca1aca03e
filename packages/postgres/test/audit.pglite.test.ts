import { describe, layer } from "@effect/vitest"
import { AuditSuite } from "@shuangbai/testing"
import { Layer } from "effect"
import * as PgEventStore from "../src/PgEventStore.ts"
import { sideTableTests, sqlTamper } from "./audit.ts"

const store = Layer.provideMerge(sqlTamper("audit"), PgEventStore.layerPglite({ schema: "audit" }))

AuditSuite.suite("pglite", store)

describe("side tables, store time and reads on PGlite", () => {
  layer(store, { excludeTestServices: true, timeout: "2 minutes" })((it) => sideTableTests(it, "audit"))
})
