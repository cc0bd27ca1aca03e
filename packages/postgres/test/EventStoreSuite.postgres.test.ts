import { EventStoreSuite } from "@shuangbai/testing"
import { describePg, serverLayer } from "./helpers.ts"

describePg("PostgreSQL server", () => EventStoreSuite.suite("postgres", serverLayer()))
