import { EventStore } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { suite } from "./erasure.ts"

// The in-memory store's rows are the envelopes its reads return: opened values sit under a symbol, which JSON
// never writes, so the JSON of the whole log is its raw rows.
suite("memory", {
  layer: () => EventStore.layerMemory,
  dump: Effect.flatMap(EventStore.EventStore, (store) =>
    Effect.map(store.readAll("yangshan", { after: 0, limit: 1_000_000 }), (rows) => JSON.stringify(rows))
  )
})
