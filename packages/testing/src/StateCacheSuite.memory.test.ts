import { EventStore } from "@shuangbai/eventsourcing"
import { StateCacheSuite } from "./index.ts"

StateCacheSuite.suite("memory", EventStore.layerMemory, { numRuns: 100 })
