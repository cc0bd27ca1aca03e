import { PgEventStore } from "@shuangbai/postgres"
import { suite } from "./ServerSuite.ts"

suite("PGlite", () => PgEventStore.layerPglite())
