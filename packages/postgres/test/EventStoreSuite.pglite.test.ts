import { EventStoreSuite } from "@shuangbai/testing"
import * as PgEventStore from "../src/PgEventStore.ts"

EventStoreSuite.suite("pglite", PgEventStore.layerPglite())
