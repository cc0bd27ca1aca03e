import { Backoff } from "@shuangbai/eventsourcing"
import { type Context, Deferred, Duration, Effect, Schedule, type Scope, Stream } from "effect"
import type { PgListen } from "../PgListen.ts"

/**
 * Sleeps in wall-clock time. Polling and reconnecting are the store's plumbing, not business time: they
 * must go on under a `TestClock` that a test never moves.
 */
export const pause = (ms: number): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), ms)
    return Effect.sync(() => clearTimeout(timer))
  })

/**
 * Wakes subscribers when a tenant's log may have grown. One LISTEN per store, shared by every
 * subscriber; notifications are only a wake-up, never a source of events, and a poll interval bounds
 * the wait when one is lost or the LISTEN connection is down (it reconnects on `Backoff.reconnect`).
 */
export const makeNotifier = (
  listen: PgListen["Service"],
  channel: string,
  scope: Scope.Scope,
  /** The store's own context: the listener never runs in the first subscriber's (its transaction, say). */
  context: Context.Context<never>,
  pollInterval: Duration.Duration
) => {
  const counters = new Map<string, number>()
  const waiters = new Map<string, Set<Deferred.Deferred<void>>>()
  let generation = 0
  let started = false

  const wake = (tenant: string) => {
    counters.set(tenant, (counters.get(tenant) ?? 0) + 1)
    const set = waiters.get(tenant)
    if (set === undefined) return
    waiters.delete(tenant)
    for (const waiter of set) Deferred.doneUnsafe(waiter, Effect.void)
  }

  const wakeAll = () => {
    generation += 1
    const all = [...waiters.values()]
    waiters.clear()
    for (const set of all) for (const waiter of set) Deferred.doneUnsafe(waiter, Effect.void)
  }

  const pollMillis = Duration.toMillis(pollInterval)
  // Reconnects on `Backoff.reconnect`, stepped by hand because a connection that delivered notifications
  // was healthy: the next outage starts the schedule over, from its shortest delay.
  const follow: Effect.Effect<never> = Effect.gen(function* () {
    let step = yield* Schedule.toStep(Backoff.reconnect)
    while (true) {
      let healthy = false
      const exit = yield* Effect.exit(
        Stream.runForEach(listen.listen(channel), (tenant) =>
          Effect.sync(() => {
            healthy = true
            wake(tenant)
          })
        )
      )
      // Whatever was notified while the connection was down is lost: everyone re-reads.
      wakeAll()
      if (healthy) step = yield* Schedule.toStep(Backoff.reconnect)
      const [, delay] = yield* Effect.orDie(step(Date.now(), undefined))
      const millis = Math.round(Duration.toMillis(delay))
      yield* Effect.logWarning(`LISTEN ${channel} ended; reconnecting in ${millis} ms`, exit)
      yield* pause(millis)
    }
  })

  const start = Effect.suspend(() => {
    if (started) return Effect.void
    started = true
    return Effect.asVoid(Effect.forkIn(Effect.setContext(follow, context), scope))
  })

  /** A token that changes whenever the tenant is notified or the listener reconnects. */
  const token = (tenant: string) => `${generation}:${counters.get(tenant) ?? 0}`

  /** Waits for a notification after `seen` (a token taken before the last read), at most a poll interval. */
  const wait = (tenant: string, seen: string): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (token(tenant) !== seen) return Effect.void
      const waiter = Deferred.makeUnsafe<void>()
      let set = waiters.get(tenant)
      if (set === undefined) {
        set = new Set()
        waiters.set(tenant, set)
      }
      set.add(waiter)
      return Effect.race(Deferred.await(waiter), pause(pollMillis)).pipe(
        Effect.ensuring(Effect.sync(() => waiters.get(tenant)?.delete(waiter)))
      )
    })

  return { start, token, wait }
}

/**
 * The notifier of a hot standby, where LISTEN fails ("cannot execute LISTEN during recovery"): nothing
 * wakes a subscriber, so an idle one re-reads every poll interval.
 */
export const makePollingNotifier = (pollInterval: Duration.Duration): ReturnType<typeof makeNotifier> => {
  const pollMillis = Duration.toMillis(pollInterval)
  return { start: Effect.void, token: () => "", wait: () => pause(pollMillis) }
}
