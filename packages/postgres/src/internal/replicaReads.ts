import type { EventStore, EventStoreError } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { pause } from "./notifier.ts"
import type { makeReads } from "./reads.ts"

type Reads = ReturnType<typeof makeReads>

/**
 * Reads from a hot standby that still see this store's own appends. The standby replays the primary's
 * log a little later, so a read right after an append could miss it (and a command handler would then
 * decide on a stale stream and conflict). The store remembers the last position it appended per tenant;
 * a read of that tenant first waits until the standby's head has reached it, at most `maxWaitMillis`,
 * and then reads the primary instead. Appends by other processes get no such wait: a decision on a
 * stream they changed is caught by the expected-version check on the primary, as it is without a
 * standby. Subscriptions read the standby as they are: they follow whatever it has replayed.
 */
export const makeReplicaReads = (standby: Reads, primary: Reads, maxWaitMillis: number) => {
  const written = new Map<string, number>()
  const replayed = new Map<string, number>()

  /** Called with every append's result: the position the standby must reach before reading the tenant. */
  const appended = (tenant: string, result: EventStore.AppendResult) => {
    const last = result.events[result.events.length - 1]?.position ?? 0
    if (last > (written.get(tenant) ?? 0)) written.set(tenant, last)
  }

  const caughtUp = (tenant: string, target: number): Effect.Effect<boolean, EventStoreError> =>
    Effect.map(standby.head(tenant), ({ position }) => {
      if (position > (replayed.get(tenant) ?? 0)) replayed.set(tenant, position)
      return position >= target
    })

  /** The reads to use for `tenant`: the standby once it has replayed this store's appends, else the primary. */
  const readsFor = (tenant: string): Effect.Effect<Reads, EventStoreError> =>
    Effect.suspend(() => {
      const target = written.get(tenant) ?? 0
      if (target <= (replayed.get(tenant) ?? 0)) return Effect.succeed(standby)
      const deadline = Date.now() + maxWaitMillis
      const loop: Effect.Effect<Reads, EventStoreError> = Effect.flatMap(caughtUp(tenant, target), (ok) =>
        ok ? Effect.succeed(standby) : Date.now() >= deadline ? Effect.succeed(primary) : Effect.andThen(pause(5), loop)
      )
      return loop
    })

  const reads: Reads = {
    readStream: (tenant, stream, options) =>
      Effect.flatMap(readsFor(tenant), (r) => r.readStream(tenant, stream, options)),
    readAll: (tenant, options) => Effect.flatMap(readsFor(tenant), (r) => r.readAll(tenant, options)),
    readSubject: (tenant, subject, options) =>
      Effect.flatMap(readsFor(tenant), (r) => r.readSubject(tenant, subject, options)),
    readCommand: (tenant, commandId) => Effect.flatMap(readsFor(tenant), (r) => r.readCommand(tenant, commandId)),
    head: (tenant) => Effect.flatMap(readsFor(tenant), (r) => r.head(tenant)),
    subscribe: standby.subscribe
  }
  return { reads, appended }
}
