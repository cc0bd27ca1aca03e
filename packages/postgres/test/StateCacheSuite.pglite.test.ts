import { StateCacheSuite } from "@shuangbai/testing"
import * as PgEventStore from "../src/PgEventStore.ts"

StateCacheSuite.suite("pglite", PgEventStore.layerPglite(), { numRuns: 20 })
