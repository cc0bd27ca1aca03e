import type { EventStore } from "@shuangbai/eventsourcing"
import { Effect, Exit } from "effect"

// Access.handle reads the household's station and the worker's post to decide, and the command's handler
// then loads the same streams for its own rules. Both run on this view of the store, so each stream is read
// once per attempt: the handler decides on exactly the state the policy saw. Any append forgets every read,
// so a conflict's retry reads afresh and the rules always see the latest state.

type ReadExit = Exit.Exit<
  Effect.Success<ReturnType<EventStore.EventStoreShape["readStream"]>>,
  Effect.Error<ReturnType<EventStore.EventStoreShape["readStream"]>>
>

/** The store with whole-stream reads shared until the next append; every other call goes straight through. */
export const sharingReads = (store: EventStore.EventStoreShape): EventStore.EventStoreShape => {
  const reads = new Map<string, ReadExit>()
  return {
    ...store,
    readStream: (tenant, stream, options) => {
      // a read as of a point in time, or from a version, is someone else's question: never shared
      if (options !== undefined && Object.values(options).some((value) => value !== undefined)) {
        return store.readStream(tenant, stream, options)
      }
      const key = `${tenant}\u0000${stream.category}\u0000${stream.id}`
      const earlier = reads.get(key)
      if (earlier !== undefined) return earlier
      return Effect.onExit(store.readStream(tenant, stream), (exit) =>
        Effect.sync(() => {
          if (!Exit.hasInterrupts(exit)) reads.set(key, exit)
        })
      )
    },
    append: (request) =>
      Effect.suspend(() => {
        reads.clear()
        return store.append(request)
      })
  }
}
