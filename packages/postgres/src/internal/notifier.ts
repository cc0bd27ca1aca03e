import { type Context, Deferred, Duration, Effect, type Scope, Stream } from "effect"
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
 * the wait when one is lost or the LISTEN connection is down (it reconnects with backoff).
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
  const maxBackoff = 5_000
  const follow = (failures: number): Effect.Effect<never> =>
    Stream.runForEach(listen.listen(channel), (tenant) =>
      Effect.sync(() => {
        failures = 0
        wake(tenant)
      })
    ).pipe(
      Effect.exit,
      Effect.flatMap((exit) => {
        // Whatever was notified while the connection was down is lost: everyone re-reads.
        wakeAll()
        const delay = Math.min(maxBackoff, 100 * 2 ** Math.min(failures, 10))
        return Effect.logWarning(`LISTEN ${channel} ended; reconnecting in ${delay} ms`, exit).pipe(
          Effect.andThen(pause(delay)),
          Effect.andThen(Effect.suspend(() => follow(failures + 1)))
        )
      })
    )

  const start = Effect.suspend(() => {
    if (started) return Effect.void
    started = true
    return Effect.asVoid(Effect.forkIn(Effect.setContext(follow(0), context), scope))
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
