import { EventStore } from "@shuangbai/eventsourcing"
import { EventStoreSuite } from "./index.ts"

EventStoreSuite.suite("memory", EventStore.layerMemory)
